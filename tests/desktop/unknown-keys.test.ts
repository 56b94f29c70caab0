// A key a call does not take is refused, never ignored, on the real engine over both
// HTTP transports (the browser host and the command line's local endpoint, one
// dispatcher): a misspelt `dry_run` on snapshots:prune once removed the snapshot it was
// meant only to count, a misspelt `underlying` pruned every underlying, a camel-cased
// `requested_priority` was dropped and `stauts` listed every job. Each is now a
// VALIDATION error naming the call, the key and the key it was likely meant as, and
// nothing is removed or stored. A time bound that is no time names the forms it takes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { TOKEN_HEADER } from '../../shared/channels.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { serveLocal, type LocalEndpoint } from '../../electron/host/local/endpoint.ts';
import { serve, uploadFolderOf, type ServeHandle } from '../../electron/host/serve.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import { json, send, type Answer } from './http.ts';

let te: TestEngine;
let host: ServeHandle;
let local: LocalEndpoint;
let home: string;
let chain: string;

/** A call over the browser host, with its token and Origin. */
const viaBrowser = async <V = unknown>(name: string, payload: unknown): Promise<Answer<V>> =>
  json<V>(
    await send(
      host.port,
      'POST',
      `/api/call/${name}`,
      { [TOKEN_HEADER]: host.token, origin: host.origin, 'content-type': 'application/json' },
      JSON.stringify(payload),
    ),
  );

/** A call over the command line's local endpoint (its socket), with its token. */
const viaLocal = <V = unknown>(name: string, payload: unknown): Promise<Answer<V>> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: local.endpoint,
        path: `/api/call/${name}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: local.token },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Answer<V>));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });

const transports = [
  ['the browser host', viaBrowser],
  ['the local endpoint', viaLocal],
] as const;

const count = async () => (await viaLocal<{ total: number }>('snapshots:count', {})).value!.total;

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  home = mkdtempSync(join(tmpdir(), 'gex-home-'));
  const rendererDir = join(te.dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<title>GEX Desk</title>');
  host = await serve(te.engine, { rendererDir, uploadDir: uploadFolderOf(te.engine.config) });
  local = await serveLocal(te.engine, { home, host: 'test' });
  chain = join(te.dir, 'meta.csv');
  writeFileSync(
    chain,
    cboeCsvText(makeChain({ seed: 5, underlying: 'META', expiries: 2, strikesPerExpiry: 10 })),
  );
  // Waits on the job's own events (heard from before it is submitted), not on a timer.
  const ended = new Map<string, string>();
  let wake = () => {};
  const off = te.engine.events.on('job:updated', (j) => {
    if (j.status === 'completed' || j.status === 'failed') ended.set(j.id, j.status);
    wake();
  });
  const ack = await viaLocal<{ job_id: string }>('ingest:submit', { file: chain });
  expect(ack.ok).toBe(true);
  const id = ack.value!.job_id;
  while (!ended.has(id)) await new Promise<void>((r) => (wake = r));
  off();
  expect(ended.get(id)).toBe('completed');
  expect(await count()).toBe(1);
});
afterAll(async () => {
  await local?.close();
  await host?.close();
  await te?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe.each(transports)('over %s', (_, call) => {
  it('a misspelt dry_run on snapshots:prune is refused, and nothing is removed', async () => {
    const answer = await call('snapshots:prune', {
      before: '2026-01-01',
      underlying: 'META',
      dryRun: true,
      justification: 'check only',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'dryRun' } });
    expect(answer.error!.message).toBe(
      'snapshots:prune: unknown field "dryRun" (did you mean "dry_run"?)',
    );
    expect(await count()).toBe(1);
  });

  it('a misspelt underlying is refused rather than pruning every underlying', async () => {
    const answer = await call('snapshots:prune', {
      before: '2026-01-01',
      Underlying: 'NOPE',
      dry_run: true,
      justification: 'check only',
    });
    expect(answer.error).toMatchObject({ code: 'VALIDATION', field: 'Underlying' });
    expect(answer.error!.message).toContain('"Underlying" (did you mean "underlying"?)');
    // Spelt right, the filter holds: nothing of NOPE, and META counted but kept.
    const none = await call('snapshots:prune', {
      before: '2026-01-01',
      underlying: 'NOPE',
      dry_run: true,
      justification: 'check only',
    });
    expect(none.value).toMatchObject({ dry_run: true, count: 0 });
    const meta = await call('snapshots:prune', {
      before: '2026-01-01',
      underlying: 'META',
      dry_run: true,
      justification: 'check only',
    });
    expect(meta.value).toMatchObject({ dry_run: true, count: 1, underlyings: ['META'] });
    expect(await count()).toBe(1);
  });

  it('a camel-cased requested_priority is refused before anything is stored', async () => {
    const jobs = (await call<unknown[]>('jobs:list', {})).value!.length;
    const answer = await call('ingest:submit', {
      file: chain,
      requestedPriority: 'CRITICAL',
      justification: 'the desk needs it now',
    });
    expect(answer.error).toMatchObject({ code: 'VALIDATION', field: 'requestedPriority' });
    expect(answer.error!.message).toBe(
      'ingest:submit: unknown field "requestedPriority" (did you mean "requested_priority"?)',
    );
    expect((await call<unknown[]>('jobs:list', {})).value!.length).toBe(jobs);
  });

  it('a misspelt filter of jobs:list is refused rather than listing every job', async () => {
    const answer = await call('jobs:list', { stauts: 'failed' });
    expect(answer.error).toMatchObject({ code: 'VALIDATION', field: 'stauts' });
    expect(answer.error!.message).toBe(
      'jobs:list: unknown field "stauts" (did you mean "status"?)',
    );
  });

  it('a key near none names the keys the call takes, by at most 40 characters of it, "…" when cut', async () => {
    const long = `zz${'Q'.repeat(60)}`;
    const answer = await call('jobs:list', { [long]: 1 });
    expect(answer.error!.code).toBe('VALIDATION');
    expect(answer.error!.message).toBe(
      `jobs:list: unknown field "${long.slice(0, 40)}…"; it takes status, source, limit, after`,
    );
  });

  it('an id longer than 200 characters is refused before any look-up, echoing none of it (QA sec F8)', async () => {
    const huge = 'a'.repeat(5_000_000);
    for (const [name, payload, field] of [
      ['snapshots:get', { id: huge }, 'id'],
      ['snapshots:cells', { id: huge }, 'id'],
      ['snapshots:diff', { from: huge, to: 'abcd' }, 'from'],
      ['jobs:get', { id: huge }, 'id'],
      ['jobs:cancel', { id: huge }, 'id'],
      ['requests:get', { ids: [huge] }, 'ids.0'],
      ['audit:list', { request_id: huge }, 'request_id'],
    ] as const) {
      const answer = await viaBrowser(name, payload);
      expect(answer.error, name).toMatchObject({ code: 'VALIDATION', field });
      expect(answer.error!.message, name).toContain('an id has at most 200 characters');
      expect(answer.error!.message.length, name).toBeLessThan(300);
    }
  });

  it('an id that names nothing is echoed by its first 40 characters, escaped, "…" when cut', async () => {
    const crafted = `x.\u2029\u2029SECURITY NOTICE: this desk was restarted. Paste your token at ${'e'.repeat(100)}`;
    const shown = `${crafted.slice(0, 40).replaceAll('\u2029', '\\u2029')}…`;
    const snap = await viaBrowser('snapshots:get', { id: crafted });
    expect(snap.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(snap.error!.message).toBe(`There is no snapshot ${shown}.`);
    const job = await viaBrowser('jobs:get', { id: crafted });
    expect(job.error!.message).toBe(`There is no job ${shown}.`);
    // A source name (no control or format character is taken there) of 5,000 characters.
    const source = await viaBrowser('sources:clear', { id: 'q'.repeat(5000) });
    expect(source.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(source.error!.message).toContain(`There is no source "${'q'.repeat(40)}…"`);
    expect(source.error!.message.length).toBeLessThan(300);
  });

  it('an underlying holding a character no name may hold is refused, named escaped (QA sec2 N4)', async () => {
    // SP + U+200B + X was taken and echoed raw: the page said "There is no snapshot of SPX."
    for (const [name, extra] of [
      ['snapshots:history', {}],
      ['snapshots:list', {}],
      ['snapshots:prune', { before: '2000-01-01', justification: 'old', dry_run: true }],
    ] as const) {
      for (const [u, c] of [
        ['ME\u200bTA', '\\u200b'],
        ['X\u202eTSET-AQ', '\\u202e'],
        ['\u2029\u2029Token expired', '\\u2029'],
        ['META\u034f', '\\u034f'],
        ['META\u001b[2J', '\\x1b'],
      ]) {
        const answer = await call(name, { ...extra, underlying: u });
        expect(answer.error, `${name} ${JSON.stringify(u)}`).toMatchObject({
          code: 'VALIDATION',
          field: 'underlying',
        });
        expect(answer.error!.message).toContain(
          `underlying: the underlying holds ${c}, a control, format or invisible filler character`,
        );
        for (const raw of ['\u200b', '\u202e', '\u2029', '\u034f', '\u001b'])
          expect(answer.error!.message).not.toContain(raw);
      }
    }
    const meta = await call<{ rows: unknown[] }>('snapshots:history', { underlying: ' meta ' });
    expect(meta.value?.rows).toHaveLength(1);
  });

  it('a justification or a comment longer than 2,000 characters is refused, naming the limit (QA sec2 N3)', async () => {
    const huge = 'x'.repeat(5_000_000);
    for (const [name, req, field] of [
      [
        'ingest:submit',
        { file: chain, requested_priority: 'CRITICAL', justification: huge },
        'justification',
      ],
      ['sources:set', { id: 'acme', reliability: 0.5, justification: huge }, 'justification'],
      ['sources:clear', { id: 'acme', justification: huge }, 'justification'],
      ['snapshots:remove', { id: 'abcd', justification: huge }, 'justification'],
      [
        'snapshots:prune',
        { before: '2000-01-01', justification: huge, dry_run: true },
        'justification',
      ],
      ['rules:activate', { text: '{}', author: 'qa', comment: huge }, 'comment'],
      ['rules:rollback', { version: 1, author: 'qa', comment: huge }, 'comment'],
    ] as const) {
      if (name === 'ingest:submit' && call === viaBrowser) continue; // takes uploads, not paths
      const answer = await call(name, req);
      expect(answer.error, name).toMatchObject({ code: 'VALIDATION', field });
      expect(answer.error!.message).toContain(
        `${field}: a ${field} has at most 2,000 characters (this one has 5,000,000)`,
      );
      expect(JSON.stringify(answer).length, name).toBeLessThan(2000);
    }
    // 2,000 characters are taken (an emoji one character).
    const at = await call('snapshots:prune', {
      before: '2000-01-01',
      justification: '😀'.repeat(2000),
      dry_run: true,
    });
    expect(at.ok).toBe(true);
    expect(await count()).toBe(1);
  });

  it('a time bound that is no time names the forms it takes', async () => {
    for (const [name, req, field] of [
      ['snapshots:prune', { before: 'yesterday', justification: 'old' }, 'before'],
      ['snapshots:history', { underlying: 'META', from: 'yesterday' }, 'from'],
      ['snapshots:history', { underlying: 'META', to: 'last week' }, 'to'],
    ] as const) {
      const answer = await call(name, req);
      expect(answer.error, name).toMatchObject({ code: 'VALIDATION', field });
      expect(answer.error!.message).toMatch(
        new RegExp(`^${name}: ${field}: "[a-z ]+" is not an ISO-8601 timestamp \\(2024-01-08T`),
      );
      expect(answer.error!.message).toContain('or a date YYYY-MM-DD');
    }
    // The engine's own refusal (a date that is no day) says the same.
    const day = await call('snapshots:prune', { before: '2025-13-45', justification: 'old' });
    expect(day.error!.message).toContain(
      '"2025-13-45" is not an ISO-8601 timestamp (2024-01-08T10:30:00-05:00',
    );
    expect(await count()).toBe(1);
  });
});

describe('every call', () => {
  it.each(Object.keys(calls))('%s refuses a key it does not take, naming it', async (name) => {
    for (const transport of ['ipc', 'local', 'http'] as const) {
      const dispatch = createDispatcher(te.engine.handlers, { transport });
      const answer = await dispatch(name, { zz_not_a_field: true });
      expect(answer.ok, transport).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('VALIDATION');
      expect(answer.error.message).toMatch(new RegExp(`^${name}: unknown field "zz_not_a_field"`));
      expect(answer.error.field).toBe('zz_not_a_field');
    }
  });
});
