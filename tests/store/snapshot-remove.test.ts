// Removing a snapshot ingested by mistake (snapshots:remove), on the real engine (DuckDB,
// the pipeline, real chain files): every table's rows of it and its three export files
// go, the other snapshots stay, the levels fall back to the one before, the removal is in
// the audit trail of the request that made it, and the same file can be ingested again
// (it is no longer a duplicate: the engine's memory of stored content follows the
// removal). A snapshot of an attached folder is only read, never removed.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, CallName, CallRequest, CallResponse } from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';
import { createDispatcher, type Dispatch } from '../../electron/host/handlers.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { writeCboeCsv } from '../fixtures/index.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let te: TestEngine;
let dispatch: Dispatch;
let dir: string;

const call = async <K extends CallName>(name: K, req: CallRequest<K>) =>
  (await dispatch(name, req)) as Result<CallResponse<K>>;
const must = async <K extends CallName>(name: K, req: CallRequest<K>) => {
  const r = await call(name, req);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** Ingests a chain and waits for its snapshot; its id and job. */
async function ingest(file: string): Promise<{ snapshot: string; status: string }> {
  const ack = await must('ingest:submit', { file, source: 'desk' });
  await te.engine.drain();
  const { job } = await must('jobs:get', { id: ack.job_id! });
  if (!job.snapshot_id) throw new Error(`${file}: no snapshot (${job.status})`);
  return { snapshot: job.snapshot_id, status: job.status };
}

/** Writes a small CBOE chain of `underlying` as of `asOf` (exchange time) and ingests it. */
function chain(name: string, underlying: string, spot: number, asOf: string, seed: number) {
  const file = join(dir, name);
  writeCboeCsv(file, { seed, underlying, spot, expiries: 2, strikesPerExpiry: 6, asOf });
  return ingest(file);
}

const rowsOf = async (table: string, id: string) =>
  Number(
    (await te.engine.store.one<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${table} WHERE ${table === 'gex_snapshots' ? 'id' : 'snapshot_id'} = $1`,
      [id],
    ))!.n,
  );
const TABLES = ['gex_snapshots', 'gex_strikes', 'gex_expiries', 'gex_buckets', 'gamma_profiles'];

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
  dir = join(te.dir, 'files');
  mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  await te?.stop();
});

describe('snapshots:remove', () => {
  it('removes one snapshot everywhere, audited, and lets its file be ingested again', async () => {
    const older = join(dir, 'spx-older.csv');
    const wrong = join(dir, 'spx-wrong.csv');
    writeCboeCsv(older, {
      seed: 11,
      expiries: 3,
      strikesPerExpiry: 8,
      asOf: '2024-01-08T10:30:00',
    });
    writeCboeCsv(wrong, {
      seed: 12,
      expiries: 3,
      strikesPerExpiry: 8,
      asOf: '2024-01-09T10:30:00',
    });
    const a = await ingest(older);
    const b = await ingest(wrong);
    const stored = (await must('snapshots:get', { id: b.snapshot })).snapshot;
    const files = Object.values(exportFilesOf(stored.parquet));
    for (const f of files) expect(existsSync(f), f).toBe(true);
    for (const t of TABLES) expect(await rowsOf(t, b.snapshot), t).toBeGreaterThan(0);
    expect((await must('snapshots:levels', {})).rows.find((l) => l.underlying === 'SPX')?.id).toBe(
      b.snapshot,
    );

    const heard: { removed: unknown[]; audit: AuditEntry[] } = { removed: [], audit: [] };
    const offs = [
      te.engine.events.on('snapshots:removed', (r) => heard.removed.push(r)),
      te.engine.events.on('audit:appended', (e) => heard.audit.push(e)),
    ];
    // By the first characters of its id, as the tables print it and analysts type it.
    const removed = await must('snapshots:remove', {
      id: b.snapshot.slice(0, 8),
      justification: '  the wrong file: a test chain  ',
      author: 'ana',
    });
    offs.forEach((off) => off());
    expect(removed.snapshot).toEqual(stored);
    expect(removed.files.sort()).toEqual([...files].sort());
    for (const f of files) expect(existsSync(f), f).toBe(false);
    for (const t of TABLES) expect(await rowsOf(t, b.snapshot), t).toBe(0);
    for (const t of TABLES) expect(await rowsOf(t, a.snapshot), t).toBeGreaterThan(0);
    expect(heard.removed).toEqual([
      { snapshots: [{ id: b.snapshot, underlying: 'SPX', content_hash: stored.content_hash }] },
    ]);

    // The levels fall back to the snapshot before; the removed one is found nowhere.
    expect((await must('snapshots:levels', {})).rows.find((l) => l.underlying === 'SPX')?.id).toBe(
      a.snapshot,
    );
    const gone = await call('snapshots:get', { id: b.snapshot });
    expect(gone.ok ? null : gone.error.code).toBe('NOT_FOUND');
    expect((await must('snapshots:list', { limit: 10 })).map((s) => s.id)).toEqual([a.snapshot]);

    // The request's trail ends with its removal: who, why, what it was.
    const trail = await must('audit:list', { request_id: stored.request_id!, order: 'oldest' });
    const last = trail.at(-1)!;
    expect(last).toMatchObject({
      kind: 'removed',
      job_id: stored.job_id,
      actor: 'ana',
      underlying: 'SPX',
      file: wrong,
      explanation: `snapshot ${b.snapshot} of SPX as of ${stored.as_of} removed: the wrong file: a test chain`,
      facts: expect.objectContaining({
        snapshot_id: b.snapshot,
        content_hash: stored.content_hash,
        justification: 'the wrong file: a test chain',
      }),
    });
    expect(heard.audit).toEqual([last]);

    // Its file is no longer a duplicate of anything: ingested again, a new snapshot.
    const again = await ingest(wrong);
    expect(again.status).toBe('completed');
    expect(again.snapshot).not.toBe(b.snapshot);
    expect((await must('snapshots:levels', {})).rows.find((l) => l.underlying === 'SPX')?.id).toBe(
      again.snapshot,
    );
  });

  it('refuses an unknown id and a blank justification, and removes nothing', async () => {
    const q = await chain('qqq.csv', 'QQQ', 400, '2024-01-08T10:30:00', 13);
    const unknown = await call('snapshots:remove', { id: 'no-such-id', justification: 'x' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
    const blank = await call('snapshots:remove', { id: q.snapshot, justification: '   ' });
    expect(blank.ok ? null : blank.error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('removing a snapshot needs a justification'),
    });
    expect(await rowsOf('gex_snapshots', q.snapshot)).toBe(1);
  });

  it('prunes every snapshot before a date (of one underlying), after a dry run that removes nothing', async () => {
    const oldDia = await chain('dia-old.csv', 'DIA', 380, '2023-06-01T10:30:00', 41);
    const newDia = await chain('dia-new.csv', 'DIA', 385, '2023-07-03T10:30:00', 42);
    const oldXle = await chain('xle-old.csv', 'XLE', 85, '2023-06-02T10:30:00', 43);
    const heard: unknown[] = [];
    const off = te.engine.events.on('snapshots:removed', (r) => heard.push(r));
    try {
      const dry = await must('snapshots:prune', {
        before: '2023-07-03',
        justification: 'older than the desk keeps',
        dry_run: true,
      });
      // Everything before 2023-07-03 in this store: the two above and none of the 2024 ones.
      expect(dry).toEqual({
        dry_run: true,
        count: 2,
        underlyings: ['DIA', 'XLE'],
        oldest: '2023-06-01T10:30:00-04:00',
        newest: '2023-06-02T10:30:00-04:00',
        files: 0,
        left: [],
      });
      expect(await rowsOf('gex_snapshots', oldDia.snapshot)).toBe(1);
      expect(heard).toEqual([]);

      const dia = await must('snapshots:prune', {
        before: '2023-07-03',
        underlying: 'dia',
        justification: 'older than the desk keeps',
        author: 'ana',
      });
      expect(dia).toMatchObject({
        dry_run: false,
        count: 1,
        underlyings: ['DIA'],
        files: 3,
        left: [],
      });
      for (const t of TABLES) expect(await rowsOf(t, oldDia.snapshot), t).toBe(0);
      for (const t of TABLES) expect(await rowsOf(t, newDia.snapshot), t).toBeGreaterThan(0);
      expect(await rowsOf('gex_snapshots', oldXle.snapshot)).toBe(1);

      // The day is the exchange's: 2023-06-02 10:30 New York is before 2023-06-03, not before 2023-06-02.
      const none = await must('snapshots:prune', { before: '2023-06-02', justification: 'x' });
      expect(none.count).toBe(0);
      const rest = await must('snapshots:prune', { before: '2023-06-03', justification: 'x' });
      expect(rest).toMatchObject({ count: 1, underlyings: ['XLE'] });
      expect(heard).toHaveLength(2);
      const audit = await must('audit:list', { limit: 10 });
      expect(audit.filter((e) => e.kind === 'removed' && e.actor === 'ana')).toHaveLength(1);
    } finally {
      off();
    }
    const bad = await call('snapshots:prune', { before: '2023-02-30', justification: 'x' });
    expect(bad.ok ? null : bad.error.message).toMatch(/^before: "2023-02-30" is not/);
  });

  it("leaves another workstation's attached export folder alone", async () => {
    const theirs = await chain('iwm.csv', 'IWM', 200, '2024-01-08T10:30:00', 14);
    const reader = await startTestEngine({ workers: 1, attach: [te.engine.config.dataDir] });
    try {
      const r = await createDispatcher(reader.engine.handlers, { transport: 'ipc' })(
        'snapshots:remove',
        { id: theirs.snapshot, justification: 'not mine' },
      );
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining(
          `is in the attached folder ${te.engine.config.dataDir}, which GEX Desk only reads`,
        ),
      });
      const stored = (await must('snapshots:get', { id: theirs.snapshot })).snapshot;
      for (const f of Object.values(exportFilesOf(stored.parquet)))
        expect(existsSync(f)).toBe(true);
    } finally {
      await reader.stop();
    }
  });
});
