// Sums the contracts' exposures per (expiry, strike) cell — the rows of the Parquet
// hand-off — then per strike over all expiries, per expiry (with its walls) and per
// bucket (with its walls). The cells are SPARSE: a map from (expiry rank, strike rank) to
// a slot, with every array sized by the rows the file has, never by expiries × strikes
// (a 60k-row file whose expiries spread over three centuries would otherwise ask for
// gigabytes). Cells come out in expiry-then-strike order.
import type { BucketFigures } from '../../../shared/domain.ts';
import { BUCKETS } from './buckets.ts';
import type { Chain } from './chain.ts';
import type { ContractExposures } from './contract-exposures.ts';

export type StrikeTable = {
  rows: number;
  expiry: string[];
  /** The distinct expiries, and each row's index into them: the Parquet column is built from these. */
  expiry_values: string[];
  expiry_index: Uint32Array;
  strike: Float64Array;
  call_gex: Float64Array;
  put_gex: Float64Array;
  net_gex: Float64Array;
  dex: Float64Array;
  vex: Float64Array;
  cex: Float64Array;
  call_open_interest: Float64Array;
  put_open_interest: Float64Array;
  call_volume: Float64Array;
  put_volume: Float64Array;
  contracts: BigInt64Array;
};

/** One row per expiry that has a used contract, by date; walls NaN where there is none. */
export type ExpiryTable = {
  rows: number;
  expiry: string[];
  bucket: string[];
  call_gex: Float64Array;
  put_gex: Float64Array;
  net_gex: Float64Array;
  dex: Float64Array;
  vex: Float64Array;
  cex: Float64Array;
  call_open_interest: Float64Array;
  put_open_interest: Float64Array;
  call_volume: Float64Array;
  put_volume: Float64Array;
  call_wall: Float64Array;
  put_wall: Float64Array;
  contracts: BigInt64Array;
};

/** Per strike over all expiries, strikes ascending. */
export type ByStrike = {
  strike: Float64Array;
  call_gex: Float64Array;
  put_gex: Float64Array;
  call_open_interest: Float64Array;
  put_open_interest: Float64Array;
};

export type Aggregates = {
  strikes: StrikeTable;
  expiries: ExpiryTable;
  byStrike: ByStrike;
  buckets: BucketFigures[];
  totals: {
    call_gex: number;
    put_gex: number;
    dex: number;
    vex: number;
    cex: number;
    open_interest: number;
    volume: number;
  };
};

const CELL_SUMS = [
  'call_gex',
  'put_gex',
  'dex',
  'vex',
  'cex',
  'call_oi',
  'put_oi',
  'call_vol',
  'put_vol',
] as const;

/**
 * `rows` are the used rows (indices into chain.contracts), `x` their exposures (by position
 * in `rows`), `bucketOfExpiry` a bucket code per expiry code of the chain.
 */
export function aggregate(
  chain: Chain,
  rows: Int32Array,
  x: ContractExposures,
  bucketOfExpiry: Uint8Array,
): Aggregates {
  const c = chain.contracts;
  const m = rows.length;
  // Distinct strikes, ascending, and their ranks.
  const strikeRank = new Map<number, number>();
  for (let j = 0; j < m; j++) strikeRank.set(c.strike[rows[j]!]!, 0);
  const strikes = Float64Array.from(strikeRank.keys()).sort();
  strikes.forEach((k, s) => strikeRank.set(k, s));
  const ns = strikes.length;
  // Expiry codes in date order, and each code's rank.
  const ne = c.expiries.length;
  const expiryOrder = Array.from({ length: ne }, (_, e) => e).sort((a, b) =>
    c.expiries[a]! < c.expiries[b]! ? -1 : c.expiries[a]! > c.expiries[b]! ? 1 : 0,
  );
  const expiryRank = new Float64Array(ne);
  expiryOrder.forEach((e, rank) => (expiryRank[e] = rank));

  // Pass 1: each row into its cell (slots in order of first appearance).
  const slotOf = new Map<number, number>();
  const keyOf = new Float64Array(m);
  const strikeOfSlot = new Int32Array(m);
  const expiryOfSlot = new Int32Array(m);
  const count = new Int32Array(m);
  const sums = Object.fromEntries(CELL_SUMS.map((k) => [k, new Float64Array(m)])) as Record<
    (typeof CELL_SUMS)[number],
    Float64Array
  >;
  const { call_gex, put_gex, dex, vex, cex, call_oi, put_oi, call_vol, put_vol } = sums;
  let slots = 0;
  for (let j = 0; j < m; j++) {
    const i = rows[j]!;
    const e = c.expiry[i]!;
    const s = strikeRank.get(c.strike[i]!)!;
    const key = expiryRank[e]! * ns + s;
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = slots++;
      slotOf.set(key, slot);
      keyOf[slot] = key;
      strikeOfSlot[slot] = s;
      expiryOfSlot[slot] = e;
    }
    count[slot]!++;
    dex[slot]! += x.dex[j]!;
    vex[slot]! += x.vex[j]!;
    cex[slot]! += x.cex[j]!;
    if (c.call[i]) {
      call_gex[slot]! += x.gex[j]!;
      call_oi[slot]! += c.open_interest[i]!;
      call_vol[slot]! += c.volume[i]!;
    } else {
      put_gex[slot]! += x.gex[j]!;
      put_oi[slot]! += c.open_interest[i]!;
      put_vol[slot]! += c.volume[i]!;
    }
  }

  // Pass 2: the cells in key order (= expiry, then strike), with the sums per strike, expiry and bucket.
  const sortedKeys = keyOf.slice(0, slots).sort();
  const t = strikeTable(slots, c.expiries);
  const byStrike: ByStrike = {
    strike: strikes,
    call_gex: new Float64Array(ns),
    put_gex: new Float64Array(ns),
    call_open_interest: new Float64Array(ns),
    put_open_interest: new Float64Array(ns),
  };
  const bucketCall = BUCKETS.map(() => new Float64Array(ns));
  const bucketPut = BUCKETS.map(() => new Float64Array(ns));
  const bucketNet = BUCKETS.map(() => 0);
  const bucketSeen = BUCKETS.map(() => false);
  const ex = expiryTable(countExpiries(sortedKeys, ns));
  const totals = { call_gex: 0, put_gex: 0, dex: 0, vex: 0, cex: 0, open_interest: 0, volume: 0 };
  let xr = -1;
  let lastRank = -1;
  let bestCall = 0;
  let bestPut = 0;
  for (let g = 0; g < slots; g++) {
    const key = sortedKeys[g]!;
    const slot = slotOf.get(key)!;
    const s = strikeOfSlot[slot]!;
    const e = expiryOfSlot[slot]!;
    const rank = Math.floor(key / ns);
    if (rank !== lastRank) {
      lastRank = rank;
      xr++;
      ex.expiry[xr] = c.expiries[e]!;
      ex.bucket[xr] = BUCKETS[bucketOfExpiry[e]!]!;
      ex.call_wall[xr] = NaN;
      ex.put_wall[xr] = NaN;
      bestCall = 0;
      bestPut = 0;
    }
    const strike = strikes[s]!;
    const cg = call_gex[slot]!;
    const pg = put_gex[slot]!;
    t.expiry[g] = c.expiries[e]!;
    t.expiry_index[g] = e;
    t.strike[g] = strike;
    t.call_gex[g] = cg;
    t.put_gex[g] = pg;
    t.net_gex[g] = cg + pg;
    t.dex[g] = dex[slot]!;
    t.vex[g] = vex[slot]!;
    t.cex[g] = cex[slot]!;
    t.call_open_interest[g] = call_oi[slot]!;
    t.put_open_interest[g] = put_oi[slot]!;
    t.call_volume[g] = call_vol[slot]!;
    t.put_volume[g] = put_vol[slot]!;
    t.contracts[g] = BigInt(count[slot]!);
    byStrike.call_gex[s]! += cg;
    byStrike.put_gex[s]! += pg;
    byStrike.call_open_interest[s]! += call_oi[slot]!;
    byStrike.put_open_interest[s]! += put_oi[slot]!;
    ex.call_gex[xr]! += cg;
    ex.put_gex[xr]! += pg;
    ex.net_gex[xr]! += cg + pg;
    ex.dex[xr]! += dex[slot]!;
    ex.vex[xr]! += vex[slot]!;
    ex.cex[xr]! += cex[slot]!;
    ex.call_open_interest[xr]! += call_oi[slot]!;
    ex.put_open_interest[xr]! += put_oi[slot]!;
    ex.call_volume[xr]! += call_vol[slot]!;
    ex.put_volume[xr]! += put_vol[slot]!;
    ex.contracts[xr]! += BigInt(count[slot]!);
    // A strike appears once within an expiry, ascending: its walls are its extreme cells
    // (the lowest strike on a tie, as for the snapshot's walls).
    if (cg > bestCall) {
      bestCall = cg;
      ex.call_wall[xr] = strike;
    }
    if (pg < bestPut) {
      bestPut = pg;
      ex.put_wall[xr] = strike;
    }
    const b = bucketOfExpiry[e]!;
    bucketSeen[b] = true;
    bucketCall[b]![s]! += cg;
    bucketPut[b]![s]! += pg;
    bucketNet[b]! += cg + pg;
    totals.call_gex += cg;
    totals.put_gex += pg;
    totals.dex += dex[slot]!;
    totals.vex += vex[slot]!;
    totals.cex += cex[slot]!;
    totals.open_interest += call_oi[slot]! + put_oi[slot]!;
    totals.volume += call_vol[slot]! + put_vol[slot]!;
  }
  const buckets: BucketFigures[] = [];
  BUCKETS.forEach((bucket, b) => {
    if (!bucketSeen[b]) return;
    buckets.push({
      bucket,
      net_gex: bucketNet[b]!,
      call_wall: extremeStrike(strikes, bucketCall[b]!, 1),
      put_wall: extremeStrike(strikes, bucketPut[b]!, -1),
    });
  });
  return { strikes: t, expiries: ex, byStrike, buckets, totals };
}

/** Strike of the largest (sign 1) or most negative (sign -1) value; null when none is on that side of 0. */
export function extremeStrike(
  strikes: Float64Array,
  values: Float64Array,
  sign: 1 | -1,
): number | null {
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

/** How many distinct expiries the sorted cell keys hold. */
function countExpiries(sortedKeys: Float64Array, ns: number): number {
  let n = 0;
  let last = -1;
  for (const key of sortedKeys) {
    const rank = Math.floor(key / ns);
    if (rank !== last) {
      n++;
      last = rank;
    }
  }
  return n;
}

function strikeTable(rows: number, expiryValues: string[]): StrikeTable {
  const f = (): Float64Array => new Float64Array(rows);
  return {
    rows,
    expiry: new Array<string>(rows),
    expiry_values: expiryValues,
    expiry_index: new Uint32Array(rows),
    strike: f(),
    call_gex: f(),
    put_gex: f(),
    net_gex: f(),
    dex: f(),
    vex: f(),
    cex: f(),
    call_open_interest: f(),
    put_open_interest: f(),
    call_volume: f(),
    put_volume: f(),
    contracts: new BigInt64Array(rows),
  };
}

function expiryTable(rows: number): ExpiryTable {
  const f = (): Float64Array => new Float64Array(rows);
  return {
    rows,
    expiry: new Array<string>(rows),
    bucket: new Array<string>(rows),
    call_gex: f(),
    put_gex: f(),
    net_gex: f(),
    dex: f(),
    vex: f(),
    cex: f(),
    call_open_interest: f(),
    put_open_interest: f(),
    call_volume: f(),
    put_volume: f(),
    call_wall: f(),
    put_wall: f(),
    contracts: new BigInt64Array(rows),
  };
}
