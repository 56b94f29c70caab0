// A flag that takes one value, given twice, is a usage error (exit 2) naming it, wherever
// the two stand: before the command, after it, or one each side. It was taken silently,
// the last after the command winning and the first when one stood before it, so a
// wrapper's `gex-desk --db "$DEFAULT" "$@"` wrote to its own database, not its caller's.
// A flag meant to repeat (`--attach DIR`) and a switch given twice still work.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';

const refused = (flag: string, a: string, b: string) =>
  new RegExp(
    `^gex-desk: --${flag} is given twice \\("(${a}|${b})" and "(${a}|${b})"\\): give it once\\n`,
  );

describe('a flag given twice', () => {
  it('is a usage error naming it and both values, before or after the command', async () => {
    const { dir } = cliHome();
    const [a, b] = [join(dir, 'a.duckdb'), join(dir, 'b.duckdb')];
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 31, expiries: 2, strikesPerExpiry: 8 });
    for (const args of [
      ['--db', a, 'ingest', file, '--db', b],
      ['ingest', file, '--db', a, `--db=${b}`],
      ['--db', a, `--db=${b}`, 'ingest', file],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(refused('db', a, b));
      expect(r.stdout).toBe('');
    }
    // Nothing was ingested anywhere.
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);

    const level = await runCli([
      'ingest',
      file,
      '--priority',
      'CRITICAL',
      '--priority',
      'LOW',
      '--justification',
      'x',
      '--db',
      a,
    ]);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(refused('priority', 'CRITICAL', 'LOW'));
    expect(existsSync(a)).toBe(false);
  }, 60_000);

  it('is refused for a listing filter too; a repeatable flag and a switch twice are taken', async () => {
    const { dir, args } = await cliStore();
    const status = await runCli(['jobs', '--status', 'failed', '--status', 'completed', ...args]);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(refused('status', 'failed', 'completed'));

    const [d1, d2] = [join(dir, 'd1'), join(dir, 'd2')];
    mkdirSync(d1);
    mkdirSync(d2);
    const attached = await runCli([
      'levels',
      '--attach',
      d1,
      '--attach',
      d2,
      '--json',
      '--json',
      ...args,
    ]);
    expect(attached.code, attached.stderr).toBe(0);
    // Each folder attached is read (and said to hold nothing yet).
    expect(attached.stderr).toContain(d1);
    expect(attached.stderr).toContain(d2);
  }, 60_000);
});
