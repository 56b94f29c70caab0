// Sums the contracts' exposures per (expiry, strike) cell — the rows of the Parquet
// hand-off — then per strike over all expiries, per expiry (with its walls) and per
// bucket (with its walls). The cells are SPARSE: the rows sorted by their (expiry rank,
// strike rank) key, a cell being a run of equal keys, every array sized by the rows the
// file has, never by expiries × strikes (a 60k-row file whose expiries spread over three
// centuries would otherwise ask for gigabytes). Cells come out in expiry-then-strike
// order. A map from key to cell measured 5× slower than the dense grid it replaces, and
// sorting the rows by key slower still; numberCells() takes an index over the keys when
// that is small beside the rows, and sorts only when it is not.
import type { BucketFigures, STRIKE_FIGURES } from '../../../shared/domain.ts';
import { BUCKETS } from './buckets.ts';
import type { Chain } from './chain.ts';
import type { ContractExposures } from './contract-exposures.ts';

/** The figures that add up over a strike's expiries (STRIKE_FIGURES), one column each. */
type FigureColumns = { [K in (typeof STRIKE_FIGURES)[number]]: Float64Array };

export type StrikeTable = FigureColumns & {
  rows: number;
  expiry: string[];
  /** The distinct expiries, and each row's index into them: the Parquet column is built from these. */
  expiry_values: string[];
  expiry_index: Uint32Array;
  strike: Float64Array;
  contracts: BigInt64Array;
};

/** One row per expiry that has a used contract, by date; walls NaN where there is none. */
export type ExpiryTable = FigureColumns & {
  rows: number;
  expiry: string[];
  bucket: string[];
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
  // Distinct strikes, ascending, and each one's rank (a few hundred: a map is cheap here).
  const strikeRank = new Map<number, number>();
  for (let j = 0; j < m; j++) {
    const k = c.strike[rows[j]!]!;
    if (!strikeRank.has(k)) strikeRank.set(k, 0);
  }
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

  // Each row's cell key (expiry rank, strike rank), and its cell, cells numbered in key order.
  const keys = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const i = rows[j]!;
    keys[j] = expiryRank[c.expiry[i]!]! * ns + strikeRank.get(c.strike[i]!)!;
  }
  const { cells, cellOfRow } = numberCells(keys, ne * ns);

  // Pass 1: each row into its cell, in file order.
  const t = strikeTable(cells, c.expiries);
  const count = new Int32Array(cells);
  const strikeOfCell = new Int32Array(cells);
  for (let j = 0; j < m; j++) {
    const i = rows[j]!;
    const g = cellOfRow[j]!;
    if (count[g] === 0) {
      const e = c.expiry[i]!;
      const s = keys[j]! % ns;
      strikeOfCell[g] = s;
      t.strike[g] = strikes[s]!;
      t.expiry_index[g] = e;
      t.expiry[g] = c.expiries[e]!;
    }
    count[g]!++;
    t.dex[g]! += x.dex[j]!;
    t.vex[g]! += x.vex[j]!;
    t.cex[g]! += x.cex[j]!;
    if (c.call[i]) {
      t.call_gex[g]! += x.gex[j]!;
      t.call_open_interest[g]! += c.open_interest[i]!;
      t.call_volume[g]! += c.volume[i]!;
    } else {
      t.put_gex[g]! += x.gex[j]!;
      t.put_open_interest[g]! += c.open_interest[i]!;
      t.put_volume[g]! += c.volume[i]!;
    }
  }

  // Pass 2: the cells in order (expiry, then strike), summed per strike, expiry and bucket.
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
  const ex = expiryTable(countExpiries(t.expiry_index));
  const totals = { call_gex: 0, put_gex: 0, dex: 0, vex: 0, cex: 0, open_interest: 0, volume: 0 };
  // Counted as numbers, turned into the Int64 column once per expiry (a BigInt per cell costs).
  const expiryCount = new Float64Array(ex.rows);
  let xr = -1;
  let bestCall = 0;
  let bestPut = 0;
  for (let g = 0; g < cells; g++) {
    const s = strikeOfCell[g]!;
    const e = t.expiry_index[g]!;
    if (g === 0 || e !== t.expiry_index[g - 1]) {
      xr++;
      ex.expiry[xr] = c.expiries[e]!;
      ex.bucket[xr] = BUCKETS[bucketOfExpiry[e]!]!;
      ex.call_wall[xr] = NaN;
      ex.put_wall[xr] = NaN;
      bestCall = 0;
      bestPut = 0;
    }
    const strike = t.strike[g]!;
    const cg = t.call_gex[g]!;
    const pg = t.put_gex[g]!;
    const call_oi = t.call_open_interest[g]!;
    const put_oi = t.put_open_interest[g]!;
    const call_vol = t.call_volume[g]!;
    const put_vol = t.put_volume[g]!;
    const dex = t.dex[g]!;
    const vex = t.vex[g]!;
    const cex = t.cex[g]!;
    t.net_gex[g] = cg + pg;
    t.contracts[g] = BigInt(count[g]!);
    byStrike.call_gex[s]! += cg;
    byStrike.put_gex[s]! += pg;
    byStrike.call_open_interest[s]! += call_oi;
    byStrike.put_open_interest[s]! += put_oi;
    ex.call_gex[xr]! += cg;
    ex.put_gex[xr]! += pg;
    ex.net_gex[xr]! += cg + pg;
    ex.dex[xr]! += dex;
    ex.vex[xr]! += vex;
    ex.cex[xr]! += cex;
    ex.call_open_interest[xr]! += call_oi;
    ex.put_open_interest[xr]! += put_oi;
    ex.call_volume[xr]! += call_vol;
    ex.put_volume[xr]! += put_vol;
    expiryCount[xr]! += count[g]!;
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
    totals.dex += dex;
    totals.vex += vex;
    totals.cex += cex;
    totals.open_interest += call_oi + put_oi;
    totals.volume += call_vol + put_vol;
  }
  for (let e = 0; e < ex.rows; e++) ex.contracts[e] = BigInt(expiryCount[e]!);
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

/** How many distinct expiries the cells (in expiry order) hold. */
function countExpiries(expiryOfCell: Uint32Array): number {
  let n = 0;
  for (let g = 0; g < expiryOfCell.length; g++)
    if (g === 0 || expiryOfCell[g] !== expiryOfCell[g - 1]) n++;
  return n;
}

/**
 * Numbers the distinct keys 0..cells−1 in key order and gives each row its cell. Keys below
 * `range`: when the range is small beside the rows (any real chain: 55 expiries × 460
 * strikes for 20,000 rows), an index over it (4 bytes a key, at most 8 per row); else the
 * rows sorted by key, so that memory stays proportional to the rows.
 */
function numberCells(keys: Float64Array, range: number): { cells: number; cellOfRow: Int32Array } {
  const m = keys.length;
  const cellOfRow = new Int32Array(m);
  let cells = 0;
  if (range <= 8 * m + 1024) {
    const index = new Int32Array(range);
    for (let j = 0; j < m; j++) index[keys[j]!] = 1;
    for (let k = 0; k < range; k++) if (index[k] === 1) index[k] = ++cells;
    for (let j = 0; j < m; j++) cellOfRow[j] = index[keys[j]!]! - 1;
    return { cells, cellOfRow };
  }
  const order = orderByKey(keys);
  for (let o = 0; o < m; o++) {
    if (o > 0 && keys[order[o]!] !== keys[order[o - 1]!]) cells++;
    cellOfRow[order[o]!] = cells;
  }
  return { cells: m === 0 ? 0 : cells + 1, cellOfRow };
}

/**
 * Positions 0..n−1 ordered by key, then by position (file order within equal keys). Keys and
 * positions packed into one double (key × n + position, exact below 2^53) sort natively,
 * without a comparator; only a chain with an astronomical key range takes the comparator.
 */
function orderByKey(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  let max = 0;
  for (let j = 0; j < n; j++) if (keys[j]! > max) max = keys[j]!;
  if ((max + 1) * n < 2 ** 53) {
    const packed = new Float64Array(n);
    for (let j = 0; j < n; j++) packed[j] = keys[j]! * n + j;
    packed.sort();
    for (let o = 0; o < n; o++) order[o] = packed[o]! % n;
    return order;
  }
  for (let j = 0; j < n; j++) order[j] = j;
  return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
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
