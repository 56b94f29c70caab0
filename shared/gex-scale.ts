// GEX in one scale per view, written once for the app and the command line. A table that
// mixes "1.2 Bn" and "350 M" (or "-345.40 Bn", "2.31 M" and "197799" in one column), or an
// axis that reads "1.2B, 800M, 400M", makes an analyst compare digits of different sizes;
// each view (a column, a chart, a panel) picks one scale from its largest figure and says
// it once: billions, millions, or whole dollars when no figure reaches 1 M (a small or
// sub-dollar underlying's +7.94 and -28.83 read "7.9" and "-29", never "0.00 M"). Every
// non-zero figure keeps two significant digits at least (`scaled`), so that a larger figure
// never has fewer digits than a smaller one and none reads 0; a table's cell too small for
// its column's scale is written in its own (`cellFigure`). Formatting the digits (the
// separators) is the caller's: this module says which scale and how many decimals.

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

/**
 * The significant digits every non-zero figure keeps at least, wherever it is written: a
 * column's cells, a sentence, a panel. With the scale's decimals alone ("only a figure that
 * would round to zero gains decimals") 6.45 M beside SPX read "0.01" Bn (55 % high) while
 * 1.08 M read "0.0011": a larger figure had fewer digits, and 5.6 M, 6.3 M and 12.2 M all
 * read ±0.01. With two at least, a figure under one unit of its scale has exactly two
 * ("0.0065", "0.0011", "-0.012") and one of a unit or more three or more ("-11.00"): a
 * larger figure never has fewer, and none reads 0.
 */
export const LEAST_SIGNIFICANT = 2;

export interface ScaledOptions {
  /** Decimals (default: the scale's). */
  digits?: number;
  /**
   * Significant digits every non-zero figure keeps at least (default and never fewer than
   * LEAST_SIGNIFICANT): a readout's exact value (3: $6,094 and $13,780 in a view in
   * millions read "0.00609 M" and "0.0138 M").
   */
  significant?: number;
  /**
   * The most decimals a figure may need (a table's cell: CELL_DIGITS): one that would need
   * more, -$21 beside SPX ("-0.000000021"), is said `tooSmall`, for the caller to write in
   * its own scale ("-21 USD", `cell`).
   */
  maxDigits?: number;
}

/**
 * A figure in its view's scale and the decimals to write it with: the scale's (or
 * `digits`), raised until a non-zero figure shows `significant` (at least two) significant
 * digits ("-0.0040" Bn for a small equity's -3.98 M beside SPX, "0.00043" for $432,946,
 * "0.47" for $0.47 and "7.9" for $7.94 in whole dollars), so that its size and its sign,
 * the gamma regime, are read, and it never reads as an exact 0. null for no figure (null,
 * NaN).
 */
export function scaled(
  value: number | null | undefined,
  scale: GexScale,
  opts: ScaledOptions = {},
): { value: number; digits: number; tooSmall: boolean } | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const v = value / scale.div;
  const a = Math.abs(v);
  const least = opts.digits ?? scale.digits;
  let digits = least;
  if (a > 0) {
    const significant = Math.max(LEAST_SIGNIFICANT, opts.significant ?? 0);
    const at = (lead: number) => Math.min(Math.max(least, significant - 1 - lead), MAX_DIGITS);
    const lead = Math.floor(Math.log10(a)); // the leading digit's place: 0.0061 → -3
    digits = at(lead);
    // One that rounds up to the next power of ten there (0.0996 → "0.100") leads from it:
    // "0.10", two significant digits as its neighbours, not three.
    if (Number(a.toFixed(digits)) >= 10 ** (lead + 1)) digits = at(lead + 1);
    if (opts.maxDigits !== undefined && digits > Math.max(least, opts.maxDigits))
      return { value: v === 0 ? 0 : v, digits: least, tooSmall: true };
  }
  return { value: v === 0 ? 0 : v, digits, tooSmall: false };
}

/**
 * The most decimals a table's cell is written with in its column's scale: in billions, down
 * to $10,000 with two significant digits ("0.000010"); a smaller figure is tiny beside
 * the column and is written in its own scale with its unit instead ("-21 USD").
 */
export const CELL_DIGITS = 6;

/** A figure as a table's cell writes it: in the column's scale, or (`own`) in its own, named. */
export interface CellFigure {
  value: number;
  digits: number;
  scale: GexScale;
  /** Written in its own scale (too small for the column's): its unit follows it. */
  own: boolean;
}

/**
 * A figure in a table's column of one scale, the one rule of the board, All snapshots, the
 * Submissions panel and the command line's tables: the column's scale with at least two
 * significant digits (`scaled`), the same text for the same figure and scale wherever it
 * is; one too small for CELL_DIGITS decimals in its own scale (`own`), never "-0.00".
 */
export function cellFigure(value: number | null | undefined, scale: GexScale): CellFigure | null {
  const s = scaled(value, scale, { maxDigits: CELL_DIGITS });
  if (s === null) return null;
  if (!s.tooSmall) return { value: s.value, digits: s.digits, scale, own: false };
  const own = gexScale([value]);
  const o = scaled(value, own)!;
  return { value: o.value, digits: o.digits, scale: own, own: own !== scale };
}
