// GEX in one scale per view. A table that mixes "1.2 Bn" and "350 M", or an axis
// that reads "1.2B, 800M, 400M", makes an analyst compare digits of different
// sizes; each view picks one scale from its largest figure and says it once.
import { DASH, num } from './numbers.ts';

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

/** "-11.00" in the given scale (for cells whose header names the unit). */
export function gexNumber(value: number | null | undefined, scale: GexScale, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return num(value / scale.div, digits);
}

/** "-11.00 Bn" in the given scale. */
export function gex(value: number | null | undefined, scale: GexScale, digits = 2): string {
  const n = gexNumber(value, scale, digits);
  return n === DASH ? n : `${n} ${scale.unit}`;
}

/** An axis tick in the axis's scale, with as many decimals as its step needs (0–2). */
export function gexTick(value: number, scale: GexScale, step: number): string {
  const s = Math.abs(step / scale.div);
  const digits = s >= 1 || s === 0 ? 0 : Math.min(2, Math.ceil(-Math.log10(s) - 1e-9));
  return num(value / scale.div, digits);
}
