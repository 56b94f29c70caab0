// `gex-desk snapshots`, `jobs` and `audit` list a desk's whole history, however long: a
// list longer than one call may return (10,000) is read a page at a time, and `--limit`
// takes any count. Before, `snapshots --json` stopped at 10,000 without a word, and
// `--limit 20000` was refused (and `audit --request` stopped at 10,000 entries). The database is a real one: two chains ingested by the
// command, then their rows copied in DuckDB (new ids, earlier times), as months of use
// would leave them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { cliHome, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Each snapshot and job row `copies` more times, ids suffixed, stored and submitted earlier; the audit trail half as often. */
async function multiply(db: string, copies: number): Promise<void> {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  await c.run(`CREATE TEMP TABLE k AS SELECT range AS k FROM range(1, ${copies + 1})`);
  await c.run(
    `INSERT INTO gex_snapshots BY NAME SELECT s.* REPLACE (s.id || '-' || k.k AS id,
       s.content_hash || k.k AS content_hash, s.created_at - to_milliseconds(k.k % 7) AS created_at,
       s.as_of - to_minutes(k.k) AS as_of) FROM gex_snapshots s, k`,
  );
  await c.run(
    `INSERT INTO jobs BY NAME SELECT j.* EXCLUDE (seq) REPLACE (j.id || '-' || k.k AS id,
       j.submitted_at - to_seconds(k.k % 97) AS submitted_at) FROM jobs j, k`,
  );
  // The audit trail: every entry again and again, under the same requests (a long trail).
  await c.run(
    `INSERT INTO audit_log BY NAME SELECT a.* EXCLUDE (id) FROM audit_log a, k WHERE k.k <= ${Math.ceil(copies / 2)}`,
  );
  await c.run('CHECKPOINT');
  c.closeSync();
  instance.closeSync();
}

async function rows(db: string, sql: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  const ids = (await (await c.run(sql)).getRowsJS()).map((r) => r[0]);
  c.closeSync();
  instance.closeSync();
  return ids;
}

describe('long lists', () => {
  it('lists every snapshot and job of a history longer than one page, in one order', async () => {
    const { dir, db, args } = cliHome();
    dirs.push(dir);
    const files = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    files.forEach((f, i) => writeCboeCsv(f, { seed: 70 + i, expiries: 2, strikesPerExpiry: 5 }));
    const ingested = await runCli(['ingest', ...files, '--json', ...args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    // Many rows share a stored time (k % 7): the pages must still meet exactly.
    await multiply(db, 5_002);

    const newestFirst = await rows(
      db,
      'SELECT id FROM gex_snapshots ORDER BY as_of DESC, created_at DESC, id DESC',
    );
    expect(newestFirst).toHaveLength(10_006);
    const all = await runCli(['snapshots', '--json', ...args]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.lines.map((l) => l.id)).toEqual(newestFirst);
    const some = await runCli(['snapshots', '--limit', '10003', '--json', ...args]);
    expect(some.lines.map((l) => l.id)).toEqual(newestFirst.slice(0, 10_003));
    // The table for people, too.
    const table = await runCli(['snapshots', ...args]);
    expect(table.stdout.trim().split('\n')).toHaveLength(1 + 10_006);

    const jobs = await runCli(['jobs', '--json', ...args]);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(jobs.lines.map((l) => l.id)).toEqual(
      // Newest arrival first; one command's files (one arrival) in the order they were given.
      await rows(
        db,
        `SELECT j.id FROM jobs j LEFT JOIN requests r ON r.id = j.request_id
         ORDER BY j.submitted_at DESC, coalesce(r.arrival_order, -1) DESC, j.seq DESC`,
      ),
    );
    expect(jobs.lines).toHaveLength(10_006);

    // The audit trail: the latest 500 by default, as many as asked for, one request's whole.
    const newestEntries = await rows(
      db,
      'SELECT id::INTEGER FROM audit_log ORDER BY recorded_at DESC, id DESC',
    );
    expect(newestEntries.length).toBeGreaterThan(20_000);
    const latest = await runCli(['audit', '--json', ...args]);
    expect(latest.lines.map((l) => l.id)).toEqual(newestEntries.slice(0, 500));
    const many = await runCli(['audit', '--limit', '20000', '--json', ...args]);
    expect(many.code, many.stderr).toBe(0);
    expect(many.lines.map((l) => l.id)).toEqual(newestEntries.slice(0, 20_000));
    const request = ingested.lines[0]!.request_id as string;
    const trail = await rows(
      db,
      `SELECT id::INTEGER FROM audit_log WHERE request_id = '${request}' ORDER BY recorded_at, id`,
    );
    expect(trail.length).toBeGreaterThan(10_000);
    const whole = await runCli(['audit', '--request', request, '--json', ...args]);
    expect(whole.lines.map((l) => l.id)).toEqual(trail);
  }, 120_000);
});
