// A request's `source_reliability` is its source's record as of its arrival (GUIDELINES
// v2 pins the facts to the arrival, so that the application's own queueing never changes
// a level). QA (qv F1): a new source's good files and a few of its unreadable ones, sent
// at the same moment, read 0 or 1 by when the intake took each in — the unreadable ones'
// failures, learnt while the burst was taken in, counted for files that arrived with them
// (G4 demoted real-time high-impact files CRITICAL → HIGH), and a later arrival could read
// a better figure than an earlier one. The real engine, real files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { IntakeMemory } from '../../electron/engine/intake/memory.ts';
import type { ProcessingJob } from '../../shared/domain.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const SOURCE = 'cli';

async function submit(e: Engine, file: string, arrivedAt?: string): Promise<string> {
  const ack = await e.handlers['ingest:submit']({
    file,
    source: SOURCE,
    ...(arrivedAt ? { arrived_at: arrivedAt } : {}),
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.value.request_id;
}

/** A good chain of its own underlying. */
function good(dir: string, i: number): string {
  const file = join(dir, `good-${i}.csv`);
  writeCboeCsv(file, {
    seed: 500 + i,
    underlying: `R${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
    spot: 100 + i,
    expiries: 1,
    strikesPerExpiry: 5,
  });
  return file;
}

/** Files that cannot be read: each a failure on input, counted against its source. */
function unreadable(dir: string, tag: string): string[] {
  const empty = join(dir, `${tag}-empty.csv`);
  writeFileSync(empty, '');
  const binary = [1, 2, 3].map((i) => {
    const file = join(dir, `${tag}-junk-${i}.bin`);
    writeFileSync(file, Buffer.from([0, 1, 2, 3, 0, 0, 9, i]));
    return file;
  });
  return [empty, ...binary];
}

/** The reliability each request's decision (or failure) was taken with, by request. */
async function readAt(e: Engine, requestIds: string[]): Promise<unknown[]> {
  return Promise.all(
    requestIds.map(async (id) => {
      const trail = await e.handlers['audit:list']({ request_id: id, limit: 50, order: 'oldest' });
      if (!trail.ok) throw new Error(trail.error.message);
      const decided = trail.value.find((a) => a.kind === 'decision');
      return decided?.facts?.source_reliability;
    }),
  );
}

async function reliability(e: Engine): Promise<number | undefined> {
  const sources = await e.handlers['sources:list']({});
  if (!sources.ok) throw new Error(sources.error.message);
  return sources.value.find((s) => s.id === SOURCE)?.reliability;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

it("reads the source's record as of each arrival: not the failures of files that arrived with it, the same for one arrival, never older for a later one", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-reliability-at-arrival-'));
  engine = await engineIn(dir);

  // Two commands of a new source started at the same moment: the unreadable files are
  // taken in (and fail) first, the good files after them, with the same arrival.
  const first = new Date(Date.now() - 2).toISOString();
  for (const file of unreadable(dir, 'a')) await submit(engine, file, first);
  await tick();
  expect(await reliability(engine)).toBe(0);
  const firstGood: string[] = [];
  for (let i = 0; i < 6; i++) firstGood.push(await submit(engine, good(dir, i), first));
  await engine.drain();
  // No ingest of the source had ended before that arrival: a source with no history.
  expect(await readAt(engine, firstGood)).toEqual(firstGood.map(() => 1));

  // Sent together, taken in interleaved: every file of the arrival reads one figure, the
  // record before it (6 of 10).
  await tick();
  const second = new Date().toISOString();
  await tick();
  const bad = unreadable(dir, 'b');
  const ids = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? submit(engine!, bad[i / 3]!, second)
        : submit(engine!, good(dir, 10 + i), second),
    ),
  );
  await engine.drain();
  const secondGood = ids.filter((_, i) => i % 3 !== 0);
  expect(await readAt(engine, secondGood)).toEqual(secondGood.map(() => 6 / 10));

  // A later arrival reads the record as it then is (14 of 22), never an older one.
  await tick();
  const later = await submit(engine, good(dir, 40));
  await engine.drain();
  expect(await readAt(engine, [later])).toEqual([14 / 22]);

  // An analyst's override learnt after an arrival is not that arrival's either.
  await tick();
  const third = new Date().toISOString();
  await tick();
  const set = await engine.handlers['sources:set']({
    id: SOURCE,
    reliability: 0.5,
    justification: 'feed under repair',
  });
  expect(set.ok).toBe(true);
  const [before] = [await submit(engine, good(dir, 41), third)];
  const after = await submit(engine, good(dir, 42));
  await engine.drain();
  expect(await readAt(engine, [before!, after])).toEqual([15 / 23, 0.5]);
}, 60_000);

describe('within one millisecond (the memory, its clock held)', () => {
  let rev = 0;
  /** A job of the source ending at the memory's current time. */
  const ended = (m: IntakeMemory, status: 'completed' | 'failed') =>
    m.onJob({
      id: `j${++rev}`,
      request_id: `r${rev}`,
      source: SOURCE,
      status,
      revision: 1,
      snapshot_id: null,
      submitted_at: new Date(0).toISOString(),
      error: status === 'failed' ? { code: 'EMPTY_FILE', message: 'bad' } : null,
    } as unknown as ProcessingJob);

  it('counts what was learnt before its first request was stamped, not after, for every request of the arrival', () => {
    let now = 1_000;
    const m = new IntakeMemory(undefined, () => now);
    ended(m, 'completed');
    m.onSource({ id: SOURCE, override: { reliability: 0.3 } });
    // Sent within the millisecond the override was set: the override is its record.
    const a = m.placeArrival(now);
    expect(m.sourceAt(SOURCE, a).reliability).toBe(0.3);
    m.onSource({ id: SOURCE, override: null });
    ended(m, 'failed');
    // Another file of the same arrival, stamped after the clear and a failure: the same.
    expect(m.sourceAt(SOURCE, m.placeArrival(now))).toEqual({ reliability: 0.3 });
    now = 1_001;
    expect(m.sourceAt(SOURCE, m.placeArrival(now))).toEqual({ reliability: 0.5 });
    // A command's arrival given before the engine learnt the end: its record then.
    ended(m, 'completed');
    now = 1_050;
    expect(m.sourceAt(SOURCE, m.placeArrival(1_001))).toEqual({ reliability: 0.5 });
    expect(m.sourceAt(SOURCE, m.placeArrival(now))).toEqual({ reliability: 2 / 3 });
  });
});
