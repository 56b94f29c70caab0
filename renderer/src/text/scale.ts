// GEX in one scale per view (shared/gex-scale.ts, which the command line's tables use
// too), written with the app's separators: "-11.00 Bn", "3,013 USD", axis ticks in the
// axis's scale, readouts with the significant digits that tell figures apart.
import {
  BN,
  M,
  USD,
  cellFigure,
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
 * "-11.00" in the given scale (for figures whose header names the unit); a non-zero figure
 * keeps two significant digits at least (shared/gex-scale.ts: "-0.0040", "0.0065").
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

/**
 * A GEX figure exactly, in dollars to the cent: a cell's tooltip and what a screen reader
 * reads of it ("-$432,945.71 per 1 % move").
 */
export function gexExact(value: number): string {
  return `${value < 0 ? '-' : ''}$${num(Math.abs(value), 2)} per 1 % move`;
}

/**
 * A figure in a table's column of one scale (the board's, All snapshots', the Submissions
 * panel's): shared/gex-scale.ts `cellFigure`, two significant digits at least ("0.0065"
 * for 6.45 M beside SPX, "-0.00043" for -$432,946), the same text for the same figure in
 * every view of that scale, and one too small for the column's six decimals in its own
 * scale with its unit ("-21 USD"), never "-0.00". `exact`: the figure to the cent
 * (`gexExact`), for its tooltip and its screen-reader text.
 */
export function gexCell(
  value: number | null | undefined,
  scale: GexScale,
): { text: string; exact?: string } {
  const f = cellFigure(value, scale);
  if (f === null) return { text: DASH };
  const n = num(f.value, f.digits);
  return { text: f.own ? `${n} ${scaleName(f.scale)}` : n, exact: gexExact(value!) };
}

/** A figure as a column's cell writes it, with its scale named: "0.0017 Bn", "-21 USD". */
export function gexCellWithUnit(value: number | null | undefined, scale: GexScale): string {
  const f = cellFigure(value, scale);
  return f === null ? DASH : `${num(f.value, f.digits)} ${scaleName(f.scale)}`;
}

/**
 * An axis tick in the axis's scale, with the decimals that write its step exactly (steps of
 * 2.5 M read "-7.5, -5.0, -2.5"; of 0.25 Bn "-0.25, 0.00, 0.25").
 */
export function gexTick(value: number, scale: GexScale, step: number): string {
  return tickNumber(value / scale.div, step / scale.div);
}
