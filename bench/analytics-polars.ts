// History and levels as one nodejs-polars lazy scan of the whole snapshots dataset (a glob
// with a Hive filter), measured beside the engine's partition-pruned reader and DuckDB
// (analytics.bench.ts), which checks that every variant gives the engine's answer.
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { SNAPSHOTS_DATASET } from '../electron/engine/export-layout.ts';

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

/** Levels from given files as one lazy concat of single-file scans (what the engine avoids). */
export async function polarsLevelsConcat(files: string[]): Promise<Record<string, unknown>[]> {
  const frame = await pl
    .concat(
      files.map((f) => pl.scanParquet(f).select(...SUMMARY)),
      { how: 'vertical' },
    )
    .sort('as_of_ms', true)
    .groupBy('underlying')
    .agg(pl.all().first())
    .sort('underlying')
    .collect();
  return frame.toRecords();
}

/** Diff of two strike files read at once: per strike, B − A, strikes where anything changed. */
export function polarsDiff(fileA: string, fileB: string): Record<string, unknown>[] {
  const side = (f: string, s: string) =>
    pl
      .readParquet(f, { columns: ['strike', 'net_gex', 'call_open_interest', 'put_open_interest'] })
      .groupBy('strike')
      .agg(
        pl.col('net_gex').sum().alias(`n${s}`),
        pl.col('call_open_interest').sum().alias(`c${s}`),
        pl.col('put_open_interest').sum().alias(`p${s}`),
      );
  return side(fileA, 'a')
    .join(side(fileB, 'b'), { on: 'strike', how: 'full', coalesce: true })
    .fillNull(0)
    .select(
      pl.col('strike'),
      pl.col('nb').minus(pl.col('na')).alias('dn'),
      pl.col('cb').minus(pl.col('ca')).alias('dc'),
      pl.col('pb').minus(pl.col('pa')).alias('dp'),
    )
    .filter(pl.col('dn').neq(0).or(pl.col('dc').neq(0)).or(pl.col('dp').neq(0)))
    .sort('strike')
    .toRecords();
}
