// What makes two files the same chain, whatever their bytes: a file re-saved by Excel or
// an editor (CRLF line ends, a UTF-8 BOM, rows in another order, numbers written 1.50 for
// 1.5) hashes differently, but every figure stored from it would be the same, so the store
// takes it as a duplicate, not a second snapshot (store/snapshots.ts). The fingerprint is
// the SHA-256 of what enters a stored figure, as parsed: the underlying, as_of (as written:
// it is stored as written), spot, the quality counts (rows in the file, rows dropped and
// why), and each used contract's expiry, strike, type, open interest, volume, IV, gamma and
// delta, in a canonical order and as the exact float64 values. Left out, because no figure
// reads them: bid and ask, the contract's root (beyond choosing the rows used: the counts
// above), the line it came from, and the file's format. The conventions are not in it:
// the store matches the fingerprint under the same conventions only.
import { createHash } from 'node:crypto';
import type { DataQuality } from '../../../shared/domain.ts';
import type { Chain } from './chain.ts';

/** Fields of a used contract's record: expiry and type, strike, OI, volume, IV, gamma, delta. */
const FIELDS = 7;

/** The expiry as a day number, so that the chain's list of expiries (dropped rows' too) does not matter. */
const dayOf = (expiry: string): number => Date.parse(`${expiry}T00:00:00Z`) / 86_400_000;

/**
 * The chain's fingerprint (hex SHA-256) over the rows used (`rows`, indices into
 * chain.contracts) and the quality counts. Measured on the SPX sample (20,592 rows used):
 * about 2 ms (docs/performance.md).
 */
export function chainFingerprint(
  chain: Chain,
  rows: Int32Array,
  quality: Pick<DataQuality, 'rows_total' | 'dropped'>,
): string {
  const c = chain.contracts;
  const days = c.expiries.map(dayOf);
  const order = canonicalOrder(chain, rows, days);
  const n = order.length;
  const records = new Float64Array(n * FIELDS);
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const r = j * FIELDS;
    // One form for each value: + 0 makes a -0 +0 (a NaN, no value in the file, is the
    // readers' one NaN).
    records[r] = days[c.expiry[i]!]! * 2 + c.call[i]!;
    records[r + 1] = c.strike[i]! + 0;
    records[r + 2] = c.open_interest[i]! + 0;
    records[r + 3] = c.volume[i]! + 0;
    records[r + 4] = c.iv[i]! + 0;
    records[r + 5] = c.gamma[i]! + 0;
    records[r + 6] = c.delta[i]! + 0;
  }
  const dropped = [...quality.dropped].sort((a, b) => (a.reason < b.reason ? -1 : 1));
  const head = JSON.stringify({
    underlying: chain.underlying,
    as_of: chain.as_of,
    spot: chain.spot,
    rows_total: quality.rows_total,
    dropped: dropped.map((d) => [d.reason, d.rows]),
    used: n,
  });
  return createHash('sha256')
    .update(head)
    .update('\n')
    .update(new Uint8Array(records.buffer))
    .digest('hex');
}

/**
 * The used rows (indices into chain.contracts) in a canonical order: by a hash of their
 * expiry, type, strike, open interest and IV, then, among equal hashes (the SPX sample has
 * one pair), by every field's value — so any order of the file's rows gives the same
 * sequence. The hash and a radix sort: a comparison sort of 20,000 rows takes several times
 * as long.
 */
function canonicalOrder(chain: Chain, rows: Int32Array, days: number[]): Uint32Array {
  const c = chain.contracts;
  const n = rows.length;
  const strike = wordsOf(c.strike);
  const oi = wordsOf(c.open_interest);
  const iv = wordsOf(c.iv);
  const hashes = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const i = rows[j]!;
    let h = mix(0x9747b28c, days[c.expiry[i]!]! * 2 + c.call[i]!);
    // A 0 as +0's words, whatever its sign (as the records write it).
    if (c.strike[i] !== 0) h = mix(mix(h, strike[2 * i]!), strike[2 * i + 1]!);
    if (c.open_interest[i] !== 0) h = mix(mix(h, oi[2 * i]!), oi[2 * i + 1]!);
    if (c.iv[i] !== 0) h = mix(mix(h, iv[2 * i]!), iv[2 * i + 1]!);
    hashes[j] = finish(h);
  }
  const order = byHash(hashes);
  for (let j = 0; j < n; j++) order[j] = rows[order[j]!]!;
  for (let a = 0; a < n;) {
    let b = a + 1;
    while (b < n && hashes[b] === hashes[a]) b++;
    if (b - a > 1) {
      const run = Array.from(order.subarray(a, b)).sort((x, y) => compareRows(chain, days, x, y));
      order.set(run, a);
    }
    a = b;
  }
  return order;
}

const wordsOf = (a: Float64Array): Uint32Array =>
  new Uint32Array(a.buffer, a.byteOffset, a.length * 2);

/** murmur3's mixing of one 32-bit word into the hash… */
function mix(h: number, word: number): number {
  let w = Math.imul(word, 0xcc9e2d51);
  w = (w << 15) | (w >>> 17);
  h ^= Math.imul(w, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** …and its finish. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Sorts `hashes` in place (ascending) and answers the indices 0…n-1 in that order: a
 * radix sort, three stable passes of 11 bits.
 */
function byHash(hashes: Uint32Array): Uint32Array {
  const n = hashes.length;
  let from = new Uint32Array(n);
  for (let j = 0; j < n; j++) from[j] = j;
  let to = new Uint32Array(n);
  const counts = new Uint32Array(2049);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let j = 0; j < n; j++) counts[((hashes[j]! >>> shift) & 0x7ff) + 1]!++;
    for (let b = 1; b < 2049; b++) counts[b]! += counts[b - 1]!;
    for (let j = 0; j < n; j++) {
      const i = from[j]!;
      to[counts[(hashes[i]! >>> shift) & 0x7ff]!++] = i;
    }
    const t = from;
    from = to;
    to = t;
  }
  for (let j = 0; j < n; j++) to[j] = hashes[from[j]!]!;
  hashes.set(to);
  return from;
}

/** Two rows' order by their fields' values (a NaN after every number; -0 as 0). */
function compareRows(chain: Chain, days: number[], x: number, y: number): number {
  const c = chain.contracts;
  const fields = [c.strike, c.open_interest, c.volume, c.iv, c.gamma, c.delta];
  let d = days[c.expiry[x]!]! * 2 + c.call[x]! - (days[c.expiry[y]!]! * 2 + c.call[y]!);
  for (let f = 0; d === 0 && f < fields.length; f++)
    d = compareValues(fields[f]![x]!, fields[f]![y]!);
  return d;
}

function compareValues(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
