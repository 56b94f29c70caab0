// Price levels of the underlying (spot, strikes, walls, zero gamma) at a precision relative
// to the price, written once for the engine (what it stores), the app and the command line
// (what they show). From $1 up a level is to the cent (SPX's zero gamma 4734.48); below,
// the cent would erase it (a $0.0125 underlying's flip at 0.010932 stored "0.01", its spot,
// walls and max pain all read "0.01"), so it keeps 5 significant figures: what the cent
// gives a level of $100–$999.

/** Significant figures a level below $1 keeps. */
export const SUB_DOLLAR_FIGURES = 5;
/** Beyond these decimals a level is float noise. */
const MAX_DECIMALS = 12;

/** The decimals a level is kept to: 2 from $1 up; below, 5 significant figures (0.010932 → 6). */
export function priceDecimals(v: number): number {
  const a = Math.abs(v);
  if (!(a > 0) || !Number.isFinite(a) || a >= 1) return 2;
  const lead = Math.floor(Math.log10(a)); // 0.0109 → -2
  return Math.min(MAX_DECIMALS, Math.max(2, SUB_DOLLAR_FIGURES - 1 - lead));
}

/** `v` to `decimals`, halves away from zero; a figure that rounds to nothing is 0, never −0. */
export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(Math.abs(v) * f) / f;
  return r === 0 ? 0 : Math.sign(v) * r;
}

/** A level at its own precision (priceDecimals). */
export const roundPrice = (v: number): number => roundTo(v, priceDecimals(v));

/**
 * The decimals that write `v` exactly (those of its significant digits: 0.0125 → 4), within
 * a millionth of it, up to MAX_DECIMALS.
 */
export function exactDecimals(v: number): number {
  const a = Math.abs(v);
  if (!(a > 0) || !Number.isFinite(a)) return 0;
  for (let d = 0; d < MAX_DECIMALS; d++) {
    const scaled = a * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= scaled * 1e-6) return d;
  }
  return MAX_DECIMALS;
}

/**
 * The decimals to show a level with: 2 from $1 up (500.00, 505.10); below, those it is
 * written with, at least 2 and at most its precision (0.0125, 0.013 → "0.013", 0.010932).
 */
export function shownPriceDecimals(v: number): number {
  if (Math.abs(v) >= 1) return 2;
  return Math.max(2, Math.min(priceDecimals(v), exactDecimals(v)));
}
