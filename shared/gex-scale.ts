// GEX in one scale per view, written once for the app and the command line. A table that
// mixes "1.2 Bn" and "350 M" (or "-345.40 Bn", "2.31 M" and "197799" in one column), or an
// axis that reads "1.2B, 800M, 400M", makes an analyst compare digits of different sizes;
// each view (a column, a chart, a panel) picks one scale from its largest figure and says
// it once: billions, millions, or whole dollars when no figure reaches 1 M (a small or
// sub-dollar underlying's +7.94 and -28.83 read "8" and "-29", never "0.00 M"). Formatting
// the digits (separators or none) is the caller's: this module says which scale and how
// many decimals, and never lets a non-zero figure read 0.

export interface GexScale {
  div: number;
  /** "Bn" or "M", or "" for whole dollars: after the figures or in the header. */
  unit: 'Bn' | 'M' | '';
  /** The decimals a figure is written with in this scale, unless it needs more (`scaled`). */
  digits: number;
  /** The scale in words, for a title: "billions of dollars". */
  words: string;
}

export const BN: GexScale = { div: 1e9, unit: 'Bn', digits: 2, words: 'billions of dollars' };
export const M: GexScale = { div: 1e6, unit: 'M', digits: 2, words: 'millions of dollars' };
/** Whole dollars: a view whose figures all stay under 1 M. */
export const USD: GexScale = { div: 1, unit: '', digits: 0, words: 'dollars' };

/** From the figure that would read "1000.00 M". */
const BN_FROM = 1e9 - 0.005e6;
/** From the figure that would read "1.00 M". */
const M_FROM = 1e6 - 0.005;

/**
 * Billions when any figure reaches 1 Bn, millions when one reaches 1 M, whole dollars
 * otherwise ("197799" or "3,013", not "0.20 M" or "0.00 M"): the app's views and the
 * command line's columns alike.
 */
export function gexScale(values: Iterable<number | null | undefined>): GexScale {
  let max = 0;
  for (const v of values)
    if (v !== null && v !== undefined && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  if (max >= BN_FROM) return BN;
  return max >= M_FROM ? M : USD;
}

/** More decimals than this is float noise for any GEX figure. */
const MAX_DIGITS = 20;

export interface ScaledOptions {
  /** Decimals (default: the scale's). */
  digits?: number;
  /**
   * Significant digits every non-zero figure keeps at least: a readout's exact value (3:
   * $6,094 and $13,780 in a view in millions read "0.00609 M" and "0.0138 M", not both
   * "0.01 M"). Without it, only a figure that would round to zero gains decimals.
   */
  significant?: number;
  /**
   * The most decimals a figure gains (a table's column: "-0.0040" for -3.98 M beside SPX,
   * never "-0.000000021" for -$21): one that would need more is written with the scale's
   * decimals and said `negligible`, its exact figure left to the caller (a tooltip).
   */
  maxDigits?: number;
}

/**
 * A figure in its view's scale and the decimals to write it with: the scale's (or
 * `digits`), at least `significant` significant digits, and a non-zero figure that would
 * round to zero keeps two significant digits ("-0.0040" Bn for a small equity's -3.98 M
 * beside SPX, "0.0000030" Bn for $3,012.55, "0.47" for $0.47 in whole dollars), so that
 * its sign, the gamma regime, is read and agrees with its colour, and it never reads as
 * an exact 0. null for no figure (null, NaN).
 */
export function scaled(
  value: number | null | undefined,
  scale: GexScale,
  opts: ScaledOptions = {},
): { value: number; digits: number; negligible: boolean } | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const v = value / scale.div;
  const a = Math.abs(v);
  const least = opts.digits ?? scale.digits;
  let digits = least;
  if (a > 0) {
    const lead = Math.floor(Math.log10(a)); // the leading digit's place: 0.0061 → -3
    if (opts.significant) digits = Math.max(digits, opts.significant - 1 - lead);
    if (a < 0.5 * 10 ** -digits) digits = Math.max(digits, 1 - lead);
    digits = Math.min(digits, MAX_DIGITS);
    if (opts.maxDigits !== undefined && digits > Math.max(least, opts.maxDigits))
      return { value: v, digits: least, negligible: true };
  }
  return { value: v, digits, negligible: false };
}
