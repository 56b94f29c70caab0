import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatabaseDamaged,
  errorOfThrown,
  openFailure,
  Store,
} from '../../electron/engine/store/db.ts';
import { openStore } from './open-store.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { ok } from '../../shared/result.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { appendAudit, listAudit } from '../../electron/engine/store/audit.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'gex.duckdb');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Store', () => {
  it('brings a new file to the current schema', async () => {
    const store = await openStore(tempDb());
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    const tables = (
      await store.all<{ name: string }>('SELECT table_name AS name FROM information_schema.tables')
    ).map((t) => t.name);
    for (const t of [
      'sources',
      'requests',
      'jobs',
      'rule_sets',
      'audit_log',
      'gex_snapshots',
      'gex_strikes',
      'gamma_profiles',
      'gex_by_strike',
      'gex_by_expiry',
      'gex_expiries',
      'gex_buckets',
    ])
      expect(tables).toContain(t);
    await store.close();
  });

  it('brings a file written by an older version to the current schema, keeping its rows', async () => {
    const path = tempDb();
    const old = await openStore(path, MIGRATIONS.slice(0, 1));
    expect(await old.schemaVersion()).toBe(1);
    await old.run(
      `INSERT INTO gex_strikes VALUES ('s1', DATE '2024-01-19', 4700, 10, -4, 6, 1, 2, 3, 4, 2), ('s1', DATE '2024-01-26', 4700, 1, -1, 0, 1, 2, 3, 4, 2)`,
    );
    await old.close();
    const store = await openStore(path);
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    const byStrike = await store.all<{ net_gex: number }>(
      'SELECT net_gex FROM gex_by_strike WHERE snapshot_id = $1',
      ['s1'],
    );
    expect(byStrike).toEqual([{ net_gex: 6 }]);
    await store.close();
  });

  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))(
    'brings a version-%i file holding a job, its request, trail and source to the current schema',
    async (version) => {
      const path = tempDb();
      const old = await openStore(path, MIGRATIONS.slice(0, version));
      const at = '2024-01-08T15:30:00.000Z';
      await old.run(`INSERT INTO sources (id, name) VALUES ('inbox', 'inbox')`);
      await old.run(
        `INSERT INTO requests (id, file, source, submitted_at) VALUES ('r1', '/in/spx.csv', 'inbox', '${at}')`,
      );
      await old.run(
        `INSERT INTO jobs (id, request_id, file, source, underlying, priority, effective_priority, rule, rule_version, status, submitted_at, queued_at)
         VALUES ('j1', 'r1', '/in/spx.csv', 'inbox', 'SPX', 'LOW', 'LOW', 'G2', 1, 'completed', '${at}', '${at}')`,
      );
      await old.run(
        `INSERT INTO audit_log (recorded_at, kind, request_id, job_id, explanation) VALUES ('${at}', 'decision', 'r1', 'j1', 'G2')`,
      );
      await old.close();
      const store = await openStore(path);
      expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
      const [job] = await store.all<{ decided: string }>(
        `SELECT strftime(decided_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M') AS decided FROM jobs`,
      );
      // Migration 4 fills what it adds from the rows (a later version's rows had them already).
      const filled = version < 4;
      expect(job).toEqual({ decided: filled ? '2024-01-08T15:30' : null });
      const trail = await store.all('SELECT file, underlying FROM audit_log');
      expect(trail).toEqual([
        filled ? { file: '/in/spx.csv', underlying: 'SPX' } : { file: null, underlying: null },
      ]);
      await store.close();
    },
  );

  it('applies pending migrations all together or not at all', async () => {
    const path = tempDb();
    (await openStore(path, MIGRATIONS.slice(0, 1))).close();
    const broken = [
      ...MIGRATIONS.slice(0, 2),
      { version: 99, name: 'broken', statements: ['CREATE TABLE nowhere.t (a INTEGER)'] },
    ];
    const r = await Store.open(path, broken);
    expect(r.ok).toBe(false);
    const store = await openStore(path, MIGRATIONS.slice(0, 1));
    expect(await store.schemaVersion()).toBe(1); // migration 2 was rolled back with 99
    await store.close();
  });

  it('refuses a file a newer version has migrated, changing nothing', async () => {
    const path = tempDb();
    const newer = [
      ...MIGRATIONS,
      {
        version: CURRENT_SCHEMA_VERSION + 1,
        name: 'newer',
        statements: ['CREATE TABLE t (a INTEGER)'],
      },
    ];
    (await openStore(path, newer)).close();
    const r = await Store.open(path);
    expect(r.ok ? null : r.error).toEqual({
      code: 'IO',
      message: `Cannot open the database ${path}: it was last used by a newer GEX Desk (schema version ${CURRENT_SCHEMA_VERSION + 1}; this one knows up to ${CURRENT_SCHEMA_VERSION}): open it with that version, or give this one another database (--db); nothing was changed`,
      file: path,
    });
    // The newer version still opens it as it left it.
    const again = await openStore(path, newer);
    expect(await again.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION + 1);
    await again.close();
  });

  it('refuses with DB_LOCKED while another process holds the file', async () => {
    const path = tempDb();
    (await openStore(path)).close();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `import('@duckdb/node-api').then(async d => { await d.DuckDBInstance.create(${JSON.stringify(path)}); console.log('held'); setTimeout(() => {}, 20000); })`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const r = await Store.open(path);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('DB_LOCKED');
        expect(r.error.message).toContain(path);
      }
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('refuses a path that holds something other than a database, and changes nothing there', async () => {
    // DuckDB itself would open an existing `.csv` as an empty database in memory: every
    // snapshot stored would be lost when the process ends.
    const dir = dirname(tempDb());
    mkdirSync(dir, { recursive: true });
    const chain = join(dir, 'spx.csv');
    writeFileSync(chain, 'underlying,as_of,spot\nSPX,2024-01-08T10:30:00-05:00,4700\n');
    const before = readFileSync(chain);
    const refused = await Store.open(chain);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('IO');
      expect(refused.error.message).toBe(
        `The database ${chain} is not a DuckDB database file: --db names the database; a chain is given to gex-desk ingest (nothing was opened or changed)`,
      );
    }
    expect(readFileSync(chain)).toEqual(before);
    const folder = await Store.open(dir);
    expect(folder.ok || folder.error.message).toBe(
      `The database ${dir} is a folder: name the database file in it (${join(dir, 'gex-desk.duckdb')})`,
    );
    // A database file, once written, opens again.
    const db = join(dir, 'gex.duckdb');
    await (await openStore(db)).close();
    await (await openStore(db)).close();
  });

  it('says a database file cut short is damaged, and what to do', async () => {
    const whole = tempDb();
    const store = await openStore(whole);
    await store.run('CREATE TABLE t AS SELECT range AS n FROM range(200000)');
    await store.close();
    const cut = join(dirname(whole), 'cut.duckdb');
    writeFileSync(cut, readFileSync(whole).subarray(0, 100_000)); // a copy cut short
    const r = await Store.open(cut);
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'IO',
      file: cut,
      message: expect.stringMatching(
        new RegExp(
          `^The database ${cut} is damaged \\(.+\\): restore it from a copy, or move it aside and GEX Desk makes a new one; the snapshots stay readable`,
        ),
      ),
    });
  });

  it('says a database is damaged when a statement finds it so after the open (IO, not INTERNAL)', async () => {
    const whole = tempDb();
    const store = await openStore(whole);
    await store.run(
      "CREATE TABLE t AS SELECT range AS n, repeat('x', 40) || range AS s FROM range(400000)",
    );
    await store.close();
    // A bad block among the table's data (its header and catalog intact): the file opens,
    // and only a statement that reads those rows finds the damage.
    const bytes = readFileSync(whole);
    bytes.fill(0x5a, bytes.length >> 1, (bytes.length >> 1) + 256 * 1024);
    const damaged = join(dirname(whole), 'damaged.duckdb');
    writeFileSync(damaged, bytes);
    const reopened = await openStore(damaged);
    try {
      const thrown = await reopened.all('SELECT sum(length(s)) AS n FROM t').catch((e) => e);
      expect(thrown).toBeInstanceOf(DatabaseDamaged);
      expect((thrown as DatabaseDamaged).error).toMatchObject({
        code: 'IO',
        file: damaged,
        message: expect.stringMatching(
          new RegExp(`^The database ${damaged} is damaged \\(.+\\): restore it from a copy`),
        ),
      });
      // As a command or the app receives it: the same IO error, which exits 3.
      const dispatch = createDispatcher(
        {
          'jobs:list': async () => {
            await reopened.all('SELECT sum(length(s)) AS n FROM t');
            return ok([]);
          },
        },
        { transport: 'local' },
      );
      const answer = await dispatch('jobs:list', {});
      expect(answer.ok ? null : answer.error).toEqual((thrown as DatabaseDamaged).error);
    } finally {
      await reopened.close();
    }
  });

  it("says what any thrown value says, and passes a damaged database's error through", () => {
    // A string or an object thrown had no `message` as an Error: "undefined" was shown.
    expect(errorOfThrown('disk unplugged', 'IO', 'cannot read: ').error).toEqual({
      code: 'IO',
      message: 'cannot read: disk unplugged',
    });
    expect(errorOfThrown({ message: 'from a worker' }, 'INTERNAL', 'x: ').error.message).toBe(
      'x: from a worker',
    );
    expect(errorOfThrown(new Error('boom'), 'INTERNAL', 'x: ').error.message).toBe('x: boom');
    const damaged = new DatabaseDamaged('/d/gex.duckdb', 'Corrupt database file');
    expect(errorOfThrown(damaged, 'INTERNAL', 'x: ').error).toBe(damaged.error);
  });

  it('runs urgent statements before normal ones that are still waiting', async () => {
    const store = await openStore(tempDb());
    await store.run('CREATE TABLE seen (n INTEGER, lane VARCHAR)');
    const urgent = store.at('CRITICAL');
    const order: string[] = [];
    const work = [
      store.run(`INSERT INTO seen VALUES (1, 'normal')`).then(() => order.push('normal-1')),
      store.run(`INSERT INTO seen VALUES (2, 'normal')`).then(() => order.push('normal-2')),
      store.run(`INSERT INTO seen VALUES (3, 'normal')`).then(() => order.push('normal-3')),
      urgent.run(`INSERT INTO seen VALUES (4, 'urgent')`).then(() => order.push('urgent')),
    ];
    await Promise.all(work);
    // The urgent statement overtook the normal ones still waiting (at most the first
    // normal one may already have been running); the normal lane kept its order.
    expect(order.indexOf('urgent')).toBeLessThan(order.indexOf('normal-2'));
    expect(order.filter((o) => o.startsWith('normal'))).toEqual([
      'normal-1',
      'normal-2',
      'normal-3',
    ]);
    expect(await store.all('SELECT n FROM seen ORDER BY n')).toHaveLength(4);
    await urgent.close();
    await expect(store.all('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('rolls a failed transaction back', async () => {
    const store = await openStore(tempDb());
    await expect(
      store.transaction(async (tx) => {
        await tx.run(`INSERT INTO sources (id, name) VALUES ('a', 'A')`);
        await tx.run(`INSERT INTO sources (id, name) VALUES ('a', 'again')`);
      }),
    ).rejects.toThrow();
    expect(await store.all('SELECT * FROM sources')).toEqual([]);
    await store.close();
  });

  it('says how many rows a statement changed, alone, prepared and in a transaction', async () => {
    const store = await openStore(tempDb());
    expect(await store.run(`INSERT INTO sources (id, name) VALUES ('a', 'A'), ('b', 'B')`)).toBe(2);
    const bump = 'UPDATE sources SET ingests_ok = ingests_ok + 1 WHERE id = $1';
    // The third time a text is seen it runs prepared (statement-cache.ts).
    for (let i = 0; i < 3; i++) expect(await store.run(bump, ['a'])).toBe(1);
    expect(await store.run(bump, ['none'])).toBe(0);
    expect(
      await store.transaction(async (tx) => [
        await tx.run('UPDATE sources SET ingests_failed = 1'),
        await tx.run(bump, ['b']),
      ]),
    ).toEqual([2, 1]);
    await store.close();
  });

  it('hands many rows over as JSON (allJson) exactly as row by row, and NaN the slow way', async () => {
    const store = await openStore(tempDb());
    // Text that JSON must escape, doubles that only a shortest round-trip keeps, NULLs.
    const rows = `SELECT * FROM (VALUES
        ('plain', 0.1::DOUBLE, 1::DOUBLE),
        ('quote " back \\ tab 	 nl 
 ctl  é 日本', -10998709390.13::DOUBLE, 1.7976931348623157e308::DOUBLE),
        (NULL, 5e-324::DOUBLE, NULL),
        ('third', 1::DOUBLE / 3, epoch_ms(TIMESTAMPTZ '2024-01-07 10:52:00.123-05')::DOUBLE)
      ) t(s, x, y)`;
    const byText = (a: { s: unknown }, b: { s: unknown }) => String(a.s).localeCompare(String(b.s));
    const slow = (await store.all<{ s: unknown }>(rows)).sort(byText);
    expect(slow).toHaveLength(4);
    expect((await store.allJson<{ s: unknown }>(rows)).sort(byText)).toEqual(slow);
    expect(await store.allJson(`${rows} WHERE false`)).toEqual([]);
    // DuckDB writes NaN and infinities into its JSON as such, which is not JSON.
    const odd = `SELECT * FROM (VALUES ('n', 'nan'::DOUBLE), ('i', '-inf'::DOUBLE)) t(s, x)`;
    const got = (await store.allJson<{ s: string; x: number }>(odd)).sort(byText);
    expect(got).toEqual([
      { s: 'i', x: -Infinity },
      { s: 'n', x: NaN },
    ]);
    await store.close();
  });

  it('appends and lists audit entries with their facts', async () => {
    const store = await openStore(tempDb());
    const a = await appendAudit(store, {
      kind: 'decision',
      request_id: 'r1',
      job_id: 'j1',
      rule_version: 1,
      rule: 'G3',
      priority: 'HIGH',
      facts: { total_volume: 80000 },
      explanation: 'G3: high and real-time',
      actor: null,
    });
    expect(a.id).toBeGreaterThan(0);
    const rows = await listAudit(store, { request_id: 'r1', limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rule: 'G3', priority: 'HIGH', facts: { total_volume: 80000 } });
    expect(rows[0]!.at).toMatch(/\.\d{3}Z$/);
    await store.close();
  });
});

describe('why a database cannot be opened', () => {
  it('leads with a full disk, which DuckDB says deep in its own words', () => {
    // What DuckDB 1.x said creating a database on a full 1 MB tmpfs here.
    const duckdb =
      'FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be restarted prior to being used again.\nOriginal error: "Failed to create checkpoint because of error: Could not write file "/mnt/full/db.duckdb": No space left on device"';
    const r = openFailure('/mnt/full/db.duckdb', duckdb);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('IO');
    expect(r.error.message).toMatch(
      /^Cannot open the database \/mnt\/full\/db\.duckdb: the disk holding it is full; free some space/,
    );
    const other = openFailure('/x/db.duckdb', 'IO Error: Permission denied');
    expect(!other.ok && other.error.message).toBe(
      'Cannot open the database /x/db.duckdb: IO Error: Permission denied',
    );
  });
});
