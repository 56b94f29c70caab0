// Every call's answer against the response schema shared/api.ts declares for it. The
// transports validate requests only (a response is typed, not parsed, on its way out),
// so a handler that drifts from its schema — a field renamed, added, left out or of
// another type — would reach the UI unnoticed. Here each call goes through the same
// validating dispatcher the transports use, on the real engine (DuckDB, the pipeline,
// workers) fed real chain files, with a valid request, and must answer `ok` with exactly
// what its schema describes. `cases` is typed by CallName: a new call without a case does
// not typecheck, and the count below fails the test as well.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, type CallName, type CallRequest, type CallResponse } from '../../shared/api.ts';
import { createDispatcher, type Dispatch } from '../../electron/host/handlers.ts';
import { writeCboeCsv } from '../fixtures/index.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;
let dispatch: Dispatch;

/** What the cases build their requests from: ids of things the engine really stored. */
interface Fixture {
  dir: string;
  snapshots: [string, string];
  requestId: string;
  failedJobId: string;
}
let fx: Fixture;

async function call<K extends CallName>(
  name: K,
  request: CallRequest<K>,
): Promise<CallResponse<K>> {
  const r = await dispatch(name, request);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value as CallResponse<K>;
}

/** A valid request for one call, built on the stored fixture; `after` restores what it changed. */
interface Case<K extends CallName> {
  request: (fx: Fixture) => Promise<CallRequest<K>> | CallRequest<K>;
  after?: () => Promise<void>;
}

const cases: { [K in CallName]: Case<K> } = {
  'engine:health': { request: () => ({}) },
  'ingest:submit': {
    request: ({ dir }) => {
      const file = join(dir, 'iwm.csv');
      writeCboeCsv(file, {
        seed: 21,
        underlying: 'IWM',
        spot: 200,
        expiries: 2,
        strikesPerExpiry: 8,
      });
      return {
        file,
        source: 'desk',
        requested_priority: 'HIGH',
        justification: 'FOMC',
        author: 'ana',
      };
    },
    after: async () => void (await te.engine.drain()),
  },
  'jobs:get': { request: ({ failedJobId }) => ({ id: failedJobId }) },
  'jobs:list': { request: () => ({ limit: 50 }) },
  'jobs:cancel': {
    // A queued job to cancel: submitted while dispatch is held.
    request: async ({ dir }) => {
      await call('queue:pause', {});
      const file = join(dir, 'qqq.csv');
      writeCboeCsv(file, {
        seed: 22,
        underlying: 'QQQ',
        spot: 400,
        expiries: 2,
        strikesPerExpiry: 8,
      });
      const ack = await call('ingest:submit', { file, source: 'desk' });
      if (!ack.job_id) throw new Error(`no job to cancel (${ack.status})`);
      return { id: ack.job_id, author: 'bo' };
    },
    after: async () => void (await call('queue:resume', {})),
  },
  'jobs:retry': {
    request: ({ failedJobId }) => ({ id: failedJobId, author: 'bo' }),
    after: async () => void (await te.engine.drain()),
  },
  'jobs:bytesKept': { request: ({ failedJobId }) => ({ id: failedJobId }) },
  'queue:stats': { request: () => ({}) },
  'queue:pause': { request: () => ({}), after: async () => void (await call('queue:resume', {})) },
  'queue:resume': { request: () => ({}) },
  'queue:drain': { request: () => ({}) },
  'snapshots:list': { request: () => ({ underlying: 'SPX' }) },
  'snapshots:many': { request: ({ snapshots }) => ({ ids: [...snapshots, 'no-such-snapshot'] }) },
  'snapshots:count': { request: () => ({}) },
  'snapshots:get': { request: ({ snapshots }) => ({ id: snapshots[0] }) },
  'snapshots:cells': { request: ({ snapshots }) => ({ id: snapshots[0] }) },
  'snapshots:history': { request: () => ({ underlying: 'SPX', from: '2024-01-01' }) },
  'snapshots:diff': { request: ({ snapshots }) => ({ from: snapshots[0], to: snapshots[1] }) },
  'snapshots:levels': { request: () => ({}) },
  'snapshots:attachedCheck': { request: () => ({}) },
  'snapshots:remove': {
    // A snapshot of its own, so that the cases after it still find the fixture's two.
    request: async ({ dir }) => {
      const file = join(dir, 'spx-removed.csv');
      writeCboeCsv(file, {
        seed: 5,
        expiries: 2,
        strikesPerExpiry: 6,
        asOf: '2024-01-10T10:30:00',
      });
      const ack = await call('ingest:submit', { file, source: 'desk' });
      if (!ack.job_id) throw new Error(`${file} was not queued (${ack.status})`);
      await te.engine.drain();
      const job = (await call('jobs:get', { id: ack.job_id })).job;
      if (!job.snapshot_id) throw new Error(`${file} made no snapshot (${job.status})`);
      return { id: job.snapshot_id, justification: 'the wrong file', author: 'ana' };
    },
  },
  // A dry run: the fixture's snapshots stay for the cases after it.
  'snapshots:prune': {
    request: () => ({ before: '2024-01-09', justification: 'older than kept', dry_run: true }),
  },
  'rules:active': { request: () => ({}) },
  'rules:check': { request: async () => ({ text: (await call('rules:active', {})).text }) },
  'rules:dryRun': {
    request: async ({ requestId }) => {
      const [stored] = await call('requests:get', { ids: [requestId] });
      if (!stored?.facts) throw new Error('the stored request has no facts');
      return {
        text: (await call('rules:active', {})).text,
        facts: [stored.facts, { underlying: 'SPX' }],
      };
    },
  },
  'rules:activate': {
    request: async () => ({
      text: (await call('rules:active', {})).text,
      author: 'ana',
      comment: 'the same rules again',
    }),
  },
  'rules:history': { request: () => ({}) },
  'rules:get': { request: () => ({ version: 1 }) },
  'rules:rollback': {
    request: () => ({ version: 1, author: 'ana', comment: 'back to the first' }),
  },
  'rules:schema': { request: () => ({}) },
  'requests:get': { request: ({ requestId }) => ({ ids: [requestId, 'no-such-id'] }) },
  'rules:whatif': {
    request: async () => ({ text: (await call('rules:active', {})).text, last: 100 }),
  },
  'audit:list': { request: () => ({ limit: 100 }) },
  'sources:list': { request: () => ({}) },
  'sources:set': {
    request: () => ({
      id: 'desk',
      reliability: 0.4,
      justification: 'vendor outage',
      author: 'ana',
    }),
  },
  'sources:clear': { request: () => ({ id: 'desk', justification: 'fixed', author: 'ana' }) },
  'inbox:get': { request: () => ({}) },
  'inbox:set': {
    request: ({ dir }) => ({ dir: join(dir, 'other-inbox') }),
    after: async () => void (await call('inbox:set', { dir: te.engine.config.inbox })),
  },
};

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
  const dir = join(te.dir, 'files');
  mkdirSync(dir, { recursive: true });
  const spx = (name: string, seed: number, asOf: string) => {
    const file = join(dir, name);
    writeCboeCsv(file, { seed, expiries: 3, strikesPerExpiry: 10, asOf });
    return call('ingest:submit', { file, source: 'desk', author: 'ana' });
  };
  const a = await spx('spx-a.csv', 3, '2024-01-08T10:30:00');
  const b = await spx('spx-b.csv', 4, '2024-01-09T10:30:00');
  // A chain with a bad cell: captured at arrival, failed when read, its bytes kept for a retry
  // (a file of no known format is never captured, and its retry is refused).
  const junk = join(dir, 'junk.csv');
  writeFileSync(
    junk,
    'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
      'SPX,2024-01-08T10:30:00-05:00,4700,2024-01-19,4700,C,abc,1,0.2\n',
  );
  const bad = await call('ingest:submit', { file: junk, source: 'desk' });
  await te.engine.drain();
  const jobs = await call('jobs:list', { limit: 10 });
  const snapshot = (jobId: string | null) => {
    const id = jobs.find((j) => j.id === jobId)?.snapshot_id;
    if (!id) throw new Error(`job ${jobId} made no snapshot`);
    return id;
  };
  const failed = jobs.find((j) => j.id === bad.job_id && j.status === 'failed');
  if (!failed) throw new Error(`the junk file's job did not fail (${bad.status})`);
  fx = {
    dir,
    snapshots: [snapshot(a.job_id), snapshot(b.job_id)],
    requestId: a.request_id,
    failedJobId: failed.id,
  };
});
afterAll(async () => {
  await te?.stop();
});

describe('every handler answers what its response schema declares', () => {
  it('has a case for every call', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(calls).sort());
  });

  for (const name of Object.keys(cases) as CallName[]) {
    it(name, async () => {
      const c = cases[name] as Case<CallName>;
      const result = await dispatch(name, await c.request(fx));
      if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
      try {
        // A list answers with at least one item, so that the item's schema is exercised.
        if (Array.isArray(result.value))
          expect(result.value.length, `${name} answered []`).toBeGreaterThan(0);
        const parsed = calls[name].response.safeParse(result.value);
        if (!parsed.success) throw new Error(`${name}: ${parsed.error.message}`);
        // Exactly the schema: nothing it would strip (an undeclared field) or fill in (a
        // default standing in for a field the handler left out).
        expect(JSON.parse(JSON.stringify(result.value))).toEqual(
          JSON.parse(JSON.stringify(parsed.data)),
        );
      } finally {
        await c.after?.();
      }
    });
  }
});
