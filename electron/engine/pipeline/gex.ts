// Gamma exposure of a normalised chain, in Polars: GEX of each contract (the file's
// gamma, or Black-Scholes gamma from IV where the file has none) = gamma × OI ×
// multiplier × spot² × move, puts negative; then per (expiry, strike), per strike, the
// totals, call and put walls and max pain. Rows not used are counted with a reason.
import pl from 'nodejs-polars';
import type { DataQuality, GexConventions } from '../../../shared/domain.ts';
import { yearFraction } from './black-scholes.ts';
import type { Chain } from './chain.ts';
import { isoDate } from './time.ts';

export const DROP_EXPIRED = 'expired';
export const DROP_NO_GREEKS = 'no gamma and no iv';

/** The rows a GEX run uses, and the inputs of the gamma profile. */
export type UsedContracts = {
  /** Indices into chain.contracts of the rows used. */
  rows: Int32Array;
  /** Year fraction of each contract (all rows; meaningful for used ones). */
  t: Float64Array;
  quality: DataQuality;
};

export type GexTotals = {
  contracts: number;
  call_gex: number;
  put_gex: number;
  total_gex: number;
  total_open_interest: number;
  total_volume: number;
};

export type GexResult = GexTotals & {
  /** One row per (expiry, strike): expiry, strike, call_gex, put_gex, net_gex, call/put OI and volume, contracts. */
  strikes: pl.DataFrame;
  call_wall: number | null;
  put_wall: number | null;
  max_pain: number | null;
};

/** Which rows are used: not expired, and with a gamma or an IV to take gamma from. */
export function selectContracts(chain: Chain, conv: GexConventions): UsedContracts {
  const c = chain.contracts;
  const snapshotDate = isoDate(chain.as_of);
  const expiryT = c.expiries.map((e) => yearFraction(snapshotDate, e, conv.day_count));
  const expired = c.expiries.map((e) => e < snapshotDate);
  const rows = new Int32Array(c.n);
  const t = new Float64Array(c.n);
  let used = 0;
  let nExpired = 0;
  let nNoGreeks = 0;
  for (let i = 0; i < c.n; i++) {
    const e = c.expiry[i]!;
    t[i] = expiryT[e]!;
    if (expired[e]) nExpired++;
    else if (Number.isNaN(c.gamma[i]!) && Number.isNaN(c.iv[i]!)) nNoGreeks++;
    else rows[used++] = i;
  }
  const dropped = [];
  if (nExpired > 0) dropped.push({ reason: DROP_EXPIRED, rows: nExpired });
  if (nNoGreeks > 0) dropped.push({ reason: DROP_NO_GREEKS, rows: nNoGreeks });
  return {
    rows: rows.subarray(0, used),
    t,
    quality: { score: c.n === 0 ? 0 : used / c.n, rows_total: c.n, rows_used: used, dropped },
  };
}

/** The used contracts as a Polars frame (expiry as its code into chain.contracts.expiries). */
function contractFrame(chain: Chain, used: UsedContracts): pl.DataFrame {
  const c = chain.contracts;
  const n = used.rows.length;
  const pick = (a: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = a[used.rows[k]!]!;
    return out;
  };
  const expiry = new Int32Array(n);
  const call = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = used.rows[k]!;
    expiry[k] = c.expiry[i]!;
    call[k] = c.call[i]!;
  }
  return pl.DataFrame([
    pl.Series('expiry', expiry),
    pl.Series('strike', pick(c.strike)),
    pl.Series('call', call),
    pl.Series('open_interest', pick(c.open_interest)),
    pl.Series('volume', pick(c.volume)),
    pl.Series('iv', pick(c.iv)),
    pl.Series('gamma', pick(c.gamma)),
    pl.Series('t', pick(used.t)),
  ]);
}

/** Black-Scholes gamma at `spot` as a Polars expression over columns strike, iv, t. */
function bsGammaExpr(spot: number, r: number, q: number): pl.Expr {
  const iv = pl.col('iv');
  const t = pl.col('t');
  const volT = iv.mul(t.pow(0.5));
  const d1 = pl.lit(spot).div(pl.col('strike')).log().add(iv.mul(iv).mul(0.5).add(r - q).mul(t)).div(volT);
  const density = d1.mul(d1).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
  const gamma = t.mul(-q).exp().mul(density).div(volT.mul(spot));
  return pl.when(iv.gt(0)).then(gamma).otherwise(pl.lit(0));
}

export function computeGex(chain: Chain, used: UsedContracts, conv: GexConventions): GexResult {
  const { spot } = chain;
  const scale = conv.contract_multiplier * spot * spot * conv.move;
  const df = contractFrame(chain, used);
  const gamma = pl.when(pl.col('gamma').isNan()).then(bsGammaExpr(spot, conv.rate, conv.dividend_yield)).otherwise(pl.col('gamma'));
  const side = (e: pl.Expr, call: boolean): pl.Expr => (call ? e.mul(pl.col('call')) : e.mul(pl.lit(1).sub(pl.col('call'))));
  const expiries = chain.contracts.expiries;
  // One query: per-contract GEX, then per (expiry, strike).
  const strikes = df
    .lazy()
    .withColumns(gamma.mul(pl.col('open_interest')).mul(scale).alias('abs_gex'))
    .groupBy(['expiry', 'strike'])
    .agg(
      side(pl.col('abs_gex'), true).sum().alias('call_gex'),
      side(pl.col('abs_gex'), false).sum().mul(-1).alias('put_gex'),
      side(pl.col('open_interest'), true).sum().alias('call_open_interest'),
      side(pl.col('open_interest'), false).sum().alias('put_open_interest'),
      side(pl.col('volume'), true).sum().alias('call_volume'),
      side(pl.col('volume'), false).sum().alias('put_volume'),
      pl.len().cast(pl.Int64).alias('contracts'),
    )
    .sort(['expiry', 'strike'])
    .withColumns(
      pl.col('call_gex').add(pl.col('put_gex')).alias('net_gex'),
      // Expiry codes → dates (the codes are small ints into expiries).
      pl.col('expiry').replaceStrict(expiries.map((_, i) => i), expiries).alias('expiry'),
    )
    .collectSync();
  // The (expiry, strike) table is small: totals and the per-strike view in plain loops.
  const col = (name: string): Float64Array => strikes.getColumn(name).toTypedArray() as Float64Array;
  const strike = col('strike');
  const callGex = col('call_gex');
  const putGex = col('put_gex');
  const callOi = col('call_open_interest');
  const putOi = col('put_open_interest');
  const callVol = col('call_volume');
  const putVol = col('put_volume');
  const totals = { call_gex: 0, put_gex: 0, oi: 0, volume: 0 };
  const perStrike = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < strike.length; i++) {
    totals.call_gex += callGex[i]!;
    totals.put_gex += putGex[i]!;
    totals.oi += callOi[i]! + putOi[i]!;
    totals.volume += callVol[i]! + putVol[i]!;
    const s = perStrike.get(strike[i]!);
    if (s) {
      s[0] += callGex[i]!;
      s[1] += putGex[i]!;
      s[2] += callOi[i]!;
      s[3] += putOi[i]!;
    } else perStrike.set(strike[i]!, [callGex[i]!, putGex[i]!, callOi[i]!, putOi[i]!]);
  }
  const k = Float64Array.from(perStrike.keys()).sort();
  const at = (j: number): Float64Array => Float64Array.from(k, (x) => perStrike.get(x)![j]!);
  return {
    contracts: used.rows.length,
    call_gex: totals.call_gex,
    put_gex: totals.put_gex,
    total_gex: totals.call_gex + totals.put_gex,
    total_open_interest: totals.oi,
    total_volume: totals.volume,
    strikes,
    call_wall: extremeStrike(k, at(0), 1),
    put_wall: extremeStrike(k, at(1), -1),
    max_pain: maxPain(k, at(2), at(3)),
  };
}

/** Strike of the largest (sign 1) or most negative (sign -1) value; null when none is on that side of 0. */
export function extremeStrike(strikes: Float64Array, values: Float64Array, sign: 1 | -1): number | null {
  let best: number | null = null;
  let bestValue = 0;
  for (let i = 0; i < strikes.length; i++) {
    const v = values[i]! * sign;
    if (v > bestValue) {
      bestValue = v;
      best = strikes[i]!;
    }
  }
  return best;
}

/**
 * The strike at which option holders are paid the least: Σ call OI × max(0, S − K) +
 * Σ put OI × max(0, K − S), over the chain's strikes (sorted ascending). Prefix sums
 * make it linear.
 */
export function maxPain(strikes: Float64Array, callOi: Float64Array, putOi: Float64Array): number | null {
  const n = strikes.length;
  if (n === 0) return null;
  // calls below S pay OI×(S−K): track Σ OI and Σ OI×K of strikes ≤ S; puts above, likewise.
  let totalPutOi = 0;
  let totalPutOiK = 0;
  for (let i = 0; i < n; i++) {
    totalPutOi += putOi[i]!;
    totalPutOiK += putOi[i]! * strikes[i]!;
  }
  let cOi = 0;
  let cOiK = 0;
  let pOiBelow = 0;
  let pOiKBelow = 0;
  let best = strikes[0]!;
  let bestPain = Infinity;
  for (let j = 0; j < n; j++) {
    const s = strikes[j]!;
    cOi += callOi[j]!;
    cOiK += callOi[j]! * s;
    pOiBelow += putOi[j]!;
    pOiKBelow += putOi[j]! * s;
    const callPain = cOi * s - cOiK;
    const putPain = totalPutOiK - pOiKBelow - (totalPutOi - pOiBelow) * s;
    const pain = callPain + putPain;
    if (pain < bestPain) {
      bestPain = pain;
      best = s;
    }
  }
  return best;
}
