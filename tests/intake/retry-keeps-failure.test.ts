// An analyst's retry of a failed file does not lift its failure from the source's record
// until the retry ends (GUIDELINES: reliability is the source's share of SUCCESSFUL ingests,
// and the retried file has not succeeded yet). The failure used to be taken back when the
// retry was queued: a forced retry waiting in a paused queue (or for hours at LOW) showed
// the source at 1.00 in `sources`, and a real-time high-impact request of the source
// decided meanwhile got CRITICAL by G3 instead of HIGH by G4. The retry's end replaces the
// failure: failing again changes nothing, a success turns it into one. The real engine and
// its workers, across restarts with a retry pending.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { engineIn } from '../desktop/engine.ts';
import type { Engine, EngineOptions } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const SOURCE = 'retry-g4';
const DAY = 86_400_000;

/** A 10-contract long-format chain: 60,000 volume (high impact); `oi` per contract. */
function chain(
  file: string,
  underlying: string,
  asOf: Date,
  oi: number,
  expiry = new Date(asOf.getTime() + 40 * DAY),
): string {
  const lines = ['underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv'];
  for (const k of [90, 95, 100, 105, 110])
    for (const t of ['C', 'P'])
      lines.push(
        `${underlying},${asOf.toISOString()},100,${expiry.toISOString().slice(0, 10)},${k},${t},${oi},6000,0.2${k % 7}`,
      );
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const STALE = new Date('2024-03-01T15:30:00Z');

async function submit(e: Engine, file: string): Promise<string> {
  const ack = await e.handlers['ingest:submit']({ file, source: SOURCE });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.value.job_id!;
}

async function counts(e: Engine) {
  const sources = await e.handlers['sources:list']({});
  if (!sources.ok) throw new Error(sources.error.message);
  const s = sources.value.find((x) => x.id === SOURCE);
  return s && { completed: s.completed, failed: s.failed, reliability: s.reliability };
}

async function job(e: Engine, id: string) {
  const got = await e.handlers['jobs:get']({ id });
  if (!got.ok) throw new Error(got.error.message);
  return got.value.job;
}

/** How a request was decided: its level, and the reliability G4 read. */
async function decided(e: Engine, id: string) {
  const j = await job(e, id);
  const trail = await e.handlers['audit:list']({
    request_id: j.request_id,
    limit: 500,
    order: 'oldest',
  });
  if (!trail.ok) throw new Error(trail.error.message);
  const decision = trail.value.find((a) => a.kind === 'decision');
  return {
    status: j.status,
    priority: j.priority,
    reliability: decision?.facts?.source_reliability,
  };
}

async function retry(e: Engine, id: string): Promise<void> {
  const r = await e.handlers['jobs:retry']({ id, author: 'ivan' });
  if (!r.ok) throw new Error(r.error.message);
}

/** A real-time, high-impact chain of a new underlying: CRITICAL by G3, HIGH once G4 demotes it. */
const realTime = (dir: string, i: number) =>
  chain(join(dir, `rt-${i}.csv`), `QRT${i}`, new Date(), 30_000);

// Engines started and stopped, files read and run: 47 s at a load average of 20.
it('keeps a retried failure counted while its retry waits, for G4 and in sources, across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-retry-keeps-'));
  const files = mkdtempSync(join(tmpdir(), 'gex-retry-keeps-files-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, '{}');
  const start = (opts: EngineOptions = {}) => engineIn(dir, { configFile: config, ...opts });
  engine = await start();
  await submit(engine, chain(join(files, 'ok.csv'), 'QA1', STALE, 1000));
  const bad = await submit(engine, chain(join(files, 'bad.csv'), 'QA2', STALE, -5));
  await engine.drain();
  expect((await job(engine, bad)).error?.code).toBe('BAD_VALUE');
  expect(await counts(engine)).toEqual({ completed: 1, failed: 1, reliability: 0.5 });

  // A forced retry held in a paused queue: the failure still counts.
  expect((await engine.handlers['queue:pause']({})).ok).toBe(true);
  await retry(engine, bad);
  expect((await job(engine, bad)).status).toBe('queued');
  expect(await counts(engine)).toEqual({ completed: 1, failed: 1, reliability: 0.5 });
  const rt1 = await submit(engine, realTime(files, 1));
  expect((await engine.handlers['queue:resume']({})).ok).toBe(true);
  await engine.drain();
  expect(await decided(engine, rt1)).toEqual({
    status: 'completed',
    priority: 'HIGH',
    reliability: 0.5,
  });
  // The retry failed again: the same failure, not one more.
  expect((await job(engine, bad)).error?.code).toBe('BAD_VALUE');
  expect(await counts(engine)).toEqual({ completed: 2, failed: 1, reliability: 2 / 3 });

  // A retry pending when the engine stops: still counted after the start, and its end
  // (failing again) is not counted twice by what G4 reads.
  await engine.handlers['queue:pause']({});
  await retry(engine, bad);
  await engine.shutdown(5000);
  engine = await start({ paused: true });
  expect((await job(engine, bad)).status).toBe('queued');
  expect(await counts(engine)).toEqual({ completed: 2, failed: 1, reliability: 2 / 3 });
  const rt2 = await submit(engine, realTime(files, 2));
  await engine.handlers['queue:resume']({});
  await engine.drain();
  expect(await decided(engine, rt2)).toEqual({
    status: 'completed',
    priority: 'HIGH',
    reliability: 2 / 3,
  });
  expect((await job(engine, bad)).status).toBe('failed');
  expect(await counts(engine)).toEqual({ completed: 3, failed: 1, reliability: 0.75 });
  const rt3 = await submit(engine, realTime(files, 3));
  await engine.drain();
  expect(await decided(engine, rt3)).toMatchObject({ priority: 'HIGH', reliability: 0.75 });

  // A retry that succeeds replaces the failure with a success: here a file refused by a
  // row limit, retried across a restart that lifts the limit.
  await engine.shutdown(5000);
  writeFileSync(config, JSON.stringify({ limits: { maxRows: 4 } }));
  engine = await start();
  const big = await submit(engine, chain(join(files, 'big.csv'), 'QA3', STALE, 1000));
  await engine.drain();
  expect((await job(engine, big)).error?.code).toBe('TOO_MANY_ROWS');
  expect(await counts(engine)).toEqual({ completed: 4, failed: 2, reliability: 4 / 6 });
  await engine.handlers['queue:pause']({});
  await retry(engine, big);
  expect(await counts(engine)).toEqual({ completed: 4, failed: 2, reliability: 4 / 6 });
  await engine.shutdown(5000);
  writeFileSync(config, '{}');
  engine = await start();
  await engine.drain();
  expect((await job(engine, big)).status).toBe('completed');
  expect(await counts(engine)).toEqual({ completed: 5, failed: 1, reliability: 5 / 6 });
  const rt4 = await submit(engine, realTime(files, 4));
  await engine.drain();
  expect(await decided(engine, rt4)).toMatchObject({ priority: 'CRITICAL', reliability: 5 / 6 });
}, 120_000);
