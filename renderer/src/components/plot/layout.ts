// A chart's spec and where its figures go: the window of a zoom, the y range, value →
// pixel. Free of the DOM (draw.ts draws), so that node tests and typechecks read it.
import type { ChartAbout } from './chart-about.ts';

export interface Series {
  label: string;
  /** One value per x (null: none there). */
  values: ArrayLike<number | null>;
  kind: 'bar' | 'line';
  color: string;
  /** The unit of the raw values (the CSV's header). */
  unit: string;
  /** A bar's own colour (by sign, or by bucket). */
  colorAt?: (i: number, v: number) => string;
  /** The value as the readout and the CSV give it, exact and with its unit. */
  format(v: number): string;
}

export interface Marker {
  x: number;
  label: string;
  color: string;
  /** What it marks (spot, flip, call-wall, put-wall, abs-gamma, replay). */
  kind?: string;
}

export interface PlotSpec {
  /** What the chart shows: its accessible name and the export's file name. */
  label: string;
  /** Ascending. */
  x: ArrayLike<number>;
  /** What x is, before a position in the readout ("As of 2024-01-07 10:52:00 UTC−5"). */
  xTitle: string;
  /** The axis's title when it says more than the readout's `xTitle` (History's zone). */
  xAxisTitle?: string;
  /** A position as a label (a strike, a time, an expiry). */
  xFormat(v: number): string;
  /** A tick's label, given the previous tick's value (default: xFormat). */
  xTickFormat?(v: number, previous: number | null): string;
  /** `time`: x is epoch ms; `category`: x is 0..n-1 and every label is a category. */
  xKind: 'number' | 'time' | 'category';
  /**
   * How the CSV writes a position when one label holds several things (an expiry and its
   * bucket): a column each, for a spreadsheet. Default: one column, `xTitle`.
   */
  xColumns?: { titles: string[]; values(v: number): (string | number | null)[] };
  yTitle: string;
  yTick(v: number, step: number): string;
  series: Series[];
  markers?: Marker[];
  /** The y axis always shows 0 (bars). */
  yZero?: boolean;
  /** Time series: a line breaks between two points further apart than this (gaps.ts). */
  xBreak?: number;
  /** Time axes: the data's offset (minutes east of UTC), so that ticks fall on its round hours. */
  xOffsetMin?: number;
  /** Whose figures these are: the export's file name, the PNG's title line, the CSV's last columns. */
  about?: ChartAbout;
}

export interface Window {
  lo: number;
  hi: number;
}

/** `left` is the least left margin: a y axis of wide tick labels takes more (plotLeft). */
export const MARGIN = { top: 8, right: 14, bottom: 34, left: 70 };

/** Between the y tick labels' right end and the plot; between the y title and the widest. */
export const TICK_PAD = 6;
export const Y_TITLE_GAP = 8;

/**
 * The plot's left edge: the y axis's title (its right end at `titleRight`), a gap, the
 * widest tick label as measured, and the ticks' pad — never less than MARGIN.left. A
 * fixed margin let "Contracts" touch "-100,000" (QA wb F4).
 */
export function plotLeft(widestTick: number, titleRight: number): number {
  return Math.max(MARGIN.left, Math.ceil(titleRight + Y_TITLE_GAP + widestTick + TICK_PAD));
}

/** A rectangle on the canvas (CSS px): a level's label with its padding. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const boxesMeet = (a: Box, b: Box): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * A reference level's dashed line at `x`, as [y0, y1] segments: from its own label's top
 * (`top`) down to `bottom`, stopping short of every label box it would pass through, so
 * that no line runs through the text of a label stacked beside it (QA wb F4).
 */
export function levelLine(
  x: number,
  top: number,
  boxes: Box[],
  bottom: number,
): [number, number][] {
  const cuts = boxes
    .filter((b) => x + 0.5 > b.x && x - 0.5 < b.x + b.w && b.y + b.h > top && b.y < bottom)
    .map((b) => [b.y - 1, b.y + b.h + 1] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let y = top;
  for (const [a, b] of cuts) {
    if (a > y) out.push([y, a]);
    y = Math.max(y, b);
  }
  if (y < bottom) out.push([y, bottom]);
  return out;
}

/** First index with x ≥ v. */
export function lowerBound(x: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the x nearest to v. */
export function nearest(x: ArrayLike<number>, v: number): number {
  const i = lowerBound(x, v);
  if (i <= 0) return 0;
  if (i >= x.length) return x.length - 1;
  return v - x[i - 1]! <= x[i]! - v ? i - 1 : i;
}

/** The full extent of x, padded so that the outer bars show whole. */
export function fullWindow(spec: PlotSpec): Window {
  const n = spec.x.length;
  if (n === 0) return { lo: 0, hi: 1 };
  const lo = spec.x[0]!;
  const hi = spec.x[n - 1]!;
  // One point alone: half an hour either side on a time axis (so that its time has a
  // tick), one unit on a number axis.
  const alone = spec.xKind === 'time' ? 1_800_000 : 1;
  const pad = spec.xKind === 'category' ? 0.6 : n > 1 ? ((hi - lo) / (n - 1)) * 0.6 : alone;
  return { lo: lo - pad, hi: hi + pad };
}

export interface Layout {
  /** x value → pixel, and back. */
  px(v: number): number;
  xv(px: number): number;
  py(v: number): number;
  /** The indexes drawn: [from, to). */
  from: number;
  to: number;
  ylo: number;
  yhi: number;
  /** Every value shown is 0 (or none is shown): the y axis has nothing to scale but 0. */
  flat: boolean;
  /** The plot's left edge (plotLeft). */
  left: number;
}

export type YRange = Pick<Layout, 'from' | 'to' | 'ylo' | 'yhi' | 'flat'>;

/** x value → pixel (it does not depend on the data, so labels can be placed before it). */
export function xPixel(win: Window, width: number, left = MARGIN.left): (v: number) => number {
  const span = win.hi - win.lo || 1;
  const w = width - left - MARGIN.right;
  return (v) => left + ((v - win.lo) / span) * w;
}

/**
 * Where a reference level's label starts: right of its line at `x`, or left of it where
 * it would pass the plot's right edge (a "replay" at the newest point, never cut to "rep").
 */
export function labelLeft(x: number, w: number, left: number, right: number): number {
  return x + 3 + w > right && x - 3 - w >= left ? x - 3 - w : x + 3;
}

/**
 * A line's value at `v` between its two neighbouring points, when both have a value (the
 * line is drawn between them); null outside x's extent, on a point, or across a gap.
 */
export function lineAt(
  x: ArrayLike<number>,
  values: ArrayLike<number | null>,
  v: number,
  breakOver = Infinity,
): number | null {
  const i = lowerBound(x, v);
  if (i <= 0 || i >= x.length || x[i] === v) return null;
  const a = values[i - 1];
  const b = values[i];
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const x0 = x[i - 1]!;
  const x1 = x[i]!;
  if (x1 - x0 > breakOver) return null;
  return a + ((b - a) * (v - x0)) / (x1 - x0);
}

/**
 * `top`: where the data's highest value is drawn — below the rows of marker labels, so
 * that no label covers a bar or a line's peak. `left`: the plot's left edge (plotLeft).
 */
export function layout(
  spec: PlotSpec,
  win: Window,
  width: number,
  height: number,
  top = MARGIN.top,
  left = MARGIN.left,
): Layout {
  const { from, to, ylo, yhi, flat } = yRange(spec, win);
  const w = width - left - MARGIN.right;
  const h = height - top - MARGIN.bottom;
  const span = win.hi - win.lo || 1;
  return {
    px: xPixel(win, width, left),
    xv: (p) => win.lo + ((p - left) / w) * span,
    py: (v) => top + ((yhi - v) / (yhi - ylo)) * h,
    from,
    to,
    ylo,
    yhi,
    flat,
    left,
  };
}

/** The indexes in a window and the y range that holds them (it depends on neither margin). */
export function yRange(spec: PlotSpec, win: Window): YRange {
  const { x } = spec;
  const from = lowerBound(x, win.lo);
  const to = lowerBound(x, win.hi + 1e-9 * Math.abs(win.hi));
  let ylo = spec.yZero ? 0 : Infinity;
  let yhi = spec.yZero ? 0 : -Infinity;
  const take = (v: number) => {
    if (v < ylo) ylo = v;
    if (v > yhi) yhi = v;
  };
  for (const s of spec.series) {
    for (let i = from; i < to; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      take(v);
    }
    // A line runs on to its points outside a zoomed window: its value where it crosses
    // each edge is drawn too, so the range holds it (else it leaves the plot, clipped).
    if (s.kind === 'line') {
      for (const edge of [win.lo, win.hi]) {
        const v = lineAt(x, s.values, edge, spec.xBreak);
        if (v !== null) take(v);
      }
    }
  }
  const flat = !Number.isFinite(ylo) || (ylo === 0 && yhi === 0);
  if (!Number.isFinite(ylo)) [ylo, yhi] = [-1, 1];
  if (ylo === yhi)
    [ylo, yhi] = ylo === 0 ? [-1, 1] : [ylo - Math.abs(ylo) * 0.05, yhi + Math.abs(yhi) * 0.05];
  const padY = (yhi - ylo) * 0.06;
  if (!spec.yZero || ylo < 0) ylo -= padY;
  if (!spec.yZero || yhi > 0) yhi += padY;
  return { from, to, ylo, yhi, flat };
}
