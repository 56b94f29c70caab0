// Writes a snapshot's exports as zstd Parquet files in three Hive-style datasets under
// the data folder, each atomically (written under a temporary name in the same folder,
// then renamed):
//   <dataDir>/underlying=SPX/date=2024-01-07/<id>.parquet            (expiry, strike) rows
//   <dataDir>/expiries/underlying=SPX/date=2024-01-07/<id>.parquet   one row per expiry
//   <dataDir>/snapshots/underlying=SPX/date=2024-01-07/<id>.parquet  the snapshot's one row
// The store reads the first two with read_parquet; analysts keep all three as the export,
// and another workstation can attach the folder read-only (electron/engine/analytics/).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ExpiryTable, StrikeTable } from './aggregate.ts';
import { datasetPath, EXPIRIES_DATASET, snapshotParquetPath } from '../export-layout.ts';
import {
  constantStringSeries,
  float64Series,
  indexedStringSeries,
  int64Series,
  nativeDataFrame,
  optFloat64Series,
  optInt64Series,
  stringSeries,
  type NativeDataFrame,
} from './polars-native.ts';
import { makeDirs } from '../make-dirs.ts';
import { asDiskFull } from '../disk-full.ts';

/** Column order of the strike file (the store's INSERT … SELECT names its columns). */
export const STRIKE_COLUMNS = [
  'snapshot_id',
  'underlying',
  'as_of',
  'expiry',
  'strike',
  'call_gex',
  'put_gex',
  'net_gex',
  'call_open_interest',
  'put_open_interest',
  'call_volume',
  'put_volume',
  'contracts',
  'dex',
  'vex',
  'cex',
] as const;

type Meta = { snapshotId: string; underlying: string; as_of: string };

/**
 * The hand-off frame, built column by column from the typed arrays (no per-row expressions,
 * no type inference) through Polars' native calls: see polars-native.ts for why.
 */
export function strikesFrame(t: StrikeTable, meta: Meta): NativeDataFrame {
  return nativeDataFrame([
    constantStringSeries('snapshot_id', meta.snapshotId, t.rows),
    constantStringSeries('underlying', meta.underlying, t.rows),
    constantStringSeries('as_of', meta.as_of, t.rows),
    indexedStringSeries('expiry', t.expiry_values, t.expiry_index),
    float64Series('strike', t.strike),
    float64Series('call_gex', t.call_gex),
    float64Series('put_gex', t.put_gex),
    float64Series('net_gex', t.net_gex),
    float64Series('call_open_interest', t.call_open_interest),
    float64Series('put_open_interest', t.put_open_interest),
    float64Series('call_volume', t.call_volume),
    float64Series('put_volume', t.put_volume),
    int64Series('contracts', t.contracts),
    float64Series('dex', t.dex),
    float64Series('vex', t.vex),
    float64Series('cex', t.cex),
  ]);
}

const nanToNull = (values: Float64Array): (number | null)[] =>
  Array.from(values, (v) => (Number.isNaN(v) ? null : v));

export function expiriesFrame(t: ExpiryTable, meta: Meta): NativeDataFrame {
  return nativeDataFrame([
    constantStringSeries('snapshot_id', meta.snapshotId, t.rows),
    constantStringSeries('underlying', meta.underlying, t.rows),
    constantStringSeries('as_of', meta.as_of, t.rows),
    stringSeries('expiry', t.expiry),
    stringSeries('bucket', t.bucket),
    float64Series('call_gex', t.call_gex),
    float64Series('put_gex', t.put_gex),
    float64Series('net_gex', t.net_gex),
    float64Series('dex', t.dex),
    float64Series('vex', t.vex),
    float64Series('cex', t.cex),
    float64Series('call_open_interest', t.call_open_interest),
    float64Series('put_open_interest', t.put_open_interest),
    float64Series('call_volume', t.call_volume),
    float64Series('put_volume', t.put_volume),
    optFloat64Series('call_wall', nanToNull(t.call_wall)),
    optFloat64Series('put_wall', nanToNull(t.put_wall)),
    int64Series('contracts', t.contracts),
  ]);
}

/** One value per column of the snapshot's row: strings, numbers (null allowed), or whole numbers. */
export type SnapshotRow = Record<string, string | number | bigint | null>;

/** The snapshot file's one row, each column of the type given (int: Int64, safe integers only). */
export function snapshotFrame(
  row: SnapshotRow,
  types: Record<string, 'string' | 'float' | 'int'>,
): NativeDataFrame {
  return nativeDataFrame(
    Object.entries(types).map(([name, type]) => {
      const v = row[name] ?? null;
      if (type === 'string') return stringSeries(name, [v === null ? null : String(v)]);
      if (type === 'int') return optInt64Series(name, [v === null ? null : Number(v)]);
      return optFloat64Series(name, [v === null ? null : Number(v)]);
    }),
  );
}

/**
 * Folders this process has made (or found) for the hand-off. An async mkdir is a round trip
 * through libuv's thread pool, 0.5–5 ms on a loaded machine, for a folder that exists from
 * the second snapshot of an (underlying, date) on; a folder removed behind our back is made
 * again on the write that fails.
 */
const madeDirs = new Set<string>();
function ensureDir(dir: string): void {
  if (madeDirs.has(dir)) return;
  makeDirs(dir);
  if (madeDirs.size >= 10_000) madeDirs.clear();
  madeDirs.add(dir);
}

/**
 * Writes, then renames into place, synchronously: Polars' writer blocks anyway, and the sync
 * rename saves a thread-pool round trip (runs inside a pipeline worker, one task at a time).
 */
export function writeFrameAtomically(frame: NativeDataFrame, path: string): void {
  const dir = dirname(path);
  // Named after its file (`.<id>.parquet.…`): what a killed process left is found by its id.
  const tmp = join(
    dir,
    `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  const known = madeDirs.has(dir);
  ensureDir(dir);
  try {
    try {
      frame.writeParquet(tmp, 'zstd');
    } catch (e) {
      if (!known || existsSync(dir)) throw e;
      madeDirs.delete(dir);
      ensureDir(dir);
      frame.writeParquet(tmp, 'zstd');
    }
    renameSync(tmp, path);
  } catch (e) {
    // Told before the partial file goes (which frees the space it filled).
    const why = asDiskFull(e, dir);
    rmSync(tmp, { force: true });
    throw why;
  }
}

export async function writeStrikesParquet(
  strikes: StrikeTable,
  meta: { dataDir: string; snapshotId: string; underlying: string; as_of: string; date: string },
): Promise<string> {
  const path = snapshotParquetPath(meta.dataDir, meta.underlying, meta.date, meta.snapshotId);
  writeFrameAtomically(strikesFrame(strikes, meta), path);
  return path;
}

export async function writeExpiriesParquet(
  expiries: ExpiryTable,
  meta: { dataDir: string; snapshotId: string; underlying: string; as_of: string; date: string },
): Promise<string> {
  const path = datasetPath(
    EXPIRIES_DATASET,
    meta.dataDir,
    meta.underlying,
    meta.date,
    meta.snapshotId,
  );
  writeFrameAtomically(expiriesFrame(expiries, meta), path);
  return path;
}
