// The desktop app's worker launcher (Electron's utilityProcess replaced by real Node
// children given a parentPort): what it asks Electron for (the entry, the heap limit,
// stderr piped, no ELECTRON_RUN_AS_NODE), and how it adapts a utility process to the
// engine's WorkerProcess — messages both ways, exit, kill (SIGKILL even when SIGTERM is
// ignored), terminate, stderr, an 'error' event — and the real engine running a real
// chain on workers started this way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { WorkerProcess } from '../../electron/engine/workers/launcher.ts';

vi.mock('electron', async () => ({
  utilityProcess: (await import('./utility-process.ts')).utilityProcess,
}));

const { launchUtilityWorker } = await import('../../electron/main/worker-launcher.ts');
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
  const exit = new Promise<number | null>((resolve) => w.onExit((code) => resolve(code)));
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
    expect(await exit).toBe(7);
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
    expect(await stubborn.exit).toBe(128 + 9);
    const polite = start();
    await poll(() => polite.messages.length).toBe(1);
    polite.w.terminate();
    expect(await polite.exit).toBe(128 + 15);
  });

  it('survives an error event (a V8 fatal error is followed by the exit)', async () => {
    const { messages } = start();
    await poll(() => messages.length).toBe(1);
    expect(() => launched.at(-1)!.emit('error', 'FatalError', 'v8', 'report')).not.toThrow();
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
