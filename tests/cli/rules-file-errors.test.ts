// A rule file that is not valid is refused by `rules eval --rules FILE` and `rules activate
// FILE` as `rules check FILE` refuses it: each problem at FILE:LINE:COLUMN. Before, eval
// said "RULES_SYNTAX: JSON syntax: a value expected, found ','" (no file, no line) and
// activate's first line gave the line and column but not the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const DEFAULT = readFileSync(join(repoRoot, 'rules', 'default.rules.json'), 'utf8');
// G2's row: `{ "when": { "freshness": { "==": "stale" } }, "level": "LOW" }`.
const G2_LOW = /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"(\s*\})/;

describe('a rule file that is not valid', () => {
  it('is refused by eval --rules and activate at its file, line and column, as check refuses it', async () => {
    const { dir, db, args } = cliHome();
    const syntax = join(dir, 'syntax.json');
    const shape = join(dir, 'shape.json');
    expect(DEFAULT).toMatch(G2_LOW);
    writeFileSync(syntax, DEFAULT.replace(G2_LOW, '$1"LOW"$2,,'));
    writeFileSync(shape, DEFAULT.replace(G2_LOW, '$1"LOWEST"$2'));
    const facts = JSON.stringify({ id: 'a', underlying: 'SPX' }) + '\n';
    for (const [file, code] of [
      [syntax, 'SYNTAX'],
      [shape, 'BAD_SHAPE'],
    ] as const) {
      const check = await runCli(['rules', 'check', file]);
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: error ${code}: `));
      expect(check.stdout).toMatch(new RegExp(`\n${file}: not valid\n$`));
      const evaluated = await runCli(['rules', 'eval', '--rules', file, ...args], {
        input: facts,
      });
      expect(evaluated.code).toBe(1);
      expect(evaluated.stdout).toBe('');
      expect(evaluated.stderr).toBe(check.stdout);
      const activated = await runCli(['rules', 'activate', file, '--author', 'ana', ...args]);
      expect(activated.code).toBe(1);
      expect(activated.stdout).toBe('');
      expect(activated.stderr).toBe(check.stdout);
    }
    // Refused without touching the database.
    expect(existsSync(db)).toBe(false);
  });
});
