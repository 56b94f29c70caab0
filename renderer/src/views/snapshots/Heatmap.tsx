// Net GEX of each strike × expiry cell (the engine's cells, `snapshots:cells`): expiries
// down (the filter's), strikes across (a window around spot, zoomable), green for
// positive and red for negative, the strength on a square-root scale so that small
// cells still show next to the largest. A cursor cell moves with the mouse or the arrow
// keys and reads out exactly (an interactive chart to a screen reader, described by its
// largest and most negative cells: chart-summary.ts); PNG and CSV export what is shown.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SnapshotCells, SnapshotDetail } from '../../../../shared/api.ts';
import { columnLabels } from '../../components/plot/column-labels.ts';
import { gridSummary } from '../../components/plot/chart-summary.ts';
import { snapshotAbout } from '../../components/plot/chart-about.ts';
import { useEngineZone } from '../../state/use-exchange-zone.ts';
import { csvText, downloadCsv, downloadPng } from '../../components/plot/chart-export.ts';
import { ExportButtons } from '../../components/plot/ExportButtons.tsx';
import { useBoxWidth } from '../../hooks.ts';
import { DASH, price } from '../../text/numbers.ts';
import { GEX_UNIT, gex, gexReadout, snapshotScale } from '../../text/scale.ts';
import { windowAround } from './StrikeChart.tsx';
import {
  BUCKET_COLOR,
  BUCKET_LABEL,
  filterLabel,
  inFilter,
  type ExpiryFilter,
} from './snapshot-data.ts';

const M = { top: 6, right: 12, bottom: 34, left: 118 };

interface Grid {
  expiries: string[];
  strikes: number[];
  /** net[row * strikes.length + col]; NaN where there is no cell. */
  net: Float64Array;
  max: number;
}

function grid(
  detail: SnapshotDetail,
  cells: SnapshotCells,
  filter: ExpiryFilter,
  lo: number,
  hi: number,
): Grid {
  const take = inFilter(detail, filter);
  const rowOf = new Map<number, number>();
  const expiries: string[] = [];
  cells.expiries.forEach((e, i) => {
    if (take(e)) {
      rowOf.set(i, expiries.length);
      expiries.push(e);
    }
  });
  const colOf = new Map<number, number>();
  const strikes: number[] = [];
  cells.strikes.forEach((s, i) => {
    if (s >= lo && s <= hi) {
      colOf.set(i, strikes.length);
      strikes.push(s);
    }
  });
  const net = new Float64Array(expiries.length * strikes.length).fill(NaN);
  let max = 0;
  for (let i = 0; i < cells.net_gex.length; i++) {
    const r = rowOf.get(cells.expiry_index[i]!);
    const c = colOf.get(cells.strike_index[i]!);
    if (r === undefined || c === undefined) continue;
    const v = cells.net_gex[i]!;
    net[r * strikes.length + c] = v;
    max = Math.max(max, Math.abs(v));
  }
  return { expiries, strikes, net, max };
}

const LEVELS = 40;
/** The colour of a cell's strength level: -LEVELS..LEVELS (0: an empty or zero cell). */
function levelColor(level: number): string {
  const t = Math.abs(level) / LEVELS;
  const [r, g, b] = level >= 0 ? [63, 191, 127] : [240, 96, 93];
  const mix = (c: number) => Math.round(22 + (c - 22) * t);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}
const levelOf = (v: number, max: number) =>
  max > 0 ? Math.round(Math.sign(v) * Math.sqrt(Math.abs(v) / max) * LEVELS) : 0;

function draw(
  ctx: CanvasRenderingContext2D,
  g: Grid,
  detail: SnapshotDetail,
  w: number,
  h: number,
  cur: [number, number] | null,
) {
  ctx.fillStyle = '#0b0e12';
  ctx.fillRect(0, 0, w, h);
  const rows = g.expiries.length;
  const cols = g.strikes.length;
  if (!rows || !cols) return;
  const cw = (w - M.left - M.right) / cols;
  const rh = (h - M.top - M.bottom) / rows;
  // Cells grouped by colour level: one fillStyle per level, not per cell.
  const byLevel = new Map<number, number[]>();
  for (let k = 0; k < rows * cols; k++) {
    const v = g.net[k]!;
    if (!Number.isFinite(v)) continue;
    const level = levelOf(v, g.max);
    let list = byLevel.get(level);
    if (!list) byLevel.set(level, (list = []));
    list.push(k);
  }
  ctx.fillStyle = '#0f1318';
  ctx.fillRect(M.left, M.top, cols * cw, rows * rh);
  for (const [level, list] of byLevel) {
    ctx.fillStyle = levelColor(level);
    for (const k of list) {
      const r = Math.floor(k / cols);
      const c = k - r * cols;
      ctx.fillRect(M.left + c * cw, M.top + r * rh, Math.ceil(cw), Math.ceil(rh));
    }
  }
  const bucket = new Map(detail.expiries.map((e) => [e.expiry, e.bucket]));
  ctx.font = '10.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  ctx.textBaseline = 'middle';
  const every = Math.max(1, Math.ceil(13 / rh));
  for (let r = 0; r < rows; r += every) {
    const b = bucket.get(g.expiries[r]!);
    ctx.fillStyle = b ? BUCKET_COLOR[b] : '#a9b3c0';
    ctx.fillRect(M.left - 8, M.top + r * rh + rh / 2 - 2, 4, 4);
    ctx.fillStyle = '#a9b3c0';
    ctx.textAlign = 'right';
    ctx.fillText(g.expiries[r]!, M.left - 12, M.top + r * rh + rh / 2);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  // One column per strike, however far apart: each label over its own strike's column.
  const labels = columnLabels(g.strikes, {
    format: price,
    measure: (t) => ctx.measureText(t).width,
    left: M.left,
    columnWidth: cw,
    width: w,
    gap: 40,
  });
  for (const l of labels) ctx.fillText(l.text, l.x, h - M.bottom + 6);
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.fillText('Strike', (M.left + w - M.right) / 2, h - M.bottom + 20);
  if (cur) {
    ctx.strokeStyle = '#e9eef5';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(M.left + cur[1] * cw, M.top + cur[0] * rh, Math.max(2, cw), Math.max(2, rh));
    ctx.lineWidth = 1;
  }
}

export function Heatmap({
  detail,
  cells,
  filter,
  windowShare,
}: {
  detail: SnapshotDetail;
  cells: SnapshotCells;
  filter: ExpiryFilter;
  windowShare: number;
}) {
  const engineZone = useEngineZone();
  const spot = detail.snapshot.spot;
  const all: [number, number] = [cells.strikes[0] ?? 0, cells.strikes.at(-1) ?? 1];
  const around = windowAround(spot, windowShare);
  const start: [number, number] = around ? [around.lo, around.hi] : all;
  const [win, setWin] = useState(start);
  const [key, setKey] = useState(`${start}`);
  if (key !== `${start}`) {
    setKey(`${start}`);
    setWin(start);
  }
  const g = useMemo(
    () => grid(detail, cells, filter, win[0], win[1]),
    [detail, cells, filter, win],
  );
  const [cur, setCur] = useState<[number, number] | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [box, width] = useBoxWidth();
  const height = Math.max(200, Math.min(340, 40 + g.expiries.length * 7));
  const c0 = cur && cur[0] < g.expiries.length && cur[1] < g.strikes.length ? cur : null;

  useLayoutEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !width) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw(ctx, g, detail, width, height, c0);
  }, [g, detail, width, height, c0]);

  const zoom = (f: number) => {
    const mid = c0 ? g.strikes[c0[1]]! : (win[0] + win[1]) / 2;
    const half = ((win[1] - win[0]) * f) / 2;
    setWin([Math.max(all[0], mid - half), Math.min(all[1], mid + half)]);
  };
  // Wheel zoom on a non-passive listener, so that the page does not scroll meanwhile.
  const zoomRef = useRef(zoom);
  useLayoutEffect(() => {
    zoomRef.current = zoom;
  });
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      zoomRef.current(e.deltaY < 0 ? 0.8 : 1.25);
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const [r, c] = c0 ?? [0, Math.floor(g.strikes.length / 2)];
    const move: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
    };
    if (move[e.key]) {
      e.preventDefault();
      const [nr, nc] = move[e.key]!;
      setCur([
        Math.max(0, Math.min(g.expiries.length - 1, nr)),
        Math.max(0, Math.min(g.strikes.length - 1, nc)),
      ]);
    } else if (e.key === '+' || e.key === '=') zoom(0.8);
    else if (e.key === '-' || e.key === '_') zoom(1.25);
    else if (e.key === '0' || e.key === 'Escape') setWin(start);
  };
  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(
      ((e.clientX - rect.left - M.left) / (width - M.left - M.right)) * g.strikes.length,
    );
    const r = Math.floor(
      ((e.clientY - rect.top - M.top) / (height - M.top - M.bottom)) * g.expiries.length,
    );
    if (r >= 0 && c >= 0 && r < g.expiries.length && c < g.strikes.length) setCur([r, c]);
  };
  const bucketOf = (e: string) => detail.expiries.find((x) => x.expiry === e)?.bucket;
  const scale = snapshotScale(detail.snapshot);
  const readout = c0
    ? (() => {
        const e = g.expiries[c0[0]]!;
        const b = bucketOf(e);
        const v = g.net[c0[0] * g.strikes.length + c0[1]]!;
        return `Expiry ${e}${b ? ` (${BUCKET_LABEL[b]})` : ''}, strike ${price(g.strikes[c0[1]]!)}: net GEX ${Number.isFinite(v) ? gexReadout(v, scale, GEX_UNIT) : `${DASH} (no contracts)`}`;
      })()
    : 'Move over the map, or focus it and use the arrow keys, to read a cell.';
  const label = `${detail.snapshot.underlying} net GEX by strike and expiry, ${filterLabel(filter)}`;
  const summary = useMemo(
    () => gridSummary(g, (v) => gexReadout(v, snapshotScale(detail.snapshot), GEX_UNIT), price),
    [g, detail.snapshot],
  );
  const about = snapshotAbout(detail.snapshot, engineZone);
  const exportCsv = () => {
    const rows: (string | number)[][] = [];
    g.expiries.forEach((e, r) =>
      g.strikes.forEach((s, c) => {
        const v = g.net[r * g.strikes.length + c]!;
        if (Number.isFinite(v)) rows.push([e, s, v]);
      }),
    );
    downloadCsv(
      label,
      csvText(
        ['Expiry', 'Strike', `net GEX (USD, ${GEX_UNIT})`, ...about.columns.map((c) => c.title)],
        rows.map((r) => [...r, ...about.columns.map((c) => c.value(0))]),
      ),
      about,
    );
  };
  const exportPng = () =>
    downloadPng(label, width, height, (ctx) => draw(ctx, g, detail, width, height, null), about);

  return (
    <div className="plot" data-testid="chart-heatmap">
      <div className="plot-head">
        <span className="chart-title">{label}</span>
        <span className="legend">
          <span>
            <i style={{ background: '#3fbf7f' }} /> positive
          </span>
          <span>
            <i style={{ background: '#f0605d' }} /> negative
          </span>
          <span className="muted">strength √|GEX|, largest cell {gex(g.max, scale)}</span>
        </span>
        <span className="spacer" />
        <ExportButtons label={label} testId="chart-heatmap" png={exportPng} csv={exportCsv} />
      </div>
      <div className="plot-box" ref={box} style={{ height }}>
        <canvas
          ref={canvas}
          style={{ width: width || undefined, height }}
          tabIndex={0}
          role="application"
          aria-roledescription="interactive chart"
          aria-label={`${label}. Arrow keys move between cells, plus and minus zoom the strikes, 0 resets.`}
          aria-describedby="chart-heatmap-summary chart-heatmap-readout"
          onKeyDown={onKeyDown}
          onFocus={() => !c0 && g.expiries.length && setCur([0, Math.floor(g.strikes.length / 2)])}
          onPointerMove={at}
        />
      </div>
      <p className="sr-only" id="chart-heatmap-summary" data-testid="chart-heatmap-summary">
        {summary}
      </p>
      <div className="plot-readout muted" id="chart-heatmap-readout" aria-live="polite">
        {readout}
      </div>
    </div>
  );
}
