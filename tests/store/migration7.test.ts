// Migration 7 on a database written by version 6: its snapshots are kept, figure for
// figure, with conventions NULL (not recorded: the ones they were made under are not
// known); content_hash alone is no longer unique — the same bytes under other conventions
// are another snapshot, a duplicate only under the same ones — and the engine's intake
// memory tells them apart the same way. A snapshot stored before conventions were recorded
// stays the duplicate of its content, as it was (its figures are what that content gave).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IntakeMemory } from '../../electron/engine/intake/memory.ts';
import { Store, type Tx } from '../../electron/engine/store/db.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { getSnapshot, listSnapshots, saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import { conventionsKey, type GexConventions } from '../../shared/domain.ts';
import type { PipelineOutput } from '../../shared/pipeline.ts';
import { writeChain } from '../analytics/chains.ts';
import { cleanupDirs, pipeline, workstation } from '../analytics/helpers.ts';
import { conventions } from '../pipeline/helpers.ts';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';

afterAll(cleanupDirs);

/** The row version 6 stored for a run (no conventions column then). */
async function saveAsVersion6(store: Store, o: PipelineOutput): Promise<void> {
  const s = o.snapshot;
  const m = o.measures;
  await store.transaction(async (tx: Tx) => {
    await tx.run(
      `INSERT INTO gex_snapshots (id, underlying, as_of, as_of_text, spot, contracts, total_gex, call_gex, put_gex,
         zero_gamma, call_wall, put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format,
         source_file, parquet, created_at, measures_version, absolute_gamma_strike, exposure_gex, exposure_dex,
         exposure_vex, exposure_cex)
       VALUES ($1, $2, $3::TIMESTAMPTZ, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::JSON, $16, $17,
         $18, $19, now(), $20, $21, $22, $23, $24, $25)`,
      [
        s.id,
        s.underlying,
        s.as_of,
        s.spot,
        s.contracts,
        s.total_gex,
        s.call_gex,
        s.put_gex,
        s.zero_gamma,
        s.call_wall,
        s.put_wall,
        s.max_pain,
        s.total_open_interest,
        s.total_volume,
        JSON.stringify(s.quality),
        s.content_hash,
        s.format,
        s.source_file,
        s.parquet,
        m.measures_version,
        m.absolute_gamma_strike,
        m.exposures.gex,
        m.exposures.dex,
        m.exposures.vex,
        m.exposures.cex,
      ],
    );
  });
}

// The multiplier moves the figures of a chain that carries its gammas, as the day count does one without.
const ACT: GexConventions = conventions({ day_count: 'act-365', contract_multiplier: 10 });

async function run(dataDir: string, file: string, conv: GexConventions): Promise<PipelineOutput> {
  const r = await runPipeline({ file, dataDir, snapshotId: randomUUID(), conventions: conv });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('migration 7 from a version-6 database', () => {
  it('keeps old snapshots with conventions not recorded, and makes (content, conventions) the unique key', async () => {
    const old = await workstation(MIGRATIONS.filter((m) => m.version <= 6));
    expect(await old.store.schemaVersion()).toBe(6);
    const oldFile = join(old.dir, 'old.csv');
    writeChain(oldFile, {
      underlying: 'SPX',
      asOf: '2024-01-19T10:00:00-05:00',
      spot: 4800,
      expiries: ['2024-01-26', '2024-02-16'],
      strikes: 9,
      seed: 4,
    });
    const oldRun = await pipeline(old, oldFile, 'old-spx');
    await saveAsVersion6(old.store, oldRun);
    const FIGURES = `SELECT * EXCLUDE (created_at, as_of) FROM gex_snapshots ORDER BY id`;
    const before = await old.store.all(FIGURES);
    await old.store.close();

    const opened = await Store.open(old.dbPath);
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(7);
    // The old row, figure for figure; its conventions not recorded.
    expect(await store.all(FIGURES)).toEqual(
      before.map((r) => ({ ...r, conventions: null, chain_fingerprint: null })),
    );
    expect((await listSnapshots(store, { limit: 10 })).map((s) => s.id)).toEqual(['old-spx']);
    expect((await getSnapshot(store, 'old-spx'))?.conventions).toBeNull();

    // The old content again, under any conventions: the old snapshot, as before.
    const oldAgain = await saveSnapshot(store, await run(old.dataDir, oldFile, ACT), {
      request_id: null,
      job_id: null,
    });
    expect(oldAgain).toMatchObject({ status: 'duplicate', snapshot: { id: 'old-spx' } });
    for (const conv of [conventions(), ACT])
      expect(
        (await IntakeMemory.load(store, conv)).context({
          content_hash: oldRun.snapshot.content_hash,
          underlying: 'SPX',
          source: 'x',
          arrivedMs: Date.now(),
        }).duplicate?.id,
      ).toBe('old-spx');

    // New content: one snapshot per conventions, each its own duplicate.
    const newFile = join(old.dir, 'new.csv');
    writeChain(newFile, {
      underlying: 'SPX',
      asOf: '2024-01-22T10:00:00-05:00',
      spot: 4850,
      expiries: ['2024-02-16', '2024-03-15'],
      strikes: 9,
      seed: 5,
    });
    const underAct = await saveSnapshot(store, await run(old.dataDir, newFile, ACT), {
      request_id: null,
      job_id: null,
    });
    expect(underAct.status).toBe('completed');
    expect(underAct.snapshot.conventions).toEqual(ACT);
    const underDefaults = await saveSnapshot(
      store,
      await run(old.dataDir, newFile, conventions()),
      { request_id: null, job_id: null },
    );
    expect(underDefaults.status).toBe('completed');
    expect(underDefaults.snapshot.id).not.toBe(underAct.snapshot.id);
    expect(underDefaults.snapshot.total_gex).not.toBe(underAct.snapshot.total_gex);
    expect((await getSnapshot(store, underDefaults.snapshot.id))?.conventions).toEqual(
      conventions(),
    );
    const actAgain = await saveSnapshot(store, await run(old.dataDir, newFile, ACT), {
      request_id: null,
      job_id: null,
    });
    expect(actAgain).toMatchObject({
      status: 'duplicate',
      snapshot: { id: underAct.snapshot.id, conventions: ACT },
    });
    const stored = await store.all<{ conventions: string }>(
      `SELECT conventions::VARCHAR AS conventions FROM gex_snapshots
       WHERE content_hash = $1 ORDER BY conventions`,
      [underAct.snapshot.content_hash],
    );
    expect(stored.map((r) => r.conventions).sort()).toEqual(
      [conventionsKey(ACT), conventionsKey(conventions())].sort(),
    );

    // The engine's memory, loaded from the store or kept by the events, goes by both.
    const ask = (m: IntakeMemory) =>
      m.context({
        content_hash: underAct.snapshot.content_hash,
        underlying: 'SPX',
        source: 'x',
        arrivedMs: Date.now(),
      }).duplicate?.id ?? null;
    expect(ask(await IntakeMemory.load(store, ACT))).toBe(underAct.snapshot.id);
    expect(ask(await IntakeMemory.load(store, conventions()))).toBe(underDefaults.snapshot.id);
    const other = conventions({ rate: 0.05 });
    expect(ask(await IntakeMemory.load(store, other))).toBeNull();
    const kept6 = new IntakeMemory(other);
    kept6.onSnapshot(underAct.snapshot);
    expect(ask(kept6)).toBeNull();
    kept6.onSnapshot({ ...underAct.snapshot, id: 'same-conv', conventions: other });
    expect(ask(kept6)).toBe('same-conv');
    kept6.onSnapshotRemoved({ ...underAct.snapshot, id: 'same-conv' });
    expect(ask(kept6)).toBeNull();
    await store.close();
  });
});
