// Black-Scholes greeks and the year fractions they need, under the conventions' day count:
// 'business-262' counts Mon–Fri days (no holidays) from the snapshot date to expiry ÷ 262,
// 'act-365' calendar days ÷ 365; an expiry on the snapshot's own day counts one day.
// Gamma, delta, vanna and charm in their general forms (rate r, dividend yield q); charm is
// per year here, the caller divides by the day count's days per year.
import type { GexConventions } from '../../../shared/domain.ts';
import { businessDays, epochDay } from './time.ts';

export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Days in a year of the day count: what one day of charm is a fraction of. */
export const daysPerYear = (dayCount: GexConventions['day_count']): number =>
  dayCount === 'act-365' ? 365 : 262;

/** Year fraction from `snapshotDate` to `expiry` (YYYY-MM-DD both). */
export function yearFraction(
  snapshotDate: string,
  expiry: string,
  dayCount: GexConventions['day_count'],
): number {
  const from = epochDay(snapshotDate);
  const to = epochDay(expiry);
  if (dayCount === 'act-365') return Math.max(to - from, 1) / 365;
  return Math.max(businessDays(from, to), 1) / 262;
}

/** Γ = e^{-qT} φ(d1) / (S σ √T); 0 when σ or T is not positive. */
export function bsGamma(
  spot: number,
  strike: number,
  iv: number,
  t: number,
  r: number,
  q: number,
): number {
  if (!(iv > 0) || !(t > 0)) return 0;
  const volT = iv * Math.sqrt(t);
  const d1 = (Math.log(spot / strike) + (r - q + 0.5 * iv * iv) * t) / volT;
  return (Math.exp(-q * t) * Math.exp(-0.5 * d1 * d1) * INV_SQRT_2PI) / (spot * volT);
}

/**
 * The standard normal distribution function, Hart's double-precision algorithm (as given by
 * G. West, "Better approximations to cumulative normal functions", 2005).
 */
export function normCdf(x: number): number {
  const a = Math.abs(x);
  let tail: number;
  if (a > 37) tail = 0;
  else {
    const e = Math.exp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      tail = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

/** Delta, vanna and charm (per year) of one contract; σ > 0 and T > 0. */
export type Greeks = { delta: number; vanna: number; charm: number };

/**
 * Call: Δ = e^{-qT} N(d1), charm = q e^{-qT} N(d1) − e^{-qT} φ(d1) (2(r−q)T − d2 σ√T) / (2T σ√T);
 * put: Δ = −e^{-qT} N(−d1), charm = −q e^{-qT} N(−d1) − (the same second term);
 * vanna = −e^{-qT} φ(d1) d2 / σ for both. Charm is ∂Δ/∂t (time passing, spot fixed), per year.
 */
export function bsGreeks(
  call: boolean,
  spot: number,
  strike: number,
  iv: number,
  t: number,
  r: number,
  q: number,
  out: Greeks,
): Greeks {
  const sqrtT = Math.sqrt(t);
  const volT = iv * sqrtT;
  const d1 = (Math.log(spot / strike) + (r - q + 0.5 * iv * iv) * t) / volT;
  const d2 = d1 - volT;
  const disc = Math.exp(-q * t);
  const pdf = Math.exp(-0.5 * d1 * d1) * INV_SQRT_2PI;
  const cdf = normCdf(call ? d1 : -d1);
  const common = (disc * pdf * (2 * (r - q) * t - d2 * volT)) / (2 * t * volT);
  out.delta = call ? disc * cdf : -disc * cdf;
  out.vanna = (-disc * pdf * d2) / iv;
  out.charm = call ? q * disc * cdf - common : -q * disc * cdf - common;
  return out;
}

/**
 * Delta at σ → 0 (a contract without a usable IV): e^{-qT} for a call whose forward
 * S·e^{(r−q)T} is above the strike, 0 below, half at the money; a put is the call's minus e^{-qT}.
 */
export function intrinsicDelta(
  call: boolean,
  spot: number,
  strike: number,
  t: number,
  r: number,
  q: number,
): number {
  const disc = Math.exp(-q * t);
  const m = Math.log(spot / strike) + (r - q) * t;
  const callDelta = m > 0 ? disc : m < 0 ? 0 : 0.5 * disc;
  return call ? callDelta : callDelta - disc;
}
