// Figures stored to the cent (GEX and the moves between them; price levels keep their own
// precision, shared/prices.ts), rounded in one
// place so that a put's −1.125 USD is −1.13 as a call's 1.125 is 1.13 (Math.round takes
// halves up, which would make call + put ≠ total), and a figure that rounds to nothing is
// 0, never −0 (a Parquet reader shows −0.0).
import { roundTo } from '../../shared/prices.ts';

/** `v` to the cent, halves away from zero (prices.ts's rounding, to 2 decimals). */
export const cents = (v: number): number => roundTo(v, 2);
