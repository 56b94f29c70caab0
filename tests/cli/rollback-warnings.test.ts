// `rules rollback VERSION` said only "rule set version N is active", where `rules activate
// FILE` of the same text says its warnings on stderr (a rule that never applies, a part the
// analysis stopped short on): a rollback to a set with warnings now says them the same way,
// named by the version rolled back to; stdout and --json as before.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const DEFAULT = readFileSync(join(repoRoot, 'rules', 'default.rules.json'), 'utf8');

/** The default rules and an adjustment of G3 that never applies (a warning, not an error). */
const warned = (): string => {
  const rules = JSON.parse(DEFAULT);
  rules.rules.push({ id: 'G9', adjusts: 'G3', when: { gex_change: { '<': 0 } }, demote: 1 });
  return JSON.stringify(rules, null, 2);
};

describe('rules rollback of a set with warnings', () => {
  it('says the restored version’s warnings on stderr, as activate says them', async () => {
    const home = cliHome();
    const file = join(home.dir, 'warned.json');
    const text = warned();
    writeFileSync(file, text);
    const plain = join(home.dir, 'default.json');
    writeFileSync(plain, DEFAULT);
    const as = ['--author', 'qa', ...home.args];

    const activated = await runCli(['rules', 'activate', file, ...as]);
    expect(activated.code, activated.stderr).toBe(0);
    const line = text.split('\n').findIndex((l) => l.includes('"id": "G9"'));
    const at = `${line}:5`; // the G9 object's `{`, a line above its id
    expect(activated.stderr).toBe(
      `${file}:${at}: warning NEVER_APPLIES: G9: rule G9 never applies\n${file}: valid\n`,
    );
    const version = Number(/version (\d+) is active/.exec(activated.stdout)![1]);
    const other = await runCli(['rules', 'activate', plain, ...as]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toBe('');

    const said = `version ${version}:${at}: warning NEVER_APPLIES: G9: rule G9 never applies\nversion ${version}: valid\n`;
    const rolled = await runCli(['rules', 'rollback', String(version), ...as]);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toMatch(/^rule set version \d+ is active \(.*\)\n$/);
    expect(rolled.stderr).toBe(said);

    // With --json: the version's line on stdout as before, the words on stderr; and a
    // rollback to the text already active (nothing changed) says them too, as activate does.
    const again = await runCli(['rules', 'rollback', String(version), '--json', ...as]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.lines).toEqual([expect.objectContaining({ active: true })]);
    expect(again.stderr).toBe(said);

    // A version checked whole says nothing more than before.
    const back = await runCli(['rules', 'rollback', String(version + 1), '--json', ...as]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.lines).toEqual([expect.objectContaining({ active: true })]);
    expect(back.stderr).toBe('');
  }, 60_000);
});
