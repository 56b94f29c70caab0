// An engine killed after it stored a duplicate, before it removed the duplicate run's three
// Parquet files, left them in the data folder for good: files of no snapshot. The next
// engine knows the jobs the dead one was storing (its markers, engine-phase.ts) and removes
// the files of those not stored as their own snapshot. The state a kill leaves between the
// commit and the removal is made here: the duplicate's files and its marker put back.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { ownFolder } from '../../electron/engine/own-folder.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { parquetFiles } from '../system/bursts/observe.ts';
import { cliHome, runCli } from './run-cli.ts';

type Line = { job_id: string; status: string; snapshot: { id: string; parquet: string } };

describe('a duplicate whose files an engine died before removing', () => {
  it('loses them at the next start; stored snapshots keep theirs', async () => {
    const home = cliHome();
    const a = join(home.dir, 'a.csv');
    const b = join(home.dir, 'b.csv');
    const again = join(home.dir, 'a-again.csv');
    writeCboeCsv(a, { seed: 3, expiries: 3, strikesPerExpiry: 20 });
    writeCboeCsv(b, { seed: 4, expiries: 3, strikesPerExpiry: 20, underlying: 'QQQ' });
    copyFileSync(a, again);
    const ingest = async (file: string): Promise<Line> => {
      const run = await runCli([...home.args, 'ingest', '--json', file]);
      expect(run.code, run.stderr).toBe(0);
      return run.lines[0] as unknown as Line;
    };
    const first = await ingest(a);
    const dup = await ingest(again);
    expect(dup.status).toBe('duplicate');
    const stored = exportFilesOf(first.snapshot.parquet);
    const dataDir = dirname(dirname(dirname(stored.strikes)));
    // What the duplicate's run wrote, named by its job, and its marker: as a kill left them.
    const left = exportFilesOf(join(dirname(stored.strikes), `${dup.job_id}.parquet`));
    for (const k of ['strikes', 'expiries', 'snapshot'] as const) copyFileSync(stored[k], left[k]);
    const markers = ownFolder(dataDir, home.db, 'in-engine');
    mkdirSync(markers, { recursive: true });
    writeFileSync(join(markers, dup.job_id), '');
    expect(parquetFiles(dataDir)).toHaveLength(6);

    const next = await ingest(b);
    expect(next.status).toBe('completed');
    expect(parquetFiles(dataDir).sort()).toEqual(
      [...Object.values(stored), ...Object.values(exportFilesOf(next.snapshot.parquet))].sort(),
    );
  });
});
