// The export files of runs whose snapshot was not stored. A run's three Parquet files
// (and, while they are written, their temporary files `.<id>.….tmp`) are named by its
// job's id; a duplicate's, a cancelled store's, a failed run's are removed after the fact
// — so an engine killed in between left them in the data folder for good, files of no
// snapshot that a workstation attaching the folder reads as snapshots. The jobs the
// engine's process had in a worker or was storing are known at the next start
// (engine-phase.ts): those not stored as their own snapshot lose their files here (a job
// that runs again writes them anew), and every one its temporary files.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EXPIRIES_DATASET,
  SNAPSHOTS_DATASET,
  segment,
  underlyingFolders,
} from '../export-layout.ts';
import type { Store } from './db.ts';

/**
 * Removes the files named by `id` in the underlying's date folders of the three datasets:
 * its temporary files, and with `final` its export files too. Returns how many went.
 * Asynchronous: after a failed run it is awaited on the engine's event loop, which a long
 * desk's thousands of files must not hold up.
 */
export async function removeRunFiles(
  dataDir: string,
  underlying: string,
  id: string,
  final: boolean,
): Promise<number> {
  const name = `${segment(id)}.parquet`;
  const temporary = (f: string) => f.startsWith(`.${segment(id)}.`) && f.endsWith('.tmp');
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const root of [dataDir, join(dataDir, EXPIRIES_DATASET), join(dataDir, SNAPSHOTS_DATASET)])
    for (const folder of underlyingFolders(underlying)) {
      const dir = join(root, folder);
      for (const date of await list(dir))
        for (const f of await list(join(dir, date)))
          if ((final && f === name) || temporary(f)) {
            await rm(join(dir, date, f), { force: true });
            removed++;
          }
    }
  return removed;
}

/** Removes what the leftover jobs' runs left that no snapshot names; returns how many files went. */
export async function removeUnstoredExports(
  store: Store,
  dataDir: string,
  jobIds: readonly string[],
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const jobs = await store.all<{
    id: string;
    underlying: string;
    snapshot_id: string | null;
    own: boolean;
  }>(
    `SELECT id, underlying, snapshot_id, (status = 'completed' AND snapshot_id = id) AS own FROM jobs
      WHERE list_contains(from_json($1, '["VARCHAR"]'), id) AND underlying IS NOT NULL`,
    [JSON.stringify([...new Set(jobIds)])],
  );
  let removed = 0;
  for (const job of jobs) {
    removed += await removeRunFiles(dataDir, job.underlying, job.id, !job.own);
    // A duplicate refreshing its stored snapshot's exports wrote temporary files of that one.
    if (job.snapshot_id && job.snapshot_id !== job.id)
      removed += await removeRunFiles(dataDir, job.underlying, job.snapshot_id, false);
  }
  return removed;
}
