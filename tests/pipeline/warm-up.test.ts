// The chain a worker warms up on (workers/warm-up.ts) is read, decided on and run like a
// real CBOE download: if it stopped parsing, every worker would start cold again. A worker
// started ahead of time says ready first and warms up only until a real task comes.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFacts, runPipeline } from '../../electron/engine/pipeline/index.ts';
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
