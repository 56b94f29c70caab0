// GEX in one scale per view, written once for the app and the command line. A table that
// mixes "1.2 Bn" and "350 M" (or "-345.40 Bn", "2.31 M" and "197799" in one column), or an
// axis that reads "1.2B, 800M, 400M", makes an analyst compare digits of different sizes;
// each view (a column, a chart, a panel) picks one scale from its largest figure and says
// it once. Formatting the digits (separators or none) is the caller's: this module says
// which scale and how many decimals.

export interface GexScale {
  div: number;
  /** "Bn" or "M" (or "" for whole dollars, where asked for): after the figures or in the header. */
  unit: 'Bn' | 'M' | '';
}

export const BN: GexScale = { div: 1e9, unit: 'Bn' };
export const M: GexScale = { div: 1e6, unit: 'M' };
/** Whole dollars: a view whose figures all stay under 1 M, where it is asked for. */
export const USD: GexScale = { div: 1, unit: '' };

/** From the figure that would read "1000.00 M". */
const BN_FROM = 1e9 - 0.005e6;
/** From the figure that would read "1.00 M". */
const M_FROM = 1e6 - 0.005;

/**
 * Billions when any figure reaches 1 Bn, millions otherwise — or, with `wholeDollars`, whole
 * dollars when none reaches 1 M (the command line's columns: "197799", not "0.20 M").
 */
export function gexScale(
  values: Iterable<number | null | undefined>,
  opts: { wholeDollars?: boolean } = {},
): GexScale {
  let max = 0;
  for (const v of values)
    if (v !== null && v !== undefined && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  if (max >= BN_FROM) return BN;
  return opts.wholeDollars && max < M_FROM ? USD : M;
}

/** Beyond this many decimals a figure is negligible in its view's scale, and reads 0. */
const MAX_DIGITS = 6;

/**
 * A figure in its view's scale and the decimals to write it with: `digits`, but a figure
 * that would round to zero keeps two significant digits ("-0.0040" Bn for a small equity's
 * -3.98 M beside SPX), so that its sign, the gamma regime, is still read and agrees with
 * its colour; only a negligible one reads 0. null for no figure (null, NaN).
 */
export function scaled(
  value: number | null | undefined,
  scale: GexScale,
  digits = 2,
): { value: number; digits: number } | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const v = value / scale.div;
  const a = Math.abs(v);
  if (a > 0 && a < 0.5 * 10 ** -digits) {
    const needed = Math.ceil(-Math.log10(a)) + 1;
    if (needed <= MAX_DIGITS) return { value: v, digits: Math.max(digits, needed) };
  }
  return { value: v, digits };
}
