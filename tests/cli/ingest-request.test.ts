// One request of `gex-desk ingest` whose engine goes away while its submission is on its
// way (ingest-request.ts), on the real engine: the first engine is reached through a link
// that loses the submission's answer, as a socket does when the app quits or crashes —
// after the engine stored the request, or before it could. The command goes on in the
// engine that comes next (here the same engine, reached in process) and reports how the
// request really ended: never rejected, never submitted twice, its arrival kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/result.ts';
import { ok } from '../../shared/result.ts';
import type { ApiClient } from '../../electron/host/cli/api-client.ts';
import { runRequest, type Progress } from '../../electron/host/cli/ingest-request.ts';
import { jobWaiter } from '../../electron/host/cli/job-waiter.ts';
import { SubmitTurns } from '../../electron/host/cli/submit-turns.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { join } from 'node:path';

let te: TestEngine;
beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
});
afterAll(() => te?.stop());

/** The engine's API in process, as a command's own engine serves it. */
function inProcess(): ApiClient {
  const dispatch = createDispatcher(te.engine.handlers, { transport: 'local' });
  return {
    where: 'in-process',
    call: (name, req) => dispatch(name, req) as never,
    on: (event, listener) => te.engine.events.on(event, listener),
    onLost: () => undefined,
  };
}

/** A running engine's link that goes away with one submission: `stored` says whether it got there first. */
function losingLink(stored: boolean): ApiClient {
  const api = inProcess();
  const lost = new WeakSet<AppError>();
  return {
    ...api,
    where: 'running-engine',
    enginePid: process.pid,
    call: async (name, req) => {
      if (name !== 'ingest:submit') return api.call(name, req);
      if (stored) await api.call(name, req);
      const error: AppError = {
        code: 'IO',
        message: 'The running GEX Desk engine stopped answering: socket hang up',
      };
      lost.add(error);
      return { ok: false, error } as never;
    },
    wentAway: (e) => lost.has(e),
  };
}

const progress = (): Progress => ({
  stopped: false,
  unsent: 1,
  sending: new Set(),
  waiting: new Map(),
});

async function jobsOf(file: string) {
  const r = await te.engine.handlers['jobs:list']({ limit: 100 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.filter((j) => j.file === file);
}

describe('a submission whose engine went away before it answered', () => {
  it.each([
    ['after it stored the request: the stored one is waited for, not submitted again', true],
    ['before it stored it: it is submitted to the next, with its arrival', false],
  ])('%s', async (_, stored) => {
    const file = join(te.dir, `lost-${stored}.csv`);
    writeCboeCsv(file, { seed: stored ? 61 : 62, expiries: 2, strikesPerExpiry: 8 });
    const next = inProcess();
    const waiter = jobWaiter(losingLink(stored), async () => ok(next));
    const givenMs = Date.now() - 5000; // the command was given it 5 s ago
    const line = await runRequest(waiter, { file, source: 'cli', at_ms: 0 }, progress(), givenMs);
    expect(line).toMatchObject({ file, status: 'completed' });
    expect(waiter.api()).toBe(next);
    const jobs = await jobsOf(file);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: line.job_id, request_id: line.request_id });
    expect(Date.parse(jobs[0]!.submitted_at)).toBe(givenMs);
    expect(line.latency_ms).toBe(Date.parse(jobs[0]!.finished_at!) - givenMs);
  });

  // A manifest's line that came due while the command had no engine to send it to: its
  // own process was starting the next one (the engine's start holds the timers up: lines
  // were sent up to 1.4 s late on a loaded machine, and dated then).
  it('a line due before the next engine was reached is dated when it was due', async () => {
    const file = join(te.dir, 'due-meanwhile.csv');
    writeCboeCsv(file, { seed: 63, expiries: 2, strikesPerExpiry: 8 });
    const next = inProcess();
    const waiter = jobWaiter(losingLink(false), async () => ok(next));
    const dueMs = Date.now(); // after the first engine was reached
    await new Promise((r) => setTimeout(r, 300)); // the command's timers held up
    const line = runRequest(waiter, { file, source: 'cli', at_ms: 0 }, progress(), null, dueMs);
    expect(await line).toMatchObject({ file, status: 'completed' });
    expect(waiter.api()).toBe(next);
    const jobs = await jobsOf(file);
    expect(jobs).toHaveLength(1);
    expect(Date.parse(jobs[0]!.submitted_at)).toBe(dueMs);
    expect((await line).latency_ms).toBe(Date.parse(jobs[0]!.finished_at!) - dueMs);
  });
});

// QA: after `serve` was killed mid-submission, `ingest P Q` resubmitted its files to the
// next engine as each one's lookup there ended: Q before P, so the engine placed Q first
// (same arrival, then the order it took them in) and compared P with Q. Here P's lookup is
// held until Q has looked itself up and the turn of the event loop after it has passed —
// by then Q, resubmitting on its own, would have reached the engine.
describe('a command whose engine went away with several submissions', () => {
  it('resubmits them to the next engine in the order of its files', async () => {
    const files = ['p', 'q'].map((n, i) => {
      const file = join(te.dir, `order-${n}.csv`);
      writeCboeCsv(file, { seed: 70 + i, expiries: 2, strikesPerExpiry: 8 });
      return file;
    });
    const base = inProcess();
    const submittedTo: string[] = [];
    const ids = new Map<string, string>(); // request id → file
    let qLookedUp!: () => void;
    const qDone = new Promise<void>((r) => (qLookedUp = r));
    const next: ApiClient = {
      ...base,
      call: async (name, req) => {
        const r = req as { id?: string; ids?: string[]; file?: string; request_id?: string };
        if (name === 'ingest:submit') submittedTo.push(r.file!);
        if (name === 'jobs:get' && ids.get(r.id!) === files[0]) await qDone;
        const answer = await base.call(name, req);
        if (name === 'requests:get' && ids.get(r.ids![0]!) === files[1])
          setImmediate(() => qLookedUp());
        return answer;
      },
    };
    const first = losingLink(false);
    const lose = first.call;
    first.call = (name, req) => {
      if (name === 'ingest:submit') {
        const r = req as { file: string; request_id: string };
        ids.set(r.request_id, r.file);
      }
      return lose(name, req);
    };
    const waiter = jobWaiter(first, async () => ok(next));
    const turns = new SubmitTurns(2);
    const givenMs = Date.now() - 5000; // one command: one arrival for both
    const lines = await Promise.all(
      files.map((file, i) =>
        runRequest(
          waiter,
          { file, source: 'cli', at_ms: 0 },
          progress(),
          givenMs,
          undefined,
          turns.turn(i),
        ),
      ),
    );
    expect(lines.map((l) => l.status)).toEqual(['completed', 'completed']);
    expect(submittedTo.slice(-2)).toEqual(files);
    const rows = await te.engine.store.all<{ id: string; at: number; n: number }>(
      `SELECT id, epoch_ms(submitted_at)::DOUBLE AS at, arrival_order::DOUBLE AS n FROM requests
       WHERE id IN ($1, $2)`,
      [lines[0]!.request_id!, lines[1]!.request_id!],
    );
    const [p, q] = lines.map((l) => rows.find((r) => r.id === l.request_id)!);
    expect(p!.at).toBe(q!.at);
    expect(p!.n).toBeLessThan(q!.n);
  });
});
