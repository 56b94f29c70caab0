// `--db` and `--data-dir` are taken before the command too (`gex-desk --db X jobs`), as
// scripts write them: the same output and exit code as after it.
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('options every command takes, before the command', () => {
  it('gives the same result as after it, in both spellings', async () => {
    const { dir, db } = cliHome();
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 11, expiries: 2, strikesPerExpiry: 8 });
    const data = join(dir, 'exports');
    const ingested = await runCli(['--db', db, '--data-dir', data, 'ingest', file, '--json']);
    expect(ingested.code).toBe(0);
    expect(ingested.lines[0]).toMatchObject({ status: 'completed' });
    expect(String((ingested.lines[0]!.snapshot as { parquet: string }).parquet)).toContain(data);

    const after = await runCli(['snapshots', '--json', '--db', db]);
    const before = await runCli([`--db=${db}`, 'snapshots', '--json']);
    expect(after.code).toBe(0);
    expect(before.code).toBe(0);
    expect(after.lines).toHaveLength(1);
    expect(before.stdout).toBe(after.stdout);

    // Before `--`, which ends the options: what follows it is only files.
    const second = join(dir, 'second.csv');
    writeCboeCsv(second, { seed: 12, expiries: 2, strikesPerExpiry: 8 });
    const dashed = await runCli(['--db', db, 'ingest', '--json', '--', second]);
    expect(dashed.stderr).toBe('');
    expect(dashed.code).toBe(0);
    expect(dashed.lines.map((l) => [l.file, l.status])).toEqual([[second, 'completed']]);
    expect((await runCli(['snapshots', '--json', '--db', db])).lines).toHaveLength(2);
    // And before a command that has subcommands.
    const set = await runCli([
      '--db',
      db,
      'sources',
      'set',
      'cli',
      '--reliability',
      '0.5',
      '--justification',
      'test',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const sources = await runCli(['sources', '--json', '--db', db]);
    expect(sources.lines).toEqual([expect.objectContaining({ completed: 2, reliability: 0.5 })]);
  });

  it('exit 3 with why when the engine cannot start, and nothing left holding the database', async () => {
    const { dir, db } = cliHome();
    const data = join(dir, 'data');
    mkdirSync(data);
    // A file where the engine keeps a folder of its own.
    writeFileSync(join(data, 'in-engine'), '');
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 13, expiries: 2, strikesPerExpiry: 8 });
    const r = await runCli(['ingest', file, '--db', db, '--data-dir', data]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `IO: The engine could not start: ENOTDIR: ${join(data, 'in-engine')} is a file, not a folder\n`,
    );
    // The database was closed: the next command opens it at once.
    const jobs = await runCli(['jobs', '--json', '--db', db, '--data-dir', data]);
    expect(jobs.code, jobs.stderr).toBe(0);
  });

  it.runIf(process.platform === 'linux')(
    'exit 3 with the path when the database folder cannot be made (under /proc), at once',
    async () => {
      // A command that writes (one that only reads says there is no database there).
      const rules = join(repoRoot, 'rules', 'default.rules.json');
      const r = await runCli([
        'rules',
        'activate',
        rules,
        '--author',
        'test',
        '--db',
        '/proc/gex-desk-nope/x.duckdb',
      ]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        "IO: Cannot open the database /proc/gex-desk-nope/x.duckdb: ENOENT: no such file or directory, mkdir '/proc/gex-desk-nope'",
      );
    },
    30_000,
  );

  it('prints the usage (exit 2) on stderr when no command follows them, as every usage error; asked for, on stdout', async () => {
    const { db } = cliHome();
    const r = await runCli(['--db', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage:');
    expect(r.stderr).toContain('before it (gex-desk --db PATH jobs)');
    const none = await runCli([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('Usage:');
    const rules = await runCli(['rules']);
    expect([rules.code, rules.stdout]).toEqual([2, '']);
    expect(rules.stderr).toContain('check FILE [--json]');
    for (const asked of [['--help'], ['help'], ['rules', '--help']]) {
      const help = await runCli(asked);
      expect([help.code, help.stderr], asked.join(' ')).toEqual([0, '']);
      expect(help.stdout.length).toBeGreaterThan(100);
    }
  });
});
