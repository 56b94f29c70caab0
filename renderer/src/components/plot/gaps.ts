// Where a time series has a hole: a line drawn across weeks with no snapshot reads as data
// that was never there. The rule (docs/desktop.md, History): the line breaks between two
// points further apart than both GAP_TIMES × the median of the series' spacings, its
// longest left out, and GAP_DAYS days, so that the nights and weekends (a long one too)
// of a daily or an intraday series stay one line, and a multi-day hole shows as a hole.
// The longest is left out so that a hole does not set the spacing it is measured against:
// with three points (two on 7 January, one on 11 March) the median of all was half the
// hole, and 5 × that drew two months as a steady trend (QA wb F2).
const DAY = 86_400_000;
/** A break is longer than this many of the series' median spacings (its longest left out)… */
export const GAP_TIMES = 5;
/** …and longer than this many days. */
export const GAP_DAYS = 4;

/** The spacing (ms) past which a line breaks between two neighbours of `x` (ascending). */
export function gapOver(x: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 1; i < x.length; i++) d.push(x[i]! - x[i - 1]!);
  d.sort((a, b) => a - b);
  // The longest left out (when there is another): with few points, it may be the hole.
  if (d.length > 1) d.pop();
  const median = d.length === 0 ? 0 : (d[(d.length - 1) >> 1]! + d[d.length >> 1]!) / 2;
  return Math.max(GAP_TIMES * median, GAP_DAYS * DAY);
}

/** The indices i where the line breaks between x[i-1] and x[i]. */
export function breaksOf(x: ArrayLike<number>): number[] {
  const over = gapOver(x);
  const out: number[] = [];
  for (let i = 1; i < x.length; i++) if (x[i]! - x[i - 1]! > over) out.push(i);
  return out;
}
