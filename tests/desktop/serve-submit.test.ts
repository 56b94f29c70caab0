// Files enter the browser host only as uploads, on the real engine with a real worker:
// a path sent over HTTP (to /etc/passwd, to a valid chain, to nothing) is refused with
// one clear error that tells nothing about the path and stores nothing; an uploaded
// chain submitted by its id runs to completion and its upload is then deleted; an
// upload is submitted once; the desktop transport takes paths and refuses upload ids.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import {
  serve,
  TOKEN_HEADER,
  uploadFolderOf,
  type ServeHandle,
} from '../../electron/host/serve.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import { json, send, type Answer } from './http.ts';

let te: TestEngine;
let host: ServeHandle;
let chainPath: string;
const chainText = cboeCsvText(makeChain({ seed: 11, expiries: 3, strikesPerExpiry: 20 }));
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 50 });

const good = () => ({ [TOKEN_HEADER]: host.token, origin: host.origin });
const call = async <V = unknown>(name: string, payload: unknown): Promise<Answer<V>> =>
  json<V>(
    await send(
      host.port,
      'POST',
      `/api/call/${name}`,
      { ...good(), 'content-type': 'application/json' },
      JSON.stringify(payload),
    ),
  );
const upload = async (name: string, body: string) =>
  json<{ upload: string; path: string; name: string; bytes: number }>(
    await send(host.port, 'POST', `/api/upload?name=${encodeURIComponent(name)}`, good(), body),
  );

async function stored(): Promise<{ requests: number; jobs: number; audit: number }> {
  const row = await te.engine.store.one<{ r: bigint; j: bigint; a: bigint }>(
    'SELECT (SELECT count(*) FROM requests) AS r, (SELECT count(*) FROM jobs) AS j, (SELECT count(*) FROM audit_log) AS a',
  );
  return { requests: Number(row!.r), jobs: Number(row!.j), audit: Number(row!.a) };
}

/** The files a job's request and audit entries name, each distinct name once. */
async function filesNamed(jobId: string): Promise<{ request: string[]; audit: string[] }> {
  const names = async (sql: string) =>
    (await te.engine.store.all<{ f: string }>(sql, [jobId])).map((r) => r.f);
  return {
    request: await names(
      'SELECT DISTINCT r.file AS f FROM requests r JOIN jobs j ON j.request_id = r.id WHERE j.id = ?',
    ),
    audit: await names('SELECT DISTINCT file AS f FROM audit_log WHERE job_id = ?'),
  };
}

const job = async (id: string) =>
  (await call<ProcessingJob[]>('jobs:list', {})).value!.find((j) => j.id === id);

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  const rendererDir = join(te.dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<title>GEX Desk</title>');
  chainPath = join(te.dir, 'chain.csv');
  writeFileSync(chainPath, chainText);
  host = await serve(te.engine, {
    rendererDir,
    uploadDir: uploadFolderOf(te.engine.config),
  });
});
afterAll(async () => {
  await host?.close();
  await te?.stop();
});

describe('a path over HTTP', () => {
  it('is refused, with the same clear error whether it exists or not, and nothing is stored', async () => {
    const before = await stored();
    const answers = [];
    for (const file of [
      '/etc/passwd',
      chainPath,
      join(te.dir, 'no-such-file.csv'),
      '../../etc/shadow',
    ]) {
      for (const extra of [
        {},
        { source: 'browser' },
        { requested_priority: 'CRITICAL', justification: 'now' },
      ]) {
        const answer = await call('ingest:submit', { file, ...extra });
        expect(answer.ok).toBe(false);
        expect(answer.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'file' });
        expect(answer.error!.message).toContain('the browser host accepts files only as uploads');
        expect(answer.error!.message).not.toContain(file);
        answers.push(answer);
      }
    }
    // One and the same answer for every path: nothing tells whether a file exists.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await stored()).toEqual(before);
    expect(
      (await call<unknown[]>('audit:list', {})).value!.filter((e) =>
        JSON.stringify(e).includes('passwd'),
      ),
    ).toEqual([]);
  });

  it('is refused as a folder to read snapshots from (attach), which the command line may name', async () => {
    for (const [name, req] of [
      ['snapshots:levels', {}],
      ['snapshots:history', { underlying: 'SPX' }],
      ['snapshots:get', { id: 'x' }],
      ['snapshots:cells', { id: 'x' }],
      ['snapshots:diff', { from: 'x', to: 'y' }],
    ] as const) {
      const answer = await call(name, { ...req, attach: [te.dir] });
      expect(answer.error, name).toMatchObject({ code: 'INVALID_REQUEST', field: 'attach' });
      expect(answer.error!.message).toContain('the browser host accepts files only as uploads');
    }
    expect((await call('snapshots:levels', {})).ok).toBe(true);
  });

  it('is refused together with an upload id too (exactly one way to name a file)', async () => {
    const answer = await call('ingest:submit', {
      file: chainPath,
      upload: '00000000-0000-0000-0000-000000000000',
    });
    expect(answer.error).toMatchObject({ code: 'VALIDATION', field: 'file' });
    expect(answer.error!.message).toContain('exactly one');
    expect((await call('ingest:submit', { source: 'browser' })).error).toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('an upload', () => {
  it('submitted by its id, runs to completion, and is deleted when its job ends', async () => {
    const receipt = await upload('spx quotes.csv', chainText);
    expect(receipt).toMatchObject({
      ok: true,
      value: { name: 'spx quotes.csv', bytes: Buffer.byteLength(chainText) },
    });
    const { upload: id, path } = receipt.value!;
    expect(path.startsWith(host.uploads.dir)).toBe(true);
    expect(existsSync(path)).toBe(true);
    const ended: ProcessingJob[] = [];
    const off = te.engine.events.on(
      'job:updated',
      (j) => void (j.status === 'completed' && ended.push(j)),
    );
    const ack = await call<{ status: string; job_id: string }>('ingest:submit', {
      upload: id,
      source: 'browser',
    });
    expect(ack.ok).toBe(true);
    expect(['queued', 'deciding']).toContain(ack.value!.status);
    await poll(async () => (await job(ack.value!.job_id))?.status).toBe('completed');
    await poll(() => existsSync(dirname(path))).toBe(false);
    // Named by its own name wherever it is kept, never by the stored copy now deleted (QA mv F2).
    expect((await job(ack.value!.job_id))?.file).toBe('spx quotes.csv');
    expect(await filesNamed(ack.value!.job_id)).toEqual({
      request: ['spx quotes.csv'],
      audit: ['spx quotes.csv'],
    });
    expect(host.uploads.usage).toEqual({ bytes: 0, count: 0, inFlight: 0 });
    expect(ended.map((j) => j.id)).toContain(ack.value!.job_id);
    off();
  });

  it('can be submitted once; an unknown or malformed id is NOT_FOUND, one over 200 characters VALIDATION', async () => {
    const receipt = await upload(
      'again.csv',
      cboeCsvText(makeChain({ seed: 12, expiries: 3, strikesPerExpiry: 20 })),
    );
    const id = receipt.value!.upload;
    const first = await call<{ job_id: string }>('ingest:submit', { upload: id });
    expect(first.ok).toBe(true);
    const second = await call('ingest:submit', { upload: id });
    expect(second.error).toMatchObject({ code: 'NOT_FOUND', field: 'upload' });
    for (const [bad, code] of [
      ['00000000-0000-0000-0000-000000000000', 'NOT_FOUND'],
      ['../../etc/passwd', 'NOT_FOUND'],
      ['x'.repeat(500), 'VALIDATION'],
    ]) {
      const answer = await call('ingest:submit', { upload: bad });
      expect(answer.error).toMatchObject({ code, field: 'upload' });
      expect(answer.error!.message.length).toBeLessThan(200);
    }
    await poll(async () => (await job(first.value!.job_id))?.status).toBe('completed');
    await poll(() => host.uploads.usage.count).toBe(0);
  });

  it('is refused with an id, an arrival or a name of its own, which only the command line gives', async () => {
    const receipt = await upload(
      'dated.csv',
      cboeCsvText(makeChain({ seed: 13, expiries: 3, strikesPerExpiry: 20 })),
    );
    const before = await stored();
    for (const [field, value] of [
      ['request_id', '7d3f3a52-3a1e-4b8e-9d55-0f8f8b7c2a11'],
      ['arrived_at', '2024-01-08T10:00:00Z'],
      // The name a page would give the stored upload: the command line's, for a chain piped in.
      ['given_as', 'renamed.csv'],
    ] as const) {
      const answer = await call('ingest:submit', { upload: receipt.value!.upload, [field]: value });
      expect(answer.error).toMatchObject({ code: 'INVALID_REQUEST', field });
    }
    expect(await stored()).toEqual(before);
    // Not taken by the refusals: it can still be submitted.
    const ack = await call<{ job_id: string }>('ingest:submit', { upload: receipt.value!.upload });
    expect(ack.ok).toBe(true);
    await poll(async () => (await job(ack.value!.job_id))?.status).toBe('completed');
  });

  it('whose file cannot be read ends at once, and is deleted', async () => {
    const receipt = await upload('notes.csv', 'hello,world\n1,2\n');
    const ack = await call<{ status: string; job_id: string }>('ingest:submit', {
      upload: receipt.value!.upload,
    });
    expect(ack.ok).toBe(true);
    await poll(async () => (await job(ack.value!.job_id))?.status).toBe('failed');
    await poll(() => existsSync(dirname(receipt.value!.path))).toBe(false);
    // The stored error names the file as uploaded, not the copy the host deleted.
    const failed = await job(ack.value!.job_id);
    expect(failed?.file).toBe('notes.csv');
    expect(failed?.error?.message).toContain('notes.csv');
    expect(failed?.error?.message).not.toContain(host.uploads.dir);
    expect((await filesNamed(ack.value!.job_id)).audit).toEqual(['notes.csv']);
  });
});

describe('the desktop transport', () => {
  it('takes a path and refuses an upload id', async () => {
    const dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
    const receipt = await upload('desk.csv', chainText);
    const refused = await dispatch('ingest:submit', { upload: receipt.value!.upload });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', field: 'upload' },
    });
    // The refused id is still the browser's to submit.
    expect((await call('ingest:submit', { upload: receipt.value!.upload })).ok).toBe(true);
    const byPath = await dispatch('ingest:submit', { file: chainPath, source: 'desktop' });
    expect(byPath.ok).toBe(true);
  });
});
