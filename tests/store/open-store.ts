// Opening the real store in the store tests: a file opened (or the test stopped with why
// not), and a fresh database in a temporary folder for each test, removed after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';

/** The store at `path`, opened with these migrations, or the test fails with why not. */
export async function openStore(path: string, migrations = MIGRATIONS): Promise<Store> {
  const r = await Store.open(path, migrations);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A new database for each test (`gex.duckdb` in a folder of its own), closed and removed after it. */
export function storePerTest(prefix: string): { readonly store: Store; readonly dir: string } {
  const current = { store: null as Store | null, dir: '' };
  beforeEach(async () => {
    current.dir = mkdtempSync(join(tmpdir(), prefix));
    current.store = await openStore(join(current.dir, 'gex.duckdb'));
  });
  afterEach(async () => {
    await current.store?.close();
    rmSync(current.dir, { recursive: true, force: true });
  });
  return {
    get store() {
      return current.store!;
    },
    get dir() {
      return current.dir;
    },
  };
}
