// The rows of a snapshot beside its gex_snapshots row: (expiry, strike) cells and
// expiries from the run's Parquet files, buckets from its measures. Shared by a new
// snapshot and by one whose measures are brought up to date (snapshot-refresh.ts).
import type { PipelineOutput } from '../../../shared/pipeline.ts';
import type { Tx } from './db.ts';

/** Stored under `id`; INSERT … BY NAME, so later migrations may add columns. */
export async function insertDetail(tx: Tx, id: string, output: PipelineOutput): Promise<void> {
  await tx.run(
    `INSERT INTO gex_strikes BY NAME
       SELECT $2 AS snapshot_id, CAST(expiry AS DATE) AS expiry, strike, call_gex, put_gex, net_gex, dex, vex, cex,
         call_open_interest, put_open_interest, call_volume, put_volume, CAST(contracts AS BIGINT) AS contracts
       FROM read_parquet($1, hive_partitioning = false)`,
    [output.strikesParquet, id],
  );
  await tx.run(
    `INSERT INTO gex_expiries BY NAME
       SELECT $2 AS snapshot_id, CAST(expiry AS DATE) AS expiry, bucket, call_gex, put_gex, net_gex, dex, vex, cex,
         call_open_interest, put_open_interest, call_volume, put_volume, call_wall, put_wall,
         CAST(contracts AS BIGINT) AS contracts
       FROM read_parquet($1, hive_partitioning = false)`,
    [output.expiriesParquet, id],
  );
  const buckets = output.measures.buckets;
  if (buckets.length === 0) return;
  const values = buckets
    .map((_, i) => `($1, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}, $${i * 4 + 5})`)
    .join(', ');
  await tx.run(
    `INSERT INTO gex_buckets (snapshot_id, bucket, net_gex, call_wall, put_wall) VALUES ${values}`,
    [id, ...buckets.flatMap((b) => [b.bucket, b.net_gex, b.call_wall, b.put_wall])],
  );
}
