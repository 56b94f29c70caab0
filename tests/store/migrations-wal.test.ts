// Store.open writes its migrations' commit straight into the database file, never into
// its WAL (store/db.ts #migrate): DuckDB cannot replay from its WAL an ALTER TABLE of a
// table with a sequence default (audit_log's id), so a process killed after migrating,
// before its first checkpoint, left a database that no longer opened. Here the files are
// taken as such a kill leaves them: right after the open, before any close.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from './open-store.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/engine/store/migrations.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const walBytes = (path: string) => (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);

it('leaves nothing of a migration in the WAL: a process killed right after it leaves a database that opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-migrations-wal-'));
  dirs.push(dir);
  const path = join(dir, 'gex.duckdb');
  // A file of the first version, whose later migrations ALTER audit_log (id from a sequence).
  const old = await openStore(path, MIGRATIONS.slice(0, 1));
  await old.run(
    `INSERT INTO audit_log (recorded_at, kind, explanation) VALUES ('2024-01-08T15:30:00Z', 'decision', 'G2')`,
  );
  await old.close();
  expect(walBytes(path)).toBe(0);

  const store = await openStore(path);
  try {
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    expect(walBytes(path)).toBe(0);
    // The files as a kill at this moment leaves them (the WAL too, were there one).
    const killed = join(dir, 'killed');
    mkdirSync(killed);
    copyFileSync(path, join(killed, 'gex.duckdb'));
    if (existsSync(`${path}.wal`)) copyFileSync(`${path}.wal`, join(killed, 'gex.duckdb.wal'));
    const reopened = await openStore(join(killed, 'gex.duckdb'));
    try {
      expect(await reopened.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
      expect(await reopened.all('SELECT explanation FROM audit_log')).toEqual([
        { explanation: 'G2' },
      ]);
    } finally {
      await reopened.close();
    }
  } finally {
    await store.close();
  }
});
