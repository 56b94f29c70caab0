// Small slips of the command line said as the others are (QA ct2, notes): a global flag
// before the command with no value, `history` bounds the wrong way round (a usage error
// in the engine's words, without `gex-desk:` and the help line), and `rules check --json`
// of a valid file, which printed nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const HELP_LINE = 'Run "gex-desk --help" for usage.\n';

describe('a global flag before the command without its value', () => {
  it('is said as after the command, not answered with the whole usage', async () => {
    for (const [args, flag] of [
      [['--data-dir'], '--data-dir'],
      [['--db', 'x.duckdb', '--data-dir'], '--data-dir'],
      [['--db', '--data-dir', 'd', 'jobs'], '--db'],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`gex-desk: Option '${flag} <value>' argument missing\n${HELP_LINE}`);
      expect(r.stdout).toBe('');
    }
    // After the command, Node's own words: the same.
    const after = await runCli(['jobs', '--data-dir']);
    expect(after.stderr).toBe(
      `gex-desk: Option '--data-dir <value>' argument missing\n${HELP_LINE}`,
    );
  });
});

describe('history with --from after --to', () => {
  it('is a usage error as every other: gex-desk:, in the flags’ words, the help line', async () => {
    const { dir, args } = cliHome();
    const home = join(dir, 'home');
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 41, expiries: 2, strikesPerExpiry: 8 });
    expect((await runCli(['ingest', file, ...args], { home })).code).toBe(0);
    for (const json of [[], ['--json']]) {
      const r = await runCli(
        ['history', 'SPX', '--from', '2024-01-07', '--to', '2024-01-06', ...json, ...args],
        { home },
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`gex-desk: --from 2024-01-07 is after --to 2024-01-06\n${HELP_LINE}`);
    }
  });
});

describe('rules check --json', () => {
  it('ends a valid file with one line saying so', async () => {
    const file = join(repoRoot, 'rules', 'default.rules.json');
    const r = await runCli(['rules', 'check', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([{ file, valid: true, warnings: 0, verdict: 'valid' }]);
  });

  it('keeps a file that is not valid as its problems, without that line', async () => {
    const { dir } = cliHome();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "levels": {\n    "CRITICAL": { "target": "30 s" ,, }\n}\n');
    const r = await runCli(['rules', 'check', broken, '--json']);
    expect(r.code).toBe(1);
    expect(r.lines.length).toBeGreaterThan(0);
    expect(r.lines.every((l) => l.file === broken && l.severity !== undefined)).toBe(true);
    expect(r.lines.some((l) => 'valid' in l)).toBe(false);
  });
});
