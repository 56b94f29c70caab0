// The conventions a snapshot was computed under travel with its exports: its row in the
// `snapshots/` dataset carries them (JSON), so that a workstation attaching the folder
// reads the same conventions as the store that made it; a row file written before they
// were recorded (no such column) reads as "not recorded" (null), never as the defaults.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import { calls } from '../../shared/api.ts';
import { conventions } from '../pipeline/helpers.ts';
import { writeChain } from './chains.ts';
import { cleanupDirs, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

describe('conventions in the export metadata', () => {
  it('an attached folder’s snapshot carries the conventions it was computed under', async () => {
    const theirs = await workstation();
    const file = join(theirs.dir, 'spx.csv');
    writeChain(file, {
      underlying: 'SPX',
      asOf: '2024-01-19T10:00:00-05:00',
      spot: 4800,
      expiries: ['2024-01-26', '2024-02-16'],
      strikes: 9,
      seed: 7,
    });
    const conv = conventions({ day_count: 'act-365', rate: 0.05, contract_multiplier: 10 });
    const run = await runPipeline({
      file,
      dataDir: theirs.dataDir,
      snapshotId: randomUUID(),
      conventions: conv,
    });
    if (!run.ok) throw new Error(run.error.message);
    const saved = await saveSnapshot(theirs.store, run.value, { request_id: null, job_id: null });
    const id = saved.snapshot.id;

    // The row file holds them, as the canonical JSON the store keeps.
    const rowFile = exportFilesOf(run.value.strikesParquet).snapshot;
    const row = pl.readParquet(rowFile);
    expect(JSON.parse(String(row.toRecords()[0]!.conventions))).toEqual(conv);

    // Read back from the folder by another workstation: the same conventions as the store's.
    const mine = await workstation();
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const attached = await analytics.snapshot(id);
    if (!attached.ok) throw new Error(attached.error.message);
    calls['snapshots:get'].response.parse(attached.value);
    expect(attached.value.origin).toBe(theirs.dataDir);
    expect(attached.value.snapshot.conventions).toEqual(conv);
    const local = await new Analytics({ store: theirs.store, timeZone: NY }).snapshot(id);
    expect(local.ok && local.value.snapshot.conventions).toEqual(conv);

    // A row file written before conventions were recorded: not recorded, not the defaults.
    row.drop('conventions').writeParquet(rowFile);
    const older = await new Analytics({
      store: mine.store,
      attach: [theirs.dataDir],
      timeZone: NY,
    }).snapshot(id);
    if (!older.ok) throw new Error(older.error.message);
    expect(older.value.snapshot.conventions).toBeNull();
    expect(older.value.snapshot.total_gex).toBe(saved.snapshot.total_gex);
  });
});
