// A source is created at the arrival of the first request that names it (intake/requests.ts,
// storeRequests), not when its batch is written: under a burst the batch is written seconds
// after its first requests arrived, and `sources --json` read a source created after its
// last ingest (405 sources of 1,244).
import { expect, it } from 'vitest';
import { storePerTest } from '../store/open-store.ts';
import { storeRequests, type NewRequest } from '../../electron/engine/intake/requests.ts';
import { storedSource } from '../../electron/engine/store/sources.ts';

const t = storePerTest('gex-source-created-');

const request = (
  id: string,
  source: string,
  arrivedMs: number,
  knownSource = false,
): NewRequest => ({
  id,
  request: { file: `/data/${id}.csv`, source },
  arrivedMs,
  arrivalOrder: 0,
  staged: null,
  underlying: null,
  knownSource,
  facts: null,
  total_gex: null,
});

// Well before the batch is written: the database's now() is never this time.
const T0 = Date.parse('2026-03-02T18:34:27.546Z');

it('creates a new source at the arrival of its first request in the batch', async () => {
  await t.store.transaction((tx) =>
    storeRequests(tx, [
      request('r1', 'acme', T0 + 900),
      request('r2', 'acme', T0),
      request('r3', 'other', T0 + 5000),
    ]),
  );
  const acme = await storedSource(t.store, 'acme');
  expect(acme?.created_at).toBe(new Date(T0).toISOString());
  expect(acme?.last_ingest_at).toBe(new Date(T0 + 900).toISOString());
  expect((await storedSource(t.store, 'other'))?.created_at).toBe(
    new Date(T0 + 5000).toISOString(),
  );
});

it('keeps the earliest arrival of a source two batches name', async () => {
  await t.store.transaction((tx) => storeRequests(tx, [request('r1', 'acme', T0 + 2000)]));
  // A request that arrived before acme was known, its batch written after the other.
  await t.store.transaction((tx) => storeRequests(tx, [request('r2', 'acme', T0)]));
  await t.store.transaction((tx) => storeRequests(tx, [request('r3', 'acme', T0 + 9000, true)]));
  expect((await storedSource(t.store, 'acme'))?.created_at).toBe(new Date(T0).toISOString());
});
