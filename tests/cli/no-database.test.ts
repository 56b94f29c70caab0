// A command that only reads never creates the database. A path named where none is
// (a typo: `snapshots --db ~/gex/desk.duckbd`) answered "no snapshots", exit 0, and left
// an empty database behind: the analyst believed the data gone. It is now a usage error
// (exit 2) naming the path and what named it; the per-user database, before any ingest,
// reads as an empty store; and a command that writes still makes the database.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const RULES = join(repoRoot, 'rules', 'default.rules.json');

/** Every command and subcommand that only reads the database. */
const READS: string[][] = [
  ['snapshots'],
  ['jobs'],
  ['queue'],
  ['audit'],
  ['sources'],
  ['snapshot', 'abcd'],
  ['history', 'SPX'],
  ['diff', 'abcd', 'bcde'],
  ['levels'],
  ['export', 'abcd', '--format', 'csv', '--out', '-'],
  ['rules', 'show'],
  ['rules', 'history'],
  ['rules', 'whatif', RULES],
  ['rules', 'eval'],
];

/** Nothing at the path, nor its write-ahead log, nor its folder's. */
const nothingAt = (db: string) => [existsSync(db), existsSync(`${db}.wal`)];

describe('a command that only reads, where no database is', () => {
  it('named by --db: exit 2 naming the path and the flag, and nothing is created', async () => {
    const { dir } = cliHome();
    const db = join(dir, 'gex', 'desk.duckbd');
    for (const command of READS) {
      const r = await runCli([...command, '--db', db], { input: '{}\n' });
      expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `gex-desk: no database at ${db}: nothing is stored there. Check --db (without it, gex-desk reads `,
      );
      expect(r.stderr).toContain('or run `gex-desk ingest` to start one there.');
      expect(nothingAt(db)).toEqual([false, false]);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 120_000);

  it('named by GEX_DESK_DB, or by dbPath in the config file: says which', async () => {
    const { dir } = cliHome();
    const db = join(dir, 'desk.duckbd');
    const byEnv = await runCli(['snapshots'], { env: { GEX_DESK_DB: db } });
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr).toContain(
      `no database at ${db}: nothing is stored there. Check GEX_DESK_DB`,
    );
    const home = join(dir, 'home');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ dbPath: 'desk.duckbd' }));
    const byFile = await runCli(['jobs', '--json'], { home, env: { GEX_DESK_CONFIG: config } });
    expect(byFile.code).toBe(2);
    expect(byFile.stderr).toContain(
      `no database at ${db}: nothing is stored there. Check dbPath in ${config} (without it, gex-desk reads ${join(home, 'gex-desk.duckdb')})`,
    );
    expect(readdirSync(dir).sort()).toEqual(['config.json']);
  });

  it('the per-user database, before any ingest: an empty store, and nothing is created', async () => {
    const { dir: home } = cliHome();
    const snapshots = await runCli(['snapshots', '--json'], { home });
    expect(snapshots.code, snapshots.stderr).toBe(0);
    expect(snapshots.stdout).toBe('');
    const jobs = await runCli(['jobs'], { home });
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(jobs.stdout).toMatch(/^submitted +status/);
    const missing = await runCli(['snapshot', 'abcd'], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
    // The default rules, as a new store has them.
    const facts = {
      id: 'a',
      underlying: 'SPX',
      as_of: '2024-01-08T14:59:58Z',
      now: '2024-01-08T15:00:00Z',
      total_volume: 80000,
      total_open_interest: 300000,
      gex_change: 0.25,
      source_reliability: 0.5,
    };
    const evaluated = await runCli(['rules', 'eval'], { home, input: JSON.stringify(facts) });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.lines[0]).toMatchObject({ id: 'a', priority: 'HIGH', rule: 'G4' });
    expect(nothingAt(join(home, 'gex-desk.duckdb'))).toEqual([false, false]);
  });
});

describe('a command that writes', () => {
  it('still makes the database where --db names it, which the reads then find', async () => {
    const { dir, db } = cliHome();
    const r = await runCli(['rules', 'activate', RULES, '--author', 'ana', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
    const history = await runCli(['rules', 'history', '--json', '--db', db]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.lines.map((l) => l.author)).toContain('ana');
    expect(readdirSync(dir)).toContain('gex.duckdb');
  });
});
