// GEX in one scale per view. A table that mixes "1.2 Bn" and "350 M", or an axis
// that reads "1.2B, 800M, 400M", makes an analyst compare digits of different
// sizes; each view picks one scale from its largest figure and says it once.
import { DASH, num, tickNumber } from './numbers.ts';

/** What every GEX figure is: dollars of delta per 1 % move of the underlying. */
export const GEX_UNIT = '$ per 1 % move';

export interface GexScale {
  div: number;
  /** "Bn" or "M": written after the figures or in the header. */
  unit: 'Bn' | 'M';
}

export const BN: GexScale = { div: 1e9, unit: 'Bn' };
export const M: GexScale = { div: 1e6, unit: 'M' };

/** Billions when any figure reaches 1 Bn, millions otherwise. */
export function gexScale(values: Iterable<number | null | undefined>): GexScale {
  let max = 0;
  for (const v of values)
    if (v !== null && v !== undefined && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return max >= 1e9 ? BN : M;
}

/**
 * A snapshot's scale, from its own totals: its key figures and its heatmap read in it (a
 * heatmap's largest cell, 938.04 M, beside SPX's figures in Bn read in two scales).
 */
export const snapshotScale = (s: {
  total_gex: number;
  call_gex: number;
  put_gex: number;
}): GexScale => gexScale([s.total_gex, s.call_gex, s.put_gex]);

/** Beyond this many decimals a figure is negligible in its view's scale, and reads 0. */
const MAX_DIGITS = 6;

/**
 * "-11.00" in the given scale (for cells whose header names the unit). A figure that
 * would round to zero keeps two significant digits ("-0.0040" Bn for a small equity's
 * -3.98 M beside SPX), so that its sign, the gamma regime, is still read and agrees
 * with its colour; only a negligible one reads "0.00".
 */
export function gexNumber(value: number | null | undefined, scale: GexScale, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const v = value / scale.div;
  const a = Math.abs(v);
  if (a > 0 && a < 0.5 * 10 ** -digits) {
    const needed = Math.ceil(-Math.log10(a)) + 1;
    if (needed <= MAX_DIGITS) return num(v, Math.max(digits, needed));
  }
  return num(v, digits);
}

/** "-11.00 Bn" in the given scale. */
export function gex(value: number | null | undefined, scale: GexScale, digits = 2): string {
  const n = gexNumber(value, scale, digits);
  return n === DASH ? n : `${n} ${scale.unit}`;
}

/**
 * An axis tick in the axis's scale, with the decimals that write its step exactly (steps of
 * 2.5 M read "-7.5, -5.0, -2.5"; of 0.25 Bn "-0.25, 0.00, 0.25").
 */
export function gexTick(value: number, scale: GexScale, step: number): string {
  return tickNumber(value / scale.div, step / scale.div);
}
