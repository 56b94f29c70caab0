// What a chart shows, in a sentence a screen reader reads (QA wb F1: a chart's only text
// was its title and its keys, so its content was heard only point by point): a bar or
// line chart along strikes, levels or expiries names each series' largest and most
// negative figure and where; a time series each series' first → last figure and its
// direction over the period; the board's sparklines their first → last total GEX; then
// the levels marked. Figures in the chart's own formats, units included. Over the whole
// data, not the zoom: it changes only when the data does. Pure: tests run it in Node.
import { plural } from '../../text/words.ts';
import type { PlotSpec, Series } from './layout.ts';

/** The first and last index with a figure, null when none has one. */
function ends(values: ArrayLike<number | null>): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (first < 0) first = i;
    last = i;
  }
  return first < 0 ? null : [first, last];
}

/** A move from `a` to `b` in words: "up 3.00 Bn …", "down 0.50", "unchanged". */
export function moveWords(a: number, b: number, format: (v: number) => string): string {
  if (b === a) return 'unchanged';
  return `${b > a ? 'up' : 'down'} ${format(Math.abs(b - a))}`;
}

/** A time series' line: "spot from 4,750.10 to 5,120.00, up 369.90". */
function trend(s: Series): string {
  const e = ends(s.values);
  if (!e) return `${s.label}: none`;
  const a = s.values[e[0]]!;
  const b = s.values[e[1]]!;
  if (e[0] === e[1]) return `${s.label} ${s.format(a)}`;
  return `${s.label} from ${s.format(a)} to ${s.format(b)}, ${moveWords(a, b, s.format)}`;
}

/** Along strikes, levels or expiries: "net GEX largest 3.00 Bn … at strike 4,800, most negative …". */
function extremes(spec: PlotSpec, s: Series): string {
  let hi = -1;
  let lo = -1;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (hi < 0 || v > s.values[hi]!) hi = i;
    if (lo < 0 || v < s.values[lo]!) lo = i;
  }
  if (hi < 0) return `${s.label}: none`;
  const at = (i: number) => `${spec.xTitle.toLowerCase()} ${spec.xFormat(spec.x[i]!)}`;
  const max = s.values[hi]!;
  const min = s.values[lo]!;
  const parts: string[] = [];
  if (max > 0) parts.push(`largest ${s.format(max)} at ${at(hi)}`);
  if (min < 0) parts.push(`most negative ${s.format(min)} at ${at(lo)}`);
  if (parts.length === 0) parts.push(`${s.format(0)} everywhere`);
  return `${s.label} ${parts.join(', ')}`;
}

/** The noun a chart's points are counted in: "strike", "expiry", "spot level", "snapshot". */
const pointNoun = (spec: PlotSpec) =>
  spec.xKind === 'time' ? 'snapshot' : spec.xTitle.toLowerCase();

/**
 * A chart's content in a few sentences: how many points over what, each series' figures,
 * the holes of a time series, the levels marked.
 */
export function chartSummary(spec: PlotSpec): string {
  const n = spec.x.length;
  if (n === 0) return 'No data.';
  let holes = 0;
  if (spec.xBreak !== undefined)
    for (let i = 1; i < n; i++) if (spec.x[i]! - spec.x[i - 1]! > spec.xBreak) holes++;
  const first = spec.xFormat(spec.x[0]!);
  const last = spec.xFormat(spec.x[n - 1]!);
  const count = plural(n, pointNoun(spec), pointNoun(spec) === 'expiry' ? 'expiries' : undefined);
  const span = n === 1 ? count : `${count}, ${first} to ${last}`;
  const lines = spec.series.map((s) => (spec.xKind === 'time' ? trend(s) : extremes(spec, s)));
  const out = [`${span}${holes ? ` (${plural(holes, 'hole')} of days with none)` : ''}.`];
  out.push(`${lines.join('; ')}.`);
  const marked = (spec.markers ?? []).map((m) => m.label);
  if (marked.length) out.push(`Marked: ${marked.join('; ')}.`);
  return out.join(' ');
}

/**
 * A sparkline's content: "from -8.98 Bn to 3.02 Bn over 5 snapshots, up 12.00 Bn" (its
 * holes are said by the board after it).
 */
export function sparkSummary(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return 'no snapshot';
  const a = values[0]!;
  const b = values[values.length - 1]!;
  if (values.length === 1) return `${format(a)}, one snapshot`;
  return `from ${format(a)} to ${format(b)} over ${plural(values.length, 'snapshot')}, ${moveWords(a, b, format)}`;
}

/**
 * A strike × expiry map's content: its size and strike range, its largest and most
 * negative cell and where ("largest cell 1.20 Bn … at strike 4,800, expiry 2024-01-19").
 */
export function gridSummary(
  g: { expiries: readonly string[]; strikes: readonly number[]; net: ArrayLike<number> },
  format: (v: number) => string,
  strike: (v: number) => string,
): string {
  const cols = g.strikes.length;
  if (g.expiries.length === 0 || cols === 0) return 'No cells.';
  let hi = -1;
  let lo = -1;
  for (let i = 0; i < g.net.length; i++) {
    const v = g.net[i]!;
    if (!Number.isFinite(v)) continue;
    if (hi < 0 || v > g.net[hi]!) hi = i;
    if (lo < 0 || v < g.net[lo]!) lo = i;
  }
  const size = `${plural(g.expiries.length, 'expiry', 'expiries')} × ${plural(cols, 'strike')}, ${strike(g.strikes[0]!)} to ${strike(g.strikes[cols - 1]!)}.`;
  if (hi < 0) return `${size} No cell has contracts.`;
  const at = (i: number) =>
    `strike ${strike(g.strikes[i % cols]!)}, expiry ${g.expiries[Math.floor(i / cols)]!}`;
  const parts: string[] = [];
  if (g.net[hi]! > 0) parts.push(`largest cell ${format(g.net[hi]!)} at ${at(hi)}`);
  if (g.net[lo]! < 0) parts.push(`most negative ${format(g.net[lo]!)} at ${at(lo)}`);
  if (parts.length === 0) parts.push(`every cell ${format(0)}`);
  return `${size} Net GEX ${parts.join('; ')}.`;
}
