// A source's record counts final outcomes only, and only input errors against it
// (store/sources.ts), with one UPDATE for a source that exists and a row created for one
// that does not (a store written before sources were created at arrival).
import { expect, it } from 'vitest';
import { storePerTest } from './open-store.ts';
import {
  keepFailureOnRetry,
  keptFailures,
  recordOutcome,
  storedSource,
} from '../../electron/engine/store/sources.ts';

const t = storePerTest('gex-sources-');

const counts = async (id: string) => {
  const s = await storedSource(t.store, id);
  return s && { completed: s.completed, failed: s.failed };
};

it('counts completions and input errors of a source that exists', async () => {
  await t.store.run("INSERT INTO sources (id, name) VALUES ('vendor', 'Vendor')");
  for (const status of ['completed', 'duplicate'])
    await t.store.transaction((tx) =>
      recordOutcome(tx, { id: 'j1', source: 'vendor', status, error: null }),
    );
  await t.store.transaction((tx) =>
    recordOutcome(tx, {
      id: 'j1',
      source: 'vendor',
      status: 'failed',
      error: { code: 'BAD_HEADER' },
    }),
  );
  // A request the rules refuse is rejected, not an ingest, after its read as at its arrival.
  for (const code of ['CANCELLED', 'WORKER_CRASHED', 'TIMEOUT', 'INVALID_FACT'])
    await t.store.transaction((tx) =>
      recordOutcome(tx, { id: 'j1', source: 'vendor', status: 'failed', error: { code } }),
    );
  await t.store.transaction((tx) =>
    recordOutcome(tx, {
      id: 'j1',
      source: 'vendor',
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    }),
  );
  // A duplicate ingested nothing: no success (sent again and again, it would lift G4).
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 1 });
  expect((await storedSource(t.store, 'vendor'))?.name).toBe('Vendor');
});

it('creates the row of a source that has none, with its first count', async () => {
  expect(await counts('old')).toBeUndefined();
  await t.store.transaction((tx) =>
    recordOutcome(tx, { id: 'j1', source: 'old', status: 'completed', error: null }),
  );
  expect(await counts('old')).toEqual({ completed: 1, failed: 0 });
  await t.store.transaction((tx) =>
    recordOutcome(tx, {
      id: 'j2',
      source: 'gone',
      status: 'failed',
      error: { code: 'BAD_HEADER' },
    }),
  );
  expect(await counts('gone')).toEqual({ completed: 0, failed: 1 });
});

it('creates a missing row at its first stored request, never after it arrived', async () => {
  const first = '2026-03-02T18:34:27.546Z';
  await t.store.run(
    `INSERT INTO requests (id, file, source, submitted_at) VALUES
       ('r2', 'b.csv', 'old', '2026-03-02T18:40:00Z'::TIMESTAMPTZ), ('r1', 'a.csv', 'old', $1::TIMESTAMPTZ)`,
    [first],
  );
  await t.store.transaction((tx) =>
    recordOutcome(tx, { id: 'j1', source: 'old', status: 'completed', error: null }),
  );
  expect((await storedSource(t.store, 'old'))?.created_at).toBe(first);
});

it("keeps a retried job's failure counted until the retry ends, which then replaces it", async () => {
  const bad = (id: string) => ({
    id,
    source: 'vendor',
    status: 'failed',
    error: { code: 'BAD_VALUE' },
  });
  const done = (id: string) => ({ id, source: 'vendor', status: 'completed', error: null });
  await t.store.transaction((tx) => recordOutcome(tx, bad('a')));
  await t.store.transaction((tx) => recordOutcome(tx, bad('b')));
  await t.store.transaction((tx) => recordOutcome(tx, done('c')));
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 2 });
  // Retried: still counted while the retries wait.
  for (const id of ['a', 'b']) await t.store.transaction((tx) => keepFailureOnRetry(tx, bad(id)));
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 2 });
  // a fails again: the same failure. b is cancelled: says nothing, the failure stands.
  await t.store.transaction((tx) => recordOutcome(tx, bad('a')));
  await t.store.transaction((tx) =>
    recordOutcome(tx, { id: 'b', source: 'vendor', status: 'cancelled', error: null }),
  );
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 2 });
  // Retried again (b from its cancel), both succeed: each failure becomes a success.
  for (const j of [bad('a'), { ...bad('b'), status: 'cancelled' }])
    await t.store.transaction((tx) => keepFailureOnRetry(tx, j));
  expect(await keptFailures(t.store)).toHaveLength(2);
  await t.store.transaction((tx) => recordOutcome(tx, done('a')));
  expect(await counts('vendor')).toEqual({ completed: 2, failed: 1 });
  // b's retry ends a duplicate: its failure taken back, no success counted.
  await t.store.transaction((tx) => recordOutcome(tx, { ...done('b'), status: 'duplicate' }));
  expect(await counts('vendor')).toEqual({ completed: 2, failed: 0 });
  expect(await keptFailures(t.store)).toEqual([]);
  // A cancelled job or a crash counted nothing: its retry keeps nothing, its end counts once.
  for (const j of [
    { id: 'd', source: 'vendor', status: 'cancelled', error: null },
    { id: 'e', source: 'vendor', status: 'failed', error: { code: 'WORKER_CRASHED' } },
  ])
    await t.store.transaction((tx) => keepFailureOnRetry(tx, j));
  expect(await keptFailures(t.store)).toEqual([]);
  await t.store.transaction((tx) => recordOutcome(tx, bad('d')));
  expect(await counts('vendor')).toEqual({ completed: 2, failed: 1 });
});
