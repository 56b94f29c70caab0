// The scheduler with the REAL pipeline worker (electron/host/pipeline-worker.ts) on
// generated option-chain files: recovery after a SIGKILL of the engine process, and a
// mixed load where the level order and CRITICAL's start must hold while Polars works.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PriorityLevel } from '../../shared/domain.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import type { Store } from '../../electron/engine/store/db.ts';
import { getJob, listJobs } from '../../electron/engine/jobs/repository.ts';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { Scheduler } from '../../electron/engine/jobs/scheduler.ts';
import { crashHost } from './crash.ts';
import {
  addJob,
  cleanupDirs,
  openStore,
  pipelineRunJob,
  REAL_WORKER,
  sleep,
  tempDir,
  watchLevelOrder,
} from './helpers.ts';

const teardown: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const t of teardown.splice(0).reverse()) await t();
  cleanupDirs();
});

async function start(store: Store, dataDir: string, size: number, spare: number) {
  const pool = new WorkerPool({ entry: REAL_WORKER, size, spare });
  await pool.ready();
  const scheduler = new Scheduler({ store, pool, runJob: pipelineRunJob(store, dataDir) });
  teardown.push(() => scheduler.shutdown(0));
  return { pool, scheduler };
}

const snapshotsByHash = async (store: Store) =>
  (
    await store.all<{ n: bigint }>('SELECT count(*) AS n FROM gex_snapshots GROUP BY content_hash')
  ).map((r) => Number(r.n));

describe('Scheduler with the real pipeline worker', () => {
  it('after a SIGKILL of the engine, requeues the interrupted job and stores each snapshot exactly once', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'gex.duckdb');
    const dataDir = join(dir, 'data');
    const big = join(dir, 'big.csv');
    const small = join(dir, 'small.csv');
    writeCboeCsv(big, { seed: 11, expiries: 40, strikesPerExpiry: 800 });
    writeCboeCsv(small, { seed: 12, expiries: 4, strikesPerExpiry: 40 });
    const { running, queued } = await crashHost({
      dbPath,
      entry: REAL_WORKER,
      long: big,
      short: small,
      dataDir,
    });

    const store = await openStore(dbPath);
    teardown.push(() => store.close());
    expect((await getJob(store, running))!.status).toBe('running');
    const { scheduler } = await start(store, dataDir, 1, 0);
    const { recovered } = await scheduler.start();
    expect(recovered).toEqual([running]);
    await scheduler.drain();
    const r = (await getJob(store, running))!;
    const q = (await getJob(store, queued))!;
    expect([r.status, r.attempts, q.status, q.attempts]).toEqual(['completed', 1, 'completed', 1]);
    expect(await snapshotsByHash(store)).toEqual([1, 1]);
    const snap = await store.one<{ job_id: string }>(
      'SELECT job_id FROM gex_snapshots WHERE id = $1',
      [r.snapshot_id!],
    );
    expect(snap?.job_id).toBe(running);
    // The whole trail, oldest first: the start the kill interrupted, the requeue, the run that completed.
    const trail = (await listAudit(store, { request_id: `req-${running}`, limit: 10 })).reverse();
    expect(trail.map((a) => a.kind)).toEqual(['started', 'requeued', 'started', 'completed']);
    expect(trail[1]!.explanation).toBe(
      'queued again after a restart: the job was running when the engine stopped',
    );
    expect(trail.every((a) => a.file === big)).toBe(true);

    // The same content again is a duplicate pointing at the stored snapshot, not a second snapshot.
    const again = await addJob(store, 'HIGH', big);
    await scheduler.enqueue(again);
    await scheduler.drain();
    const a = (await getJob(store, again))!;
    expect([a.status, a.snapshot_id]).toEqual(['duplicate', r.snapshot_id]);
    expect(await snapshotsByHash(store)).toEqual([1, 1]);
  }, 120_000);

  it('under a mixed load keeps the level order and starts CRITICAL work at once while LOW jobs hold the workers', async () => {
    const dir = tempDir();
    const store = await openStore(join(dir, 'gex.duckdb'));
    teardown.push(() => store.close());
    const dataDir = join(dir, 'data');
    const { scheduler } = await start(store, dataDir, 2, 1);
    await scheduler.start();
    const order = watchLevelOrder(scheduler);
    const submit = async (level: PriorityLevel, file: string) => {
      const id = await addJob(store, level, file);
      await scheduler.enqueue(id);
      order.known(id, level);
      return id;
    };
    const lowFiles = [0, 1, 2].map((i) => {
      const f = join(dir, `low-${i}.csv`);
      writeCboeCsv(f, { seed: 100 + i, expiries: 30, strikesPerExpiry: 600 });
      return f;
    });
    const mixFiles = Array.from({ length: 15 }, (_, i) => {
      const f = join(dir, `mix-${i}.csv`);
      writeCboeCsv(f, { seed: 200 + (i % 12), expiries: 3, strikesPerExpiry: 30 }); // 3 repeats → duplicates
      return f;
    });
    const critFile = join(dir, 'crit.csv');
    writeCboeCsv(critFile, { seed: 999, expiries: 3, strikesPerExpiry: 30 });

    const lows = [await submit('LOW', lowFiles[0]!), await submit('LOW', lowFiles[1]!)];
    const crit = await submit('CRITICAL', critFile);
    const levels: PriorityLevel[] = ['MEDIUM', 'HIGH', 'LOW', 'MEDIUM', 'HIGH'];
    const mix: string[] = [];
    for (const [i, f] of mixFiles.entries()) {
      mix.push(await submit(levels[i % levels.length]!, f));
      if (i % 5 === 0) await sleep(20);
    }
    await submit('LOW', lowFiles[2]!);
    await scheduler.drain();

    const jobs = await listJobs(store, { limit: 100 });
    expect(jobs.filter((j) => j.status === 'completed')).toHaveLength(16);
    expect(jobs.filter((j) => j.status === 'duplicate')).toHaveLength(3);
    expect(await snapshotsByHash(store)).toEqual(Array(16).fill(1));
    // The CRITICAL job started at once — before the next request arrived — while both LOW
    // jobs held the two ordinary workers. (Within 1 s of its arrival, before: a speed, which a
    // loaded machine's store write can pass; the 1 s goal is the load bench's.)
    const c = jobs.find((j) => j.id === crit)!;
    const t = (s: string | null) => Date.parse(s!);
    const next = jobs.find((j) => j.id === mix[0])!;
    expect(t(c.started_at)).toBeLessThanOrEqual(t(next.submitted_at));
    for (const id of lows) {
      const l = jobs.find((j) => j.id === id)!;
      expect(t(l.started_at)).toBeLessThan(t(c.started_at));
      expect(t(l.finished_at)).toBeGreaterThan(t(c.started_at));
    }
    expect(order.violations).toEqual([]);
    const stats = await scheduler.stats();
    expect(stats.totals).toEqual({
      queued: 0,
      running: 0,
      storing: 0,
      completed: 19,
      failed: 0,
      deciding: 0,
      reading: 0,
      cancelled: 0,
    });
    expect(stats.levels.reduce((n, l) => n + l.completed_in_window, 0)).toBe(19);
    expect(stats.levels.find((l) => l.level === 'LOW')!.latency_p50_ms).toBeGreaterThan(0);
  }, 180_000);
});
