// A source's record counts final outcomes only, and only input errors against it
// (store/sources.ts), with one UPDATE for a source that exists and a row created for one
// that does not (a store written before sources were created at arrival).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import {
  recordOutcome,
  storedSource,
  withdrawOutcome,
} from '../../electron/engine/store/sources.ts';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gex-sources-'));
  const opened = await Store.open(join(dir, 'gex.duckdb'));
  if (!opened.ok) throw new Error(opened.error.message);
  store = opened.value;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async (id: string) => {
  const s = await storedSource(store, id);
  return s && { completed: s.completed, failed: s.failed };
};

it('counts completions and input errors of a source that exists', async () => {
  await store.run("INSERT INTO sources (id, name) VALUES ('vendor', 'Vendor')");
  for (const status of ['completed', 'duplicate'])
    await store.transaction((tx) => recordOutcome(tx, { source: 'vendor', status, error: null }));
  await store.transaction((tx) =>
    recordOutcome(tx, { source: 'vendor', status: 'failed', error: { code: 'BAD_HEADER' } }),
  );
  for (const code of ['CANCELLED', 'WORKER_CRASHED', 'TIMEOUT'])
    await store.transaction((tx) =>
      recordOutcome(tx, { source: 'vendor', status: 'failed', error: { code } }),
    );
  await store.transaction((tx) =>
    recordOutcome(tx, { source: 'vendor', status: 'cancelled', error: { code: 'CANCELLED' } }),
  );
  expect(await counts('vendor')).toEqual({ completed: 2, failed: 1 });
  expect((await storedSource(store, 'vendor'))?.name).toBe('Vendor');
});

it('creates the row of a source that has none, with its first count', async () => {
  expect(await counts('old')).toBeUndefined();
  await store.transaction((tx) =>
    recordOutcome(tx, { source: 'old', status: 'completed', error: null }),
  );
  expect(await counts('old')).toEqual({ completed: 1, failed: 0 });
  await store.transaction((tx) =>
    recordOutcome(tx, { source: 'gone', status: 'failed', error: { code: 'BAD_HEADER' } }),
  );
  expect(await counts('gone')).toEqual({ completed: 0, failed: 1 });
});

it("takes back a retried job's counted failure, and only one that was counted", async () => {
  const bad = { source: 'vendor', status: 'failed', error: { code: 'BAD_VALUE' } };
  await store.transaction((tx) => recordOutcome(tx, bad));
  await store.transaction((tx) =>
    recordOutcome(tx, { source: 'vendor', status: 'completed', error: null }),
  );
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 1 });
  // A cancelled job and a crash counted nothing, so a retry of either takes nothing back.
  await store.transaction((tx) =>
    withdrawOutcome(tx, { source: 'vendor', status: 'cancelled', error: null }),
  );
  await store.transaction((tx) =>
    withdrawOutcome(tx, { source: 'vendor', status: 'failed', error: { code: 'WORKER_CRASHED' } }),
  );
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 1 });
  await store.transaction((tx) => withdrawOutcome(tx, bad));
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 0 });
  // Never below zero (a count reset by hand, an older store).
  await store.transaction((tx) => withdrawOutcome(tx, bad));
  expect(await counts('vendor')).toEqual({ completed: 1, failed: 0 });
});
