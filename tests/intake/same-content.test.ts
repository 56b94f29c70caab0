// The same content submitted twice at once (one `ingest` naming a file twice): the request
// submitted first makes the snapshot and the later one is its duplicate — never the other
// way round — and the later one does not run the pipeline again; a later copy of a HIGHER
// level runs first and the lower one becomes its duplicate. The real engine on a
// temporary database, with its real workers and files; the queue is paused while the
// copies arrive so that they wait side by side, then each request's outcome is checked.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmitAck } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const folder = () => mkdtempSync(join(tmpdir(), 'gex-same-content-'));

type Engine = TestEngine['engine'];

async function submitted(engine: Engine, req: Parameters<Engine['handlers']['ingest:submit']>[0]) {
  const ack = await engine.handlers['ingest:submit'](req);
  if (!ack.ok) throw new Error(ack.error.message);
  if (!ack.value.job_id) throw new Error(`no job: ${JSON.stringify(ack.value)}`);
  return ack.value;
}

async function jobOf(engine: Engine, ack: SubmitAck): Promise<ProcessingJob> {
  const got = await engine.handlers['jobs:get']({ id: ack.job_id! });
  if (!got.ok) throw new Error(got.error.message);
  return got.value.job;
}

describe('the same content twice', () => {
  it('the copy submitted first makes the snapshot; the later one is its duplicate, not run again', async () => {
    // Two workers: without the hold, both copies of a content run at once.
    running = await startTestEngine({ workers: 2 });
    const { engine } = running;
    const dir = folder();
    await engine.handlers['queue:pause']({});
    // Like `gex-desk ingest a b c … a b c`: one moment of arrival for every line. Each pair's
    // two submissions race for their captures and writes — the order `seq` breaks ties by —
    // so, many pairs, each checked on its own.
    const arrived_at = new Date().toISOString();
    const pairs = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const file = join(dir, `spx-${i}.csv`);
        writeCboeCsv(file, { underlying: 'SPX', expiries: 3, strikesPerExpiry: 40, seed: 100 + i });
        // The first copy asks the rules (its file's ends read first); the second names its level.
        const first = submitted(engine, { file, source: 'cli', arrived_at });
        const second = submitted(engine, {
          file,
          source: 'cli',
          arrived_at,
          requested_priority: 'LOW',
          justification: 'a backfill',
        });
        return { first: await first, second: await second };
      }),
    );
    await engine.handlers['queue:resume']({});
    await engine.drain();
    for (const { first, second } of pairs) {
      const [a, b] = [await jobOf(engine, first), await jobOf(engine, second)];
      expect(a.priority).toBe('LOW');
      expect([a.status, b.status]).toEqual(['completed', 'duplicate']);
      expect(b.snapshot_id).toBe(a.snapshot_id);
      // A run names its snapshot by its job: the first request's run made it.
      expect(a.snapshot_id).toBe(first.job_id);
      // It waited for the first one's run and ended with its result: no run of its own.
      expect(b.run_ended_at).toBeNull();
    }
  });

  it('a later copy of a higher level runs first; the lower one becomes its duplicate', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { underlying: 'SPX', expiries: 3, strikesPerExpiry: 40, seed: 7 });
    await engine.handlers['queue:pause']({});
    const low = await submitted(engine, {
      file,
      source: 'cli',
      requested_priority: 'LOW',
      justification: 'a backfill',
    });
    const critical = await submitted(engine, {
      file,
      source: 'cli',
      requested_priority: 'CRITICAL',
      justification: 'the desk needs this chain now',
    });
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const [l, c] = [await jobOf(engine, low), await jobOf(engine, critical)];
    expect([c.status, l.status]).toEqual(['completed', 'duplicate']);
    expect(l.snapshot_id).toBe(c.snapshot_id);
    expect(c.snapshot_id).toBe(critical.job_id);
    expect(l.run_ended_at).toBeNull();
    const trail = await engine.handlers['audit:list']({
      request_id: low.request_id,
      limit: 100,
      order: 'oldest',
    });
    if (!trail.ok) throw new Error(trail.error.message);
    expect(trail.value.map((e) => e.explanation).join('\n')).toContain(
      `duplicate: snapshot ${c.snapshot_id} (its content was stored while it waited; not run again)`,
    );
  });

  it('a copy whose first one is cancelled still gets its data', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = folder();
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { underlying: 'SPX', expiries: 3, strikesPerExpiry: 40, seed: 9 });
    await engine.handlers['queue:pause']({});
    const first = await submitted(engine, {
      file,
      source: 'cli',
      requested_priority: 'LOW',
      justification: 'a backfill',
    });
    const second = await submitted(engine, {
      file,
      source: 'cli',
      requested_priority: 'LOW',
      justification: 'a backfill',
    });
    const cancelled = await engine.handlers['jobs:cancel']({ id: first.job_id! });
    expect(cancelled.ok).toBe(true);
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const b = await jobOf(engine, second);
    expect(b.status).toBe('completed');
    expect(b.snapshot_id).toBe(second.job_id);
  });
});
