// Labels for an axis of equal-width columns, one column per value (the heatmap's strikes,
// 5 apart near spot and up to 2,000 apart far out): placed by the value's column, not by
// the value, so that each label names the column under it however uneven the values.
// The roundest values are labelled first; a label that would come closer than `gap` to
// one already placed, or stick out past the canvas, is left out.

export interface ColumnLabel {
  /** The column's index. */
  index: number;
  text: string;
  /** The label's centre: the column's centre. */
  x: number;
}

interface Opts {
  format(v: number): string;
  /** Width of a label's text, in pixels. */
  measure(text: string): number;
  /** Where the first column starts, and each column's width. */
  left: number;
  columnWidth: number;
  /** The canvas's width: no label goes past 0 or this. */
  width: number;
  /** The least room between two labels. */
  gap: number;
}

const STEPS = [5, 2.5, 2, 1];

/** How round a value is: the largest 1, 2, 2.5 or 5 × 10ⁿ it is a whole multiple of. */
export function roundness(v: number): number {
  if (v === 0) return Infinity;
  for (let e = Math.floor(Math.log10(Math.abs(v))); e >= -6; e--) {
    for (const m of STEPS) {
      const q = v / (m * 10 ** e);
      if (Math.abs(q - Math.round(q)) < 1e-6) return m * 10 ** e;
    }
  }
  return 0;
}

/** The largest 1, 2, 2.5 or 5 × 10ⁿ not above `v` (0 for none). */
function roundDown(v: number): number {
  if (!(v > 0)) return 0;
  const e = Math.floor(Math.log10(v));
  return STEPS.map((m) => m * 10 ** e).find((s) => s <= v) ?? 0;
}

/** Labels for ascending `values`, left to right. */
export function columnLabels(values: readonly number[], opts: Opts): ColumnLabel[] {
  const ranked = values.map((v, i) => ({ i, r: roundness(v) }));
  // Where the values are densest (most columns are), a label has room every `per` columns:
  // values less round than what that many columns span there are left out ("4,675" among
  // hundreds), unless fewer than two labels remain.
  const per = (opts.measure(opts.format(values.at(-1) ?? 0)) + opts.gap) / opts.columnWidth;
  const gaps = values.slice(1).map((v, i) => v - values[i]!);
  const typical = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
  const least = roundDown(typical * per);
  const round = place(
    values,
    ranked.filter((x) => x.r >= least),
    opts,
  );
  return round.length >= 2 ? round : place(values, ranked, opts);
}

function place(
  values: readonly number[],
  ranked: { i: number; r: number }[],
  { format, measure, left, columnWidth, width, gap }: Opts,
): ColumnLabel[] {
  const placed: { lo: number; hi: number }[] = [];
  const out: ColumnLabel[] = [];
  for (const { i } of ranked.sort((a, b) => b.r - a.r || a.i - b.i)) {
    const text = format(values[i]!);
    const x = left + (i + 0.5) * columnWidth;
    const half = measure(text) / 2;
    const lo = x - half;
    const hi = x + half;
    if (lo < 0 || hi > width) continue;
    if (placed.some((p) => lo < p.hi + gap && hi > p.lo - gap)) continue;
    placed.push({ lo, hi });
    out.push({ index: i, text, x });
  }
  return out.sort((a, b) => a.index - b.index);
}
