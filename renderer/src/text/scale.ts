// GEX in one scale per view (shared/gex-scale.ts, which the command line's tables use
// too), written with the app's separators: "-11.00 Bn", axis ticks in the axis's scale.
import { BN, M, gexScale, scaled, type GexScale } from '../../../shared/gex-scale.ts';
import { DASH, num, tickNumber } from './numbers.ts';

export { BN, M, gexScale, type GexScale };

/** What every GEX figure is: dollars of delta per 1 % move of the underlying. */
export const GEX_UNIT = '$ per 1 % move';

/**
 * A snapshot's scale, from its own totals: its key figures and its heatmap read in it (a
 * heatmap's largest cell, 938.04 M, beside SPX's figures in Bn read in two scales).
 */
export const snapshotScale = (s: {
  total_gex: number;
  call_gex: number;
  put_gex: number;
}): GexScale => gexScale([s.total_gex, s.call_gex, s.put_gex]);

/**
 * "-11.00" in the given scale (for cells whose header names the unit); a figure that would
 * round to zero keeps two significant digits (shared/gex-scale.ts: "-0.0040").
 */
export function gexNumber(value: number | null | undefined, scale: GexScale, digits = 2): string {
  const s = scaled(value, scale, digits);
  return s === null ? DASH : num(s.value, s.digits);
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
