// A retried job's target counts from its request's arrival, as every job's does (GUIDELINES
// "from arrival (submission) to data available"): cancelled, then retried past its target, it
// is flagged late at once — escalated one level below CRITICAL — and the queue's late count
// says so, instead of a fresh clock started at the retry (QA qv F2). The real engine on a
// temporary database, with its real workers; the levels' targets are a few seconds long.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.ts';
import { elapsed } from '../../shared/elapsed.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { sleep, until } from '../scheduler/helpers.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const TARGET_MS = 4_000;

/** Every request decided at `level`, whose target (CRITICAL's and HIGH's) is TARGET_MS. */
async function activateAll(t: TestEngine, level: 'CRITICAL' | 'HIGH'): Promise<void> {
  const levels = {
    CRITICAL: { target: `${TARGET_MS} ms`, on_late: 'flag' },
    HIGH: { target: `${TARGET_MS} ms`, on_late: 'escalate' },
    MEDIUM: { target: '30 min', on_late: 'escalate' },
    LOW: { target: '2 h', on_late: 'escalate' },
  };
  const rules = [{ id: `ALL_${level}`, rows: [{ level }] }];
  const text = JSON.stringify({ name: 't', levels, derived: {}, combine: 'highest-level', rules });
  const r = await t.engine.handlers['rules:activate']({ text, author: 'test', comment: '' });
  if (!r.ok) throw new Error(r.error.message);
}

describe('a retried job', () => {
  it('is late, and escalated below CRITICAL, by its target counted from its arrival', async () => {
    running = await startTestEngine({ workers: 1 });
    const t = running;
    const { engine } = t;
    const dir = mkdtempSync(join(tmpdir(), 'gex-retry-late-'));
    const submit = async (underlying: string) => {
      const file = join(dir, `${underlying}.csv`);
      writeCboeCsv(file, { seed: 7, underlying, spot: 300, expiries: 2, strikesPerExpiry: 10 });
      const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok) throw new Error(ack.error.message);
      return { id: ack.value.job_id!, request: ack.value.request_id };
    };
    const job = async (id: string) => {
      const r = await engine.handlers['jobs:get']({ id });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.job;
    };
    const trail = async (request: string): Promise<AuditEntry[]> =>
      (await listAudit(engine.store, { request_id: request, limit: 50 })).reverse();
    const entry = (entries: AuditEntry[], kind: string) => entries.find((e) => e.kind === kind)!;

    await engine.handlers['queue:pause']({});
    await activateAll(t, 'CRITICAL');
    const a = await submit('XAA');
    await activateAll(t, 'HIGH');
    const b = await submit('XBB');
    expect((await job(a.id)).priority).toBe('CRITICAL');
    expect((await job(b.id)).priority).toBe('HIGH');
    for (const { id } of [a, b]) {
      const cancelled = await engine.handlers['jobs:cancel']({ id, author: 'bo' });
      expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    }
    // Past both targets from the arrival, then retried, the queue still paused.
    const arrived = Date.parse((await job(b.id)).submitted_at);
    await sleep(arrived + TARGET_MS + 500 - Date.now());
    for (const { id } of [a, b]) {
      const retried = await engine.handlers['jobs:retry']({ id, author: 'bo' });
      expect(retried.ok && retried.value.status).toBe('queued');
    }
    await until(async () => (await job(a.id)).late && (await job(b.id)).late);

    // Flagged by the next check, not once a fresh target from the retry had passed.
    const aTrail = await trail(a.request);
    const aRetried = Date.parse(entry(aTrail, 'retried').at);
    const aLate = entry(aTrail, 'late');
    expect(Date.parse(aLate.at)).toBeLessThan(aRetried + TARGET_MS);
    const waited = aLate.facts!.waited_ms as number;
    expect(waited).toBeGreaterThan(aRetried - Date.parse((await job(a.id)).submitted_at));
    expect(aLate.facts).toMatchObject({ level: 'CRITICAL', target_ms: TARGET_MS });
    // Read as a person reads a time ("4.6 s", "1m 13s"), the milliseconds in its facts.
    expect(aLate.explanation).toBe(
      `late: ${elapsed(waited)} since its arrival at CRITICAL, past its target of ${elapsed(TARGET_MS)}`,
    );

    // HIGH's lateness escalates it to CRITICAL, whose target counts from the arrival too:
    // long past, it stays flagged late (CRITICAL is never escalated).
    const bJob = await job(b.id);
    expect([bJob.priority, bJob.effective_priority, bJob.late]).toEqual(['HIGH', 'CRITICAL', true]);
    const bTrail = await trail(b.request);
    const bRetried = Date.parse(entry(bTrail, 'retried').at);
    const escalation = entry(bTrail, 'escalation');
    expect(Date.parse(escalation.at)).toBeLessThan(bRetried + TARGET_MS);
    expect(escalation.explanation).toMatch(
      /^escalated HIGH → CRITICAL: \d+\.\d s since its arrival, past HIGH's target of 4\.0 s$/,
    );
    expect(escalation.facts!.waited_ms as number).toBeGreaterThan(bRetried - arrived);
    expect(bTrail.map((e) => e.kind).slice(-3)).toEqual(['retried', 'late', 'escalation']);

    // The queue's late count says what the rows say.
    const stats = await engine.handlers['queue:stats']({});
    if (!stats.ok) throw new Error(stats.error.message);
    const critical = stats.value.levels.find((l) => l.level === 'CRITICAL')!;
    expect([critical.waiting, critical.late]).toEqual([2, 2]);

    // Run, they stay late; their latency (from the arrival) is past the target too.
    await engine.handlers['queue:resume']({});
    await engine.drain();
    for (const { id } of [a, b]) {
      const done = await job(id);
      expect([done.status, done.late]).toEqual(['completed', true]);
      expect(Date.parse(done.finished_at!) - Date.parse(done.submitted_at)).toBeGreaterThan(
        TARGET_MS,
      );
    }
  });

  it('retried past its target from its arrival while the queue runs, is flagged late as it starts', async () => {
    running = await startTestEngine({ workers: 1 });
    const t = running;
    const { engine } = t;
    await activateAll(t, 'CRITICAL');
    const file = join(mkdtempSync(join(tmpdir(), 'gex-retry-late-')), 'XCC.csv');
    writeCboeCsv(file, {
      seed: 8,
      underlying: 'XCC',
      spot: 300,
      expiries: 2,
      strikesPerExpiry: 10,
    });
    await engine.handlers['queue:pause']({});
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    const id = ack.value.job_id!;
    const cancelled = await engine.handlers['jobs:cancel']({ id, author: 'bo' });
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    await engine.handlers['queue:resume']({});
    const got = await engine.handlers['jobs:get']({ id });
    if (!got.ok) throw new Error(got.error.message);
    await sleep(Date.parse(got.value.job.submitted_at) + TARGET_MS + 500 - Date.now());
    const retried = await engine.handlers['jobs:retry']({ id, author: 'bo' });
    expect(retried.ok).toBe(true);
    await engine.drain();
    // It ran at once, well within a target counted from the retry: late all the same.
    const done = await engine.handlers['jobs:get']({ id });
    if (!done.ok) throw new Error(done.error.message);
    expect([done.value.job.status, done.value.job.late]).toEqual(['completed', true]);
    const kinds = (await listAudit(engine.store, { request_id: ack.value.request_id, limit: 50 }))
      .reverse()
      .map((e) => e.kind);
    expect(kinds.slice(kinds.indexOf('retried'))).toContain('late');
  });
});
