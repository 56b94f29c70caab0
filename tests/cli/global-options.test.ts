// `--db` and `--data-dir` are taken before the command too (`gex-desk --db X jobs`), as
// scripts write them: the same output and exit code as after it.
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { join } from 'node:path';
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
  });

  it.runIf(process.platform === 'linux')(
    'exit 3 with the path when the database folder cannot be made (under /proc), at once',
    async () => {
      const r = await runCli(['jobs', '--db', '/proc/gex-desk-nope/x.duckdb']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        "IO: Cannot open the database /proc/gex-desk-nope/x.duckdb: ENOENT: no such file or directory, mkdir '/proc/gex-desk-nope'",
      );
    },
    30_000,
  );

  it('prints the usage (exit 2) when no command follows them', async () => {
    const { db } = cliHome();
    const r = await runCli(['--db', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('before it (gex-desk --db PATH jobs)');
  });
});
