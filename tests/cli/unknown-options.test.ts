// A flag a command does not take is a usage error (exit 2) naming it and the command, with
// the flag it is close to, or else the flags the command takes. Node's own message told
// the analyst to put it after `--` as a positional argument: `ingest x.csv -- --jsn` then
// submitted a file named `--jsn` (a stored FILE_NOT_FOUND job).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from './run-cli.ts';

describe('a flag a command does not take', () => {
  it('is named with the command and the flag meant, for every command, before the database', async () => {
    const { db, args } = cliHome();
    const cases: [string[], string][] = [
      [
        ['jobs', '--staus', 'failed'],
        'unknown option --staus for `gex-desk jobs` (did you mean --status?)',
      ],
      [
        ['ingest', 'x.csv', '--jsn'],
        'unknown option --jsn for `gex-desk ingest` (did you mean --json?)',
      ],
      [
        ['ingest', 'x.csv', '--priorty', 'HIGH'],
        'unknown option --priorty for `gex-desk ingest` (did you mean --priority?)',
      ],
      [
        ['snapshots', '--underlyng', 'SPX'],
        'unknown option --underlyng for `gex-desk snapshots` (did you mean --underlying?)',
      ],
      [
        ['jobs', 'retry', 'abcd', '--autor', 'me'],
        'unknown option --autor for `gex-desk jobs retry` (did you mean --author?)',
      ],
      [
        ['jobs', '--staus=failed'],
        'unknown option --staus for `gex-desk jobs` (did you mean --status?)',
      ],
      [['rules', 'check', 'r.json', '--jsn'], 'for `gex-desk rules check` (did you mean --json?)'],
      [['sources', 'set', 'v', '--reliabilty', '0.5'], '(did you mean --reliability?)'],
      // Nothing near: the command's flags.
      [
        ['snapshot', 'abcd', '--format', 'csv'],
        'unknown option --format for `gex-desk snapshot`: it takes --json, --attach …, --db …, --data-dir …, -h, --help',
      ],
      [['jobs', '-x'], 'unknown option -x for `gex-desk jobs`: it takes --json, --status …'],
      [['jobs', '-hx'], 'unknown option -x for `gex-desk jobs`'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, ...args]);
      const said = `${argv.join(' ')} → ${r.code}: ${r.stderr}`;
      expect(r.code, said).toBe(2);
      expect(r.stderr, said).toMatch(/^gex-desk: unknown option /);
      expect(r.stderr, said).toContain(message);
      // Node's advice, which made a flag a file, is gone; so is `--` where no file is taken.
      expect(r.stderr, said).not.toContain('positional');
      if (argv[0] !== 'ingest' && argv[1] !== 'check') expect(r.stderr, said).not.toContain(' -- ');
      expect(r.stdout, said).toBe('');
    }
    expect(existsSync(db)).toBe(false);
  });

  it('says `--` only where the command takes files, as a file so named', async () => {
    const { args } = cliHome();
    const r = await runCli(['ingest', 'x.csv', '--zzz', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown option --zzz for `gex-desk ingest`: it takes --manifest …, --source …',
    );
    expect(r.stderr).toContain(
      '; a file literally named --zzz goes after -- (gex-desk ingest -- --zzz)',
    );
  });
});
