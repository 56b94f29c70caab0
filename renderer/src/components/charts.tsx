// The two snapshot charts in plain SVG (no chart dependency): net GEX by strike as
// bars with spot and the walls marked, and the gamma profile as a line with the
// zero-gamma level marked. Both fit the width of their box; each axis is in one GEX
// scale, named along the axis with the unit ($ per 1 % move).
import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { GammaProfilePoint, GEXStrike } from '../../../shared/domain.ts';
import { price } from '../text/numbers.ts';
import { GEX_UNIT, gex, gexScale, gexTick, type GexScale } from '../text/scale.ts';

const M = { top: 14, right: 14, bottom: 28, left: 64 };

/** The size of the chart's box: charts fill the space the layout gives them. */
function useSize<T extends HTMLElement>(): [RefObject<T | null>, number, number] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 600, height: 260 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const width = Math.max(240, Math.floor(entry.contentRect.width));
      const height = Math.max(200, Math.floor(entry.contentRect.height));
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size.width, size.height];
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function Frame({
  width,
  height,
  label,
  children,
}: {
  width: number;
  height: number;
  label: string;
  children: ReactNode;
}) {
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="chart"
      role="img"
      aria-label={label}
    >
      {children}
    </svg>
  );
}

function YAxis({
  y,
  lo,
  hi,
  width,
  height,
  scale,
}: {
  y: (v: number) => number;
  lo: number;
  hi: number;
  width: number;
  height: number;
  scale: GexScale;
}) {
  const values = ticks(lo, hi, Math.max(4, Math.floor(height / 60)));
  const step = values.length > 1 ? values[1]! - values[0]! : Math.abs(hi - lo);
  const mid = (M.top + height - M.bottom) / 2;
  return (
    <g className="axis">
      {values.map((t) => (
        <g key={t}>
          <line
            x1={M.left}
            x2={width - M.right}
            y1={y(t)}
            y2={y(t)}
            className={t === 0 ? 'zero' : 'grid'}
          />
          <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
            {gexTick(t, scale, step)}
          </text>
        </g>
      ))}
      <text
        className="axis-title"
        transform={`translate(11 ${mid}) rotate(-90)`}
        textAnchor="middle"
      >
        {`${GEX_UNIT}, ${scale.unit}`}
      </text>
    </g>
  );
}

function XAxis({
  x,
  lo,
  hi,
  count,
  height,
}: {
  x: (v: number) => number;
  lo: number;
  hi: number;
  count: number;
  height: number;
}) {
  return (
    <g className="axis">
      {ticks(lo, hi, count).map((t) => (
        <text key={t} x={x(t)} y={height - M.bottom + 16} textAnchor="middle">
          {price(t)}
        </text>
      ))}
    </g>
  );
}

function Marker({
  x,
  label,
  cls,
  height,
  row = 0,
}: {
  x: number;
  label: string;
  cls: string;
  height: number;
  row?: number;
}) {
  return (
    <g className={`marker ${cls}`}>
      <line x1={x} x2={x} y1={M.top} y2={height - M.bottom} />
      <text x={x + 4} y={M.top + 10 + row * 12}>
        {label}
      </text>
    </g>
  );
}

export function GexByStrikeChart({
  strikes,
  spot,
  callWall,
  putWall,
}: {
  strikes: GEXStrike[];
  spot: number;
  callWall: number | null;
  putWall: number | null;
}) {
  const [ref, width, height] = useSize<HTMLDivElement>();
  const near = strikes.filter((s) => s.strike >= spot * 0.85 && s.strike <= spot * 1.15);
  const data = (near.length > 0 ? near : strikes).slice().sort((a, b) => a.strike - b.strike);
  if (data.length === 0) return <div className="empty">No strikes.</div>;

  const xlo = Math.min(data[0]!.strike, spot);
  const xhi = Math.max(data[data.length - 1]!.strike, spot);
  const pad = (xhi - xlo) * 0.01 || 1;
  const x = (v: number) =>
    M.left + ((v - xlo + pad) / (xhi - xlo + 2 * pad)) * (width - M.left - M.right);
  let ylo = Math.min(0, ...data.map((d) => d.net_gex));
  let yhi = Math.max(0, ...data.map((d) => d.net_gex));
  if (ylo === yhi) [ylo, yhi] = [-1, 1];
  const y = (v: number) => M.top + ((yhi - v) / (yhi - ylo)) * (height - M.top - M.bottom);
  const scale = gexScale([ylo, yhi]);
  // Bar width from the smallest strike spacing, at least one pixel.
  let gap = Infinity;
  for (let i = 1; i < data.length; i++) gap = Math.min(gap, data[i]!.strike - data[i - 1]!.strike);
  const bw = Math.max(1, Math.min(14, (Number.isFinite(gap) ? x(xlo + gap) - x(xlo) : 8) * 0.8));

  return (
    <div ref={ref} className="chart-wrap" data-testid="chart-strikes">
      <Frame
        width={width}
        height={height}
        label={`Net GEX by strike, ${GEX_UNIT}, in ${scale.unit}`}
      >
        <YAxis y={y} lo={ylo} hi={yhi} width={width} height={height} scale={scale} />
        <XAxis
          x={x}
          lo={xlo}
          hi={xhi}
          count={Math.max(3, Math.floor(width / 70))}
          height={height}
        />
        {data.map((d) => (
          <rect
            key={d.strike}
            className={d.net_gex < 0 ? 'bar neg' : 'bar pos'}
            x={x(d.strike) - bw / 2}
            width={bw}
            y={Math.min(y(d.net_gex), y(0))}
            height={Math.max(0.5, Math.abs(y(d.net_gex) - y(0)))}
          >
            <title>{`strike ${price(d.strike)}: net ${gex(d.net_gex, scale)} (calls ${gex(d.call_gex, scale)}, puts ${gex(d.put_gex, scale)}), ${GEX_UNIT}`}</title>
          </rect>
        ))}
        <Marker height={height} x={x(spot)} label={`spot ${price(spot)}`} cls="spot" />
        {callWall !== null && callWall >= xlo && callWall <= xhi && (
          <Marker
            height={height}
            x={x(callWall)}
            label={`call wall ${price(callWall)}`}
            cls="call-wall"
            row={1}
          />
        )}
        {putWall !== null && putWall >= xlo && putWall <= xhi && (
          <Marker
            height={height}
            x={x(putWall)}
            label={`put wall ${price(putWall)}`}
            cls="put-wall"
            row={2}
          />
        )}
      </Frame>
    </div>
  );
}

export function ProfileChart({
  profile,
  spot,
  zeroGamma,
}: {
  profile: GammaProfilePoint[];
  spot: number;
  zeroGamma: number | null;
}) {
  const [ref, width, height] = useSize<HTMLDivElement>();
  const data = profile.slice().sort((a, b) => a.level - b.level);
  if (data.length < 2) return <div className="empty">No profile.</div>;
  const xlo = data[0]!.level;
  const xhi = data[data.length - 1]!.level;
  const x = (v: number) => M.left + ((v - xlo) / (xhi - xlo || 1)) * (width - M.left - M.right);
  let ylo = Math.min(0, ...data.map((d) => d.gex));
  let yhi = Math.max(0, ...data.map((d) => d.gex));
  if (ylo === yhi) [ylo, yhi] = [-1, 1];
  const y = (v: number) => M.top + ((yhi - v) / (yhi - ylo)) * (height - M.top - M.bottom);
  const line = data
    .map((d, i) => `${i ? 'L' : 'M'}${x(d.level).toFixed(1)},${y(d.gex).toFixed(1)}`)
    .join('');
  const scale = gexScale([ylo, yhi]);
  const area = `${line}L${x(xhi).toFixed(1)},${y(0).toFixed(1)}L${x(xlo).toFixed(1)},${y(0).toFixed(1)}Z`;

  return (
    <div ref={ref} className="chart-wrap" data-testid="chart-profile">
      <Frame
        width={width}
        height={height}
        label={`Gamma profile: total GEX, ${GEX_UNIT}, in ${scale.unit}, at each spot level`}
      >
        <defs>
          <clipPath id="above">
            <rect x={0} y={0} width={width} height={y(0)} />
          </clipPath>
          <clipPath id="below">
            <rect x={0} y={y(0)} width={width} height={height} />
          </clipPath>
        </defs>
        <YAxis y={y} lo={ylo} hi={yhi} width={width} height={height} scale={scale} />
        <XAxis
          x={x}
          lo={xlo}
          hi={xhi}
          count={Math.max(3, Math.floor(width / 70))}
          height={height}
        />
        <path d={area} className="area pos" clipPath="url(#above)" />
        <path d={area} className="area neg" clipPath="url(#below)" />
        <path d={line} className="line" />
        {spot >= xlo && spot <= xhi && (
          <Marker height={height} x={x(spot)} label={`spot ${price(spot)}`} cls="spot" />
        )}
        {zeroGamma !== null && zeroGamma >= xlo && zeroGamma <= xhi && (
          <g data-testid="zero-gamma-marker">
            <Marker
              height={height}
              x={x(zeroGamma)}
              label={`zero γ ${price(zeroGamma)}`}
              cls="zero-gamma"
              row={1}
            />
            <circle cx={x(zeroGamma)} cy={y(0)} r={3.5} className="zero-dot" />
          </g>
        )}
      </Frame>
    </div>
  );
}
