// The exposures of a normalised chain: which rows a run uses (not expired, with a gamma or
// an IV), the four exposures of each contract (contract-exposures.ts), their sums per
// (expiry, strike), strike, expiry and bucket (aggregate.ts), and the snapshot's figures:
// totals, call and put walls, max pain, the absolute-gamma strike. Rows not used are
// counted with a reason; a total that is not a finite number refuses the file, naming the
// line that made it so.
import type {
  BucketFigures,
  DataQuality,
  DroppedRows,
  Exposures,
  GexConventions,
} from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { aggregate, extremeStrike, type ExpiryTable, type StrikeTable } from './aggregate.ts';
import { yearFraction } from './black-scholes.ts';
import { bucketCode, dateInZone } from './buckets.ts';
import type { Chain } from './chain.ts';
import { contractExposures, type ContractExposures } from './contract-exposures.ts';
import { contractAt } from './contract-place.ts';
import { DROP_ADJUSTED, isAdjustedRoot } from './standard-contract.ts';

export { extremeStrike, type ExpiryTable, type StrikeTable } from './aggregate.ts';

export const DROP_EXPIRED = 'expired';
export const DROP_NO_GREEKS = 'no gamma and no iv';
export { DROP_ADJUSTED };

/** The rows a GEX run uses, and the inputs of the gamma profile. */
export type UsedContracts = {
  /** Indices into chain.contracts of the rows used. */
  rows: Int32Array;
  /** Year fraction of each contract (all rows; meaningful for used ones). */
  t: Float64Array;
  /** The snapshot's date (YYYY-MM-DD) in the exchange's time zone: expiries before it are expired. */
  date: string;
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
  /** One row per (expiry, strike), sorted by expiry then strike. */
  strikes: StrikeTable;
  /** One row per expiry, by date, with its bucket and walls. */
  expiries: ExpiryTable;
  call_wall: number | null;
  put_wall: number | null;
  max_pain: number | null;
  /** The strike with the largest call GEX + |put GEX|; null when every strike's is 0. */
  absolute_gamma_strike: number | null;
  /** Sums over every used contract; gex equals total_gex before rounding. */
  exposures: Exposures;
  buckets: BucketFigures[];
  /** Rows used that could not give every measure, with the reason. */
  partial: DroppedRows[];
};

/**
 * Which rows are used: not expired, a standard contract (standard-contract.ts: not an
 * adjusted root, not marked by its reader as of another size), and with a gamma or an IV
 * to take gamma from.
 */
export function selectContracts(chain: Chain, conv: GexConventions): UsedContracts {
  const c = chain.contracts;
  // The exchange's date, whatever offset as_of is written in (a UTC Parquet timestamp of
  // an evening quote is already the next day in its own offset).
  const snapshotDate = dateInZone(chain.as_of, conv.exchange_time_zone);
  const expiryT = c.expiries.map((e) => yearFraction(snapshotDate, e, conv.day_count));
  const expired = c.expiries.map((e) => e < snapshotDate);
  const adjusted = c.roots.map((r) => isAdjustedRoot(r, chain.underlying));
  const rows = new Int32Array(c.n);
  const t = new Float64Array(c.n);
  let used = 0;
  let nExpired = 0;
  let nAdjusted = 0;
  let nNoGreeks = 0;
  for (let i = 0; i < c.n; i++) {
    const e = c.expiry[i]!;
    t[i] = expiryT[e]!;
    if (expired[e]) nExpired++;
    else if (adjusted[c.root[i]!] || c.adjusted[i]) nAdjusted++;
    else if (Number.isNaN(c.gamma[i]!) && Number.isNaN(c.iv[i]!)) nNoGreeks++;
    else rows[used++] = i;
  }
  const dropped = [];
  if (nExpired > 0) dropped.push({ reason: DROP_EXPIRED, rows: nExpired });
  if (nAdjusted > 0) dropped.push({ reason: DROP_ADJUSTED, rows: nAdjusted });
  if (nNoGreeks > 0) dropped.push({ reason: DROP_NO_GREEKS, rows: nNoGreeks });
  return {
    rows: rows.subarray(0, used),
    t,
    date: snapshotDate,
    quality: { score: c.n === 0 ? 0 : used / c.n, rows_total: c.n, rows_used: used, dropped },
  };
}

/**
 * The contracts' exposures, then their sums. `file` names the file in an error. Measured
 * on the SPX file (bench/pipeline.bench.ts, stage gex): see docs/formats.md.
 */
export function computeGex(
  chain: Chain,
  used: UsedContracts,
  conv: GexConventions,
  file = chain.underlying,
): Result<GexResult> {
  const c = chain.contracts;
  const x = contractExposures(chain, used, conv);
  const bucketOfExpiry = Uint8Array.from(c.expiries, (e) => bucketCode(e, used.date));
  const a = aggregate(chain, used.rows, x, bucketOfExpiry);
  const { totals } = a;
  const total_gex = totals.call_gex + totals.put_gex;
  if (
    ![
      totals.call_gex,
      totals.put_gex,
      total_gex,
      totals.dex,
      totals.vex,
      totals.cex,
      totals.open_interest,
      totals.volume,
    ].every(Number.isFinite)
  ) {
    return notFinite(file, chain, used, x);
  }
  const { byStrike } = a;
  const absolute = new Float64Array(byStrike.strike.length);
  for (let s = 0; s < absolute.length; s++)
    absolute[s] = byStrike.call_gex[s]! - byStrike.put_gex[s]!;
  return ok({
    contracts: used.rows.length,
    call_gex: totals.call_gex,
    put_gex: totals.put_gex,
    total_gex,
    total_open_interest: totals.open_interest,
    total_volume: totals.volume,
    strikes: a.strikes,
    expiries: a.expiries,
    call_wall: extremeStrike(byStrike.strike, byStrike.call_gex, 1),
    put_wall: extremeStrike(byStrike.strike, byStrike.put_gex, -1),
    max_pain: maxPain(byStrike.strike, byStrike.call_open_interest, byStrike.put_open_interest),
    absolute_gamma_strike: extremeStrike(byStrike.strike, absolute, 1),
    exposures: { gex: total_gex, dex: totals.dex, vex: totals.vex, cex: totals.cex },
    buckets: a.buckets,
    partial: x.partial,
  });
}

/**
 * A total that is not finite (huge values overflow to Infinity): BAD_VALUE naming the first
 * line, in file order, whose contract's exposure, or whose addition to a running total, is not finite.
 */
function notFinite(
  file: string,
  chain: Chain,
  used: UsedContracts,
  x: ContractExposures,
): Result<never> {
  const c = chain.contracts;
  const names = ['call GEX', 'put GEX', 'DEX', 'VEX', 'CEX', 'open interest', 'volume'];
  const running = names.map(() => 0);
  for (let j = 0; j < used.rows.length; j++) {
    const i = used.rows[j]!;
    const call = c.call[i] === 1;
    const values = [
      call ? x.gex[j]! : 0,
      call ? 0 : x.gex[j]!,
      x.dex[j]!,
      x.vex[j]!,
      x.cex[j]!,
      c.open_interest[i]!,
      c.volume[i]!,
    ];
    for (let k = 0; k < values.length; k++) {
      running[k]! += values[k]!;
      if (Number.isFinite(running[k])) continue;
      const { place, where } = contractAt(chain, c.line[i]!);
      const what = Number.isFinite(values[k])
        ? `brings the total ${names[k]} past the largest finite number`
        : `gives a ${names[k]} that is not a finite number`;
      return err(
        'BAD_VALUE',
        `${file}, ${place}: the contract (strike ${c.strike[i]}, open interest ${c.open_interest[i]}, gamma ${c.gamma[i]}, iv ${c.iv[i]}) ${what}`,
        { file, ...where },
      );
    }
  }
  return err('BAD_VALUE', `${file}: a total is not a finite number`, { file });
}

/**
 * The strike at which option holders are paid the least: Σ call OI × max(0, S − K) +
 * Σ put OI × max(0, K − S), over the chain's strikes (sorted ascending). Prefix sums
 * make it linear. Null without open interest (none at all, as the walls are then): every
 * strike's pain is 0 and no strike is the answer, the lowest no more than any other.
 */
export function maxPain(
  strikes: Float64Array,
  callOi: Float64Array,
  putOi: Float64Array,
): number | null {
  const n = strikes.length;
  if (n === 0) return null;
  // calls below S pay OI×(S−K): track Σ OI and Σ OI×K of strikes ≤ S; puts above, likewise.
  let totalPutOi = 0;
  let totalPutOiK = 0;
  let totalCallOi = 0;
  for (let i = 0; i < n; i++) {
    totalPutOi += putOi[i]!;
    totalPutOiK += putOi[i]! * strikes[i]!;
    totalCallOi += callOi[i]!;
  }
  if (!(totalPutOi + totalCallOi > 0)) return null;
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
