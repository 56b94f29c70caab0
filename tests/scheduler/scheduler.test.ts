// Scheduler mechanics on a real DuckDB file and real child processes (the sleepy test
// double of a worker's work): order, CRITICAL capacity and preemption, cancel,
// retries, escalation with an injected clock, recovery, shutdown, drain.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { PriorityLevel, ProcessingJob } from '../../shared/domain.ts';
import type { QueueStats } from '../../shared/api.ts';
import { ok } from '../../shared/result.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import type { Store } from '../../electron/engine/store/db.ts';
import { getJob, insertJob, listJobs } from '../../electron/engine/jobs/repository.ts';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { MAX_INTERRUPTIONS } from '../../electron/engine/jobs/transitions.ts';
import {
  Scheduler,
  type RunJob,
  type SchedulerOptions,
} from '../../electron/engine/jobs/scheduler.ts';
import { defaultRules } from '../../electron/engine/rules/index.ts';

const DEFAULT_TARGETS = defaultRules().targets;
import { crashHost } from './crash.ts';
import {
  addJob,
  SLEEPY_WORKER,
  watchLevelOrder,
  closedAfterEach,
  openStore,
  sleep,
  sleepyPool,
  tempDir,
  testRunJob,
  until,
} from './helpers.ts';

const open = closedAfterEach();

async function setup(
  opts: Partial<SchedulerOptions> & { size?: number; spare?: number; path?: string } = {},
) {
  const store = await openStore(opts.path ?? join(tempDir(), 'gex.duckdb'));
  const pool: WorkerPool =
    opts.pool instanceof WorkerPool
      ? opts.pool
      : sleepyPool({ size: opts.size ?? 2, spare: opts.spare ?? 1 });
  await pool.ready();
  const scheduler = new Scheduler({
    store,
    backoffMs: 20,
    ...opts,
    runJob: opts.runJob ?? testRunJob(store),
    pool,
  });
  open.push({ scheduler, store });
  const started: ProcessingJob[] = [];
  scheduler.events.on('job:updated', (j) => {
    if (j.status === 'running' && !started.some((s) => s.id === j.id && s.attempts === j.attempts))
      started.push(j);
  });
  return { store, pool, scheduler, started };
}

const statusOf = async (store: Store, id: string) => (await getJob(store, id))!.status;

describe('Scheduler dispatch', () => {
  it('runs FIFO (seq) within a level', async () => {
    const { store, scheduler, started } = await setup({ size: 1, spare: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await addJob(store, 'MEDIUM', 'sleep:5'));
    await scheduler.start();
    await scheduler.drain();
    expect(started.map((j) => j.id)).toEqual(ids);
    expect(
      (await listJobs(store, { limit: 100 })).every(
        (j) => j.status === 'completed' && j.snapshot_id === `snap-${j.id}`,
      ),
    ).toBe(true);
    // The scheduler's live view agrees with the table's.
    const live = await scheduler.stats();
    const table = await Scheduler.statsFromStore(store, { workers: 1 });
    expect({ ...live, busy_workers: 0 }).toEqual(table);
    expect(live.totals).toEqual({
      queued: 0,
      running: 0,
      storing: 0,
      completed: 8,
      failed: 0,
      deciding: 0,
      reading: 0,
      cancelled: 0,
    });
    expect(live.levels.find((l) => l.level === 'MEDIUM')!.completed_in_window).toBe(8);
  });

  it('says when each level’s oldest waiting job arrived, live and from the table alike', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0 });
    const t0 = Date.parse('2026-12-05T09:30:00.123Z');
    await addJob(store, 'MEDIUM', 'sleep:5', { submittedAtMs: t0 + 20_000 });
    await addJob(store, 'MEDIUM', 'sleep:5', { submittedAtMs: t0 });
    await addJob(store, 'LOW', 'sleep:5', { submittedAtMs: t0 + 40_000 });
    scheduler.pause();
    await scheduler.start();
    const live = await scheduler.stats();
    const table = await Scheduler.statsFromStore(store, { workers: 1 });
    for (const stats of [live, table]) {
      const at = Object.fromEntries(stats.levels.map((l) => [l.level, l.oldest_submitted_at]));
      expect(at).toEqual({
        CRITICAL: null,
        HIGH: null,
        MEDIUM: '2026-12-05T09:30:00.123Z',
        LOW: '2026-12-05T09:30:40.123Z',
      });
      const medium = stats.levels.find((l) => l.level === 'MEDIUM')!;
      expect(medium.oldest_wait_ms).toBeGreaterThanOrEqual(Date.now() - t0 - 5_000);
    }
  });

  it('announces queue statistics while someone listens, and makes none otherwise', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0, statsEveryMs: 10 });
    const made = vi.spyOn(scheduler, 'stats');
    await scheduler.start();
    // Nobody listens: the jobs run and no statistics are made (each costs a query).
    for (let i = 0; i < 3; i++) await scheduler.enqueue(await addJob(store, 'LOW', 'sleep:5'));
    await scheduler.drain();
    await sleep(50);
    expect(made).not.toHaveBeenCalled();
    const seen: number[] = [];
    const off = scheduler.events.on('queue:stats', (s) => seen.push(s.totals.completed));
    for (let i = 0; i < 3; i++) await scheduler.enqueue(await addJob(store, 'LOW', 'sleep:5'));
    await scheduler.drain();
    await until(() => seen.includes(6));
    off();
    const count = seen.length;
    await scheduler.enqueue(await addJob(store, 'LOW', 'sleep:5'));
    await scheduler.drain();
    await sleep(50);
    expect(seen.length).toBe(count);
  });

  it('announces the queue as it ends: a job that ends while statistics are made is in the next ones', async () => {
    const live = {} as { scheduler: Scheduler; store: Store }; // for the runner, once set up
    const asked: Promise<QueueStats>[] = [];
    // Just before the job's completion is written, another request ends at its arrival (the
    // intake announces that): statistics are made at once, count the job running, and
    // re-read the table behind the completion's commit (reads wait behind writes). The
    // job's end comes while they are being made; the Queue view keeps the last announced.
    const runJob: RunJob = async (job, ctx) => {
      const r = await ctx.pool.run(
        { type: 'run', taskId: `${job.id}#${job.attempts}`, input: { action: job.file } },
        { signal: ctx.signal },
      );
      if (!r.ok) return r;
      const outcome = { status: 'completed', snapshot_id: `snap-${job.id}` } as const;
      asked.push(live.scheduler.stats()); // the Queue view's poll, at the same moment
      live.scheduler.events.emit('job:updated', {
        ...job,
        id: 'ended-at-arrival',
        status: 'failed',
      });
      await live.store.transaction(async (tx) => {
        await tx.all('SELECT count(*) FROM range(30000000)'); // a write that takes a while
        await ctx.complete(tx, outcome);
      });
      return ok(outcome);
    };
    const { scheduler, store } = Object.assign(
      live,
      await setup({ size: 1, spare: 0, statsEveryMs: 0, historyEveryMs: 0, runJob }),
    );
    const seen: { running: number; completed: number; levelsRunning: number }[] = [];
    scheduler.events.on('queue:stats', (s) =>
      seen.push({
        running: s.totals.running,
        completed: s.totals.completed,
        levelsRunning: s.levels.reduce((n, l) => n + l.running, 0),
      }),
    );
    await scheduler.start();
    await scheduler.enqueue(await addJob(store, 'LOW', 'sleep:1'));
    await scheduler.drain();
    await until(() => seen.at(-1)?.completed === 1);
    await sleep(100);
    expect(seen.at(-1)).toEqual({ running: 0, completed: 1, levelsRunning: 0 });
    // The poll's answer is as of the table it read: the job ended there, so not running.
    const polled = await asked[0]!;
    expect(polled.totals).toMatchObject({ running: 0, completed: 1 });
  });

  it('keeps FIFO per level with several workers and jobs arriving while others run', async () => {
    const { store, scheduler, started } = await setup({ size: 2, spare: 0 });
    await scheduler.start();
    const byLevel = new Map<PriorityLevel, string[]>();
    const levels: PriorityLevel[] = [
      'LOW',
      'HIGH',
      'MEDIUM',
      'LOW',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'HIGH',
      'LOW',
    ];
    for (const [i, level] of levels.entries()) {
      const id = await addJob(store, level, `sleep:${10 + (i % 3) * 10}`);
      byLevel.set(level, [...(byLevel.get(level) ?? []), id]);
      await scheduler.enqueue(id);
      if (i % 3 === 0) await sleep(5);
    }
    await scheduler.drain();
    for (const [level, ids] of byLevel)
      expect(started.filter((j) => j.effective_priority === level).map((j) => j.id)).toEqual(ids);
  });

  it('never starts a job while one of a higher level has waited longer than 50 ms (preemptions included)', async () => {
    const { store, scheduler } = await setup({ size: 2, spare: 0 });
    await scheduler.start();
    const order = watchLevelOrder(scheduler);
    const levels: PriorityLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
    for (let i = 0; i < 40; i++) {
      const level = levels[(i * 7) % 4]!;
      const id = await addJob(store, level, `sleep:${15 + ((i * 13) % 30)}`);
      await scheduler.enqueue(id);
      order.known(id, level);
      if (i % 4 === 0) await sleep(10);
    }
    await scheduler.drain();
    expect(order.violations).toEqual([]);
    expect(order.starts()).toBeGreaterThanOrEqual(40);
    const jobs = await listJobs(store, { limit: 100 });
    expect(jobs.every((j) => j.status === 'completed')).toBe(true);
  });

  it('starts a job the moment it is enqueued with its stored row, even while the store is busy; announces it once written', async () => {
    const seen: ProcessingJob[] = [];
    let runner: RunJob | null = null;
    const { store, scheduler: s2 } = await setup({
      size: 1,
      spare: 0,
      runJob: (job, ctx) => runner!(job, ctx),
    });
    runner = testRunJob(store, seen);
    await s2.start();
    const row = await store.transaction((tx) =>
      insertJob(tx, {
        id: 'j1',
        request_id: 'req-j1',
        file: 'sleep:0',
        source: 'test',
        underlying: null,
        content_hash: null,
        priority: 'CRITICAL',
        rule: 'G1',
        rule_version: 1,
        submitted_at: new Date().toISOString(),
      }),
    );
    const announced: string[] = [];
    s2.events.on('job:updated', (j) => announced.push(j.status));
    let release: (() => void) | null = null;
    const held = store.transaction(() => new Promise<void>((r) => (release = r)));
    await until(() => release !== null); // the store is now held by that transaction
    await s2.enqueue('j1', row);
    await until(() => seen.length === 1);
    expect(seen[0]!.status).toBe('running');
    expect(announced).toEqual([]); // not written yet: not announced
    release!();
    await held;
    await s2.drain();
    expect(announced[0]).toBe('running');
    expect(announced.at(-1)).toBe('completed');
  });

  it('starts a CRITICAL job at once while every ordinary worker runs long LOW jobs (spare worker)', async () => {
    const { store, scheduler } = await setup({ size: 2, spare: 1 });
    await scheduler.start();
    const lows = [
      await addJob(store, 'LOW', 'sleep:60000'),
      await addJob(store, 'LOW', 'sleep:60000'),
      await addJob(store, 'LOW', 'sleep:60000'),
    ];
    for (const id of lows) await scheduler.enqueue(id);
    await until(async () => (await statusOf(store, lows[1]!)) === 'running');
    expect(await statusOf(store, lows[2]!)).toBe('queued'); // the spare is not for LOW work
    const crit = await addJob(store, 'CRITICAL', 'sleep:10');
    await scheduler.enqueue(crit);
    const enqueuedBy = Date.now();
    await until(async () => (await statusOf(store, crit)) === 'completed');
    const c = (await getJob(store, crit))!;
    // At once: started by the time its enqueue returned (within 1 s of its arrival, before:
    // a speed, which a loaded machine's store write could pass).
    expect(Date.parse(c.started_at!)).toBeLessThanOrEqual(enqueuedBy);
    expect(await statusOf(store, lows[0]!)).toBe('running'); // nothing was preempted
    for (const id of lows) await scheduler.cancel(id);
  });

  it('preempts the most recent lowest-level job when CRITICAL work finds every worker busy; the victim is requeued uncharged', async () => {
    const { store, scheduler } = await setup({ size: 2, spare: 0 });
    await scheduler.start();
    const med = await addJob(store, 'MEDIUM', 'sleep:60000');
    await scheduler.enqueue(med);
    await until(async () => (await statusOf(store, med)) === 'running');
    const low = await addJob(store, 'LOW', 'sleep:60000');
    await scheduler.enqueue(low);
    await until(async () => (await statusOf(store, low)) === 'running');
    const crit = await addJob(store, 'CRITICAL', 'sleep:10');
    await scheduler.enqueue(crit);
    const enqueuedBy = Date.now();
    await until(async () => (await statusOf(store, crit)) === 'completed');
    const c = (await getJob(store, crit))!;
    // At once, not after the victim's end: started by the time its enqueue returned.
    expect(Date.parse(c.started_at!)).toBeLessThanOrEqual(enqueuedBy);
    expect(await statusOf(store, med)).toBe('running');
    // The LOW job was put back and, once the CRITICAL one finished, started again with its attempt not charged.
    await until(async () => (await statusOf(store, low)) === 'running');
    expect((await getJob(store, low))!.attempts).toBe(1);
    const audit = await listAudit(store, { request_id: `req-${low}`, limit: 10 });
    expect(audit.some((a) => a.kind === 'preempted' && /preempted/.test(a.explanation))).toBe(true);
    await scheduler.cancel(low);
    await scheduler.cancel(med);
  });
});

describe('Scheduler cancel, retry, failures', () => {
  // A request waiting for an earlier one's facts read lends it its rank (ReadyQueue.raise);
  // cancelled, it kept lending it: the earlier MEDIUM read still went before HIGH work.
  it("drops a cancelled request's lent rank: the read it waited for goes back to its own level", async () => {
    const order: string[] = [];
    let reached!: () => void;
    const atLater = new Promise<void>((r) => (reached = r));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let answered: Promise<unknown> = Promise.resolve();
    const the: { store?: Store } = {};
    const { store, scheduler } = await setup({
      size: 1,
      spare: 1,
      runJob: (job, ctx) => {
        order.push(`run ${job.id}`);
        return testRunJob(the.store!)(job, ctx);
      },
      decideJob: (job) => {
        order.push(job.id);
        if (job.id !== 'later') return Promise.resolve(ok({ kind: 'gone', job: undefined }));
        // Waits for the earlier request's read (never noted here), lending it its rank.
        reached();
        const until = new Promise<void>(() => undefined);
        answered = gate.then(() => ok({ kind: 'wait', earlier: ['req-earlier'], until }));
        return answered as ReturnType<NonNullable<SchedulerOptions['decideJob']>>;
      },
    });
    const deciding = (id: string, level: PriorityLevel, at: number) =>
      addJob(store, level, 'sleep:5', { id, submittedAtMs: at, status: 'deciding' });
    the.store = store;
    const t0 = Date.now() - 10_000;
    await deciding('earlier', 'MEDIUM', t0);
    await addJob(store, 'HIGH', 'sleep:5', { id: 'high', submittedAtMs: t0 + 1 });
    await deciding('later', 'CRITICAL', t0 + 2);
    await scheduler.start();
    await atLater;
    scheduler.pause();
    open();
    await answered;
    await sleep(0); // its wait handled: back in the ready queue, the earlier read raised
    const cancelled = await scheduler.cancel('later');
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    scheduler.resume();
    await scheduler.drain();
    // The HIGH run starts first; the MEDIUM read only once it has ended (one ordinary worker).
    expect(order).toEqual(['later', 'run high', 'earlier']);
    expect(await statusOf(store, 'high')).toBe('completed');
  });

  it('answers a cancel that came after the run ended (its result being stored) with CONFLICT: it completed', async () => {
    // The run's result waits at a gate before it is stored, as it may behind the store's lane.
    let reached = () => {};
    const storing = new Promise<void>((r) => (reached = r));
    let letGo = () => {};
    const gate = new Promise<void>((r) => (letGo = r));
    const opened: { store?: Store } = {};
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      runJob: (job, ctx) =>
        testRunJob(opened.store!)(job, {
          ...ctx,
          pool: {
            run: async (message, opts) => {
              const r = await ctx.pool.run(message, opts);
              reached();
              await gate;
              return r;
            },
          },
        }),
    });
    opened.store = store;
    await scheduler.start();
    const id = await addJob(store, 'HIGH', 'sleep:0');
    await scheduler.enqueue(id);
    await storing;
    const answer = scheduler.cancel(id, 'qa');
    letGo();
    const r = await answer;
    expect(await statusOf(store, id)).toBe('completed');
    // Not "cancelled": the snapshot is stored, and the analyst is told so.
    expect(r.ok ? r.value.status : r.error.code).toBe('CONFLICT');
    expect(r.ok ? '' : r.error.message).toContain('completed before it could be cancelled');
    expect(r.ok ? '' : r.error.message).toContain(`snap-${id}`);
  });

  it('cancels a queued job and a running one (killing its worker)', async () => {
    const { store, scheduler, pool } = await setup({ size: 1, spare: 0 });
    await scheduler.start();
    const running = await addJob(store, 'HIGH', 'sleep:60000');
    const queued = await addJob(store, 'HIGH', 'sleep:0');
    await scheduler.enqueue(running);
    await scheduler.enqueue(queued);
    await until(async () => (await statusOf(store, running)) === 'running');
    const q = await scheduler.cancel(queued);
    expect(q.ok && q.value.status).toBe('cancelled');
    const r = await scheduler.cancel(running);
    expect(r.ok && r.value.status).toBe('cancelled');
    expect(r.ok && r.value.error?.code).toBe('CANCELLED');
    const again = await scheduler.cancel(running);
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
    await scheduler.drain();
    await pool.ready();
    // The killed worker was replaced, and a warm standby now waits beside it.
    expect(pool.idle).toBe(2);
    // An analyst's retry queues it again with a fresh budget.
    const retried = await scheduler.retry(queued);
    expect(retried.ok && retried.value.status).toBe('queued');
    await scheduler.drain();
    expect(await statusOf(store, queued)).toBe('completed');
  });

  it('retries retryable errors with exponential backoff, up to 3 attempts', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0, backoffMs: 40 });
    await scheduler.start();
    const id = await addJob(store, 'HIGH', 'fail:IO');
    const starts: number[] = [];
    scheduler.events.on('job:updated', (j) => {
      if (j.id === id && j.status === 'running') starts.push(Date.parse(j.started_at!));
    });
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(3);
    expect(job.error?.code).toBe('IO');
    expect(starts).toHaveLength(3);
    // Each retry started no earlier than its backoff (40 ms, then 80 ms) after the failure.
    const failures = (await listAudit(store, { request_id: `req-${id}`, limit: 10 }))
      .filter((a) => /retry in/.test(a.explanation))
      .map((a) => Date.parse(a.at))
      .sort((a, b) => a - b);
    expect(failures).toHaveLength(2);
    expect(starts[1]! - failures[0]!).toBeGreaterThanOrEqual(40);
    expect(starts[2]! - failures[1]!).toBeGreaterThanOrEqual(80);
  });

  it('sets a poison file aside after two crashed workers, counting crashes across restarts', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0, backoffMs: 10, maxAttempts: 5 });
    await scheduler.start();
    const id = await addJob(store, 'HIGH', 'crash');
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect([job.status, job.attempts, job.error?.code]).toEqual(['failed', 2, 'WORKER_CRASHED']);
    expect(job.error?.message).toMatch(/crashed 2 times on this file's content/);
    const trail = (await listAudit(store, { request_id: `req-${id}`, limit: 20 }))
      .map((a) => a.kind)
      .reverse();
    expect(trail).toEqual(['started', 'requeued', 'started', 'failed']);
    // One crash before a restart and one after make two.
    const other = await addJob(store, 'HIGH', 'crash');
    await store.run('UPDATE jobs SET crashes = 1 WHERE id = $1', [other]);
    await scheduler.shutdown(1000);
    const again = new Scheduler({
      store,
      pool: sleepyPool({ size: 1, spare: 0 }),
      runJob: testRunJob(store),
      backoffMs: 10,
    });
    await again.start();
    await again.drain();
    expect((await getJob(store, other))!.attempts).toBe(1);
    expect((await getJob(store, other))!.status).toBe('failed');
    await again.shutdown(1000);
  });

  it('puts a job whose worker was stopped from outside back uncharged, three times, then fails it as stopped: never a crash', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0, backoffMs: 10, maxAttempts: 5 });
    await scheduler.start();
    const id = await addJob(store, 'HIGH', 'stopped');
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect([job.status, job.attempts, job.error?.code]).toEqual(['failed', 1, 'SHUTTING_DOWN']);
    expect(job.error?.message).toMatch(
      /^the pipeline worker was stopped by SIGTERM, sent from outside GEX Desk/,
    );
    const trail = (await listAudit(store, { request_id: `req-${id}`, limit: 20 }))
      .reverse()
      .map((a) => [
        a.kind,
        a.kind === 'requeued' ? a.explanation.replace(/task [^;]+/, 'task …') : '',
      ]);
    const back = [
      'requeued',
      'stopped: the pipeline worker was stopped by SIGTERM, sent from outside GEX Desk, while running task …; back in the queue, attempt not charged',
    ];
    expect(trail).toEqual([
      ['started', ''],
      back,
      ['started', ''],
      back,
      ['started', ''],
      back,
      ['started', ''],
      ['failed', ''],
    ]);
    const row = await store.one<{ crashes: number | null }>(
      'SELECT crashes FROM jobs WHERE id = $1',
      [id],
    );
    expect(row!.crashes ?? 0).toBe(0);
    await scheduler.shutdown(1000);
  });

  it('sets aside a job whose result the engine was storing when it stopped, the fifth time, instead of running it at every start', async () => {
    const path = join(tempDir(), 'gex.duckdb');
    const store = await openStore(path);
    const id = await addJob(store, 'HIGH', 'sleep:0');
    const kept = await addJob(store, 'HIGH', 'sleep:0');
    // As a dead engine leaves them: running, one after its fifth interruption, one after its first.
    await store.run(
      `UPDATE jobs SET status = 'running', attempts = 1, interruptions = $2 WHERE id = $1`,
      [id, MAX_INTERRUPTIONS - 1],
    );
    await store.run(`UPDATE jobs SET status = 'running', attempts = 1 WHERE id = $1`, [kept]);
    // Both were in the engine's hands (storing their results) when it stopped.
    const scheduler = new Scheduler({
      store,
      pool: sleepyPool({ size: 1, spare: 0 }),
      runJob: testRunJob(store),
      inEngineAtStop: () => [id, kept],
    });
    open.push({ scheduler, store });
    // Announced as any failure is, to a listener made before the start (a drain's count,
    // the staged bytes' retention): it was not, and a drain counting from its start missed it.
    const seen: string[] = [];
    scheduler.events.on('job:updated', (j) => seen.push(`${j.id} ${j.status}`));
    expect(await scheduler.start()).toEqual({ recovered: [kept], setAside: [id] });
    expect(seen).toEqual([`${id} failed`]);
    await scheduler.drain();
    expect(seen.filter((s) => s.startsWith(id))).toEqual([`${id} failed`]);
    const failed = (await getJob(store, id))!;
    expect([failed.status, failed.error?.code]).toEqual(['failed', 'WORKER_CRASHED']);
    expect(failed.error?.message).toMatch(
      new RegExp(`engine stopped ${MAX_INTERRUPTIONS} times while it was storing`),
    );
    expect((await getJob(store, kept))!.status).toBe('completed');
  });

  it('a retry can succeed', async () => {
    const dir = tempDir();
    const { store, scheduler } = await setup({ size: 1, spare: 0, backoffMs: 200 });
    await scheduler.start();
    const id = await addJob(store, 'HIGH', `crash-until:${dir}`);
    scheduler.events.on('job:updated', (j) => {
      if (j.id === id && j.status === 'queued' && j.error) writeFileSync(join(dir, 'ok'), '');
    });
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect([job.status, job.attempts]).toEqual(['completed', 2]);
  });

  it('never retries bad input', async () => {
    const { store, scheduler } = await setup({ size: 1, spare: 0 });
    await scheduler.start();
    const id = await addJob(store, 'HIGH', 'fail:BAD_VALUE');
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect([job.status, job.attempts, job.error?.code]).toEqual(['failed', 1, 'BAD_VALUE']);
  });

  it('tolerates a runner that has already completed the row, and one that throws', async () => {
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      runJob: async (job, ctx) => {
        if (job.file === 'throw') throw new Error('boom');
        return testRunJob(store)(job, ctx);
      },
    });
    await scheduler.start();
    const a = await addJob(store, 'HIGH', 'sleep:0');
    const b = await addJob(store, 'HIGH', 'throw');
    await scheduler.enqueue(a);
    await scheduler.enqueue(b);
    await scheduler.drain();
    expect((await getJob(store, a))!.status).toBe('completed');
    const jb = (await getJob(store, b))!;
    expect([jb.status, jb.error?.code]).toEqual(['failed', 'INTERNAL']);
  });

  it('completes the row of a runner that did not, finalizing and announcing it once', async () => {
    const finalized: string[] = [];
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      finalize: async (_tx, job) => void finalized.push(`${job.id} ${job.status}`),
      runJob: async (job, ctx) => {
        const r = await ctx.pool.run(
          { type: 'run', taskId: job.id, input: { action: job.file } },
          { signal: ctx.signal },
        );
        return r.ok ? { ok: true, value: { status: 'completed', snapshot_id: `s-${job.id}` } } : r;
      },
    });
    const announced: string[] = [];
    scheduler.events.on('audit:appended', (e) => {
      if (e.kind === 'completed') announced.push(e.job_id!);
    });
    const emitted: ProcessingJob[] = [];
    scheduler.events.on('job:updated', (j) => void (j.status === 'completed' && emitted.push(j)));
    await scheduler.start();
    const id = await addJob(store, 'MEDIUM', 'sleep:0');
    await scheduler.enqueue(id);
    await scheduler.drain();
    const job = (await getJob(store, id))!;
    expect([job.status, job.snapshot_id]).toEqual(['completed', `s-${id}`]);
    expect(finalized).toEqual([`${id} completed`]);
    expect(announced).toEqual([id]);
    expect(emitted.map((j) => [j.id, j.revision])).toEqual([[id, job.revision]]);
  });
});

describe('Scheduler escalation', () => {
  it('escalates a MEDIUM job past 30 min since its arrival one level per check: MEDIUM → HIGH → CRITICAL, every target from the arrival', async () => {
    let now = Date.parse('2026-01-05T10:00:00Z');
    const arrival = now;
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      clock: () => now,
      tickMs: 60_000,
    });
    await scheduler.start();
    const blocker = await addJob(store, 'CRITICAL', 'sleep:60000', { submittedAtMs: now });
    await scheduler.enqueue(blocker);
    await until(async () => (await statusOf(store, blocker)) === 'running');
    const med = await addJob(store, 'MEDIUM', 'sleep:0', { submittedAtMs: now });
    const crit = await addJob(store, 'CRITICAL', 'sleep:0', { submittedAtMs: now });
    await scheduler.enqueue(med);
    await scheduler.enqueue(crit);

    now += DEFAULT_TARGETS.MEDIUM.target_ms - 1;
    await scheduler.tick();
    expect((await getJob(store, med))!.late).toBe(false);

    // 31 min since its arrival: past MEDIUM's 30 min, HIGH's 5 min and CRITICAL's 30 s.
    now = arrival + 31 * 60_000;
    await scheduler.tick();
    let m = (await getJob(store, med))!;
    // One level per check, not three.
    expect([m.late, m.priority, m.effective_priority]).toEqual([true, 'MEDIUM', 'HIGH']);
    // The CRITICAL job, waiting as long, is only flagged.
    const c = (await getJob(store, crit))!;
    expect([c.late, c.effective_priority]).toEqual([true, 'CRITICAL']);

    // HIGH's target counts from the arrival too: long past, the next check escalates again.
    now += 250;
    await scheduler.tick();
    m = (await getJob(store, med))!;
    expect([m.late, m.effective_priority]).toEqual([true, 'CRITICAL']);
    // CRITICAL is never escalated; later checks change nothing.
    now += 60_000;
    await scheduler.tick();
    await scheduler.tick();
    expect((await getJob(store, med))!.effective_priority).toBe('CRITICAL');

    const audit = await listAudit(store, { request_id: `req-${med}`, limit: 10, order: 'oldest' });
    expect(audit.map((a) => a.kind)).toEqual(['late', 'escalation', 'escalation']);
    const [late, toHigh, toCritical] = audit;
    expect(late!.explanation).toBe(
      'late: 31m 00s since its arrival at MEDIUM, past its target of 30m 00s',
    );
    expect([toHigh!.priority, toCritical!.priority]).toEqual(['HIGH', 'CRITICAL']);
    expect(toHigh!.explanation).toBe(
      "escalated MEDIUM → HIGH: 31m 00s since its arrival, past MEDIUM's target of 30m 00s",
    );
    expect(toHigh!.facts).toEqual({
      from: 'MEDIUM',
      to: 'HIGH',
      waited_ms: 31 * 60_000,
      target_ms: DEFAULT_TARGETS.MEDIUM.target_ms,
    });
    expect(toCritical!.explanation).toBe(
      "escalated HIGH → CRITICAL: 31m 00s since its arrival, past HIGH's target of 5m 00s",
    );
    expect(toCritical!.facts).toEqual({
      from: 'HIGH',
      to: 'CRITICAL',
      waited_ms: 31 * 60_000 + 250,
      target_ms: DEFAULT_TARGETS.HIGH.target_ms,
    });
    expect(
      (await listAudit(store, { request_id: `req-${crit}`, limit: 10 })).map((a) => a.kind),
    ).toEqual(['late']);
    const stats = await scheduler.stats();
    expect(stats.levels.find((l) => l.level === 'CRITICAL')!.late).toBe(2);
    expect(stats.levels.find((l) => l.level === 'CRITICAL')!.waiting).toBe(2);
    const table = await Scheduler.statsFromStore(store, { workers: 1 });
    expect(stats.levels.map((l) => [l.level, l.waiting, l.running, l.late])).toEqual(
      table.levels.map((l) => [l.level, l.waiting, l.running, l.late]),
    );
    await scheduler.cancel(blocker);
  });

  it('escalates a HIGH job at 5 min 1 s since its arrival to CRITICAL, and no further', async () => {
    let now = Date.parse('2026-01-05T10:00:00Z');
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      clock: () => now,
      tickMs: 60_000,
    });
    await scheduler.start();
    const blocker = await addJob(store, 'CRITICAL', 'sleep:60000', { submittedAtMs: now });
    await scheduler.enqueue(blocker);
    await until(async () => (await statusOf(store, blocker)) === 'running');
    const high = await addJob(store, 'HIGH', 'sleep:0', { submittedAtMs: now });
    await scheduler.enqueue(high);

    now += DEFAULT_TARGETS.HIGH.target_ms + 1000;
    await scheduler.tick();
    expect((await getJob(store, high))!.effective_priority).toBe('CRITICAL');
    // CRITICAL's 30 s since the arrival are long past: it stays flagged late, not escalated.
    for (const step of [250, 30_000, 10 * 60_000]) {
      now += step;
      await scheduler.tick();
    }
    const j = (await getJob(store, high))!;
    expect([j.late, j.priority, j.effective_priority]).toEqual([true, 'HIGH', 'CRITICAL']);
    const audit = await listAudit(store, { request_id: `req-${high}`, limit: 10, order: 'oldest' });
    expect(audit.map((a) => a.kind)).toEqual(['late', 'escalation']);
    expect(audit[1]!.explanation).toBe(
      "escalated HIGH → CRITICAL: 5m 01s since its arrival, past HIGH's target of 5m 00s",
    );
    expect(audit[1]!.facts).toMatchObject({ waited_ms: DEFAULT_TARGETS.HIGH.target_ms + 1000 });
    await scheduler.cancel(blocker);
  });

  it('flags late, as it starts, a job already past its target when it is dispatched at once', async () => {
    // No check runs before the dispatch: the start itself must see the wait.
    const { store, scheduler, started } = await setup({ tickMs: 60_000 });
    const waitedMs = DEFAULT_TARGETS.CRITICAL.target_ms + 10_000;
    const overdue = await addJob(store, 'CRITICAL', 'sleep:0', {
      submittedAtMs: Date.now() - waitedMs,
    });
    const onTime = await addJob(store, 'CRITICAL', 'sleep:0');
    await scheduler.start();
    await scheduler.drain();

    const j = (await getJob(store, overdue))!;
    expect([j.status, j.late, j.effective_priority]).toEqual(['completed', true, 'CRITICAL']);
    expect(started.find((s) => s.id === overdue)!.late).toBe(true);
    const audit = await listAudit(store, {
      request_id: `req-${overdue}`,
      limit: 10,
      order: 'oldest',
    });
    expect(audit.map((a) => a.kind)).toEqual(['late', 'started', 'completed']);
    expect(audit[0]!.priority).toBe('CRITICAL');
    expect(audit[0]!.explanation).toMatch(
      /^late: \d+\.\d s since its arrival at CRITICAL, past its target of 30\.0 s$/,
    );
    expect(audit[0]!.facts).toMatchObject({
      level: 'CRITICAL',
      target_ms: DEFAULT_TARGETS.CRITICAL.target_ms,
    });
    expect(audit[0]!.facts!.waited_ms).toBeGreaterThanOrEqual(waitedMs);

    const o = (await getJob(store, onTime))!;
    expect([o.status, o.late]).toEqual(['completed', false]);
  });

  it('gives latency percentiles in whole milliseconds', async () => {
    const store = await openStore(join(tempDir(), 'gex.duckdb'));
    try {
      const now = Date.now();
      // 10, 11 and 13 ms: interpolated, p90 is 12.6 and p99 12.96.
      for (const ms of [10, 11, 13]) {
        const id = await addJob(store, 'HIGH', 'sleep:0', { submittedAtMs: now - 1000 });
        await store.run(
          `UPDATE jobs SET status = 'completed', started_at = $2::TIMESTAMPTZ, finished_at = $2::TIMESTAMPTZ WHERE id = $1`,
          [id, new Date(now - 1000 + ms).toISOString()],
        );
      }
      const high = (await Scheduler.statsFromStore(store)).levels.find((l) => l.level === 'HIGH')!;
      expect([high.latency_p50_ms, high.latency_p90_ms, high.latency_p99_ms]).toEqual([11, 13, 13]);
    } finally {
      await store.close();
    }
  });

  it('reads the targets of the active rules at every check', async () => {
    let now = Date.parse('2026-01-05T10:00:00Z');
    const targets = { ...DEFAULT_TARGETS, LOW: { target_ms: 1000, onLate: 'flag' as const } };
    const { store, scheduler } = await setup({
      size: 1,
      spare: 0,
      clock: () => now,
      tickMs: 60_000,
      targets: () => targets,
    });
    await scheduler.start();
    const blocker = await addJob(store, 'HIGH', 'sleep:60000', { submittedAtMs: now });
    await scheduler.enqueue(blocker);
    await until(async () => (await statusOf(store, blocker)) === 'running');
    const low = await addJob(store, 'LOW', 'sleep:0', { submittedAtMs: now });
    await scheduler.enqueue(low);
    now += 1001;
    await scheduler.tick();
    const l = (await getJob(store, low))!;
    expect([l.late, l.effective_priority]).toEqual([true, 'LOW']);
    await scheduler.cancel(blocker);
  });
});

describe('Scheduler recovery and shutdown', () => {
  it('requeues jobs left queued or running by a process killed with SIGKILL, without charging the interrupted attempt twice', async () => {
    const path = join(tempDir(), 'gex.duckdb');
    const { running, queued } = await crashHost({
      dbPath: path,
      entry: SLEEPY_WORKER,
      long: 'sleep:60000',
      short: 'sleep:0',
    });
    const store = await openStore(path);
    const before = (await getJob(store, running))!;
    expect([before.status, before.attempts]).toEqual(['running', 1]);
    expect((await getJob(store, queued))!.status).toBe('queued');
    // The restarted engine: the long job now finishes quickly (same row, new runner).
    const pool = sleepyPool({ size: 1, spare: 0 });
    const seen: ProcessingJob[] = [];
    const scheduler = new Scheduler({
      store,
      pool,
      runJob: (job, ctx) => testRunJob(store, seen)({ ...job, file: 'sleep:0' }, ctx),
    });
    open.push({ scheduler, store });
    const { recovered } = await scheduler.start();
    expect(recovered).toEqual([running]);
    await scheduler.drain();
    const after = (await getJob(store, running))!;
    expect([after.status, after.attempts, after.snapshot_id]).toEqual([
      'completed',
      1,
      `snap-${running}`,
    ]);
    expect((await getJob(store, queued))!.status).toBe('completed');
    // HIGH before LOW after the restart too, each run exactly once.
    expect(seen.map((j) => j.id)).toEqual([running, queued]);
    const audit = await listAudit(store, { request_id: `req-${running}`, limit: 10 });
    expect(
      audit.filter((a) => a.kind === 'requeued' && /after a restart/.test(a.explanation)),
    ).toHaveLength(1);
  }, 90_000);

  it('shutdown lets short jobs finish and puts long ones back in the queue, uncharged', async () => {
    const { store, scheduler } = await setup({ size: 2, spare: 0 });
    await scheduler.start();
    const short = await addJob(store, 'HIGH', 'sleep:100');
    const long = await addJob(store, 'HIGH', 'sleep:60000');
    await scheduler.enqueue(short);
    await scheduler.enqueue(long);
    await until(async () => (await statusOf(store, long)) === 'running');
    await scheduler.shutdown(1000);
    expect(await statusOf(store, short)).toBe('completed');
    const l = (await getJob(store, long))!;
    expect([l.status, l.attempts, l.started_at]).toEqual(['queued', 0, null]);
    const refused = await scheduler.enqueue(await addJob(store, 'HIGH', 'sleep:0'));
    expect(refused.ok ? null : refused.error.code).toBe('SHUTTING_DOWN');
  });
});
