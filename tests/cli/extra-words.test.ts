// A word a command does not take is a usage error (exit 2) that names it, with the fix
// where the intent is plain. Before, several commands ignored it and exited 0:
// `rules eval draft.json` evaluated under the ACTIVE rules (even with draft.json not JSON),
// `jobs cancle ID` listed every job, `queue drain` showed the table.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from './run-cli.ts';

describe('a word a command does not take', () => {
  it('is refused, exit 2, by every command and subcommand, before the database is opened', async () => {
    const { dir, db, args } = cliHome();
    const rules = join(dir, 'r.json');
    writeFileSync(rules, '{}');
    // Each command with what it needs besides, then one word too many.
    const commands: string[][] = [
      ['jobs'],
      ['queue'],
      ['queue', '--drain'],
      ['snapshots'],
      ['snapshots', 'remove', 'abcd', '--justification', 'x'],
      ['snapshots', 'remove', '--before', '2024-01-01', '--justification', 'x'],
      ['snapshot', 'abcd'],
      ['history', 'SPX'],
      ['diff', 'abcd', 'efgh'],
      ['levels'],
      ['export', 'abcd', '--format', 'csv', '--out', join(dir, 'x.csv')],
      ['rules', 'eval'],
      ['rules', 'check', rules],
      ['rules', 'show'],
      ['rules', 'history'],
      ['rules', 'activate', rules, '--author', 'a'],
      ['rules', 'rollback', '1', '--author', 'a'],
      ['rules', 'whatif', rules],
      ['sources'],
      ['sources', 'set', 'vendor', '--reliability', '0.5', '--justification', 'x'],
      ['sources', 'clear', 'vendor'],
      ['audit'],
      ['inbox'],
      ['inbox', 'set', join(dir, 'inbox')],
      ['serve'],
    ];
    for (const command of commands) {
      const r = await runCli([...command, 'zzextra', ...args], { input: '{"id":"a"}\n' });
      const said = `${command.join(' ')} zzextra → ${r.code}: ${r.stderr}`;
      expect(r.code, said).toBe(2);
      expect(r.stderr, said).toMatch(/^gex-desk: .*\bzzextra\b/);
      expect(r.stdout, said).toBe('');
    }
    // Refused on its words alone: no command made the database.
    expect(existsSync(db)).toBe(false);
  });

  it('says the fix when the intent is plain', async () => {
    const { dir, db, args } = cliHome();
    // Not even JSON: it was evaluated under the active rules all the same, exit 0.
    const draft = join(dir, 'draft.json');
    writeFileSync(draft, '{ "levels": ');
    const cases: [string[], string][] = [
      [
        ['rules', 'eval', draft],
        `rules eval takes no arguments, not ${draft}: the rule file goes after --rules (gex-desk rules eval --rules ${draft})`,
      ],
      [
        ['jobs', 'cancle', 'abcd'],
        'jobs takes no arguments, not cancle abcd: did you mean `jobs cancel`?',
      ],
      [
        ['jobs', 'failed'],
        'jobs takes no arguments, not failed: did you mean `jobs --status failed`?',
      ],
      [['queue', 'drain'], 'queue takes no arguments, not drain: did you mean `queue --drain`?'],
      [['snapshots', 'META'], 'did you mean `snapshots --underlying META`?'],
      [['snapshots', 'remvoe', 'abcd'], 'did you mean `snapshots remove`?'],
      [['sources', 'claer', 'vendor'], 'did you mean `sources clear`?'],
      [['audit', 'abcd'], 'did you mean `audit --request abcd`?'],
      [['rules', 'show', '3'], 'did you mean `rules show --version 3`?'],
      [
        ['rules', 'whatif', draft, '500'],
        `rules whatif takes FILE, not ${draft} 500: did you mean \`rules whatif FILE --last 500\`?`,
      ],
      [['inbox', 'sett', dir], 'did you mean `inbox set`?'],
      [['serve', '8080'], 'did you mean `serve --port 8080`?'],
      [['rules', 'evl'], 'unknown rules command "evl" (did you mean `rules eval`?)'],
      [['job'], 'unknown command "job" (did you mean `gex-desk jobs`?)'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, ...args], { input: '{"id":"a"}\n' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain(message);
      expect(r.stdout, argv.join(' ')).toBe('');
    }
    expect(existsSync(db)).toBe(false);
    // A word that is no slip of anything known gets no guess.
    const plain = await runCli(['levels', 'SPX', ...args]);
    expect(plain.stderr).toMatch(/^gex-desk: levels takes no arguments, not SPX\n/);
  });
});
