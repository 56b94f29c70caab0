// History and levels as one nodejs-polars lazy scan of the whole snapshots dataset (a glob
// with a Hive filter), measured beside the engine's partition-pruned reader and DuckDB
// (analytics.bench.ts), which checks that every variant gives the engine's answer.
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { SNAPSHOTS_DATASET } from '../electron/engine/pipeline/parquet-out.ts';

const SUMMARY = [
  'snapshot_id',
  'underlying',
  'as_of',
  'as_of_ms',
  'spot',
  'total_gex',
  'zero_gamma',
  'call_wall',
  'put_wall',
  'exposure_dex',
  'exposure_vex',
  'exposure_cex',
];

/** History through the whole dataset's glob, the underlying filtered on its Hive column. */
export function polarsHistoryGlob(root: string, underlying: string): Record<string, unknown>[] {
  return pl
    .scanParquet(join(root, SNAPSHOTS_DATASET, '**', '*.parquet'), { hivePartitioning: true })
    .filter(pl.col('underlying').eq(pl.lit(underlying)))
    .select(...SUMMARY)
    .sort('as_of_ms')
    .collectSync()
    .toRecords();
}

/** Levels: every snapshot row scanned, the latest per underlying. */
export function polarsLevels(root: string): Record<string, unknown>[] {
  return pl
    .scanParquet(join(root, SNAPSHOTS_DATASET, '**', '*.parquet'), { hivePartitioning: false })
    .select(...SUMMARY)
    .sort('as_of_ms', true)
    .groupBy('underlying')
    .agg(pl.all().first())
    .sort('underlying')
    .collectSync()
    .toRecords();
}
