// DuckDB locked down at open: whatever SQL runs, it reaches only the database's own
// folder and the folders it was given (the data folder; attached export folders), loads
// and installs no extension, and no setting can be changed back. The migrations (which
// SET and RESET a setting) still run, and the engine still ingests through Parquet.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'gex-lockdown-'));
const dbDir = join(dir, 'db');
const dataDir = join(dir, 'data');
const attached = join(dir, 'workstation-b exports');
const outside = join(dir, 'outside');
let store: Store;

const refused = (sql: string) =>
  expect(store.run(sql)).rejects.toThrow(/Permission Error|disabled|locked/);

beforeAll(async () => {
  for (const d of [dbDir, dataDir, attached, outside, join(dir, 'data2')])
    mkdirSync(d, { recursive: true });
  // Parquet files where the engine, another workstation and anyone else wrote them.
  const writer = await DuckDBInstance.create(':memory:');
  const conn = await writer.connect();
  for (const d of [dataDir, attached, outside, join(dir, 'data2')]) {
    await conn.run(`COPY (SELECT 42 AS answer) TO '${join(d, 'x.parquet')}' (FORMAT parquet)`);
  }
  conn.closeSync();
  writer.closeSync();
  const opened = await Store.open(join(dbDir, 'gex.duckdb'), {
    allowedDirectories: [dataDir, attached],
  });
  if (!opened.ok) throw new Error(opened.error.message);
  store = opened.value;
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a locked-down store', () => {
  it('cannot read files outside its folders: /etc/passwd through read_csv, read_text or glob', async () => {
    await refused("SELECT * FROM read_csv('/etc/passwd')");
    await refused("SELECT * FROM read_text('/etc/hostname')");
    await refused("SELECT * FROM glob('/etc/*')");
    await refused(`SELECT * FROM read_parquet('${join(outside, 'x.parquet')}')`);
    await refused(`SELECT * FROM read_parquet('${join(dataDir, '..', 'outside', 'x.parquet')}')`);
    // A folder whose name merely starts like an allowed one is not allowed.
    await refused(`SELECT * FROM read_parquet('${join(dir, 'data2', 'x.parquet')}')`);
  });

  it('reads Parquet in the data folder and in a configured export folder', async () => {
    expect(
      await store.all(`SELECT answer FROM read_parquet('${join(dataDir, 'x.parquet')}')`),
    ).toEqual([{ answer: 42 }]);
    expect(
      await store.all(`SELECT answer FROM read_parquet('${join(attached, '*.parquet')}')`),
    ).toEqual([{ answer: 42 }]);
  });

  it('writes only inside its folders', async () => {
    await store.run(
      `COPY (SELECT 1 AS one) TO '${join(dataDir, 'export.parquet')}' (FORMAT parquet)`,
    );
    await refused(
      `COPY (SELECT 1 AS one) TO '${join(outside, 'export.parquet')}' (FORMAT parquet)`,
    );
    await refused(`ATTACH '${join(outside, 'other.duckdb')}' AS other`);
  });

  it('installs and loads no extension, and cannot be unlocked', async () => {
    await refused('INSTALL httpfs');
    await refused('LOAD httpfs');
    await refused('SET enable_external_access = true');
    await refused("SET allowed_directories = ['/']");
    await refused('SET autoload_known_extensions = true');
    await refused("SET checkpoint_threshold = '0b'");
    const settings = await store.all<{ name: string; value: string }>(
      "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'autoload_known_extensions', 'autoinstall_known_extensions', 'lock_configuration') ORDER BY name",
    );
    expect(settings).toEqual([
      { name: 'autoinstall_known_extensions', value: 'false' },
      { name: 'autoload_known_extensions', value: 'false' },
      { name: 'enable_external_access', value: 'false' },
      { name: 'lock_configuration', value: 'true' },
    ]);
  });

  it('still works as the engine uses it: tables, transactions, a checkpoint, the migrations on reopen', async () => {
    expect(await store.schemaVersion()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    await store.transaction(async (tx) => {
      await tx.run('CREATE TABLE t (i INTEGER)');
      await tx.run('INSERT INTO t VALUES (1), (2)');
    });
    await store.run('CHECKPOINT');
    await store.close();
    const again = await Store.open(join(dbDir, 'gex.duckdb'), { allowedDirectories: [dataDir] });
    if (!again.ok) throw new Error(again.error.message);
    store = again.value;
    expect(await store.all('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 2 }]);
    await refused("SELECT * FROM read_csv('/etc/passwd')");
  });
});
