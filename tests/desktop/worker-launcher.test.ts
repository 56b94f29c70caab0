// The desktop app's worker launcher (Electron's utilityProcess replaced by real Node
// children given a parentPort): what it asks Electron for (the entry, the heap limit,
// stderr piped, no ELECTRON_RUN_AS_NODE), and how it adapts a utility process to the
// engine's WorkerProcess — messages both ways, exit (a signal told apart from an exit
// code), kill (SIGKILL even when SIGTERM is ignored), terminate, stderr, an 'error' event —
// a worker stopped from outside ending its task SHUTTING_DOWN, as under serve, and the
// real engine running a real chain on workers started this way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { WorkerProcess } from '../../electron/engine/workers/launcher.ts';

vi.mock('electron', async () => ({
  utilityProcess: (await import('./utility-process.ts')).utilityProcess,
}));

const { launchUtilityWorker, utilityExit } = await import('../../electron/main/worker-launcher.ts');
const { WorkerPool } = await import('../../electron/engine/workers/pool.ts');
const { forkCalls, launched } = await import('./utility-process.ts');
const { createDispatcher } = await import('../../electron/host/handlers.ts');
const { startTestEngine } = await import('./engine.ts');
const { cboeCsvText, makeChain } = await import('../fixtures/option-chains.ts');

const WORKER = fileURLToPath(new URL('./utility-worker.ts', import.meta.url));
const started: WorkerProcess[] = [];

/** Starts the test worker and collects what it says. */
function start(env: NodeJS.ProcessEnv = process.env) {
  const w = launchUtilityWorker(WORKER, {
    env,
    execArgv: ['--max-old-space-size=200'],
    args: ['--warm'],
  });
  started.push(w);
  const messages: unknown[] = [];
  let stderr = '';
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    w.onExit((code, signal) => resolve({ code, signal })),
  );
  w.onMessage((m) => messages.push(m));
  w.onStderr((chunk) => (stderr += chunk));
  return { w, messages, exit, stderr: () => stderr };
}
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 10_000, interval: 20 });

afterAll(() => {
  for (const w of started) w.kill();
});

describe('the utility-process launcher', () => {
  it('asks Electron for the entry, its arguments, the heap limit and a piped stderr, with no ELECTRON_RUN_AS_NODE', async () => {
    const { messages } = start({
      ...process.env,
      GEX_TEST_MARK: 'mine',
      ELECTRON_RUN_AS_NODE: undefined,
    });
    const call = forkCalls.at(-1)!;
    expect(call.modulePath).toBe(WORKER);
    expect(call.args).toEqual(['--warm']);
    expect(call.options.execArgv).toEqual(['--max-old-space-size=200']);
    expect(call.options.stdio).toEqual(['ignore', 'inherit', 'pipe']);
    await poll(() => messages[0]).toEqual({ up: true, env: 'mine', runAsNode: null });
  });

  it('carries messages both ways', async () => {
    const { w, messages } = start();
    await poll(() => messages.length).toBe(1);
    w.send({ do: 'echo', n: 1 });
    await poll(() => messages[1]).toMatchObject({
      echoed: { do: 'echo', n: 1 },
      pid: w.pid,
      argv: ['--warm'],
    });
  });

  it('reports the exit code, and ignores a send after the exit', async () => {
    const { w, messages, exit } = start();
    await poll(() => messages.length).toBe(1);
    w.send({ do: 'exit', code: 7 });
    expect(await exit).toEqual({ code: 7, signal: null });
    expect(() => w.send({ do: 'echo' })).not.toThrow();
    expect(() => w.terminate()).not.toThrow();
  });

  it('passes stderr on', async () => {
    const { w, messages, stderr } = start();
    await poll(() => messages.length).toBe(1);
    w.send({ do: 'stderr', text: 'polars: out of memory\n' });
    await poll(stderr).toContain('polars: out of memory');
  });

  it('kills at once (SIGKILL) a worker that ignores SIGTERM; terminate asks with SIGTERM', async () => {
    const stubborn = start();
    await poll(() => stubborn.messages.length).toBe(1);
    stubborn.w.send({ do: 'ignore-sigterm' });
    await poll(() => stubborn.messages[1]).toEqual({ ignoring: true });
    stubborn.w.terminate();
    await poll(() => stubborn.messages[2]).toEqual({ sigterm: true });
    stubborn.w.kill();
    // Its SIGKILL follows Electron's own kill() (terminate), which Electron reports as 0.
    expect(await stubborn.exit).toEqual({ code: 0, signal: null });
    const polite = start();
    await poll(() => polite.messages.length).toBe(1);
    polite.w.terminate();
    // Electron reports its own kill() as exit code 0.
    expect(await polite.exit).toEqual({ code: 0, signal: null });
  });

  it('reports a SIGTERM sent from outside as that signal, not as an exit code', async () => {
    const { w, messages, exit } = start();
    await poll(() => messages.length).toBe(1);
    process.kill(w.pid!, 'SIGTERM');
    expect(await exit).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it("reads Electron's exit number: a signal's own number or 128 + it (POSIX), an exit code otherwise", () => {
    const read = (n: number, platform: NodeJS.Platform = 'linux') => utilityExit(n, platform);
    expect(read(15)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(read(128 + 15)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(read(2)).toEqual({ code: null, signal: 'SIGINT' });
    expect(read(128 + 1, 'darwin')).toEqual({ code: null, signal: 'SIGHUP' });
    expect(read(9)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(read(11)).toEqual({ code: null, signal: 'SIGSEGV' });
    expect(read(128 + 11)).toEqual({ code: null, signal: 'SIGSEGV' });
    // Node's own exit codes stay codes: 1 is an uncaught exception, not SIGHUP.
    expect(read(0)).toEqual({ code: 0, signal: null });
    expect(read(1)).toEqual({ code: 1, signal: null });
    expect(read(7)).toEqual({ code: 7, signal: null });
    expect(read(2 << 8)).toEqual({ code: 2, signal: null });
    // Windows has no signals: its exit code is the process's.
    expect(read(15, 'win32')).toEqual({ code: 15, signal: null });
  });

  it('survives an error event (a V8 fatal error is followed by the exit)', async () => {
    const { messages } = start();
    await poll(() => messages.length).toBe(1);
    expect(() => launched.at(-1)!.emit('error', 'FatalError', 'v8', 'report')).not.toThrow();
  });
});

describe('the pool on utility-process workers', () => {
  // docs/scheduler.md "Stopped from outside is not a crash", as under serve (tests/scheduler/pool.test.ts).
  it('ends the task of a worker stopped by SIGTERM or SIGINT from outside SHUTTING_DOWN; SIGSEGV is a crash', async () => {
    const pool = new WorkerPool({
      entry: WORKER,
      size: 1,
      spare: 0,
      env: { ...process.env, GEX_TEST_POOL: '1' },
      launch: launchUtilityWorker,
    });
    try {
      const stopped = async (signal: NodeJS.Signals) => {
        await pool.ready();
        const long = pool.run({ type: 'run', taskId: signal });
        await poll(() => pool.busy).toBe(1);
        process.kill(pool.pids[0]!, signal);
        const r = await long;
        return r.ok ? null : r.error;
      };
      expect(await stopped('SIGTERM')).toMatchObject({
        code: 'SHUTTING_DOWN',
        message: expect.stringContaining('stopped by SIGTERM, sent from outside GEX Desk'),
      });
      expect(await stopped('SIGINT')).toMatchObject({ code: 'SHUTTING_DOWN' });
      expect(await stopped('SIGSEGV')).toMatchObject({
        code: 'WORKER_CRASHED',
        message: expect.stringContaining('signal SIGSEGV'),
      });
    } finally {
      await pool.close();
    }
  });
});

describe('the engine on utility-process workers', () => {
  it('runs a real chain to completion through the pipeline worker’s parentPort', async () => {
    const before = forkCalls.length;
    const te = await startTestEngine({ workers: 1, launchWorker: launchUtilityWorker });
    try {
      const file = join(te.dir, 'chain.csv');
      writeFileSync(file, cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 })));
      const dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
      const ack = await dispatch('ingest:submit', { file, source: 'desktop' });
      expect(ack.ok).toBe(true);
      await te.engine.drain();
      const jobs = await dispatch('jobs:list', {});
      expect(jobs.ok && (jobs.value as { status: string }[]).map((j) => j.status)).toEqual([
        'completed',
      ]);
      const workerCalls = forkCalls.slice(before);
      expect(workerCalls.length).toBeGreaterThan(0);
      for (const c of workerCalls) {
        expect(c.modulePath.endsWith('pipeline-worker.ts')).toBe(true);
        expect(c.options.execArgv).toContain('--max-old-space-size=1024');
      }
    } finally {
      await te.stop();
    }
  });
});
