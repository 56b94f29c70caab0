// The open snapshot's workbench: which exposure the by-strike chart shows, which
// expiries every chart keeps (all, a bucket, one expiry — the walls follow: the
// engine's per-bucket and per-expiry walls), the window around spot; then the charts
// by strike, by expiry, the strike × expiry heatmap and the gamma profile. The cells
// come for the window (SnapshotPanel asks for them); the by-strike chart under an expiry
// filter sums every strike's, asked for then. Marks `snapshot:drawn` once all are drawn
// (User Timing, read by the e2e speed check; SnapshotPanel marks `snapshot:data`).
import { useEffect, useMemo, useState } from 'react';
import type { SnapshotCells, SnapshotDetail } from '../../../../shared/api.ts';
import { snapshotAbout } from '../../components/plot/chart-about.ts';
import { useEngineZone } from '../../state/use-exchange-zone.ts';
import type { PlotSpec } from '../../components/plot/draw.ts';
import { Plot } from '../../components/plot/Plot.tsx';
import { radioGroup } from '../../components/one-of.ts';
import { price, spotPrice } from '../../text/numbers.ts';
import { GEX_UNIT, gexNumber, gexReadout, gexScale, gexTick, inScale } from '../../text/scale.ts';
import { ExpiryChart } from './ExpiryChart.tsx';
import { Heatmap } from './Heatmap.tsx';
import { levelMarkers, MARK, StrikeChart, StrikeWindowSelect } from './StrikeChart.tsx';
import {
  ALL,
  BUCKET_LABEL,
  levelsOf,
  measured,
  MEASURES,
  REINGEST,
  strikeRows,
  type ExpiryFilter,
  type Measure,
} from './snapshot-data.ts';
import { useCells } from './use-cells.ts';

function ProfileChart({ detail }: { detail: SnapshotDetail }) {
  const engineZone = useEngineZone();
  const spec = useMemo((): PlotSpec => {
    const p = detail.profile;
    const scale = gexScale(p.map((x) => x.gex));
    const s = detail.snapshot;
    return {
      label: `${s.underlying} gamma profile`,
      about: snapshotAbout(s, engineZone),
      x: p.map((x) => x.level),
      xTitle: 'Spot level',
      xFormat: price,
      xKind: 'number',
      yTitle: inScale(GEX_UNIT, scale),
      yTick: (v, step) => gexTick(v, scale, step),
      series: [
        {
          label: 'total GEX',
          values: p.map((x) => x.gex),
          kind: 'line',
          color: '#cfd8e3',
          unit: `USD, ${GEX_UNIT}`,
          format: (v) => gexReadout(v, scale, GEX_UNIT),
        },
      ],
      markers: [
        { x: s.spot, label: `spot ${spotPrice(s.spot)}`, color: MARK.spot, kind: 'spot' },
        ...(s.zero_gamma !== null
          ? [
              {
                x: s.zero_gamma,
                label: `flip ${price(s.zero_gamma)}`,
                color: MARK.flip,
                kind: 'flip',
              },
            ]
          : []),
      ],
      yZero: true,
    };
  }, [detail, engineZone]);
  if (detail.profile.length < 2) return <div className="empty">No profile.</div>;
  return (
    <Plot
      spec={spec}
      title={
        <>
          Gamma profile <span className="muted">(total GEX if spot moved to each level)</span>
        </>
      }
      testId="chart-profile"
      height={230}
    />
  );
}

function BucketWalls({ detail, filter }: { detail: SnapshotDetail; filter: ExpiryFilter }) {
  if (!detail.buckets) return <p className="muted note-reingest">Per-bucket walls: {REINGEST}.</p>;
  const scale = gexScale(detail.buckets.map((b) => b.net_gex));
  return (
    <table className="bucket-walls" data-testid="bucket-walls">
      <caption className="sr-only">Walls per expiry bucket</caption>
      <thead>
        <tr>
          <th scope="col">Bucket</th>
          <th scope="col" className="num" title={GEX_UNIT}>
            {inScale('Net GEX', scale)}
          </th>
          <th scope="col" className="num">
            Call wall
          </th>
          <th scope="col" className="num">
            Put wall
          </th>
        </tr>
      </thead>
      <tbody>
        {detail.buckets.map((b) => (
          <tr key={b.bucket} className={filter === b.bucket ? 'on' : ''} data-bucket={b.bucket}>
            <th scope="row">{BUCKET_LABEL[b.bucket]}</th>
            <td className={`num ${b.net_gex < 0 ? 'neg' : 'pos'}`}>
              {gexNumber(b.net_gex, scale)}
            </td>
            <td className="num">{price(b.call_wall)}</td>
            <td className="num">{price(b.put_wall)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SnapshotCharts({
  detail,
  cells,
  windowShare,
  onWindowShare,
}: {
  detail: SnapshotDetail;
  /** The cells of the window (every strike's when it is 0), null until they arrive. */
  cells: SnapshotCells | null;
  windowShare: number;
  onWindowShare(share: number): void;
}) {
  const [measure, setMeasure] = useState<Measure>('net');
  const [filter, setFilter] = useState<ExpiryFilter>(ALL);
  const s = detail.snapshot;
  const engineZone = useEngineZone();
  const about = useMemo(() => snapshotAbout(s, engineZone), [s, engineZone]);
  // Under an expiry filter the by-strike chart sums every strike's cells (its whole axis,
  // its abs γ strike): those of a window would not do.
  const every = useCells(s.id, filter !== ALL && windowShare !== 0 ? 0 : null);
  const sums = filter === ALL ? null : windowShare === 0 ? cells : every;
  const rows = useMemo(() => strikeRows(detail, sums, filter), [detail, sums, filter]);
  const levels = useMemo(() => levelsOf(detail, filter, rows), [detail, filter, rows]);
  const markers = useMemo(
    () => levelMarkers(s.spot, s.zero_gamma, levels, filter !== ALL),
    [s.spot, s.zero_gamma, levels, filter],
  );
  const needsV3 =
    (measure === 'dex' || measure === 'vex' || measure === 'cex') && !measured(detail);
  const buckets = [...new Set(detail.expiries.map((e) => e.bucket).filter((b) => b !== null))];

  useEffect(() => {
    if (!cells) return;
    const id = requestAnimationFrame(() => performance.mark('snapshot:drawn', { detail: s.id }));
    return () => cancelAnimationFrame(id);
  }, [cells, s.id]);

  const measures = radioGroup(
    MEASURES.map((m) => m.id),
    measure,
    setMeasure,
  );
  const controls = (
    <div className="wb-controls" role="group" aria-label="What the charts show">
      <div className="seg" {...measures.group} aria-label="Measure by strike">
        {MEASURES.map((m) => (
          <button
            key={m.id}
            {...measures.radio(m.id)}
            className={`chip text ${measure === m.id ? 'on' : ''}`}
            title={`${m.hint}, ${m.unit}`}
            data-measure={m.id}
            onClick={() => setMeasure(m.id)}
          >
            {m.label}
          </button>
        ))}
      </div>
      <label>
        Expiries{' '}
        <select
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="expiry-filter"
        >
          <option value={ALL}>All ({detail.expiries.length})</option>
          {(['0dte', 'weekly', 'monthly'] as const)
            .filter((b) => buckets.includes(b))
            .map((b) => (
              <option key={b} value={b}>
                {BUCKET_LABEL[b]} ({detail.expiries.filter((e) => e.bucket === b).length})
              </option>
            ))}
          <optgroup label="One expiry">
            {detail.expiries.map((e) => (
              <option key={e.expiry} value={e.expiry}>
                {e.expiry}
                {e.bucket ? ` · ${BUCKET_LABEL[e.bucket]}` : ''}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <StrikeWindowSelect value={windowShare} onChange={onWindowShare} testId="strike-window" />
      <span className="wb-levels muted" data-testid="filter-levels">
        {levels.source}: call wall <b className="pos">{price(levels.callWall)}</b> · put wall{' '}
        <b className="neg">{price(levels.putWall)}</b> · abs γ strike{' '}
        <b>{measured(detail) ? price(levels.absGamma) : REINGEST}</b>
        {filter !== ALL && s.zero_gamma !== null && (
          <> · flip {price(s.zero_gamma)} (of all expiries: the chain's gamma profile)</>
        )}
      </span>
    </div>
  );

  return (
    <div className="workbench" data-testid="snapshot-workbench">
      {controls}
      {filter !== ALL && !sums && <p className="muted">Loading the cells of each expiry…</p>}
      <div className="wb-grid">
        <div className="chart-box wide">
          {needsV3 ? (
            <div className="empty" data-testid="reingest-note">
              {MEASURES.find((m) => m.id === measure)!.label} by strike: {REINGEST} (stored before
              schema version 3).
            </div>
          ) : (
            <StrikeChart
              underlying={s.underlying}
              about={about}
              rows={rows}
              measure={measure}
              filter={filter}
              markers={markers}
              spot={s.spot}
              windowShare={windowShare}
              onWindowShare={onWindowShare}
            />
          )}
        </div>
        <div className="chart-box">
          <ExpiryChart detail={detail} measure={needsV3 ? 'net' : measure} filter={filter} />
          <BucketWalls detail={detail} filter={filter} />
        </div>
        <div className="chart-box">
          <ProfileChart detail={detail} />
        </div>
        <div className="chart-box wide">
          {cells ? (
            <Heatmap detail={detail} cells={cells} filter={filter} windowShare={windowShare} />
          ) : (
            <div className="empty">Loading the strike × expiry cells…</div>
          )}
        </div>
      </div>
    </div>
  );
}
