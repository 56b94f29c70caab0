// Figures stored to the cent (GEX, zero gamma, the moves between them), rounded in one
// place so that a put's −1.125 USD is −1.13 as a call's 1.125 is 1.13 (Math.round takes
// halves up, which would make call + put ≠ total), and a figure that rounds to nothing is
// 0, never −0 (a Parquet reader shows −0.0).

/** `v` to the cent, halves away from zero. */
export function cents(v: number): number {
  const r = Math.round(Math.abs(v) * 100) / 100;
  return r === 0 ? 0 : Math.sign(v) * r;
}
