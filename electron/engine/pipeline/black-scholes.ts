// Black-Scholes gamma and the year fractions it needs, under the conventions' day count:
// 'business-262' counts Mon–Fri days (no holidays) from the snapshot date to expiry ÷ 262,
// 'act-365' calendar days ÷ 365; an expiry on the snapshot's own day counts one day.
import type { GexConventions } from '../../../shared/domain.ts';
import { businessDays, epochDay } from './time.ts';

export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Year fraction from `snapshotDate` to `expiry` (YYYY-MM-DD both). */
export function yearFraction(snapshotDate: string, expiry: string, dayCount: GexConventions['day_count']): number {
  const from = epochDay(snapshotDate);
  const to = epochDay(expiry);
  if (dayCount === 'act-365') return Math.max(to - from, 1) / 365;
  return Math.max(businessDays(from, to), 1) / 262;
}

/** Γ = e^{-qT} φ(d1) / (S σ √T); 0 when σ or T is not positive. */
export function bsGamma(spot: number, strike: number, iv: number, t: number, r: number, q: number): number {
  if (!(iv > 0) || !(t > 0)) return 0;
  const volT = iv * Math.sqrt(t);
  const d1 = (Math.log(spot / strike) + (r - q + 0.5 * iv * iv) * t) / volT;
  return (Math.exp(-q * t) * Math.exp(-0.5 * d1 * d1) * INV_SQRT_2PI) / (spot * volT);
}
