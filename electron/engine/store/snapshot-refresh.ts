// A snapshot stored before schema version 3 has no exposures, expiries or buckets. When
// its file is ingested again, the run is a duplicate of it, and its measures come from
// that run: the snapshot keeps its id, figures and history; its new columns are set, its
// strike rows replaced (the same cells, now with dex, vex and cex), its expiry and bucket
// rows added, all in the transaction that completes the job; and its exports are
// rewritten under its own id and created_at (written to temporary files inside the transaction with
// DuckDB's COPY, renamed into place after the commit, removed after a rollback).
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { conventionsKey, type GEXSnapshot } from '../../../shared/domain.ts';
import type { PipelineOutput } from '../../../shared/pipeline.ts';
import { exportFilesIn, exportRootOf } from '../export-layout.ts';
import type { Tx } from './db.ts';
import { insertDetail } from './snapshot-insert.ts';
import { makeDirs } from '../make-dirs.ts';

export interface Refresh {
  /** After the commit: the rewritten exports take their places. */
  commit(): void;
  /** After a rollback: the temporary files go. */
  abort(): void;
}

const sqlText = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export async function refreshMeasures(
  tx: Tx,
  existing: GEXSnapshot,
  output: PipelineOutput,
): Promise<Refresh> {
  const id = existing.id;
  const m = output.measures;
  const moves = await rewriteExports(tx, existing, output);
  await tx.run(
    `UPDATE gex_snapshots SET measures_version = $2, absolute_gamma_strike = $3, exposure_gex = $4, exposure_dex = $5,
       exposure_vex = $6, exposure_cex = $7, quality = $8::JSON WHERE id = $1`,
    [
      id,
      m.measures_version,
      m.absolute_gamma_strike,
      m.exposures.gex,
      m.exposures.dex,
      m.exposures.vex,
      m.exposures.cex,
      JSON.stringify(output.snapshot.quality),
    ],
  );
  for (const table of ['gex_strikes', 'gex_expiries', 'gex_buckets'])
    await tx.run(`DELETE FROM ${table} WHERE snapshot_id = $1`, [id]);
  await insertDetail(tx, id, output);
  return {
    // The store is the truth and has committed: an export that cannot take its place keeps
    // the older file (without the new columns), never fails the job that stored it.
    commit: () =>
      moves.forEach(([tmp, path]) => {
        try {
          renameSync(tmp, path);
        } catch {
          rmSync(tmp, { force: true });
        }
      }),
    abort: () => moves.forEach(([tmp]) => rmSync(tmp, { force: true })),
  };
}

/**
 * The run's three export files, copied under the stored snapshot's id (and source file) to
 * temporary files beside the stored snapshot's own paths: [temporary, final] pairs.
 */
async function rewriteExports(
  tx: Tx,
  existing: GEXSnapshot,
  output: PipelineOutput,
): Promise<[string, string][]> {
  if (existing.parquet === output.strikesParquet) return [];
  // In the data folder the run wrote to: the one in use.
  const stored = exportFilesIn(exportRootOf(output.strikesParquet), existing.parquet);
  const files: [string, string, string][] = [
    [output.strikesParquet, stored.strikes, `${sqlText(existing.id)} AS snapshot_id`],
    [output.expiriesParquet, stored.expiries, `${sqlText(existing.id)} AS snapshot_id`],
    [
      output.snapshotParquet,
      stored.snapshot,
      // Its own created_at too: the rewritten row keeps the snapshot's place among others
      // of the same as_of on a desk that attaches this folder (analytics/snapshot-order.ts);
      // and its own conventions: one stored before they were recorded stays "not recorded"
      // there as it does here, not the run's.
      `${sqlText(existing.id)} AS snapshot_id, ${sqlText(existing.source_file)} AS source_file, ` +
        `${Date.parse(existing.created_at)}::BIGINT AS created_at_ms, ` +
        `${existing.conventions === null ? 'NULL' : sqlText(conventionsKey(existing.conventions))}::VARCHAR AS conventions`,
    ],
  ];
  const moves: [string, string][] = [];
  try {
    for (const [from, to, replace] of files) {
      makeDirs(dirname(to));
      const tmp = join(dirname(to), `.${existing.id}.${process.pid}.${Date.now()}.refresh.tmp`);
      moves.push([tmp, to]);
      await tx.run(
        `COPY (SELECT * REPLACE (${replace}) FROM read_parquet(${sqlText(from)}, hive_partitioning = false))
           TO ${sqlText(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    }
  } catch (e) {
    moves.forEach(([tmp]) => rmSync(tmp, { force: true }));
    throw e;
  }
  return moves;
}
