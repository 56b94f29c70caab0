// The chain a worker warms up on (workers/warm-up.ts) is read, decided on and run like a
// real CBOE download: if it stopped parsing, every worker would start cold again. A worker
// started ahead of time says ready first and warms up only until a real task comes. The
// folder it warms up in is gone however the worker ends: stopped, left by its engine, or
// killed outright (then the next warm-up removes it).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFacts, runPipeline } from '../../electron/engine/pipeline/index.ts';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { warmUp, warmUpChain } from '../../electron/engine/workers/warm-up.ts';
import { GexConventions } from '../../shared/domain.ts';
import { WorkerReply, type WorkerRequest } from '../../shared/pipeline.ts';
import { repoRoot } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'gex-warm-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is a CBOE quotes CSV of 9,600 contracts that the facts read and the run accept', async () => {
  const file = join(dir, 'warm.csv');
  writeFileSync(file, warmUpChain());
  const conventions = GexConventions.parse({});
  const chainFile = join(dir, 'warm.chain');
  const facts = await readFacts({ file, chainFile }, conventions);
  if (!facts.ok) throw new Error(facts.error.message);
  expect(facts.value).toMatchObject({ format: 'cboe-csv', underlying: 'WARM', spot: 100 });
  expect(facts.value.contracts).toBe(9600);
  const run = await runPipeline({
    file,
    chainFile,
    contentHash: facts.value.content_hash,
    dataDir: dir,
    snapshotId: 'w',
    conventions,
  });
  if (!run.ok) throw new Error(run.error.message);
  expect(run.value.snapshot.total_gex).toBe(facts.value.total_gex);
  expect(run.value.profile.length).toBeGreaterThan(0);
  await expect(warmUp()).resolves.toEqual({ steps: 2, stopped: false });
  await expect(warmUp(() => true)).resolves.toEqual({ steps: 0, stopped: true });
});

describe('a worker started ahead of time', () => {
  /**
   * Forks the worker with --warm and, if given, sends `task` at once: it waits in the
   * channel while the worker starts, so that it is there before the warm-up's first step
   * however slow the machine (sent at `ready`, a busy machine could let the whole warm-up
   * run first).
   */
  async function start(task?: WorkerRequest, args: string[] = []): Promise<WorkerReply[]> {
    const entry = join(repoRoot, 'electron/engine/workers/pipeline-worker.ts');
    const child = fork(entry, ['--warm', ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (task) child.send(task);
    const replies: WorkerReply[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('message', (m) => {
          const reply = WorkerReply.parse(m);
          replies.push(reply);
          const resultSeen = !task || replies.some((r) => r.type === 'result');
          if (resultSeen && replies.some((r) => r.type === 'warmed')) resolve();
        });
      });
    } finally {
      child.kill();
    }
    return replies;
  }

  it('says ready before warming up, and warms up fully while no task comes', async () => {
    const replies = await start();
    expect(replies.map((r) => r.type)).toEqual(['ready', 'warmed']);
    expect(replies[1]).toEqual({ type: 'warmed', steps: 2, stopped: false });
  }, 60_000);

  it('stops warming up at its next step when a task is waiting, then runs the task', async () => {
    const file = join(dir, 'task.csv');
    writeFileSync(file, warmUpChain());
    const replies = await start({
      type: 'facts',
      taskId: 't1',
      file,
      conventions: GexConventions.parse({}),
    });
    expect(replies[0]?.type).toBe('ready');
    const warmed = replies.find((r) => r.type === 'warmed');
    expect(warmed).toMatchObject({ stopped: true });
    expect((warmed as { steps: number }).steps).toBeLessThan(2);
    const result = replies.find((r) => r.type === 'result');
    expect(result).toMatchObject({ taskId: 't1', result: { ok: true } });
    // The warm-up stopped before the task ran, not after it.
    expect(replies.indexOf(warmed!)).toBeLessThan(replies.indexOf(result!));
  }, 60_000);

  it('reads ahead the files it is given instead: two steps a file', async () => {
    const files = ['ahead-1.csv', 'ahead-2.csv'].map((name) => {
      const file = join(dir, name);
      writeFileSync(file, warmUpChain());
      return file;
    });
    const conventions = GexConventions.parse({});
    const ahead = JSON.stringify({ files, conventions });
    const idle = await start(undefined, ['--read-ahead', ahead]);
    // Two files of two steps each: not the built-in warm-up, which has two in all.
    expect(idle[1]).toEqual({ type: 'warmed', steps: 4, stopped: false });
    // A malformed read-ahead is ignored: the worker warms up as usual.
    const usual = await start(undefined, ['--read-ahead', '{"files": 3}']);
    expect(usual[1]).toEqual({ type: 'warmed', steps: 2, stopped: false });
  }, 60_000);
});

describe("a worker's warm-up folder", () => {
  const entry = join(repoRoot, 'electron/engine/workers/pipeline-worker.ts');
  let n = 0;
  /** A temporary folder of the test's own, the workers' TMPDIR. */
  const ownTmp = (): string => {
    const tmp = join(dir, `tmp-${n++}`);
    mkdirSync(tmp);
    return tmp;
  };
  const warmFolders = (tmp: string): string[] =>
    readdirSync(tmp).filter((name) => name.startsWith('gex-warm-'));
  /** Resolves once a warm-up folder is in `tmp` (polled every 2 ms: the warm-up lasts about 150 ms). */
  const warmingUp = (tmp: string): Promise<void> =>
    new Promise((resolve) => {
      const poll = setInterval(() => {
        if (warmFolders(tmp).length === 0) return;
        clearInterval(poll);
        resolve();
      }, 2);
    });
  const exited = (child: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
    new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const startWarm = (tmp: string): ChildProcess =>
    fork(entry, ['--warm'], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });

  it('is removed when SIGTERM stops the worker mid-warm-up, which still dies of SIGTERM', async () => {
    const tmp = ownTmp();
    const child = startWarm(tmp);
    const exit = exited(child);
    await warmingUp(tmp);
    child.kill('SIGTERM');
    // Dying of the signal, not exiting: the pool tells a stop from outside by it.
    expect(await exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(warmFolders(tmp)).toEqual([]);
  }, 60_000);

  it('is removed when its engine goes away mid-warm-up (the worker exits on disconnect)', async () => {
    const tmp = ownTmp();
    const child = startWarm(tmp);
    const exit = exited(child);
    await warmingUp(tmp);
    child.disconnect();
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(warmFolders(tmp)).toEqual([]);
  }, 60_000);

  it('is removed when the pool closes mid-warm-up', async () => {
    const tmp = ownTmp();
    const pool = new WorkerPool({ size: 1, spare: 0, env: { ...process.env, TMPDIR: tmp } });
    await pool.ready();
    await warmingUp(tmp);
    await pool.close();
    expect(warmFolders(tmp)).toEqual([]);
  }, 60_000);

  it("of a worker killed outright is removed by a later warm-up; no one else's folder is", async () => {
    const tmp = ownTmp();
    const killed = startWarm(tmp);
    const exit = exited(killed);
    await warmingUp(tmp);
    killed.kill('SIGKILL');
    await exit;
    const left = warmFolders(tmp);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^gex-warm-${killed.pid}-\\w{6}$`))]);
    // A live process's, names of another form (older warm-ups', a test's): kept.
    const others = [`gex-warm-${process.pid}-abc123`, 'gex-warm-Xy12z9', 'gex-warm-test-abc123'];
    for (const name of others) mkdirSync(join(tmp, name));

    const later = startWarm(tmp);
    await new Promise<void>((resolve) =>
      later.on('message', (m) => {
        if (WorkerReply.parse(m).type === 'warmed') resolve();
      }),
    );
    later.kill();
    expect(warmFolders(tmp).sort()).toEqual([...others].sort());
  }, 60_000);
});
