// The export files of jobs the engine died storing, when no snapshot of theirs was
// stored. A run's three Parquet files are named by its job's id; a duplicate's (or a
// cancelled store's) are removed only after its transaction — so an engine killed in
// between left them in the data folder for good, files of no snapshot. The jobs the
// engine's own process was storing are known at the next start (engine-phase.ts): any
// of them not stored as its own snapshot loses its files here (one run again writes
// them anew).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXPIRIES_DATASET,
  SNAPSHOTS_DATASET,
  segment,
  underlyingFolders,
} from '../export-layout.ts';
import type { Store } from './db.ts';

/** Removes the leftover jobs' export files; returns how many were removed. */
export async function removeUnstoredExports(
  store: Store,
  dataDir: string,
  jobIds: readonly string[],
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const jobs = await store.all<{ id: string; underlying: string }>(
    `SELECT id, underlying FROM jobs
      WHERE list_contains(from_json($1, '["VARCHAR"]'), id) AND underlying IS NOT NULL
        AND NOT (status = 'completed' AND snapshot_id = id)`,
    [JSON.stringify(jobIds)],
  );
  let removed = 0;
  for (const job of jobs) {
    const name = `${segment(job.id)}.parquet`;
    for (const root of [dataDir, join(dataDir, EXPIRIES_DATASET), join(dataDir, SNAPSHOTS_DATASET)])
      for (const folder of underlyingFolders(job.underlying)) {
        const dir = join(root, folder);
        if (!existsSync(dir)) continue;
        for (const date of readdirSync(dir)) {
          const file = join(dir, date, name);
          if (!existsSync(file)) continue;
          rmSync(file, { force: true });
          removed++;
        }
      }
  }
  return removed;
}
