// Writes a snapshot's (expiry, strike) rows as ONE zstd Parquet file in a Hive-style
// folder, <dataDir>/underlying=SPX/date=2024-01-07/<snapshotId>.parquet, atomically:
// written under a temporary name in the same folder, then renamed. The store reads it
// with read_parquet; analysts keep it as the export.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StrikeTable } from './gex.ts';
import { constantStringSeries, float64Series, indexedStringSeries, int64Series, nativeDataFrame, type NativeDataFrame } from './polars-native.ts';

/** Column order of the hand-off file (the store's INSERT … SELECT depends on the names). */
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
] as const;

/** A path segment safe on every OS (tickers like BRK.B stay readable). */
const segment = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');

export function snapshotParquetPath(dataDir: string, underlying: string, date: string, snapshotId: string): string {
  return join(dataDir, `underlying=${segment(underlying)}`, `date=${segment(date)}`, `${segment(snapshotId)}.parquet`);
}

/**
 * The hand-off frame, built column by column from the typed arrays (no per-row expressions,
 * no type inference) through Polars' native calls: see polars-native.ts for why.
 */
export function strikesFrame(t: StrikeTable, meta: { snapshotId: string; underlying: string; as_of: string }): NativeDataFrame {
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
  ]);
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
  mkdirSync(dir, { recursive: true });
  if (madeDirs.size >= 10_000) madeDirs.clear();
  madeDirs.add(dir);
}

/**
 * Writes, then renames into place, synchronously: Polars' writer blocks anyway, and the sync
 * rename saves a thread-pool round trip (runs inside a pipeline worker, one task at a time).
 */
export async function writeStrikesParquet(
  strikes: StrikeTable,
  meta: { dataDir: string; snapshotId: string; underlying: string; as_of: string; date: string },
): Promise<string> {
  const path = snapshotParquetPath(meta.dataDir, meta.underlying, meta.date, meta.snapshotId);
  const dir = dirname(path);
  const tmp = join(dir, `.${segment(meta.snapshotId)}.${process.pid}.${Date.now()}.tmp`);
  const frame = strikesFrame(strikes, meta);
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
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}
