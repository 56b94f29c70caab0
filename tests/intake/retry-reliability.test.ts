// A retried request counts once in its source's record, by how its retry ends (docs/
// scheduler.md) — in what G4 decides with as in what `sources` shows. The store took a
// retried failure back; the engine's memory did not, so each retry that failed again
// left a phantom failure there and the next request of the source was demoted by G4
// ("source reliability 0.6666666666666666 < 0.8") while `sources` read 0.80. The real
// engine with its real workers, across a restart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { spoilLastGamma, writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const SOURCE = 'vendorG';

async function submit(e: Engine, file: string): Promise<string> {
  const ack = await e.handlers['ingest:submit']({ file, source: SOURCE });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.value.job_id!;
}

/** A fresh chain of its own underlying, so that nothing but G4 could lower its level. */
function chain(dir: string, i: number): string {
  const file = join(dir, `chain-${i}.csv`);
  writeCboeCsv(file, {
    seed: 300 + i,
    underlying: `U${i}X`,
    spot: 100 + i,
    expiries: 1,
    strikesPerExpiry: 5,
  });
  return file;
}

/** A chain with a gamma that is not a number: BAD_VALUE, an input error counted against the source. */
function badValue(dir: string): string {
  const file = chain(dir, 9);
  spoilLastGamma(file);
  return file;
}

async function reliability(e: Engine): Promise<number | undefined> {
  const sources = await e.handlers['sources:list']({});
  if (!sources.ok) throw new Error(sources.error.message);
  return sources.value.find((s) => s.id === SOURCE)?.reliability;
}

/** The source reliability a new request of the source was decided with (what G4 reads). */
async function decidedWith(e: Engine, dir: string, i: number): Promise<unknown> {
  const id = await submit(e, chain(dir, i));
  await e.drain();
  const job = await e.handlers['jobs:get']({ id });
  if (!job.ok) throw new Error(job.error.message);
  expect(job.value.job.status).toBe('completed');
  const trail = await e.handlers['audit:list']({
    request_id: job.value.job.request_id,
    limit: 500,
    order: 'oldest',
  });
  if (!trail.ok) throw new Error(trail.error.message);
  const decided = trail.value.find((a) => a.kind === 'decision');
  return decided?.facts?.source_reliability;
}

async function retryFailsAgain(e: Engine, id: string): Promise<void> {
  const retried = await e.handlers['jobs:retry']({ id, author: 'ivan' });
  expect(retried.ok).toBe(true);
  await e.drain();
  const job = await e.handlers['jobs:get']({ id });
  expect(job.ok && [job.value.job.status, job.value.job.error?.code]).toEqual([
    'failed',
    'BAD_VALUE',
  ]);
}

// Engines started and stopped, files read and run: 29 s at a load average of 20.
it('decides with the reliability sources shows after retries that fail again, and after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-retry-reliability-'));
  const files = mkdtempSync(join(tmpdir(), 'gex-retry-files-'));
  engine = await engineIn(dir);
  for (let i = 0; i < 4; i++) await submit(engine, chain(files, i));
  const bad = badValue(files);
  const badId = await submit(engine, bad);
  await engine.drain();
  expect(await reliability(engine)).toBe(0.8);

  await retryFailsAgain(engine, badId);
  await retryFailsAgain(engine, badId);
  expect(await reliability(engine)).toBe(0.8);
  // 4 of 5 is not under G4's 0.8; a phantom failure (4 of 6, 4 of 7) was.
  expect(await decidedWith(engine, files, 10)).toBe(0.8);
  expect(await reliability(engine)).toBe(5 / 6);

  // After a restart, a retry takes back a failure counted before it.
  await engine.shutdown(5000);
  engine = await engineIn(dir);
  await retryFailsAgain(engine, badId);
  expect(await reliability(engine)).toBe(5 / 6);
  // One more failure would make it 5 of 7 (0.71…), under 0.8: G4.
  expect(await decidedWith(engine, files, 11)).toBe(5 / 6);

  // A cancelled job counted nothing, so its retry takes nothing back; it counts as it ends.
  await engine.handlers['queue:pause']({});
  const cancelled = await submit(engine, chain(files, 12));
  expect((await engine.handlers['jobs:cancel']({ id: cancelled, author: 'ivan' })).ok).toBe(true);
  // Its bytes are kept for a retry (keepStagedHours, 72 by default).
  expect(await engine.handlers['jobs:bytesKept']({ id: cancelled })).toEqual({
    ok: true,
    value: { kept: true },
  });
  expect((await engine.handlers['jobs:retry']({ id: cancelled, author: 'ivan' })).ok).toBe(true);
  await engine.handlers['queue:resume']({});
  await engine.drain();
  expect(await reliability(engine)).toBe(7 / 8);
  expect(await decidedWith(engine, files, 13)).toBe(7 / 8);
}, 120_000);

/** The job as stored, its audit entries' kinds and the source's reliability. */
async function state(e: Engine, id: string) {
  const job = await e.handlers['jobs:get']({ id });
  if (!job.ok) throw new Error(job.error.message);
  const trail = await e.handlers['audit:list']({
    request_id: job.value.job.request_id,
    limit: 500,
    order: 'oldest',
  });
  if (!trail.ok) throw new Error(trail.error.message);
  return {
    status: job.value.job.status,
    code: job.value.job.error?.code,
    retried: trail.value.filter((a) => a.kind === 'retried').length,
    reliability: await reliability(e),
  };
}

// A retry whose bytes were no longer kept took the failure back, then ended FILE_NOT_FOUND
// (counted against nothing) and overwrote the job's error: the source went from 0.50 to
// 1.00 and G4 stopped applying. It is refused now, before anything changes.
it('refuses a retry whose staged bytes are gone, leaving the outcome, error and count alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-retry-gone-'));
  const files = mkdtempSync(join(tmpdir(), 'gex-retry-gone-files-'));
  // An ended job keeps nothing for a retry.
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ keepStagedHours: 0 }));
  engine = await engineIn(dir, { configFile: join(dir, 'config.json') });
  const empty = join(files, 'empty.csv');
  writeFileSync(empty, '');
  const emptyId = await submit(engine, empty);
  await submit(engine, chain(files, 0));
  const badId = await submit(engine, badValue(files));
  await engine.drain();
  const before = { empty: await state(engine, emptyId), bad: await state(engine, badId) };
  expect(before.empty).toEqual({
    status: 'failed',
    code: 'EMPTY_FILE',
    retried: 0,
    reliability: 1 / 3,
  });
  expect(before.bad.code).toBe('BAD_VALUE');

  for (const id of [emptyId, badId]) {
    // Said before anyone asks (the drawer offers no Retry then).
    expect(await engine.handlers['jobs:bytesKept']({ id })).toEqual({
      ok: true,
      value: { kept: false },
    });
    const retried = await engine.handlers['jobs:retry']({ id, author: 'ivan' });
    expect(retried.ok).toBe(false);
    if (!retried.ok) {
      expect(retried.error.code).toBe('CONFLICT');
      expect(retried.error.message).toMatch(/no longer kept.*submit the file again/);
    }
  }
  await engine.drain();
  expect({ empty: await state(engine, emptyId), bad: await state(engine, badId) }).toEqual(before);
  // What G4 reads: the two failures still count.
  expect(await decidedWith(engine, files, 1)).toBe(1 / 3);
});

it('counts a duplicate as no success, in what G4 decides with as in what sources shows, after a restart too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-dup-reliability-'));
  const files = mkdtempSync(join(tmpdir(), 'gex-dup-files-'));
  engine = await engineIn(dir);
  await submit(engine, badValue(files));
  await engine.drain();
  expect(await reliability(engine)).toBe(0);
  // One good file, sent four times: one ingest, three duplicates that ingest nothing.
  const good = chain(files, 20);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    ids.push(await submit(engine, good));
    await engine.drain();
  }
  const statuses = await Promise.all(ids.map((id) => engine!.handlers['jobs:get']({ id })));
  expect(statuses.map((r) => r.ok && r.value.job.status)).toEqual([
    'completed',
    'duplicate',
    'duplicate',
    'duplicate',
  ]);
  // 1 of 2, not 4 of 5 (0.8, which G4's `< 0.8` lets through).
  expect(await reliability(engine)).toBe(0.5);
  expect(await decidedWith(engine, files, 21)).toBe(0.5);
  await engine.shutdown(5000);
  engine = await engineIn(dir);
  expect(await decidedWith(engine, files, 22)).toBe(2 / 3);
}, 120_000);
