// Scheduler benchmarks, each beside its baseline measured in the same run:
//  - dispatch overhead per job: our scheduler (durable: every transition is a DuckDB
//    write, then an event) vs better-queue alone (in memory), both on empty jobs, with
//    the store's group commit on and off;
//  - one durable transition, one at a time and many at once, group commit on and off;
//  - event-loop lag (p99, perf_hooks.monitorEventLoopDelay) of the engine process while
//    the real pipeline workers run a load, next to the lag of the same process idle.
import Queue from 'better-queue';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { GexConventions, type ProcessingJob } from '../shared/domain.ts';
import { PipelineResult, type PipelineOutput } from '../shared/pipeline.ts';
import { err, ok } from '../shared/result.ts';
import { Store, type StoreOptions } from '../electron/engine/store/db.ts';
import { saveSnapshot } from '../electron/engine/store/snapshots.ts';
import {
  completeJobTx,
  insertJob,
  markRunning,
  type QueuedRow,
} from '../electron/engine/jobs/repository.ts';
import { WorkerPool } from '../electron/engine/workers/pool.ts';
import { Scheduler, type JobContext, type RunJob } from '../electron/engine/jobs/scheduler.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';
import { median } from './proc.ts';
import type { Measure } from './run.ts';

const REAL_WORKER = fileURLToPath(
  new URL('../electron/engine/workers/pipeline-worker.ts', import.meta.url),
);
const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

/**
 * How the store is opened: as before group commit; with prepared statements only; as
 * now. (A fourth, without the `jobs_status` index, measured that migration before it
 * landed: migration 4 drops the index.)
 */
const CONFIGS = {
  before: { groupCommit: false, statementCache: false },
  prepared: { groupCommit: false, statementCache: true },
  now: {},
} satisfies Record<string, StoreOptions>;
type Config = keyof typeof CONFIGS;

async function openStore(path: string, config: Config = 'now'): Promise<Store> {
  const r = await Store.open(path, { ...CONFIGS[config] });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function insertJobs(
  store: Store,
  n: number,
  file: (i: number) => string,
): Promise<QueuedRow[]> {
  return store.transaction(async (tx) => {
    const rows: QueuedRow[] = [];
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      rows.push(
        await insertJob(tx, {
          id,
          request_id: `req-${id}`,
          file: file(i),
          source: 'bench',
          underlying: null,
          content_hash: null,
          priority: LEVELS[i % 4]!,
          rule: 'bench',
          rule_version: null,
          submitted_at: new Date().toISOString(),
        }),
      );
    }
    return rows;
  });
}

/** ms per job from enqueue to drain, jobs that only complete their row; and the commits they cost. */
async function ourDispatch(
  dir: string,
  n: number,
  config: Config,
): Promise<{ ms: number; commitsPerJob: number }> {
  const store = await openStore(join(dir, `dispatch-${randomUUID()}.duckdb`), config);
  // No worker is used by these empty jobs; the pool is only there because the scheduler needs one.
  const pool = new WorkerPool({ entry: REAL_WORKER, size: 2, spare: 1 });
  const runJob: RunJob = async (job: ProcessingJob, _ctx: JobContext) => {
    await store.transaction((tx) => completeJobTx(tx, job.id, `snap-${job.id}`, 'completed'));
    return ok({ status: 'completed', snapshot_id: `snap-${job.id}` });
  };
  const scheduler = new Scheduler({ store, pool, runJob });
  await scheduler.start();
  const rows = await insertJobs(store, n, () => 'empty');
  const before = store.commitStats();
  const t0 = performance.now();
  for (const row of rows) await scheduler.enqueue(row.id, row);
  await scheduler.drain();
  const ms = (performance.now() - t0) / n;
  const after = store.commitStats();
  await scheduler.shutdown(0);
  await store.close();
  const commits = after.commits + after.alone - before.commits - before.alone;
  return { ms, commitsPerJob: commits / n };
}

/**
 * ms per durable transition (one UPDATE … RETURNING): one at a time (each awaited
 * before the next: nothing to share a commit with), and all at once (as many jobs'
 * transitions are when the store is busy).
 */
async function transitionCost(
  dir: string,
  n: number,
  config: Config,
): Promise<{ serial: number; concurrent: number }> {
  const store = await openStore(join(dir, `transition-${randomUUID()}.duckdb`), config);
  const rows = await insertJobs(store, 2 * n, () => 'empty');
  let t0 = performance.now();
  for (const row of rows.slice(0, n)) await markRunning(store, row.id, Date.now());
  const serial = (performance.now() - t0) / n;
  t0 = performance.now();
  await Promise.all(
    rows.slice(n).map((row) => markRunning(store.at('CRITICAL'), row.id, Date.now())),
  );
  const concurrent = (performance.now() - t0) / n;
  await store.close();
  return { serial, concurrent };
}

/** ms per job from push to the last finish, better-queue alone with a priority and no-op jobs. */
function betterQueueDispatch(n: number): Promise<number> {
  return new Promise((resolve) => {
    let done = 0;
    const q = new Queue<{ i: number }>((_t, cb) => cb(null), {
      concurrent: 2,
      priority: (t, cb) => cb(null, 4 - (t.i % 4)),
    });
    const t0 = performance.now();
    q.on('task_finish', () => {
      if (++done === n) resolve((performance.now() - t0) / n);
    });
    for (let i = 0; i < n; i++) q.push({ i });
  });
}

async function lagDuring(work: () => Promise<void>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return h.percentile(99) / 1e6;
}

export async function benchScheduler(): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-sched-'));
  try {
    const n = 400;
    await betterQueueDispatch(50); // warm the JIT for both
    const bq = await betterQueueDispatch(n);
    // Alternately, so that a change of the machine's load hits every configuration alike;
    // medians of the rounds.
    const dispatch: Record<Config, { ms: number; commitsPerJob: number }[]> = {
      before: [],
      prepared: [],
      now: [],
    };
    const transitions: Record<Config, { serial: number; concurrent: number }[]> = {
      before: [],
      prepared: [],
      now: [],
    };
    const rounds = Number(process.env.BENCH_SCHEDULER_ROUNDS ?? 3);
    for (let round = 0; round < rounds; round++)
      for (const config of Object.keys(CONFIGS) as Config[]) {
        dispatch[config].push(await ourDispatch(dir, n, config));
        transitions[config].push(await transitionCost(dir, 200, config));
      }
    const perJob = (c: Config) => median(dispatch[c].map((d) => d.ms));
    const commits = (c: Config) => median(dispatch[c].map((d) => d.commitsPerJob));
    const serial = (c: Config) => median(transitions[c].map((t) => t.serial));
    const concurrent = (c: Config) => median(transitions[c].map((t) => t.concurrent));
    const ours = perJob('now');

    // Load: the real pipeline on 24 generated chains of mixed size and level, 2 workers + 1 spare.
    const store = await openStore(join(dir, 'load.duckdb'));
    const dataDir = join(dir, 'data');
    const files = Array.from({ length: 24 }, (_, i) => {
      const f = join(dir, `chain-${i}.csv`);
      writeCboeCsv(f, {
        seed: 1000 + i,
        expiries: i % 6 === 0 ? 30 : 8,
        strikesPerExpiry: i % 6 === 0 ? 600 : 120,
      });
      return f;
    });
    const pool = new WorkerPool({ entry: REAL_WORKER, size: 2, spare: 1 });
    await pool.ready();
    const runJob: RunJob = async (job, ctx) => {
      const r = await ctx.pool.run(
        {
          type: 'run',
          taskId: job.id,
          input: {
            file: job.file,
            dataDir,
            snapshotId: randomUUID(),
            conventions: GexConventions.parse({}),
          },
        },
        { signal: ctx.signal },
      );
      const parsed = PipelineResult.safeParse(r);
      if (!parsed.success) return err('INTERNAL', parsed.error.message);
      if (!parsed.data.ok) return parsed.data;
      const saved = await saveSnapshot(
        store,
        parsed.data.value as PipelineOutput,
        { request_id: job.request_id, job_id: job.id },
        (tx, o) => completeJobTx(tx, job.id, o.snapshot.id, o.status).then(() => undefined),
      );
      return ok({ status: saved.status, snapshot_id: saved.snapshot.id });
    };
    const scheduler = new Scheduler({ store, pool, runJob });
    await scheduler.start();
    const idleLag = await lagDuring(() => new Promise((r) => setTimeout(r, 1000)));
    const rows = await insertJobs(store, files.length, (i) => files[i]!);
    const t0 = performance.now();
    const loadLag = await lagDuring(async () => {
      for (const row of rows) await scheduler.enqueue(row.id, row);
      await scheduler.drain();
    });
    const loadMs = performance.now() - t0;
    const stats = await scheduler.stats();
    await scheduler.shutdown(0);
    await store.close();
    const p50 = (l: string) => stats.levels.find((x) => x.level === l)?.latency_p50_ms ?? NaN;
    return [
      {
        name: `dispatch per empty job, better-queue alone (${n} jobs)`,
        value: bq * 1000,
        unit: 'µs/job',
      },
      {
        name: 'dispatch per empty job, ours before (a commit per change)',
        value: perJob('before') * 1000,
        unit: 'µs/job',
      },
      {
        name: 'dispatch per empty job, ours with prepared statements only',
        value: perJob('prepared') * 1000,
        unit: 'µs/job',
      },
      {
        name: 'dispatch per empty job, ours now (group commit + prepared)',
        value: ours * 1000,
        unit: 'µs/job',
      },
      { name: 'dispatch per empty job, before ÷ now', value: perJob('before') / ours, unit: '×' },
      { name: 'commits per empty job, before', value: commits('before'), unit: '' },
      { name: 'commits per empty job, now', value: commits('now'), unit: '' },
      { name: 'dispatch overhead ratio, ours now ÷ better-queue', value: ours / bq, unit: '×' },
      {
        name: 'durable transition, one at a time, before',
        value: serial('before') * 1000,
        unit: 'µs',
      },
      { name: 'durable transition, one at a time, now', value: serial('now') * 1000, unit: 'µs' },
      {
        name: 'durable transition, 200 at once, before',
        value: concurrent('before') * 1000,
        unit: 'µs each',
      },
      {
        name: 'durable transition, 200 at once, prepared statements only',
        value: concurrent('prepared') * 1000,
        unit: 'µs each',
      },
      {
        name: 'durable transition, 200 at once, now',
        value: concurrent('now') * 1000,
        unit: 'µs each',
      },
      {
        name: 'durable transition at once, before ÷ now',
        value: concurrent('before') / concurrent('now'),
        unit: '×',
      },
      { name: 'event-loop lag p99, idle engine', value: idleLag, unit: 'ms' },
      {
        name: `event-loop lag p99, ${files.length} real pipeline jobs on 2+1 workers`,
        value: loadLag,
        unit: 'ms',
      },
      { name: 'load: wall time', value: loadMs, unit: 'ms' },
      { name: 'load: throughput', value: files.length / (loadMs / 1000), unit: 'jobs/s' },
      {
        name: 'load: latency p50 CRITICAL (submission → data)',
        value: p50('CRITICAL'),
        unit: 'ms',
      },
      { name: 'load: latency p50 LOW (submission → data)', value: p50('LOW'), unit: 'ms' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
