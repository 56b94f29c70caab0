// Migration 3 on a database written by version 2 (built with the old migrations and the
// old statements): old snapshots are kept and say that their new measures are missing;
// ingesting the same file again brings them, under the old snapshot's id, in the store and
// in its Parquet exports.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { calls } from '../../shared/api.ts';
import { EXPIRIES_DATASET, SNAPSHOTS_DATASET } from '../../electron/engine/export-layout.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import {
  countSnapshots,
  listSnapshots,
  saveSnapshot,
} from '../../electron/engine/store/snapshots.ts';
import { IntakeMemory } from '../../electron/engine/intake/memory.ts';
import { writeChain } from '../analytics/chains.ts';
import { cleanupDirs, pipeline, saveAsVersion2, workstation } from '../analytics/helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

describe('migration 3 from a version-2 database', () => {
  it('keeps old snapshots, marks their missing measures, and fills them when the same file is ingested again', async () => {
    const old = await workstation(MIGRATIONS.slice(0, 2));
    expect(await old.store.schemaVersion()).toBe(2);
    const spxFile = join(old.dir, 'spx.csv');
    writeChain(spxFile, {
      underlying: 'SPX',
      asOf: '2024-01-19T10:00:00-05:00',
      spot: 4800,
      expiries: ['2024-01-19', '2024-01-26', '2024-02-16'],
      strikes: 15,
      seed: 2,
    });
    const ndxFile = join(old.dir, 'ndx.csv');
    writeChain(ndxFile, {
      underlying: 'NDX',
      asOf: '2024-01-18T10:00:00-05:00',
      spot: 17000,
      expiries: ['2024-02-16'],
      strikes: 9,
      seed: 3,
    });
    const spxOld = await pipeline(old, spxFile, 'old-spx');
    const ndxOld = await pipeline(old, ndxFile, 'old-ndx');
    await saveAsVersion2(old.store, spxOld);
    await saveAsVersion2(old.store, ndxOld);
    await old.store.close();

    const opened = await Store.open(old.dbPath);
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    const listed = await listSnapshots(store, { limit: 10 });
    expect(listed.map((s) => s.id).sort()).toEqual(['old-ndx', 'old-spx']);
    expect(await countSnapshots(store)).toBe(2);
    expect(listed.find((s) => s.id === 'old-spx')).toMatchObject({
      total_gex: spxOld.snapshot.total_gex,
      zero_gamma: spxOld.snapshot.zero_gamma,
      call_wall: spxOld.snapshot.call_wall,
    });

    const analytics = new Analytics({ store, timeZone: NY });
    const before = await analytics.snapshot('old-spx');
    if (!before.ok) throw new Error(before.error.message);
    calls['snapshots:get'].response.parse(before.value);
    expect(before.value).toMatchObject({
      exposures: null,
      absolute_gamma_strike: null,
      buckets: null,
      measures_version: null,
    });
    expect(before.value.note).toMatch(/before schema version 3.*ingest the same file again/);
    expect(before.value.strikes.length).toBeGreaterThan(0);
    expect(
      before.value.strikes.every(
        (s) => s.dex === null && s.vex === null && s.cex === null && s.net_gex !== null,
      ),
    ).toBe(true);
    expect(before.value.expiries.map((e) => e.bucket)).toEqual([null, null, null]);
    expect(before.value.profile).toHaveLength(60);
    const history = await analytics.history({ underlying: 'SPX' });
    expect(history.ok && history.value.rows[0]).toMatchObject({
      id: 'old-spx',
      dex: null,
      vex: null,
      cex: null,
      note: before.value.note,
    });
    const levels = await analytics.levels();
    expect(
      levels.ok && levels.value.rows.map((l) => [l.id, l.absolute_gamma_strike, l.note]),
    ).toEqual([
      ['old-ndx', null, before.value.note],
      ['old-spx', null, before.value.note],
    ]);
    // A new request with the same content is not a duplicate yet: its file runs again.
    const ctx = async () =>
      (await IntakeMemory.load(store)).context({
        content_hash: spxOld.snapshot.content_hash,
        underlying: 'SPX',
        source: 'x',
        arrivedMs: Date.now(),
      });
    expect((await ctx()).duplicate).toBeNull();

    // Ingested again (a job with its own id): a duplicate of old-spx, which gets the measures.
    const again = await pipeline({ dataDir: old.dataDir }, spxFile, 'job-2');
    const saved = await saveSnapshot(store, again, { request_id: null, job_id: 'job-2' });
    expect(saved).toMatchObject({
      status: 'duplicate',
      refreshed: true,
      snapshot: { id: 'old-spx' },
    });
    expect((await ctx()).duplicate?.id).toBe('old-spx');
    const after = await analytics.snapshot('old-spx');
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value).toMatchObject({
      note: null,
      measures_version: 3,
      exposures: again.measures.exposures,
      absolute_gamma_strike: again.measures.absolute_gamma_strike,
      buckets: again.measures.buckets,
    });
    expect(after.value.snapshot).toMatchObject({
      id: 'old-spx',
      total_gex: spxOld.snapshot.total_gex,
      source_file: spxFile,
    });
    expect(after.value.expiries.map((e) => e.bucket)).toEqual(['0dte', 'weekly', 'monthly']);
    expect(after.value.strikes.map((s) => s.strike)).toEqual(
      before.value.strikes.map((s) => s.strike),
    );
    expect(after.value.strikes.every((s) => s.dex !== null)).toBe(true);
    const dexSum = after.value.strikes.reduce((n, s) => n + s.dex!, 0);
    expect(Math.abs(dexSum - again.measures.exposures.dex)).toBeLessThan(
      1e-6 * Math.abs(again.measures.exposures.dex),
    );
    const cells = await store.one<{ n: bigint }>(
      `SELECT count(*) AS n FROM gex_strikes WHERE snapshot_id = 'old-spx'`,
    );
    expect(Number(cells!.n)).toBe(pl.readParquet(spxOld.strikesParquet).height);

    // Its exports, under its own id, with the new columns; the second run's files are gone.
    const strikes = pl.readParquet(spxOld.strikesParquet);
    expect(strikes.columns).toEqual(expect.arrayContaining(['dex', 'vex', 'cex']));
    expect([...new Set(strikes.getColumn('snapshot_id').toArray())]).toEqual(['old-spx']);
    const rel = spxOld.strikesParquet.slice(old.dataDir.length + 1);
    const row = pl.readParquet(join(old.dataDir, SNAPSHOTS_DATASET, rel)).toRecords()[0]!;
    expect(row).toMatchObject({
      snapshot_id: 'old-spx',
      measures_version: 3,
      source_file: spxFile,
      exposure_dex: again.measures.exposures.dex,
    });
    expect(
      pl
        .readParquet(join(old.dataDir, EXPIRIES_DATASET, rel))
        .getColumn('snapshot_id')
        .toArray(),
    ).toEqual(['old-spx', 'old-spx', 'old-spx']);
    for (const p of [again.strikesParquet, again.expiriesParquet, again.snapshotParquet])
      expect(existsSync(p)).toBe(false);

    // The other old snapshot still says what it misses; a third ingest is a plain duplicate.
    const ndx = await analytics.snapshot('old-ndx');
    expect(ndx.ok && ndx.value.note).toBe(before.value.note);
    const third = await saveSnapshot(
      store,
      await pipeline({ dataDir: old.dataDir }, spxFile, 'job-3'),
      { request_id: null, job_id: 'job-3' },
    );
    expect(third.status).toBe('duplicate');
    expect(third.refreshed).toBeUndefined();
    await store.close();
  });
});
