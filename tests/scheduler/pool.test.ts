// The warm pool with real child processes (the sleepy test double of a worker's work).
import { randomUUID } from 'node:crypto';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forkWorker, type LaunchWorker } from '../../electron/engine/workers/launcher.ts';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import type { Logger, LogLevel } from '../../electron/engine/log.ts';
import { GexConventions } from '../../shared/domain.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cleanupDirs, REAL_WORKER, SLEEPY_WORKER, sleepyPool, tempDir, until } from './helpers.ts';

const HEAP_WORKER = SLEEPY_WORKER;

const pools: WorkerPool[] = [];
const make = (opts: ConstructorParameters<typeof WorkerPool>[0] = {}) => {
  const p = sleepyPool(opts);
  pools.push(p);
  return p;
};
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  cleanupDirs();
});

const task = (taskId: string, action: string) => ({ type: 'run', taskId, input: { action } });

describe('WorkerPool', () => {
  it('keeps size + spare workers warm and runs tasks on them, reporting progress', async () => {
    const pool = make({ size: 2, spare: 1 });
    await pool.ready();
    expect(pool.workers).toBe(3);
    expect(pool.idle).toBe(3);
    const progress: number[] = [];
    const r = await pool.run(task('a', 'sleep:5'), { onProgress: (f) => progress.push(f) });
    expect(r.ok).toBe(true);
    expect(progress).toEqual([0.5]);
    expect(pool.idle).toBe(3);
  });

  it('gives the read-ahead to its first worker only, whatever it starts later', async () => {
    const args: string[][] = [];
    const readAhead = { files: ['/data/a.csv'], conventions: GexConventions.parse({}) };
    const pool = make({
      size: 2,
      spare: 1,
      readAhead,
      launch: (entry, opts) => {
        args.push(opts.args);
        return forkWorker(entry, opts);
      },
    });
    await pool.ready();
    expect(args).toHaveLength(3);
    expect(args[0]).toEqual(['--warm', '--read-ahead', JSON.stringify(readAhead)]);
    expect(args.slice(1)).toEqual([['--warm'], ['--warm']]);
    // A replacement after a crash starts without it too.
    await pool.run(task('x', 'crash'));
    await until(() => args.length === 4);
    expect(args[3]).not.toContain('--read-ahead');
  });

  it('runs its workers at a lower OS priority than the engine', async () => {
    const pool = make({ size: 1, spare: 1 });
    await pool.ready();
    expect(pool.pids).toHaveLength(2);
    for (const pid of pool.pids)
      expect(getPriority(pid)).toBe(Math.min(19, getPriority(process.pid) + 10));
  });

  it('fails the task of a worker that dies with WORKER_CRASHED and replaces the worker', async () => {
    const pool = make({ size: 1, spare: 0 });
    await pool.ready();
    const first = await pool.run(task('a', 'sleep:0'));
    const crashed = await pool.run(task('b', 'crash'));
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) expect(crashed.error.code).toBe('WORKER_CRASHED');
    const after = await pool.run(task('c', 'sleep:0'));
    expect(after.ok).toBe(true);
    // A new process answered.
    if (first.ok && after.ok)
      expect((after.value as { pid: number }).pid).not.toBe((first.value as { pid: number }).pid);
  });

  it("fails the task of a worker stopped by another's SIGTERM, SIGINT or SIGHUP with SHUTTING_DOWN: no crash of its file", async () => {
    const pool = make({ size: 1, spare: 0 });
    await pool.ready();
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const long = pool.run(task(signal, 'sleep:60000'));
      await until(() => pool.busy === 1);
      process.kill(pool.pids[0]!, signal);
      const stopped = await long;
      expect(stopped.ok ? null : stopped.error).toMatchObject({
        code: 'SHUTTING_DOWN',
        message: `the pipeline worker was stopped by ${signal}, sent from outside GEX Desk, while running task ${signal}`,
      });
      await pool.ready();
    }
    // A worker that dies on its own (a signal nobody sends to stop it) is still a crash.
    const long = pool.run(task('segv', 'sleep:60000'));
    await until(() => pool.busy === 1);
    process.kill(pool.pids[0]!, 'SIGSEGV');
    const crashed = await long;
    expect(crashed.ok ? null : crashed.error.code).toBe('WORKER_CRASHED');
  });

  it('kills a running task by id, on abort and on timeout', async () => {
    const pool = make({ size: 2, spare: 0 });
    await pool.ready();
    const long = pool.run(task('k', 'sleep:60000'));
    await until(() => pool.busy === 1);
    expect(pool.kill('k')).toBe(true);
    const killed = await long;
    expect(killed.ok ? null : killed.error.code).toBe('CANCELLED');

    const ac = new AbortController();
    const aborted = pool.run(task('s', 'sleep:60000'), { signal: ac.signal });
    await until(() => pool.busy === 1);
    ac.abort();
    const a = await aborted;
    expect(a.ok ? null : a.error.code).toBe('CANCELLED');

    const timedOut = await pool.run(task('t', 'sleep:60000'), { timeoutMs: 100 });
    expect(timedOut.ok ? null : timedOut.error.code).toBe('TIMEOUT');
    await pool.ready();
    // Every killed worker was replaced, and one warm standby now waits beside the two.
    expect(pool.idle).toBe(3);
  });

  it('after a kill, keeps a warm standby that the next urgent task takes at once, not normal work', async () => {
    const pool = make({ size: 1, spare: 0 });
    await pool.ready();
    const first = pool.run(task('a', 'sleep:60000'));
    await until(() => pool.busy === 1);
    pool.kill('a');
    await first;
    await pool.ready();
    await until(() => pool.idle === 2);
    const pids = [...pool.pids];
    // A normal task takes one worker; a second waits: the standby is not for it.
    const n1 = pool.run(task('n1', 'sleep:60000'));
    const n2 = pool.run(task('n2', 'sleep:0'));
    await until(() => pool.busy === 1);
    expect(pool.idle).toBe(1);
    // An urgent task (a CRITICAL one, having preempted n1's kind of work) starts on the
    // standby, with no new process.
    const urgent = await pool.run(task('u', 'sleep:0'), { urgent: true });
    expect(urgent.ok).toBe(true);
    if (urgent.ok) expect(pids).toContain((urgent.value as { pid: number }).pid);
    pool.kill('n1');
    await Promise.all([n1, n2]);
  });

  it('holds the spare worker back for urgent tasks', async () => {
    const pool = make({ size: 1, spare: 1 });
    await pool.ready();
    const normal1 = pool.run(task('n1', 'sleep:60000'));
    const normal2 = pool.run(task('n2', 'sleep:0'));
    await until(() => pool.busy === 1);
    // n2 waits although a worker is idle: that worker is the spare.
    expect(pool.idle).toBe(1);
    const urgent = await pool.run(
      { type: 'facts', taskId: 'u', file: 'sleep:0' },
      { urgent: true, rank: 1 },
    );
    expect(urgent.ok).toBe(true);
    pool.kill('n1');
    expect((await normal1).ok).toBe(false);
    expect((await normal2).ok).toBe(true);
  });

  it('runs urgent tasks by rank (a CRITICAL job before facts passes), FIFO within a rank', async () => {
    const pool = make({ size: 1, spare: 0 });
    await pool.ready();
    const order: string[] = [];
    const blocker = pool.run(task('b', 'sleep:300'));
    await until(() => pool.busy === 1);
    const runs = [
      pool
        .run({ type: 'facts', taskId: 'f1', file: 'sleep:0' }, { urgent: true, rank: 1 })
        .then(() => order.push('f1')),
      pool
        .run({ type: 'facts', taskId: 'f2', file: 'sleep:0' }, { urgent: true, rank: 1 })
        .then(() => order.push('f2')),
      pool.run(task('crit', 'sleep:0'), { urgent: true, rank: 0 }).then(() => order.push('crit')),
      pool.run(task('n', 'sleep:0')).then(() => order.push('n')),
    ];
    await blocker;
    await Promise.all(runs);
    expect(order).toEqual(['crit', 'f1', 'f2', 'n']);
  });

  it('starts workers on demand: the first task runs on the first worker up, without waiting for the rest', async () => {
    const pool = make({ size: 2, spare: 1, prewarm: 0 });
    expect(pool.pids).toEqual([]);
    const r = await pool.run(task('a', 'sleep:0'));
    expect(r.ok).toBe(true);
    expect(pool.pids).toHaveLength(1);
    // Two at once: a second worker starts; the spare is still held back for urgent work.
    await Promise.all([pool.run(task('b', 'sleep:50')), pool.run(task('c', 'sleep:50'))]);
    expect(pool.pids.length).toBeLessThanOrEqual(3);
    expect(pool.pids.length).toBeGreaterThanOrEqual(2);
  });

  it('gives each worker a heap limit', async () => {
    const pool = make({ size: 1, spare: 0, heapMb: 96, entry: HEAP_WORKER });
    const r = await pool.run(task('h', 'heap'));
    expect(r.ok && (r.value as { heapMb: number }).heapMb).toBeLessThan(200);
  });

  it('fails waiting tasks instead of hanging when workers cannot start', async () => {
    const pool = make({ entry: `${SLEEPY_WORKER}.missing.ts`, size: 1, spare: 0 });
    const r = await pool.run(task('x', 'sleep:0'));
    expect(r.ok ? null : r.error.code).toBe('WORKER_CRASHED');
  });

  it('close() stops every worker and fails later tasks', async () => {
    const pool = make({ size: 1, spare: 0 });
    await pool.ready();
    const running = pool.run(task('r', 'sleep:60000'));
    await until(() => pool.busy === 1);
    await pool.close();
    expect((await running).ok).toBe(false);
    const late = await pool.run(task('l', 'sleep:0'));
    expect(late.ok ? null : late.error.code).toBe('SHUTTING_DOWN');
  });

  // A worker with a thread in a read on a stalled share (a FUSE file whose read never
  // returns) cannot end: SIGKILL leaves it a zombie whose exit the kernel reports only once
  // the read returns. Its exit is held back here, as the kernel holds it (the processes are
  // real, and really killed).
  const exitNeverReported: LaunchWorker = (entry, opts) => ({
    ...forkWorker(entry, opts),
    onExit: () => undefined,
  });

  it('close() waits for a worker whose exit never comes only until its deadline', async () => {
    const pool = make({ size: 1, spare: 0, launch: exitNeverReported });
    await pool.ready();
    const running = pool.run(task('r', 'sleep:60000'));
    await until(() => pool.busy === 1);
    const t0 = Date.now();
    await pool.close(t0 + 300);
    // SIGKILL at the deadline, given up on 2 s later.
    expect(Date.now() - t0).toBeLessThan(4000);
    expect((await running).ok).toBe(false);
  });

  it('a timed-out task ends even when its killed worker never reports its exit', async () => {
    const pool = make({ size: 1, spare: 0, launch: exitNeverReported });
    await pool.ready();
    const t0 = Date.now();
    const r = await pool.run(task('t', 'sleep:60000'), { timeoutMs: 200 });
    expect(r.ok ? null : r.error.code).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it("takes real workers still starting ended by the group's SIGINT (a terminal's Ctrl-C) as expected: said as such, no failure to start, the waiting task runs", async () => {
    const logged: { level: LogLevel; event: string; fields?: Record<string, unknown> }[] = [];
    const log: Logger = {
      file: '',
      log: (level, event, fields) => logged.push({ level, event, fields }),
      info: (event, fields) => logged.push({ level: 'info', event, fields }),
      warn: (event, fields) => logged.push({ level: 'warn', event, fields }),
      error: (event, fields) => logged.push({ level: 'error', event, fields }),
    };
    const dir = tempDir();
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 61, expiries: 2, strikesPerExpiry: 6 });
    const pool = new WorkerPool({ entry: REAL_WORKER, size: 3, spare: 0, log });
    pools.push(pool);
    // Each still loading (Node, the worker's modules, Polars), before the worker ignores
    // SIGINT: the Ctrl-C that reaches the whole group ends it.
    const starting = [...pool.pids];
    expect(starting).toHaveLength(3);
    for (const pid of starting) process.kill(pid, 'SIGINT');
    const r = await pool.run({
      type: 'run',
      taskId: 't',
      input: {
        file,
        dataDir: join(dir, 'data'),
        snapshotId: randomUUID(),
        conventions: GexConventions.parse({}),
      },
    });
    expect(r.ok ? null : r.error).toBeNull();
    const said = logged.filter((l) => l.fields?.how === 'signal SIGINT');
    expect(said.map((l) => [l.level, l.event])).toEqual(
      starting.map(() => ['info', 'pool.worker_interrupted']),
    );
    expect(pool.pids.some((pid) => starting.includes(pid))).toBe(false);
  }, 60_000);
});
