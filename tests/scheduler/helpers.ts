// Shared set-up for the scheduler tests: a real DuckDB file in a temp folder, jobs
// inserted the way the submit flow inserts them, a pool of real child processes, and
// a job runner that, like the engine's, completes the row inside its own transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { GexConventions, type PriorityLevel, type ProcessingJob } from '../../shared/domain.ts';
import { PipelineResult, type PipelineOutput } from '../../shared/pipeline.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { insertJob } from '../../electron/engine/jobs/repository.ts';
import { WorkerPool, type PoolOptions } from '../../electron/engine/workers/pool.ts';
import type { JobContext, JobOutcome, RunJob } from '../../electron/engine/jobs/scheduler.ts';

export const SLEEPY_WORKER = fileURLToPath(new URL('./sleepy-worker.ts', import.meta.url));

const dirs: string[] = [];
export function tempDir(prefix = 'gex-sched-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function openStore(path: string): Promise<Store> {
  const r = await Store.open(path);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/**
 * Inserts a queued job (or one still `deciding`) as the submit flow does; `action` goes in
 * `file` for the sleepy worker.
 */
export async function addJob(
  store: Store,
  level: PriorityLevel,
  action: string,
  opts: { id?: string; submittedAtMs?: number; status?: 'queued' | 'deciding' } = {},
): Promise<string> {
  const id = opts.id ?? randomUUID();
  await store.transaction(async (tx) => {
    await insertJob(tx, {
      id,
      request_id: `req-${id}`,
      file: action,
      source: 'test',
      underlying: 'SPX',
      content_hash: null,
      priority: level,
      rule: 'G3',
      rule_version: 1,
      status: opts.status,
      submitted_at: new Date(opts.submittedAtMs ?? Date.now()).toISOString(),
    });
  });
  return id;
}

export function sleepyPool(opts: PoolOptions = {}): WorkerPool {
  return new WorkerPool({ entry: SLEEPY_WORKER, size: 2, spare: 1, ...opts });
}

/** Runs the job's action on the pool; on success completes the row in a transaction, as the engine does. */
export function testRunJob(store: Store, seen: ProcessingJob[] = []): RunJob {
  return async (job: ProcessingJob, ctx: JobContext): Promise<Result<JobOutcome>> => {
    seen.push(job);
    const r = await ctx.pool.run(
      { type: 'run', taskId: `${job.id}#${job.attempts}`, input: { action: job.file } },
      { signal: ctx.signal, onProgress: ctx.onProgress },
    );
    if (!r.ok) return r;
    const snapshot_id = `snap-${job.id}`;
    await store.transaction(async (tx) => {
      await ctx.complete(tx, { status: 'completed', snapshot_id });
    });
    return ok({ status: 'completed', snapshot_id });
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it holds (no timing assertion: the test timeout bounds it). */
export async function until(cond: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await cond())) await sleep(everyMs);
}

export const REAL_WORKER = fileURLToPath(
  new URL('../../electron/engine/workers/pipeline-worker.ts', import.meta.url),
);

/**
 * The engine's job runner, built from the real pieces: the pipeline worker computes,
 * saveSnapshot stores the snapshot and completes the job in one transaction.
 */
export function pipelineRunJob(store: Store, dataDir: string, seen: ProcessingJob[] = []): RunJob {
  return async (job, ctx) => {
    seen.push(job);
    const r = await ctx.pool.run(
      {
        type: 'run',
        taskId: `${job.id}#${job.attempts}`,
        input: {
          file: job.file,
          dataDir,
          snapshotId: randomUUID(),
          conventions: GexConventions.parse({}),
        },
      },
      { signal: ctx.signal, onProgress: ctx.onProgress },
    );
    const parsed = PipelineResult.safeParse(r);
    if (!parsed.success)
      return err('INTERNAL', `unexpected pipeline answer: ${parsed.error.message}`);
    if (!parsed.data.ok) return parsed.data;
    const saved = await saveSnapshot(
      store,
      parsed.data.value as PipelineOutput,
      { request_id: job.request_id, job_id: job.id },
      async (tx, outcome) => {
        await ctx.complete(tx, { status: outcome.status, snapshot_id: outcome.snapshot.id });
      },
    );
    return ok({ status: saved.status, snapshot_id: saved.snapshot.id });
  };
}

/**
 * Watches a scheduler's events for the level-order rule: at every start, no job of a
 * higher effective level may have been waiting for more than `graceMs`. Call
 * `known(id, level)` right after enqueue resolves (a late, so conservative, bound).
 */
export function watchLevelOrder(
  scheduler: { events: { on: (e: 'job:updated', l: (j: ProcessingJob) => void) => unknown } },
  graceMs = 50,
) {
  const waiting = new Map<string, { level: PriorityLevel; since: number }>();
  const started = new Set<string>();
  const knownIds = new Set<string>();
  // A start seen while a higher job still waits is judged once that job's own start is
  // known: two workers' starts of one moment may be announced in either order, and one
  // that started no later did not wait (CI on f7cac1d flagged a MEDIUM 54 ms after a HIGH
  // whose start had not been heard yet).
  const suspects: { higher: string; at: number; text: string }[] = [];
  const startedAt = new Map<string, number>();
  const startKeys = new Set<string>();
  let starts = 0;
  const rank = (l: PriorityLevel) => ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].indexOf(l);
  scheduler.events.on('job:updated', (j) => {
    if (j.status === 'running' && !startKeys.has(`${j.id}@${j.started_at}`)) {
      startKeys.add(`${j.id}@${j.started_at}`);
      starts++;
      started.add(j.id);
      const at = Date.parse(j.started_at!);
      startedAt.set(j.id, at);
      waiting.delete(j.id);
      for (const [id, w] of waiting)
        if (rank(w.level) < rank(j.effective_priority) && w.since + graceMs < at)
          suspects.push({
            higher: id,
            at,
            text: `${j.effective_priority} ${j.id} started at ${at} while ${w.level} ${id} waited since ${w.since}`,
          });
    } else if (j.status === 'queued' && j.started_at === null && knownIds.has(j.id)) {
      // Put back (preempted, or waiting for a retry).
      waiting.set(j.id, { level: j.effective_priority, since: Date.now() });
    } else if (j.status !== 'running' && j.status !== 'queued') {
      waiting.delete(j.id);
    }
  });
  return {
    /** Starts made while a higher job waited: it started later, or not at all. */
    get violations(): string[] {
      return suspects
        .filter((v) => !((startedAt.get(v.higher) ?? Infinity) <= v.at))
        .map((v) => v.text);
    },
    starts: () => starts,
    known(id: string, level: PriorityLevel) {
      knownIds.add(id);
      if (!started.has(id) && !waiting.has(id)) waiting.set(id, { level, since: Date.now() });
    },
  };
}

/**
 * The schedulers and stores a test file opens, each shut down and closed after every
 * test (their temporary folders removed): push onto the list it returns.
 */
export function closedAfterEach(): {
  scheduler: { shutdown(ms: number): Promise<unknown> };
  store: Store;
}[] {
  const open: { scheduler: { shutdown(ms: number): Promise<unknown> }; store: Store }[] = [];
  afterEach(async () => {
    for (const { scheduler, store } of open.splice(0)) {
      await scheduler.shutdown(0).catch(() => undefined);
      await store.close();
    }
    cleanupDirs();
  });
  return open;
}
