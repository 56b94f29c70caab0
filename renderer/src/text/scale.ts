// GEX in one scale per view (shared/gex-scale.ts, which the command line's tables use
// too), written with the app's separators: "-11.00 Bn", "3,013 USD", axis ticks in the
// axis's scale, readouts with the significant digits that tell figures apart.
import {
  BN,
  M,
  USD,
  gexScale,
  scaled,
  type GexScale,
  type ScaledOptions,
} from '../../../shared/gex-scale.ts';
import { DASH, num, tickNumber } from './numbers.ts';

export { BN, M, USD, gexScale, type GexScale };

/** What every GEX figure is: dollars of delta per 1 % move of the underlying. */
export const GEX_UNIT = '$ per 1 % move';

/** The significant digits a chart's readout keeps: its exact value, told apart from its neighbours'. */
export const READOUT_DIGITS = 3;

/**
 * A snapshot's scale, from its own totals: its key figures and its heatmap read in it (a
 * heatmap's largest cell, 938.04 M, beside SPX's figures in Bn read in two scales).
 */
export const snapshotScale = (s: {
  total_gex: number;
  call_gex: number;
  put_gex: number;
}): GexScale => gexScale([s.total_gex, s.call_gex, s.put_gex]);

/** The scale as a header or axis names it: "Bn", "M", or "USD" for whole dollars. */
export const scaleName = (scale: GexScale): string => scale.unit || 'USD';

/** A header or axis title with its scale: "Total GEX, Bn"; "$ per 1 % move" alone in dollars. */
export const inScale = (what: string, scale: GexScale, dollars = what.includes('$')): string =>
  scale.unit ? `${what}, ${scale.unit}` : dollars ? what : `${what}, USD`;

/**
 * "-11.00" in the given scale (for cells whose header names the unit); a non-zero figure
 * that would round to zero keeps two significant digits (shared/gex-scale.ts: "-0.0040").
 */
export function gexNumber(
  value: number | null | undefined,
  scale: GexScale,
  opts: ScaledOptions = {},
): string {
  const s = scaled(value, scale, opts);
  return s === null ? DASH : num(s.value, s.digits);
}

/** "-11.00 Bn" (or "-29 USD") in the given scale. */
export function gex(
  value: number | null | undefined,
  scale: GexScale,
  opts: ScaledOptions = {},
): string {
  const n = gexNumber(value, scale, opts);
  return n === DASH ? n : `${n} ${scaleName(scale)}`;
}

/**
 * A chart's readout: the figure in the chart's scale with its significant digits and its
 * unit, "0.00609 M $ per 1 % move", "0.470 $ per 1 % move" (whole dollars name no scale).
 */
export function gexReadout(value: number, scale: GexScale, unit: string): string {
  const n = gexNumber(value, scale, { significant: READOUT_DIGITS });
  return scale.unit ? `${n} ${scale.unit} ${unit}` : `${n} ${unit}`;
}

/** The most decimals a GEX figure in a table's column is written with ("-0.0040"). */
export const CELL_DIGITS = 4;

/**
 * A figure in a table's column of one scale: "-11.00", "-0.0040" (two significant digits
 * while they fit four decimals), and a figure too small for that, -$21 beside SPX, reads
 * "-0.00" (its sign, the gamma regime, kept; "0.00" when positive) with its exact figure in
 * `title`, never "-0.000000021".
 */
export function gexCell(
  value: number | null | undefined,
  scale: GexScale,
): { text: string; title?: string } {
  const s = scaled(value, scale, { maxDigits: CELL_DIGITS });
  if (s === null) return { text: DASH };
  if (!s.negligible) return { text: num(s.value, s.digits) };
  const v = value!;
  return {
    text: `${v < 0 ? '-' : ''}${num(Math.abs(s.value), s.digits)}`,
    title: `${gexReadout(v, gexScale([v]), GEX_UNIT)}: under 0.0001 in ${scale.words}`,
  };
}

/**
 * An axis tick in the axis's scale, with the decimals that write its step exactly (steps of
 * 2.5 M read "-7.5, -5.0, -2.5"; of 0.25 Bn "-0.25, 0.00, 0.25").
 */
export function gexTick(value: number, scale: GexScale, step: number): string {
  return tickNumber(value / scale.div, step / scale.div);
}
