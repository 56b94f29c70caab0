// The pipeline worker forked for real: it says ready once warm, runs tasks one at a
// time, reports progress, returns results that validate against the shared schemas,
// and answers a bad message with an error instead of dying.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FactsResult,
  PipelineResult,
  WorkerReply,
  type WorkerRequest,
} from '../../shared/pipeline.ts';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { conventions, repoRoot, tempDir } from './helpers.ts';

const dir = tempDir('gex-worker-');
let child: ChildProcess;
const replies: WorkerReply[] = [];
let waiters: (() => void)[] = [];

function next(pred: (r: WorkerReply) => boolean, timeoutMs = 30_000): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not answer')), timeoutMs);
    const check = (): boolean => {
      const i = replies.findIndex(pred);
      if (i < 0) return false;
      clearTimeout(timer);
      resolve(replies.splice(i, 1)[0]!);
      return true;
    };
    const waiter = (): void => {
      if (!check()) waiters.push(waiter);
    };
    if (!check()) waiters.push(waiter);
  });
}

const send = (msg: WorkerRequest | Record<string, unknown>): void => void child.send(msg);

beforeAll(async () => {
  child = fork(join(repoRoot, 'electron/engine/workers/pipeline-worker.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => {
    replies.push(WorkerReply.parse(m));
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  });
  await next((r) => r.type === 'ready', 60_000);
});

afterAll(() => {
  child?.kill();
});

describe('pipeline worker', () => {
  it('runs a pipeline task with progress and a valid result', async () => {
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { seed: 51, expiries: 8, strikesPerExpiry: 60 });
    send({
      type: 'run',
      taskId: 't1',
      input: { file, dataDir: join(dir, 'data'), snapshotId: 'w1', conventions: conventions() },
    });
    const result = await next((r) => r.type === 'result' && r.taskId === 't1');
    if (result.type !== 'result') throw new Error('unreachable');
    const parsed = PipelineResult.parse(result.result);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(parsed.value.snapshot.underlying).toBe('SPX');
    expect(parsed.value.snapshot.contracts).toBe(960);
    const progress = replies.filter((r) => r.type === 'progress' && r.taskId === 't1');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const fractions = progress.map((p) => (p.type === 'progress' ? p.fraction : 0));
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it('answers facts tasks and errors as values, one task at a time in order', async () => {
    const file = join(dir, 'spx2.csv');
    writeCboeCsv(file, { seed: 52, expiries: 3, strikesPerExpiry: 20 });
    const bad = writeBadFiles(join(dir, 'bad'));
    send({ type: 'facts', taskId: 'f1', file, conventions: conventions() });
    send({ type: 'facts', taskId: 'f2', file: bad.truncated!.path, conventions: conventions() });
    const a = await next((r) => r.type === 'result' && r.taskId === 'f1');
    const b = await next((r) => r.type === 'result' && r.taskId === 'f2');
    if (a.type !== 'result' || b.type !== 'result') throw new Error('unreachable');
    const fa = FactsResult.parse(a.result);
    expect(fa.ok && fa.value.contracts).toBe(120);
    expect(b.result).toMatchObject({ ok: false, error: { code: 'TRUNCATED', line: 7 } });
  });

  it('rejects a malformed message with VALIDATION and keeps running', async () => {
    send({ type: 'run', taskId: 'bad', input: { file: '' } });
    const r = await next((x) => x.type === 'result' && x.taskId === 'bad');
    expect(r).toMatchObject({ result: { ok: false, error: { code: 'VALIDATION' } } });
    send({
      type: 'facts',
      taskId: 'after',
      file: join(dir, 'missing.csv'),
      conventions: conventions(),
    });
    expect(await next((x) => x.type === 'result' && x.taskId === 'after')).toMatchObject({
      result: { ok: false, error: { code: 'FILE_NOT_FOUND' } },
    });
  });
});
