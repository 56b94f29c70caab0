// A snapshot by strike: net GEX, call and put GEX, DEX, VEX or CEX of the expiries the
// filter keeps, with spot, the zero-gamma flip, the walls and the absolute-gamma strike
// drawn where they are, starting from a window around spot the analyst sets.
import { useMemo, useState } from 'react';
import type { ChartAbout } from '../../components/plot/chart-about.ts';
import type { Marker, PlotSpec, Series } from '../../components/plot/draw.ts';
import { Plot } from '../../components/plot/Plot.tsx';
import { strikeWindow } from '../../../../shared/api.ts';
import { price, spotPrice } from '../../text/numbers.ts';
import { gexReadout, gexScale, gexTick, inScale } from '../../text/scale.ts';
import {
  filterLabel,
  measureInfo,
  type ExpiryFilter,
  type Levels,
  type Measure,
  type StrikeRows,
} from './snapshot-data.ts';
import { MARK } from './marks.ts';

export const POS = '#3fbf7f';
export const NEG = '#f0605d';
export { MARK };

/** Windows around spot the strike charts start from (a share of spot each side; 0 = all strikes). */
export const STRIKE_WINDOWS = [0.02, 0.05, 0.1, 0.15, 0.25, 0];
export const DEFAULT_WINDOW = 0.1;

/** The starting window of a strike axis: spot ± the share (as the engine keeps cells), or the whole axis. */
export const windowAround = (spot: number, share: number) =>
  share > 0 ? strikeWindow(spot, share) : undefined;

export function StrikeWindowSelect(props: {
  value: number;
  onChange(share: number): void;
  testId: string;
}) {
  return (
    <label>
      Window{' '}
      <select
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
      >
        {STRIKE_WINDOWS.map((w) => (
          <option key={w} value={w}>
            {w ? `spot ± ${w * 100} %` : 'all strikes'}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Spot, the flip and the walls as a chart's markers. The walls are those of the expiries
 * shown; the flip comes from the whole chain's gamma profile, and says so (`ofAll`) when
 * the chart shows only some expiries.
 */
export function levelMarkers(
  spot: number,
  flip: number | null,
  lv: Levels,
  ofAll = false,
): Marker[] {
  const out: Marker[] = [
    { x: spot, label: `spot ${spotPrice(spot)}`, color: MARK.spot, kind: 'spot' },
  ];
  if (flip !== null)
    out.push({
      x: flip,
      label: `flip ${price(flip)}${ofAll ? ' (all expiries)' : ''}`,
      color: MARK.flip,
      kind: 'flip',
    });
  if (lv.callWall !== null)
    out.push({
      x: lv.callWall,
      label: `call wall ${price(lv.callWall)}`,
      color: MARK.call,
      kind: 'call-wall',
    });
  if (lv.putWall !== null)
    out.push({
      x: lv.putWall,
      label: `put wall ${price(lv.putWall)}`,
      color: MARK.put,
      kind: 'put-wall',
    });
  if (lv.absGamma !== null)
    out.push({
      x: lv.absGamma,
      label: `abs γ ${price(lv.absGamma)}`,
      color: MARK.abs,
      kind: 'abs-gamma',
    });
  return out;
}

/** The series of a measure over the rows, in one scale. */
export function strikeSpec(
  underlying: string,
  rows: StrikeRows,
  measure: Measure,
  filter: ExpiryFilter,
  markers: Marker[],
  about?: ChartAbout,
): PlotSpec {
  const info = measureInfo(measure);
  const values = (m: Measure): (number | null)[][] =>
    m === 'callput' ? [rows.call, rows.put] : [m === 'net' ? rows.net : rows[m]];
  const scale = gexScale(values(measure).flat());
  const fmt = (v: number) => gexReadout(v, scale, info.unit);
  const signed = (i: number, v: number) => (v < 0 ? NEG : POS);
  const series: Series[] =
    measure === 'callput'
      ? [
          {
            label: 'call GEX',
            values: rows.call,
            kind: 'bar',
            color: POS,
            unit: `USD, ${info.unit}`,
            format: fmt,
          },
          {
            label: 'put GEX',
            values: rows.put,
            kind: 'bar',
            color: NEG,
            unit: `USD, ${info.unit}`,
            format: fmt,
          },
        ]
      : [
          {
            label: info.label,
            values: values(measure)[0]!,
            kind: 'bar',
            color: POS,
            colorAt: signed,
            unit: `USD, ${info.unit}`,
            format: fmt,
          },
        ];
  return {
    label: `${underlying} ${info.label} by strike, ${filterLabel(filter)}`,
    x: rows.strike,
    xTitle: 'Strike',
    xFormat: price,
    xKind: 'number',
    yTitle: inScale(info.unit, scale),
    yTick: (v, step) => gexTick(v, scale, step),
    series,
    markers,
    yZero: true,
    about,
  };
}

/** The strikes within a window (bounds included, as the chart's own range takes them). */
const inWindow = (strikes: number[], w: { lo: number; hi: number }) =>
  strikes.filter((k) => k >= w.lo && k <= w.hi + 1e-9 * Math.abs(w.hi));

/**
 * The narrowest of the windows offered that holds a strike of the chart, else all
 * strikes (0): what a window holding none offers instead.
 */
export function widerWindow(spot: number, strikes: number[], share: number): number {
  for (const w of STRIKE_WINDOWS)
    if (w > share && inWindow(strikes, strikeWindow(spot, w)).length > 0) return w;
  return 0;
}

const windowName = (share: number) => (share ? `spot ± ${share * 100} %` : 'all strikes');

/** Whether the window around spot (0: all strikes) holds none of these strikes. */
export function windowMissesAll(spot: number, strikes: number[], share: number): boolean {
  const w = windowAround(spot, share);
  return !!w && strikes.length > 0 && inWindow(strikes, w).length === 0;
}

/**
 * A window around spot that holds no strike (a sub-dollar chain whose strikes are 20 %
 * apart): said plainly, with the nearest strikes each side and a wider window to show,
 * instead of an empty axis or, as before 2026-12, its neighbours' bars clipped at its
 * edges as if their strikes were in it. Compare's change charts say it of the strikes
 * that changed (`noun`: 'changed strike').
 */
export function NoStrikeInWindow(props: {
  spot: number;
  strikes: number[];
  share: number;
  onWiden(share: number): void;
  /** What the strikes are: 'strike' unless said. */
  noun?: string;
}) {
  const { spot, strikes, share } = props;
  const noun = props.noun ?? 'strike';
  const w = strikeWindow(spot, share);
  const below = strikes.filter((k) => k < w.lo).at(-1);
  const above = strikes.find((k) => k > w.hi);
  const nearest = [
    below !== undefined ? `${price(below)} below` : null,
    above !== undefined ? `${price(above)} above` : null,
  ].filter((x) => x !== null);
  const wider = widerWindow(spot, strikes, share);
  return (
    <div className="empty" role="status" data-testid="strike-window-empty">
      <p>
        No {noun} in the window {windowName(share)} ({price(w.lo)} to {price(w.hi)}, spot{' '}
        {spotPrice(spot)}). Nearest {nearest.length === 1 ? noun : `${noun}s`}: {nearest.join(', ')}
        .
      </p>
      <button
        type="button"
        className="btn small"
        onClick={() => props.onWiden(wider)}
        data-testid="strike-window-widen"
      >
        Show {windowName(wider)}
      </button>
    </div>
  );
}

export function StrikeChart(props: {
  underlying: string;
  rows: StrikeRows;
  measure: Measure;
  filter: ExpiryFilter;
  markers: Marker[];
  spot: number;
  /** Half the window around spot, as a share (0.1 = ± 10 %); 0 = all strikes. */
  windowShare: number;
  /** Sets the window (the view's select); without it the chart widens its own. */
  onWindowShare?(share: number): void;
  /** The snapshot shown, for the exports' names and identifying columns. */
  about?: ChartAbout;
  controls?: React.ReactNode;
  onDrawn?(): void;
  height?: number;
}) {
  const { underlying, rows, measure, filter, markers, spot } = props;
  // A window widened here, where the view has no select: until the view's window changes.
  const [own, setOwn] = useState<{ of: number; share: number } | null>(null);
  const windowShare = own && own.of === props.windowShare ? own.share : props.windowShare;
  const spec = useMemo(
    () => strikeSpec(underlying, rows, measure, filter, markers, props.about),
    [underlying, rows, measure, filter, markers, props.about],
  );
  const initial = windowAround(spot, windowShare);
  if (rows.strike.length === 0)
    return <div className="empty">No strikes in {filterLabel(filter)}.</div>;
  if (windowMissesAll(spot, rows.strike, windowShare))
    return (
      <NoStrikeInWindow
        spot={spot}
        strikes={rows.strike}
        share={windowShare}
        onWiden={(share) =>
          props.onWindowShare
            ? props.onWindowShare(share)
            : setOwn({ of: props.windowShare, share })
        }
      />
    );
  return (
    <Plot
      spec={spec}
      title={spec.label}
      testId="chart-strikes"
      initial={initial}
      controls={props.controls}
      onDrawn={props.onDrawn}
      height={props.height ?? 280}
    />
  );
}
