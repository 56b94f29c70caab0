// Writes a snapshot's (expiry, strike) rows as ONE zstd Parquet file in a Hive-style
// folder, <dataDir>/underlying=SPX/date=2024-01-07/<snapshotId>.parquet, atomically:
// written under a temporary name in the same folder, then renamed. The store reads it
// with read_parquet; analysts keep it as the export.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pl from 'nodejs-polars';

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

export async function writeStrikesParquet(
  strikes: pl.DataFrame,
  meta: { dataDir: string; snapshotId: string; underlying: string; as_of: string; date: string },
): Promise<string> {
  const path = snapshotParquetPath(meta.dataDir, meta.underlying, meta.date, meta.snapshotId);
  const dir = join(path, '..');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${segment(meta.snapshotId)}.${process.pid}.${Date.now()}.tmp`);
  const frame = strikes.select(
    pl.lit(meta.snapshotId).alias('snapshot_id'),
    pl.lit(meta.underlying).alias('underlying'),
    pl.lit(meta.as_of).alias('as_of'),
    pl.col('expiry').cast(pl.Utf8),
    ...STRIKE_COLUMNS.slice(4, -1).map((c) => pl.col(c).cast(pl.Float64)),
    pl.col('contracts').cast(pl.Int64),
  );
  try {
    frame.writeParquet(tmp, { compression: 'zstd' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return path;
}
