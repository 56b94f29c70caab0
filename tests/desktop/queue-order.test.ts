// The Queue's Active tab lists waiting jobs in the order the scheduler runs them, also
// when their arrivals tie to the millisecond (an `ingest --manifest` without at_ms gives
// every line the command's start; one inbox poll gives its files one). Before, tied jobs
// kept the job list's newest-first order: the top CRITICAL row was the last one run.
// The real engine: jobs submitted with one arrival while the queue is held, then run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { viewOrder } from '../../renderer/src/views/queue/view-order.ts';
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
});
