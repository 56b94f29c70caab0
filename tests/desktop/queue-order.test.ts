// The Queue's Active tab lists waiting jobs in the order the scheduler runs them, also
// when their arrivals tie to the millisecond (an `ingest --manifest` without at_ms gives
// every line the command's start; one inbox poll gives its files one). Before, tied jobs
// kept the job list's newest-first order: the top CRITICAL row was the last one run.
// The real engine: jobs submitted with one arrival while the queue is held, then run.
// One command's files submitted together are stored as their captures end (a large file
// after a small one submitted after it), so `seq` is not the order they were submitted
// in: every tab follows the job's place in arrival order (`arrival_order`), as `jobs` does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { viewOrder } from '../../renderer/src/views/queue/view-order.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;

describe('the Queue’s Active order', () => {
  beforeAll(async () => {
    te = await startTestEngine({ workers: 1 });
  });
  afterAll(async () => {
    await te?.stop();
  });

  it('is the order the scheduler runs jobs that arrived in the same millisecond', async () => {
    const { handlers } = te.engine;
    expect((await handlers['queue:pause']({})).ok).toBe(true);
    const dir = join(te.dir, 'chains');
    mkdirSync(dir);
    const arrived_at = new Date().toISOString();
    for (let i = 0; i < 5; i++) {
      const file = join(dir, `tied-${i}.csv`);
      writeFileSync(
        file,
        cboeCsvText(makeChain({ seed: 900 + i, expiries: 1, strikesPerExpiry: 4 })),
      );
      const r = await handlers['ingest:submit']({
        file,
        source: 'desk',
        requested_priority: 'CRITICAL',
        justification: 'tie test',
        arrived_at,
      });
      expect(r.ok).toBe(true);
    }
    const listed = await handlers['jobs:list']({ limit: 100 });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(new Set(listed.value.map((j) => j.submitted_at))).toEqual(new Set([arrived_at]));
    const shown = viewOrder(listed.value, true).map((j) => j.id);

    // The order the scheduler starts them in: their `running` events, as it announces them.
    const started: string[] = [];
    const off = te.engine.events.on('job:updated', (job) => {
      if (job.status === 'running' && !started.includes(job.id)) started.push(job.id);
    });
    expect((await handlers['queue:resume']({})).ok).toBe(true);
    await te.engine.drain();
    off();
    const ran = await handlers['jobs:list']({ limit: 100 });
    if (!ran.ok) throw new Error(ran.error.message);
    expect(ran.value.map((j) => j.status)).toEqual(Array(5).fill('completed'));
    expect(started).toHaveLength(5);
    expect(shown).toEqual(started);
    // The other tabs list newest first: the reverse.
    expect(viewOrder(ran.value, false).map((j) => j.id)).toEqual([...started].reverse());
  });

  it('follows the order one command’s files were submitted in, not the order they were stored in', async () => {
    const { handlers } = te.engine;
    expect((await handlers['queue:pause']({})).ok).toBe(true);
    const dir = join(te.dir, 'command');
    mkdirSync(dir);
    // The first file is by far the largest: its capture ends after the others'.
    const sizes = [200, 1, 1, 1];
    const files = sizes.map((expiries, i) => {
      const file = join(dir, `file-${i}.csv`);
      writeFileSync(
        file,
        cboeCsvText(makeChain({ seed: 950 + i, expiries, strikesPerExpiry: 100 })),
      );
      return file;
    });
    const arrived_at = new Date(Date.now() + 1).toISOString();
    const acks = await Promise.all(
      files.map((file) =>
        handlers['ingest:submit']({
          file,
          source: 'desk',
          requested_priority: 'HIGH',
          justification: 'one command',
          arrived_at,
        }),
      ),
    );
    const submitted = acks.map((r) => {
      if (!r.ok) throw new Error(r.error.message);
      if (r.value.job_id === null) throw new Error('no job');
      return r.value.job_id;
    });
    const listed = await handlers['jobs:list']({ limit: 100 });
    if (!listed.ok) throw new Error(listed.error.message);
    const mine = listed.value.filter((j) => submitted.includes(j.id));
    const byId = new Map(mine.map((j) => [j.id, j]));
    // The case in question: the large first file was stored after the others.
    const seqs = submitted.map((id) => byId.get(id)!.seq);
    expect(seqs[0]).toBeGreaterThan(Math.min(...seqs.slice(1)));
    // Each job carries its request's place, increasing in submission order.
    const places = submitted.map((id) => byId.get(id)!.arrival_order);
    expect(places.every((p) => p !== null)).toBe(true);
    expect([...places].sort((a, b) => a! - b!)).toEqual(places);
    expect(viewOrder(mine, true).map((j) => j.id)).toEqual(submitted);
    expect((await handlers['queue:resume']({})).ok).toBe(true);
    await te.engine.drain();
    const ran = await handlers['jobs:list']({ limit: 100 });
    if (!ran.ok) throw new Error(ran.error.message);
    const done = ran.value.filter((j) => submitted.includes(j.id));
    expect(done.map((j) => j.status)).toEqual(Array(4).fill('completed'));
    // The Completed tab and `jobs` alike: newest first, the last submitted on top.
    expect(viewOrder(done, false).map((j) => j.id)).toEqual([...submitted].reverse());
    expect(done.map((j) => j.id)).toEqual([...submitted].reverse());
  });

  it('places a tie by arrival place before seq, and a job without a place before those with one', () => {
    const at = '2026-12-06T10:00:00.000Z';
    const job = (id: string, seq: number, arrival_order: number | null) =>
      ({
        id,
        seq,
        arrival_order,
        submitted_at: at,
        status: 'completed',
        effective_priority: 'LOW',
      }) as ProcessingJob;
    // Stored (seq) c, b, a; submitted a, b, c; `old` from before places were given.
    const jobs = [job('c', 3, 12), job('b', 4, 11), job('a', 5, 10), job('old', 1, null)];
    expect(viewOrder(jobs, false).map((j) => j.id)).toEqual(['c', 'b', 'a', 'old']);
    const waiting = jobs.map((j) => ({ ...j, status: 'queued' as const }));
    expect(viewOrder(waiting, true).map((j) => j.id)).toEqual(['old', 'a', 'b', 'c']);
  });
});
