// The facts reads a live engine has under way are in its queue statistics: a request the
// rules cannot decide at its arrival waits for a worker to read its file's facts, and the
// status bar and `gex-desk queue` said "0/1 (+1)", nothing busy, while those reads ran and
// the files stayed "deciding". `totals.reading` counts the reads holding a worker now (of
// `totals.deciding`), and falls back to 0 once they are done. The real engine and its real
// pool, whose reads are held at their end (after the real read) until the test lets them go,
// so that "under way" is observed, not raced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueStats } from '../../shared/api.ts';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { heldReads } from './held-reads.ts';
import { until } from './inbox-engine.ts';

let running: TestEngine | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Fresh files of their own underlyings: the rules need their facts (deciding at arrival). */
function freshFiles(n: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gex-reads-'));
  dirs.push(dir);
  const asOf = new Date(Date.now() - 30_000).toISOString().slice(0, 19);
  return Array.from({ length: n }, (_, i) => {
    const file = join(dir, `fresh-${i}.csv`);
    const underlying = ['SPY', 'QQQ', 'IWM', 'DIA'][i]!;
    writeLongCsv(file, {
      seed: 20 + i,
      underlying,
      spot: 400,
      expiries: 2,
      strikesPerExpiry: 10,
      asOf,
      offset: '+00:00',
    });
    return file;
  });
}

async function stats(t: TestEngine): Promise<QueueStats> {
  const r = await t.engine.handlers['queue:stats']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('the facts reads under way, in the queue statistics', () => {
  it('counts the reads holding a worker, of the files deciding, while they run', async () => {
    const reads = heldReads();
    running = await startTestEngine({ workers: 1, pool: reads.pool });
    const { engine } = running;
    await engine.handlers['queue:pause']({});
    for (const file of freshFiles(3)) {
      const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.value.status).toBe('deciding');
    }
    // Paused: every file waits for its read, none is read.
    const paused = await stats(running);
    expect([paused.totals.deciding, paused.totals.reading]).toEqual([3, 0]);

    await engine.handlers['queue:resume']({});
    // The one set worker reads a file; a read that could be CRITICAL may take the spare too.
    await until(
      async () => reads.held() > 0 && (await stats(running!)).totals.reading > 0,
      'a read under way',
    );
    await until(
      async () => (await stats(running!)).totals.reading === reads.held(),
      'the reads counted',
    );
    const reading = await stats(running);
    expect(reading.totals.reading).toBeGreaterThanOrEqual(1);
    expect(reading.totals.reading).toBeLessThanOrEqual(2);
    expect(reading.totals.deciding).toBe(3);
    expect(reading.totals.running).toBe(0);

    reads.release();
    await engine.drain();
    const done = await stats(running);
    expect([done.totals.deciding, done.totals.reading, done.totals.completed]).toEqual([0, 0, 3]);
  }, 120_000);
});
