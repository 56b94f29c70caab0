// The arrival is the clock and the staged bytes are the content: a request's decision
// counts `now` from its arrival even when its facts are read later, a file moved away or
// rewritten in place after its acknowledgement still ingests from its bytes then, every
// step of a request is in the audit trail with the file named, and only a final input
// error counts against a source. The real engine on a temporary database, with its real
// workers.
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { gexChange, IntakeMemory } from '../../electron/engine/intake/memory.ts';
import {
  WorkerPool,
  type RunOptions,
  type TaskMessage,
} from '../../electron/engine/workers/pool.ts';
import {
  longCsvText,
  makeChain,
  spoilLastGamma,
  writeCboeCsv,
  writeLongCsv,
} from '../fixtures/option-chains.ts';
import { engineIn, startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { totalsOf, type Totals } from '../system/bursts/chains.ts';
import { sleep, until } from '../scheduler/helpers.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const folder = () => mkdtempSync(join(tmpdir(), 'gex-arrival-'));

/** This process's children that are pipeline workers (Linux: /proc). */
function workerPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return (
          ppid === process.pid &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pipeline-worker')
        );
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}
const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** An SPX chain to submit, and another valid one to write over it later (other totals). */
function chainRewrittenLater(dir: string) {
  const opts = { underlying: 'SPX', expiries: 3, strikesPerExpiry: 10 };
  const file = join(dir, 'spx.csv');
  const original = totalsOf(writeCboeCsv(file, { ...opts, seed: 21, spot: 4700 }));
  const otherFile = join(dir, 'other.csv');
  const other = {
    file: otherFile,
    ...totalsOf(writeCboeCsv(otherFile, { ...opts, seed: 5, spot: 4900 })),
  };
  expect(other.gex).not.toBeCloseTo(original.gex, 0);
  return { file, original, other };
}

/** `cat from > file`: the same inode, its bytes truncated and written anew. */
function rewriteInPlace(file: string, from: string): void {
  const ino = statSync(file).ino;
  writeFileSync(file, readFileSync(from));
  expect(statSync(file).ino).toBe(ino);
}

/** The job completed with the snapshot of `want`'s bytes, not of those written over them. */
async function expectSnapshotOf(t: TestEngine, id: string, want: Totals, not: Totals) {
  const job = await t.engine.handlers['jobs:get']({ id });
  if (!job.ok) throw new Error(job.error.message);
  expect([job.value.job.status, job.value.job.error]).toEqual(['completed', null]);
  const got = await t.engine.handlers['snapshots:get']({ id: job.value.job.snapshot_id! });
  if (!got.ok) throw new Error(got.error.message);
  const s = got.value.snapshot;
  expect(s.total_gex).not.toBeCloseTo(not.gex, 0);
  expect(Math.abs(s.total_gex - want.gex)).toBeLessThanOrEqual(Math.abs(want.gex) * 1e-9);
  expect(s.total_open_interest).toBe(want.openInterest);
}

async function trail(t: TestEngine, requestId: string) {
  return (await listAudit(t.engine.store, { request_id: requestId, limit: 50 })).reverse();
}

/** Activates a rule set of these decision tables (the default levels' targets). */
async function activateRules(t: TestEngine, rules: unknown[]): Promise<void> {
  const levels = {
    CRITICAL: { target: '30 s', on_late: 'flag' },
    HIGH: { target: '5 min', on_late: 'escalate' },
    MEDIUM: { target: '30 min', on_late: 'escalate' },
    LOW: { target: '2 h', on_late: 'escalate' },
  };
  const text = JSON.stringify({ name: 't', levels, derived: {}, combine: 'highest-level', rules });
  const r = await t.engine.handlers['rules:activate']({ text, author: 'test', comment: '' });
  if (!r.ok) throw new Error(r.error.message);
}

/** Every file under `dir`, at any depth. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

describe('arrival', () => {
  it('decides with now = the arrival, however long the file waited for its facts read', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    // Real-time data in the long format (ISO as_of with seconds, in UTC).
    const file = join(dir, 'live.csv');
    writeLongCsv(file, {
      seed: 3,
      underlying: 'NVDA',
      spot: 480,
      expiries: 4,
      strikesPerExpiry: 30,
      asOf: isoSeconds(Date.now()),
      offset: '+00:00',
    });
    // Hold the queue so that the facts read happens well after the arrival.
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'vendor' });
    if (!ack.ok) throw new Error(ack.error.message);
    await new Promise((r) => setTimeout(r, 6_000)); // longer than real-time's 5 s
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const jobs = await engine.handlers['jobs:list']({ limit: 5 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    const job = jobs.value.find((j) => j.id === ack.value.job_id)!;
    expect(job.status).toBe('completed');
    const decision = (await trail(running, ack.value.request_id)).find(
      (e) => e.kind === 'decision',
    )!;
    expect(decision.facts!.now).toBe(job.submitted_at);
    expect(Date.parse(job.decided_at!) - Date.parse(job.submitted_at)).toBeGreaterThan(5_000);
    // Still real-time at its arrival: the queue's own wait did not demote it.
    expect(decision.facts!.freshness).toBe('real-time');
  });

  it('ingests a file moved away after its acknowledgement, from the bytes staged at arrival', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, {
      seed: 9,
      underlying: 'SPX',
      spot: 4700,
      expiries: 8,
      strikesPerExpiry: 40,
    });
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    renameSync(dir, `${dir}-moved`);
    writeFileSync(join(folder(), 'unrelated'), 'x');
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const jobs = await engine.handlers['jobs:list']({ limit: 5 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    const job = jobs.value.find((j) => j.id === ack.value.job_id)!;
    expect([job.status, job.error]).toEqual(['completed', null]);
    const snapshot = await engine.handlers['snapshots:get']({ id: job.snapshot_id! });
    expect(snapshot.ok && snapshot.value.snapshot.source_file).toBe(file);
    rmSync(`${dir}-moved`, { recursive: true, force: true });
  });

  it('runs on the bytes captured at arrival of a file rewritten in place before its job ran', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const { file, original, other } = chainRewrittenLater(folder());
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    rewriteInPlace(file, other.file);
    await engine.handlers['queue:resume']({});
    await engine.drain();
    await expectSnapshotOf(running, ack.value.job_id!, original, other);
  });

  it('a cancelled job retried after its file was rewritten in place runs on the bytes captured at arrival', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const { file, original, other } = chainRewrittenLater(folder());
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    const id = ack.value.job_id!;
    const cancelled = await engine.handlers['jobs:cancel']({ id, author: 'bo' });
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    rewriteInPlace(file, other.file);
    const retried = await engine.handlers['jobs:retry']({ id, author: 'bo' });
    expect(['queued', 'deciding']).toContain(retried.ok && retried.value.status);
    await engine.handlers['queue:resume']({});
    await engine.drain();
    await expectSnapshotOf(running, id, original, other);
  });

  it('records every step of a request, each naming its file, and an unreadable file too', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const good = join(dir, 'good.csv');
    writeCboeCsv(good, {
      seed: 11,
      underlying: 'QQQ',
      spot: 400,
      expiries: 3,
      strikesPerExpiry: 12,
    });
    const junk = join(dir, 'junk.csv');
    writeFileSync(junk, 'this is not an option chain\n');
    const seen: ProcessingJob[] = [];
    engine.events.on('job:updated', (j) => seen.push(j));
    const a = await engine.handlers['ingest:submit']({
      file: good,
      source: 'desk',
      requested_priority: 'HIGH',
      justification: 'FOMC',
      author: 'ana',
    });
    const b = await engine.handlers['ingest:submit']({ file: junk, source: 'desk' });
    if (!a.ok || !b.ok) throw new Error('submit failed');
    await engine.drain();
    // Every written change of the job counts up its revision, in the order announced.
    const revisions = seen.filter((j) => j.id === a.value.job_id).map((j) => j.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(revisions.at(-1)).toBeGreaterThan(revisions[0]!);
    const goodTrail = await trail(running, a.value.request_id);
    expect(goodTrail.map((e) => e.kind)).toEqual(['arrival', 'override', 'started', 'completed']);
    expect(goodTrail.every((e) => e.file === good)).toBe(true);
    expect(goodTrail.find((e) => e.kind === 'override')!.actor).toBe('ana');
    expect(goodTrail.at(-1)!.underlying).toBe('QQQ');
    const junkTrail = await trail(running, b.value.request_id);
    expect(junkTrail.map((e) => [e.kind, e.file])).toEqual([
      ['arrival', junk],
      ['failed', junk],
    ]);
    expect(junkTrail[1]!.explanation).toMatch(/UNKNOWN_FORMAT/);
  });

  it('counts a request that ends at its arrival (a duplicate, an unreadable file) in the queue totals at once', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const good = join(dir, 'good.csv');
    writeCboeCsv(good, {
      seed: 12,
      underlying: 'QQQ',
      spot: 400,
      expiries: 2,
      strikesPerExpiry: 8,
    });
    // The status bar's figures: the last queue:stats event.
    let announced: { completed: number; failed: number } | null = null;
    engine.events.on('queue:stats', (s) => (announced = s.totals));
    const totals = async () => {
      const s = await engine.handlers['queue:stats']({});
      if (!s.ok) throw new Error(s.error.message);
      return { completed: s.value.totals.completed, failed: s.value.totals.failed };
    };
    const first = await engine.handlers['ingest:submit']({ file: good, source: 'desk' });
    if (!first.ok) throw new Error(first.error.message);
    await engine.drain();
    expect(await totals()).toEqual({ completed: 1, failed: 0 });
    // Both end at the door: the scheduler never runs them, and the totals still count them.
    const missing = await engine.handlers['ingest:submit']({
      file: join(dir, 'gone.csv'),
      source: 'desk',
    });
    const again = await engine.handlers['ingest:submit']({ file: good, source: 'desk' });
    expect(missing.ok && missing.value.status).toBe('failed');
    expect(again.ok && again.value.status).toBe('duplicate');
    expect(await totals()).toEqual({ completed: 2, failed: 1 });
    await expect
      .poll(() => announced)
      .toEqual(expect.objectContaining({ completed: 2, failed: 1 }));
  });

  it('a request cancelled before its facts were read is decided by the rules when retried', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const file = join(dir, 'live-retry.csv');
    // Real-time and a first snapshot: its level needs its volume and open interest, which
    // are of medium impact, so the rules give it HIGH (G3), not CRITICAL, its upper bound.
    writeLongCsv(file, {
      seed: 4,
      underlying: 'AMD',
      spot: 140,
      expiries: 1,
      strikesPerExpiry: 2,
      asOf: isoSeconds(Date.now()),
      offset: '+00:00',
    });
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    const id = ack.value.job_id!;
    const job = async () => {
      const r = await engine.handlers['jobs:get']({ id });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.job;
    };
    expect(await job()).toMatchObject({
      status: 'deciding',
      priority: 'CRITICAL',
      rule: 'deciding',
    });
    const cancelled = await engine.handlers['jobs:cancel']({ id, author: 'bo' });
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    const retried = await engine.handlers['jobs:retry']({ id, author: 'bo' });
    expect(retried.ok && retried.value.status).toBe('deciding');
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const done = await job();
    expect(done).toMatchObject({ status: 'completed', priority: 'HIGH', rule: 'G3' });
    const kinds = (await trail(running, ack.value.request_id)).map((e) => e.kind);
    expect(kinds.indexOf('decision')).toBeGreaterThan(kinds.indexOf('retried'));
  });

  it("reads again, counting no crash, a file whose facts read's worker was stopped from outside (SIGTERM)", async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const file = join(folder(), 'live-big.csv');
    // Real-time: its level needs its facts, read for a while from a large file (long
    // enough that the kill, after the stats say the worker is busy, still finds it reading
    // on a loaded machine: 96,000 contracts were read first once).
    writeLongCsv(file, {
      seed: 5,
      underlying: 'TSLA',
      spot: 240,
      expiries: 120,
      strikesPerExpiry: 1200,
      asOf: isoSeconds(Date.now()),
      offset: '+00:00',
    });
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.value.status).toBe('deciding');
    const busy = async () => {
      const stats = await engine.handlers['queue:stats']({});
      return stats.ok ? stats.value.busy_workers : 0;
    };
    while ((await busy()) === 0) await new Promise((r) => setTimeout(r, 5));
    // Every pipeline worker of this process: the one reading the file among them.
    const killed = workerPids();
    for (const pid of killed) process.kill(pid, 'SIGTERM');
    await engine.drain();
    const id = ack.value.job_id!;
    const done = await engine.handlers['jobs:get']({ id });
    expect(done.ok && done.value.job.status).toBe('completed');
    const row = await engine.store.one<{ crashes: number | null }>(
      'SELECT crashes FROM jobs WHERE id = $1',
      [id],
    );
    expect(row!.crashes ?? 0).toBe(0);
    const requeued = (await trail(running, ack.value.request_id)).filter(
      (e) => e.kind === 'requeued',
    );
    // Read again once — or once more for each other stopped worker it was handed to before
    // the pool heard of that one's end (a loaded machine); never counted as a failure.
    expect(requeued.length).toBeGreaterThanOrEqual(1);
    expect(requeued.length).toBeLessThanOrEqual(killed.length);
    for (const e of requeued)
      expect(e.explanation).toMatch(
        /^facts read stopped: the pipeline worker was stopped by SIGTERM, sent from outside GEX Desk, .*; read again$/,
      );
  }, 120_000); // a 144,000-contract chain read, twice: 33 s at a load average of 20

  it('knows no gex_change at arrival while an earlier request of the underlying is unread: the bound holds, no early decision', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const activate = (rules: unknown[]) => activateRules(running!, rules);
    const chain = (name: string, underlying: string, expiries: number) => {
      const file = join(dir, name);
      writeCboeCsv(file, {
        seed: expiries,
        underlying,
        spot: 4700,
        expiries,
        strikesPerExpiry: 20,
      });
      return file;
    };
    const submit = async (file: string) => {
      const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok) throw new Error(ack.error.message);
      const jobs = await engine.handlers['jobs:list']({ limit: 10 });
      if (!jobs.ok) throw new Error(jobs.error.message);
      return { ack: ack.value, bound: jobs.value.find((j) => j.id === ack.value.job_id)!.priority };
    };
    const final = async (jobId: string | null) => {
      const jobs = await engine.handlers['jobs:list']({ limit: 10 });
      if (!jobs.ok) throw new Error(jobs.error.message);
      return jobs.value.find((j) => j.id === jobId)!.priority;
    };
    const rank = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

    // A change over 10 % is CRITICAL, volume MEDIUM: A (first of SPX) could be MEDIUM at most.
    await activate([
      { id: 'CHG', rows: [{ when: { gex_change: { '>': 0.1 } }, level: 'CRITICAL' }] },
      {
        id: 'VOL',
        rows: [{ when: { total_volume: { '>': 0 } }, level: 'MEDIUM' }, { level: 'LOW' }],
      },
    ]);
    await engine.handlers['queue:pause']({});
    const a = await submit(chain('a.csv', 'SPX', 2));
    const b = await submit(chain('b.csv', 'SPX', 9));
    expect(a.bound).toBe('MEDIUM');
    // A is read first (FIFO at MEDIUM … or not: B's level must never exceed its bound).
    await engine.handlers['queue:resume']({});
    await engine.drain();
    expect(b.bound).toBe('CRITICAL');
    expect(rank.indexOf(await final(b.ack.job_id))).toBeLessThanOrEqual(rank.indexOf(b.bound));

    // No change known is LOW: C, the first of QQQ, is decided at once; D, arriving while C
    // has not run, cannot be: what it compares with is C's total, still unread.
    await activate([
      {
        id: 'T',
        rows: [
          { when: { gex_change: null }, level: 'LOW' },
          { when: { gex_change: { '>': 0.1 } }, level: 'CRITICAL' },
          { level: 'MEDIUM' },
        ],
      },
    ]);
    await engine.handlers['queue:pause']({});
    const c = await submit(chain('c.csv', 'QQQ', 2));
    const d = await submit(chain('d.csv', 'QQQ', 9));
    expect([c.ack.status, c.bound]).toEqual(['queued', 'LOW']);
    expect([d.ack.status, d.bound]).toEqual(['deciding', 'CRITICAL']);
    // An engine started now (after a crash) knows the same from the store.
    const settledFromStore = async () =>
      (await IntakeMemory.load(engine.store)).context({
        content_hash: null,
        underlying: 'QQQ',
        source: 'desk',
        arrivedMs: Date.now(),
      }).previous_final;
    expect(await settledFromStore()).toBe(false);
    await engine.handlers['queue:resume']({});
    await engine.drain();
    expect(await settledFromStore()).toBe(true);
  });

  // QA: the second file of a new underlying, read before the first one's decision was
  // noted (two reads at once, or a command's files sharing its start to the millisecond),
  // found nothing to compare with and was taken for a first snapshot: CRITICAL, not HIGH.
  describe('compares a request with the one that arrived just before it, however the reads end', () => {
    // A first snapshot is news (CRITICAL); a known change is HIGH; volume, unknown at arrival,
    // keeps both requests deciding until their files are read.
    const newsRules = [
      {
        id: 'NEWS',
        rows: [
          { when: { total_volume: { '>': 0 }, gex_change: null }, level: 'CRITICAL' },
          { when: { total_volume: { '>': 0 } }, level: 'HIGH' },
          { level: 'LOW' },
        ],
      },
    ];
    const decided = async (t: TestEngine, files: string[], arrivedAt?: string) => {
      const ids: string[] = [];
      for (const file of files) {
        const ack = await t.engine.handlers['ingest:submit']({
          file,
          source: 'desk',
          ...(arrivedAt ? { arrived_at: arrivedAt } : {}),
        });
        if (!ack.ok) throw new Error(ack.error.message);
        expect(ack.value.status).toBe('deciding');
        ids.push(ack.value.job_id!);
      }
      await t.engine.drain();
      const jobs = await t.engine.handlers['jobs:list']({ limit: 10 });
      if (!jobs.ok) throw new Error(jobs.error.message);
      return ids.map((id) => jobs.value.find((j) => j.id === id)!.priority);
    };

    it('the files of one command, arriving in the same millisecond', async () => {
      running = await startTestEngine({ workers: 1 });
      await activateRules(running, newsRules);
      const dir = folder();
      const files = [1, 2, 3].map((seed) => {
        const file = join(dir, `qqq${seed}.csv`);
        writeCboeCsv(file, {
          seed,
          underlying: 'QQQ',
          spot: 400,
          expiries: 2,
          strikesPerExpiry: 10,
        });
        return file;
      });
      expect(await decided(running, files, new Date().toISOString())).toEqual([
        'CRITICAL',
        'HIGH',
        'HIGH',
      ]);
    });

    // QA, after the first fix: a paused queue resumed with several new underlyings each
    // behind a file that fails its read; the next file's decision awaited the rules while
    // the one before it was noted read, and was taken for a first snapshot again (4 runs in
    // 14). Many underlyings at once give that moment many chances.
    it('a paused queue resumed: every later file of each underlying is compared with the one before', async () => {
      running = await startTestEngine({ workers: 2 });
      await activateRules(running, newsRules);
      const { engine } = running;
      const dir = folder();
      const names = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'];
      const files: { underlying: string; file: string; bad: boolean }[] = [];
      for (let k = 0; k < 4; k++)
        for (const [u, underlying] of names.entries()) {
          const file = join(dir, `${underlying}-${k}.csv`);
          writeCboeCsv(file, {
            seed: 10 * u + k,
            underlying,
            spot: 300,
            expiries: 2,
            strikesPerExpiry: 10,
          });
          // A gamma that is no number: the first file of each fails its read (BAD_VALUE).
          if (k === 0) spoilLastGamma(file);
          files.push({ underlying, file, bad: k === 0 });
        }
      await engine.handlers['queue:pause']({});
      const ids: string[] = [];
      for (const f of files) {
        const ack = await engine.handlers['ingest:submit']({ file: f.file, source: 'desk' });
        if (!ack.ok) throw new Error(ack.error.message);
        ids.push(ack.value.job_id!);
      }
      await engine.handlers['queue:resume']({});
      await engine.drain();
      const jobs = await engine.handlers['jobs:list']({ limit: 100 });
      if (!jobs.ok) throw new Error(jobs.error.message);
      const got = files.map((f, i) => {
        const job = jobs.value.find((j) => j.id === ids[i])!;
        return `${f.underlying}-${Math.floor(i / names.length)} ${f.bad ? job.status : job.priority}`;
      });
      // The first readable file of each is news; the two after it are compared with it.
      const want = files.map(
        (f, i) =>
          `${f.underlying}-${Math.floor(i / names.length)} ${f.bad ? 'failed' : i < 2 * names.length ? 'CRITICAL' : 'HIGH'}`,
      );
      expect(got).toEqual(want);
    });

    it('a later file read before the earlier one: it waits for it', async () => {
      running = await startTestEngine({ workers: 2 });
      await activateRules(running, newsRules);
      const dir = folder();
      // The first file is long to read, the second short: the second's read ends first.
      const big = join(dir, 'iwm-big.csv');
      writeCboeCsv(big, {
        seed: 4,
        underlying: 'IWM',
        spot: 200,
        expiries: 40,
        strikesPerExpiry: 150,
      });
      const small = join(dir, 'iwm-small.csv');
      writeCboeCsv(small, {
        seed: 5,
        underlying: 'IWM',
        spot: 200,
        expiries: 1,
        strikesPerExpiry: 4,
      });
      expect(await decided(running, [big, small])).toEqual(['CRITICAL', 'HIGH']);
    });
  });

  // A later request that could be CRITICAL waits for the read of an earlier one of its
  // underlying whose own bound is lower: that read takes the later one's rank, or the later
  // one would wait behind every read ranked between the two.
  it('reads an earlier request at the rank of the later one that waits for it', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const levels = {
      CRITICAL: { target: '30 s', on_late: 'flag' },
      HIGH: { target: '5 min', on_late: 'escalate' },
      MEDIUM: { target: '30 min', on_late: 'escalate' },
      LOW: { target: '2 h', on_late: 'escalate' },
    };
    const age = { kind: 'age', from: 'as_of', to: 'now', skew_tolerance_s: 60, future_limit_s: 60 };
    const live = { age_s: { '<': 5 }, total_volume: { '>': 0 } };
    const rules = [
      {
        id: 'R',
        rows: [
          { when: { ...live, gex_change: null }, level: 'CRITICAL' },
          { when: live, level: 'HIGH' },
          { when: { underlying: 'QQQ', total_volume: { '>': 0 } }, level: 'HIGH' },
          { when: { total_volume: { '>': 0 }, gex_change: null }, level: 'MEDIUM' },
          { level: 'LOW' },
        ],
      },
    ];
    const text = JSON.stringify({
      name: 't',
      levels,
      derived: { age_s: age },
      combine: 'highest-level',
      rules,
    });
    const activated = await engine.handlers['rules:activate']({
      text,
      author: 'test',
      comment: '',
    });
    if (!activated.ok) throw new Error(activated.error.message);
    const dir = folder();
    const minuteAgo = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    // Ahead of the clock by less than the skew tolerance: real-time (age 0) however slow the machine.
    const live30 = new Date(Date.now() + 30_000).toISOString().slice(0, 19);
    const write = (name: string, underlying: string, seed: number, asOf: string) => {
      const file = join(dir, name);
      writeLongCsv(file, {
        seed,
        underlying,
        spot: 400,
        expiries: 2,
        strikesPerExpiry: 10,
        asOf,
        offset: '+00:00',
      });
      return file;
    };
    // A minute old: at most MEDIUM (a first snapshot), read below the QQQ files' HIGH.
    const files = [write('spx-early.csv', 'SPX', 1, minuteAgo)];
    for (let i = 0; i < 4; i++) files.push(write(`qqq${i}.csv`, 'QQQ', 10 + i, minuteAgo));
    // Real-time: CRITICAL if first, HIGH once compared with the earlier SPX file.
    files.push(write('spx-late.csv', 'SPX', 2, live30));
    await engine.handlers['queue:pause']({});
    const ids: string[] = [];
    for (const file of files) {
      const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.value.status).toBe('deciding');
      ids.push(ack.value.job_id!);
    }
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const jobs = await engine.handlers['jobs:list']({ limit: 10 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    const job = (i: number) => jobs.value.find((j) => j.id === ids[i])!;
    expect(ids.map((_, i) => job(i).priority)).toEqual([
      'MEDIUM',
      'HIGH',
      'HIGH',
      'HIGH',
      'HIGH',
      'HIGH',
    ]);
    // When each facts read was dispatched (its decision's `read_started_at`): the early SPX
    // file's before the QQQ files' but the first, whose read the worker freed by the late
    // file's may have started before that read was found to wait. (Not when each was
    // decided: a read on the spare worker may end after reads started later.)
    const readAt = async (i: number) => {
      const entries = await trail(running!, job(i).request_id);
      const decided = entries.find((e) => e.kind === 'decision')!;
      return Date.parse(String((decided.facts as Record<string, unknown>).read_started_at));
    };
    const early = await readAt(0);
    for (let i = 2; i <= 4; i++) expect(early).toBeLessThan(await readAt(i));
  });

  // QA: an earlier file of the underlying decided at its arrival (stale: LOW by G2) is not
  // read until it runs, which may be hours away; a later file whose level depends on
  // `gex_change` was compared with the snapshot before both (HIGH, a large change) instead
  // of with that file (MEDIUM: the same chain, no change). It now reads that file's total.
  describe('an earlier file decided at its arrival, not read yet', () => {
    const write = (dir: string, name: string, spot: number, asOfMs: number, expiries = 3) => {
      const file = join(dir, name);
      const asOf = new Date(asOfMs).toISOString().slice(0, 19);
      writeLongCsv(file, {
        seed: 7,
        underlying: 'SPX',
        spot,
        expiries,
        strikesPerExpiry: expiries === 1 ? 1 : 10,
        asOf,
        offset: '+00:00',
      });
      return file;
    };
    const submitAll = async (t: TestEngine, files: string[]) => {
      const ids: string[] = [];
      for (const file of files) {
        const ack = await t.engine.handlers['ingest:submit']({ file, source: 'desk' });
        if (!ack.ok) throw new Error(ack.error.message);
        ids.push(ack.value.job_id!);
      }
      return ids;
    };
    const decision = async (t: TestEngine, jobId: string) => {
      const job = await t.engine.handlers['jobs:get']({ id: jobId });
      if (!job.ok) throw new Error(job.error.message);
      const entries = await trail(t, job.value.job.request_id);
      const decided = entries.find((e) => e.kind === 'decision')!;
      return { job: job.value.job, facts: decided.facts as Record<string, unknown> };
    };
    /**
     * An engine holding a first snapshot of the underlying (at another spot: a large change
     * from it), its queue then paused for the files each test submits.
     */
    const withFirstSnapshot = async (opts: Parameters<typeof startTestEngine>[0] = {}) => {
      running = await startTestEngine({ workers: 1, ...opts });
      const { engine } = running;
      const dir = folder();
      const now = Date.now();
      const [first] = await submitAll(running, [write(dir, 's0.csv', 300, now - 60_000)]);
      await engine.drain();
      await engine.handlers['queue:pause']({});
      return { t: running, engine, dir, now, first: first! };
    };

    it('a later file whose level depends on gex_change reads its total and compares with it', async () => {
      // Before both: the same underlying at another spot (a large change from it).
      const { t, engine, dir, now, first } = await withFirstSnapshot();
      expect((await decision(t, first)).job.status).toBe('completed');
      const [stale, fresh] = await submitAll(t, [
        write(dir, 'stale.csv', 400, now - 600_000), // LOW at its arrival (G2)
        write(dir, 'fresh.csv', 400, now - 40_000), // fresh: HIGH if changed, else MEDIUM
      ]);
      await engine.handlers['queue:resume']({});
      await engine.drain();
      const s = await decision(t, stale!);
      expect([s.job.priority, s.job.rule]).toEqual(['LOW', 'G2']);
      const f = await decision(t, fresh!);
      expect(f.facts.gex_change).toBe(0);
      expect([f.job.priority, f.job.status]).toEqual(['MEDIUM', 'completed']);
    });

    // QA: `ingest` gave its start as the arrival whenever reaching the engine took any
    // time; the engine meanwhile decided a request of the same underlying that arrived
    // later, and the back-dated one was recorded before it — so the next request was
    // compared with that one, not with the last the engine had taken. A given arrival is
    // now never placed before one the engine has taken, even after a restart.
    it('places a request given an arrival earlier than one already taken after it, and the next compares with it', async () => {
      running = await startTestEngine({ workers: 1 });
      const dir = folder();
      const now = Date.now();
      const early = new Date(now - 30_000).toISOString();
      const submitAt = async (file: string, arrived_at?: string) => {
        const ack = await running!.engine.handlers['ingest:submit']({
          file,
          source: 'desk',
          ...(arrived_at ? { arrived_at } : {}),
        });
        if (!ack.ok) throw new Error(ack.error.message);
        await running!.engine.drain();
        return (await decision(running!, ack.value.job_id!)).job;
      };
      const totalOf = async (job: ProcessingJob) => {
        const s = await running!.engine.handlers['snapshots:get']({ id: job.snapshot_id! });
        if (!s.ok) throw new Error(s.error.message);
        return s.value.snapshot.total_gex;
      };
      await submitAt(write(dir, 's0.csv', 300, now - 120_000));
      const a = await submitAt(write(dir, 'a.csv', 400, now - 60_000)); // taken now
      const b = await submitAt(write(dir, 'b.csv', 500, now - 60_000), early); // given before A
      expect(Date.parse(b.submitted_at)).toBeGreaterThanOrEqual(Date.parse(a.submitted_at));
      // The next request compares with B (the engine's last), not with A (its spot: no change).
      const c = await submitAt(write(dir, 'c.csv', 400, now - 40_000));
      const [tb, tc] = [await totalOf(b), await totalOf(c)];
      const got = (await decision(running, c.id)).facts.gex_change as number;
      expect(got).toBeCloseTo(Math.abs(tc - tb) / Math.abs(tb), 9);
      expect(got).toBeGreaterThan(0);
      // After a restart: the latest arrival stored is the one no request goes before.
      await running.engine.shutdown(5000);
      running.engine = await engineIn(running.dir, {});
      const d = await submitAt(write(dir, 'd.csv', 600, now - 60_000), early);
      expect(Date.parse(d.submitted_at)).toBeGreaterThanOrEqual(Date.parse(c.submitted_at));
    });

    // QA: the files of one command share its arrival to the millisecond; after a restart
    // the memory placed them in the order the store listed them, so the next file was
    // compared with the first of them (a large change: HIGH) instead of the last (MEDIUM).
    /** A real pool whose tasks are watched: how many ordinary ones at once, and each read of an earlier file. */
    const watchedPool = () => {
      const pool = new WorkerPool({ size: 1 });
      const seen = { ordinary: 0, most: 0, previous: [] as { taskId: string; code?: string }[] };
      const run = pool.run.bind(pool);
      pool.run = async (message: TaskMessage, opts: RunOptions = {}) => {
        const previous = message.taskId.includes(':previous:')
          ? seen.previous[seen.previous.push({ taskId: message.taskId }) - 1]
          : undefined;
        if (!opts.urgent) seen.most = Math.max(seen.most, ++seen.ordinary);
        try {
          const result = await run(message, opts);
          if (previous && !result.ok) previous.code = result.error.code;
          return result;
        } finally {
          if (!opts.urgent) seen.ordinary--;
        }
      };
      return { pool, seen };
    };

    // The read of the earlier file followed the later file's own read, on the worker that
    // read had freed, which the scheduler had already handed to the next read: two reads
    // at once on an engine of one worker (the second waiting in the pool behind the first).
    it('reads its total on a worker the scheduler counts: never more reads at once than its workers', async () => {
      const { pool, seen } = watchedPool();
      const { t, engine, dir, now } = await withFirstSnapshot({ pool });
      const [, fresh] = await submitAll(t, [
        write(dir, 'stale.csv', 400, now - 600_000), // LOW at its arrival (G2)
        write(dir, 'fresh.csv', 400, now - 40_000), // fresh: HIGH if changed, else MEDIUM
        // Another underlying's fresh file, deciding at HIGH too, arriving after it: its
        // read is long enough to be under way when the fresh file's decision reads.
        (() => {
          const file = join(dir, 'qqq.csv');
          writeLongCsv(file, {
            seed: 8,
            underlying: 'QQQ',
            spot: 400,
            expiries: 20,
            strikesPerExpiry: 400,
            asOf: isoSeconds(now - 40_000),
            offset: '+00:00',
          });
          return file;
        })(),
      ]);
      await engine.handlers['queue:resume']({});
      await engine.drain();
      expect(seen.previous.length).toBe(1);
      const f = await decision(t, fresh!);
      expect(f.facts.gex_change).toBe(0);
      expect([f.job.priority, f.job.status]).toEqual(['MEDIUM', 'completed']);
      expect(seen.most).toBe(1);
    });

    // QA: a worker stopped from outside while it read the earlier file counted that file
    // as bringing no total: the later file was compared with the snapshot before both.
    it('reads its total again when that read failed for a reason not its own (a worker stopped from outside)', async () => {
      const { pool, seen } = watchedPool();
      const { t, engine, dir, now, first } = await withFirstSnapshot({ pool });
      // Stale (LOW at its arrival) and large: read long enough for the stop to find it reading.
      const bigFile = join(dir, 'stale-big.csv');
      writeLongCsv(bigFile, {
        seed: 7,
        underlying: 'SPX',
        spot: 400,
        expiries: 120,
        strikesPerExpiry: 1200,
        asOf: isoSeconds(now - 600_000),
        offset: '+00:00',
      });
      const [stale, fresh] = await submitAll(t, [
        bigFile,
        write(dir, 'fresh.csv', 400, now - 40_000),
      ]);
      await engine.handlers['queue:resume']({});
      await until(() => seen.previous.length > 0 && pool.busy > 0);
      for (const pid of workerPids()) process.kill(pid, 'SIGTERM');
      await engine.drain();
      expect(seen.previous[0]!.code).toBe('SHUTTING_DOWN');
      const total = async (jobId: string) => {
        const { job } = await decision(t, jobId);
        expect(job.status).toBe('completed');
        const s = await engine.handlers['snapshots:get']({ id: job.snapshot_id! });
        if (!s.ok) throw new Error(s.error.message);
        return s.value.snapshot.total_gex;
      };
      const [s0, s, l] = [await total(first!), await total(stale!), await total(fresh!)];
      const f = await decision(t, fresh!);
      const want = gexChange(l, s)!;
      expect(Math.abs(want - gexChange(l, s0)!)).toBeGreaterThan(0.01);
      expect(Math.abs((f.facts.gex_change as number) - want)).toBeLessThan(1e-9 + want * 1e-9);
      const notes = (await trail(t, f.job.request_id)).filter((e) => e.kind === 'requeued');
      expect(notes[0]?.explanation).toMatch(
        /^the read of earlier request .* failed \(SHUTTING_DOWN: .*; read again$/,
      );
    });

    // Its own bytes cannot be read (its run will fail the same way): it brings no total at
    // once, and the later file is decided without waiting for that run (a LOW one, later).
    it('counts an earlier file whose own bytes cannot be read as bringing no total, at once', async () => {
      const { t, engine, dir, now, first } = await withFirstSnapshot();
      const bad = write(dir, 'stale-bad.csv', 400, now - 600_000);
      spoilLastGamma(bad); // BAD_VALUE, found only by a read of the whole file
      const [stale, fresh] = await submitAll(t, [bad, write(dir, 'fresh.csv', 400, now - 40_000)]);
      await engine.handlers['queue:resume']({});
      await engine.drain();
      const s = await decision(t, stale!);
      expect([s.job.status, s.job.error?.code]).toEqual(['failed', 'BAD_VALUE']);
      const f = await decision(t, fresh!);
      const s0 = await engine.handlers['jobs:get']({ id: first! });
      if (!s0.ok) throw new Error(s0.error.message);
      const snap = await engine.handlers['snapshots:get']({ id: s0.value.job.snapshot_id! });
      const l = await engine.handlers['snapshots:get']({ id: f.job.snapshot_id! });
      if (!snap.ok || !l.ok) throw new Error('no snapshot');
      const want = gexChange(l.value.snapshot.total_gex, snap.value.snapshot.total_gex)!;
      expect(Math.abs((f.facts.gex_change as number) - want)).toBeLessThan(1e-9 + want * 1e-9);
      expect(f.job.status).toBe('completed');
      // Decided before the stale file's run started: it did not wait for it.
      expect(Date.parse(f.job.decided_at!)).toBeLessThan(Date.parse(s.job.started_at!));
    });

    // QA ib F1: a file whose first name ends in a digit (PO01: it may be an adjusted
    // option's, whose stock's rows come later) had no underlying at arrival, and was taken
    // for a possible earlier request of ANY underlying: a later file of another one whose
    // level depends on gex_change read each such LOW file first, one worker turn each
    // (13–27 s to data behind 15–41 of them). Its two ends name the only underlyings the
    // whole read may give: the name and the name less its last digits (PO01, PO0, PO).
    describe('an earlier file whose first name ends in a digit', () => {
      /** A long chain whose rows' underlying cells are `roots` in turn: the first row's is roots[0]. */
      const writeRoots = (dir: string, name: string, roots: string[], asOfMs: number) => {
        const chain = makeChain({
          seed: 11,
          underlying: roots.at(-1)!,
          spot: 50,
          expiries: 4,
          strikesPerExpiry: 10,
          asOf: isoSeconds(asOfMs),
          roots,
        });
        const [header, ...rows] = longCsvText(chain, { offset: '+00:00' }).trimEnd().split('\n');
        const file = join(dir, name);
        writeFileSync(
          file,
          [header, ...rows.map((l, i) => l.replace(/^[^,]+/, chain.contracts[i]!.root))].join(
            '\n',
          ) + '\n',
        );
        return file;
      };
      /** The earlier requests each job's decision read the file of (their request ids). */
      const readsFor = (seen: { previous: { taskId: string }[] }, jobId: string) =>
        seen.previous
          .filter((p) => p.taskId.startsWith(`${jobId}:previous:`))
          .map((p) => p.taskId.slice(`${jobId}:previous:`.length));

      it('is not read for a later file of an unrelated underlying, and still is for its own candidates', async () => {
        const { pool, seen } = watchedPool();
        const { t, engine, dir, now } = await withFirstSnapshot({ pool });
        const [po01, qx7, fresh, po0] = await submitAll(t, [
          // LOW at their arrival (G2): stale. The first holds PO0's rows too: it is PO0's.
          writeRoots(dir, 'po01.csv', ['PO01', 'PO0'], now - 600_000),
          writeRoots(dir, 'qx7.csv', ['QX7'], now - 600_000),
          write(dir, 'fresh.csv', 400, now - 40_000), // SPX, fresh: its level depends on gex_change
          // PO0 again, fresh: compared with po01.csv (its underlying once read), 0 change.
          writeRoots(dir, 'po0.csv', ['PO01', 'PO0'], now - 40_000),
        ]);
        const arrivals = async (jobId: string) => {
          const job = await engine.handlers['jobs:get']({ id: jobId });
          if (!job.ok) throw new Error(job.error.message);
          return (await trail(t, job.value.job.request_id)).find((e) => e.kind === 'arrival')!
            .facts as Record<string, unknown>;
        };
        // What the ends tell: no underlying, but the only ones the whole read may give.
        expect(await arrivals(po01!)).toMatchObject({
          underlying: null,
          underlying_one_of: ['PO01', 'PO0', 'PO'],
        });
        expect(await arrivals(qx7!)).toMatchObject({
          underlying: null,
          underlying_one_of: ['QX7', 'QX'],
        });
        expect(await arrivals(fresh!)).not.toHaveProperty('underlying_one_of');
        await engine.handlers['queue:resume']({});
        await engine.drain();
        const ids = async (jobIds: string[]) =>
          Promise.all(jobIds.map(async (id) => (await decision(t, id)).job.request_id));
        const [po01Request] = await ids([po01!]);
        for (const id of [po01!, qx7!]) {
          const d = await decision(t, id);
          expect([d.job.priority, d.job.rule]).toEqual(['LOW', 'G2']);
        }
        // SPX: decided without reading either file (each could only be PO01, PO0, PO, QX7 or QX).
        expect(readsFor(seen, fresh!)).toEqual([]);
        const f = await decision(t, fresh!);
        expect(f.facts.gex_change).toBeGreaterThan(0); // against the first snapshot, spot 300
        expect(f.job.status).toBe('completed');
        // PO0: po01.csv may be (and is) of PO0: read for it, and compared with; QX7 is not.
        expect(readsFor(seen, po0!)).toEqual([po01Request]);
        const p = await decision(t, po0!);
        expect(p.job.underlying).toBe('PO0');
        expect(p.facts.gex_change).toBe(0);
        expect(p.facts.gex_change_compared_with).toMatchObject({ request_id: po01Request });
        expect([p.job.priority, p.job.status]).toEqual(['MEDIUM', 'completed']);
      });

      it('is read for a later file of the name itself', async () => {
        const { pool, seen } = watchedPool();
        const { t, engine, dir, now } = await withFirstSnapshot({ pool });
        const [stale, fresh] = await submitAll(t, [
          writeRoots(dir, 'new1-stale.csv', ['NEW1'], now - 600_000),
          writeRoots(dir, 'new1-fresh.csv', ['NEW1'], now - 40_000),
        ]);
        await engine.handlers['queue:resume']({});
        await engine.drain();
        const s = await decision(t, stale!);
        expect(readsFor(seen, fresh!)).toEqual([s.job.request_id]);
        const f = await decision(t, fresh!);
        expect(f.job.underlying).toBe('NEW1');
        expect(f.facts.gex_change).toBe(0);
        expect([f.job.priority, f.job.status]).toEqual(['MEDIUM', 'completed']);
      });

      it('after a restart, is still only a possible earlier request of its candidates', async () => {
        const { t, engine, dir, now } = await withFirstSnapshot();
        const [po01] = await submitAll(t, [
          writeRoots(dir, 'po01.csv', ['PO01', 'PO0'], now - 600_000),
        ]);
        expect((await decision(t, po01!)).job.status).toBe('queued');
        await engine.shutdown(5000);
        const { pool, seen } = watchedPool();
        t.engine = await engineIn(t.dir, { pool, paused: true });
        const [fresh, po0] = await submitAll(t, [
          write(dir, 'fresh.csv', 400, now - 40_000),
          writeRoots(dir, 'po0.csv', ['PO01', 'PO0'], now - 40_000),
        ]);
        await t.engine.handlers['queue:resume']({});
        await t.engine.drain();
        expect(readsFor(seen, fresh!)).toEqual([]);
        expect(readsFor(seen, po0!)).toEqual([(await decision(t, po01!)).job.request_id]);
        expect((await decision(t, po0!)).facts.gex_change).toBe(0);
      });
    });

    it('after a restart, the files of one command keep the order the engine took them in', async () => {
      running = await startTestEngine({ workers: 1 });
      const dir = folder();
      const now = Date.now();
      const arrived_at = new Date(now - 50_000).toISOString();
      const before = new Date(now - 100_000).toISOString();
      for (const [file, at] of [
        [write(dir, 's0.csv', 300, now - 120_000), before],
        [write(dir, 'a-stale.csv', 600, now - 600_000), arrived_at], // LOW at its arrival, read by its run
        [write(dir, 'b-fresh.csv', 400, now - 60_000), arrived_at], // read first: its bound is higher
      ]) {
        const ack = await running.engine.handlers['ingest:submit']({
          file: file!,
          source: 'desk',
          arrived_at: at!,
        });
        if (!ack.ok) throw new Error(ack.error.message);
      }
      await running.engine.drain();
      await running.engine.shutdown(5000);
      running.engine = await engineIn(running.dir, {});
      const [c] = await submitAll(running, [write(dir, 'c-fresh.csv', 400, now - 40_000)]);
      await running.engine.drain();
      const d = await decision(running, c!);
      expect(d.facts.gex_change).toBe(0);
      expect(d.job.priority).toBe('MEDIUM');
    });

    // QA: a job's `seq` is the order its row was written, which is the order the captures
    // ended — a command's second file, smaller, was often written first — so after a restart
    // the next file was compared with the command's first file (HIGH) instead of its last.
    // The jobs' `seq` below is swapped as that race leaves it; their requests keep the order
    // they were submitted in (`arrival_order`).
    it('after a restart, the files of one command keep the order they were submitted in, whatever order their rows were written in', async () => {
      running = await startTestEngine({ workers: 1 });
      const dir = folder();
      const now = Date.now();
      const arrived_at = new Date(now - 50_000).toISOString();
      const jobs: string[] = [];
      for (const [file, at] of [
        [write(dir, 's0.csv', 300, now - 120_000), new Date(now - 100_000).toISOString()],
        [write(dir, 'p-first.csv', 600, now - 600_000), arrived_at],
        [write(dir, 'q-last.csv', 400, now - 60_000), arrived_at],
      ]) {
        const ack = await running.engine.handlers['ingest:submit']({
          file: file!,
          source: 'desk',
          arrived_at: at!,
        });
        if (!ack.ok) throw new Error(ack.error.message);
        jobs.push(ack.value.job_id!);
      }
      await running.engine.drain();
      const [, p, q] = jobs;
      await running.engine.store.run(
        `UPDATE jobs SET seq = CASE id WHEN $1 THEN (SELECT seq FROM jobs WHERE id = $2)
           ELSE (SELECT seq FROM jobs WHERE id = $1) END WHERE id IN ($1, $2)`,
        [p!, q!],
      );
      await running.engine.shutdown(5000);
      running.engine = await engineIn(running.dir, {});
      const [r] = await submitAll(running, [write(dir, 'r-fresh.csv', 400, now - 40_000)]);
      await running.engine.drain();
      const d = await decision(running, r!);
      expect(d.facts.gex_change).toBe(0);
      expect(d.job.priority).toBe('MEDIUM');
    });

    it('a later file whose level does not depend on it records gex_change as unknown', async () => {
      running = await startTestEngine({ workers: 1 });
      const { engine } = running;
      const dir = folder();
      const now = Date.now();
      await engine.handlers['queue:pause']({});
      const [, low] = await submitAll(running, [
        write(dir, 'stale.csv', 400, now - 600_000),
        // Low impact and fresh: LOW whatever its change (G3's last row).
        write(dir, 'small.csv', 400, now - 40_000, 1),
      ]);
      await engine.handlers['queue:resume']({});
      await engine.drain();
      const d = await decision(running, low!);
      expect(d.facts.impact).toBe('low');
      expect([d.job.priority, d.job.status]).toEqual(['LOW', 'completed']);
      expect(d.facts).not.toHaveProperty('gex_change');
    });
  });

  it('holds lower work while a decision waits for the store: the worker its facts read freed does not start a LOW job first', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    // QQQ is LOW at its arrival (its underlying is in the file's first bytes); SPX is HIGH
    // once its volume is read, so it waits for a facts read ranked HIGH.
    await activateRules(running, [
      {
        id: 'U',
        rows: [
          { when: { underlying: 'QQQ' }, level: 'LOW' },
          { when: { total_volume: { '>': 0 } }, level: 'HIGH' },
          { level: 'LOW' },
        ],
      },
    ]);
    const submit = async (underlying: string) => {
      const file = join(dir, `${underlying}.csv`);
      writeCboeCsv(file, { seed: 3, underlying, spot: 4700, expiries: 3, strikesPerExpiry: 20 });
      const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.value;
    };
    await engine.handlers['queue:pause']({});
    const low = await submit('QQQ');
    const high = await submit('SPX');
    expect([low.status, high.status]).toEqual(['queued', 'deciding']);

    // The store held (as by a busy burst) from before SPX's facts read ends until well after.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await engine.handlers['queue:resume']({});
    const held = engine.store.at('CRITICAL').transaction(() => gate, { solo: true });
    // The read has ended when it has left the parsed chain in the staging folder.
    await until(() => filesUnder(running!.dir).some((f) => f.endsWith('.chain')));
    await sleep(500); // a worker offered to lower work would have started the LOW job by now
    release();
    await held;
    await engine.drain();

    const startedAt = async (id: string) => {
      const j = await engine.handlers['jobs:get']({ id });
      if (!j.ok) throw new Error(j.error.message);
      expect([j.value.job.status, j.value.job.effective_priority]).toEqual([
        'completed',
        id === high.job_id ? 'HIGH' : 'LOW',
      ]);
      return Date.parse(j.value.job.started_at!);
    };
    expect(await startedAt(low.job_id!)).toBeGreaterThan(await startedAt(high.job_id!));
  });

  it('counts a job whose facts are read as deciding, not running, in its level and the totals alike', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    // SPX is HIGH once its volume is read: it waits for a facts read ranked HIGH.
    await activateRules(running, [
      {
        id: 'V',
        rows: [{ when: { total_volume: { '>': 0 } }, level: 'HIGH' }, { level: 'LOW' }],
      },
    ]);
    await engine.handlers['queue:pause']({});
    const file = join(dir, 'SPX.csv');
    writeCboeCsv(file, { seed: 4, spot: 4700, expiries: 3, strikesPerExpiry: 20 });
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.value.status).toBe('deciding');
    const stats = async () => {
      const s = await engine.handlers['queue:stats']({});
      if (!s.ok) throw new Error(s.error.message);
      return s.value;
    };
    // Read once now, so that the figures read while the store is held come from the cache.
    await stats();

    // The decision's transaction waits for the store (as behind a burst): its worker is free.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = engine.store.at('CRITICAL').transaction(() => gate, { solo: true });
    await engine.handlers['queue:resume']({});
    try {
      await until(() => filesUnder(running!.dir).some((f) => f.endsWith('.chain')));
      await until(async () => (await stats()).busy_workers === 0);
      const s = await stats();
      const high = s.levels.find((l) => l.level === 'HIGH')!;
      expect({ waiting: high.waiting, running: high.running }).toEqual({ waiting: 1, running: 0 });
      expect({ running: s.totals.running, deciding: s.totals.deciding }).toEqual({
        running: 0,
        deciding: 1,
      });
      // The levels and the totals say the same.
      const sum = (k: 'waiting' | 'running') => s.levels.reduce((n, l) => n + l[k], 0);
      expect(sum('running')).toBe(s.totals.running);
      expect(sum('waiting')).toBe(s.totals.queued + s.totals.deciding);
    } finally {
      release();
      await held;
    }
    await engine.drain();
  });

  it('counts only final input errors against a source: a cancel says nothing about it', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const file = join(dir, 'a.csv');
    writeCboeCsv(file, {
      seed: 12,
      underlying: 'IWM',
      spot: 200,
      expiries: 3,
      strikesPerExpiry: 12,
    });
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'vendor-y' });
    if (!ack.ok) throw new Error(ack.error.message);
    const cancelled = await engine.handlers['jobs:cancel']({ id: ack.value.job_id!, author: 'bo' });
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    const source = await engine.store.one<{ ok: bigint; failed: bigint }>(
      `SELECT ingests_ok AS ok, ingests_failed AS failed FROM sources WHERE id = 'vendor-y'`,
    );
    expect([Number(source!.ok), Number(source!.failed)]).toEqual([0, 0]);
    const cancelEntry = (await trail(running, ack.value.request_id)).find(
      (e) => e.kind === 'cancelled',
    )!;
    expect([cancelEntry.actor, cancelEntry.file]).toEqual(['bo', file]);
    // Retried by someone, it runs and counts once, as a success.
    await engine.handlers['queue:resume']({});
    const retried = await engine.handlers['jobs:retry']({ id: ack.value.job_id!, author: 'bo' });
    expect(retried.ok).toBe(true);
    await engine.drain();
    const after = await engine.store.one<{ ok: bigint; failed: bigint }>(
      `SELECT ingests_ok AS ok, ingests_failed AS failed FROM sources WHERE id = 'vendor-y'`,
    );
    expect([Number(after!.ok), Number(after!.failed)]).toEqual([1, 0]);
    expect(
      (await trail(running, ack.value.request_id)).find((e) => e.kind === 'retried')!.actor,
    ).toBe('bo');
  });
});
