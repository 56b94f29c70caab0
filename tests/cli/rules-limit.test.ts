// Rule sets past what the analysis once tried in one product of every component's cases
// (1e6): a table of 50 rows each on one underlying and its own volume threshold, and no
// catch-all row left, was "valid" with a warning that conflicts and gaps were not checked,
// and a request it gave no level then failed RULES_INVALID. Each table is now tried over
// the components it reads, and gaps are searched for apart: the gap is an error at its
// place, a shadowed row UNREACHABLE_ROW. And two messages that contradicted themselves:
// an as_of 60.000000001 s ahead was "60 s after now (…08:53:00.000Z)", and 1e400 read
// as "a value, or an object of comparisons".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const DEFAULT = JSON.parse(readFileSync(join(repoRoot, 'rules', 'default.rules.json'), 'utf8'));

/** The default rules with a WATCH table of `n` rows (S000…), G3.LOW removed unless `catchAll`. */
const watchRules = (n: number, catchAll: boolean, duplicate = false): string => {
  const file = structuredClone(DEFAULT);
  const g3 = file.rules.find((t: { id: string }) => t.id === 'G3');
  if (!catchAll) g3.rows = g3.rows.filter((r: { id?: string }) => r.id !== 'G3.LOW');
  const rows = Array.from({ length: n }, (_, i) => ({
    when: {
      underlying: `S${String(i).padStart(3, '0')}`,
      freshness: 'fresh',
      total_volume: { '>=': 1000 + i },
    },
    level: 'HIGH',
  }));
  if (duplicate) rows.push(structuredClone(rows[0]!));
  file.rules.splice(2, 0, { id: 'WATCH', rows });
  return JSON.stringify(file, null, 2);
};

/** 1-based line and column of the first `needle` in `text`. */
const where = (text: string, needle: string, from = 0): string => {
  const at = text.indexOf(needle, from);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
};

describe('rules check past the old analysis limit', () => {
  it('refuses a gap in a set of 50 watch rows, at the rules, and says what to add', async () => {
    const { dir } = cliHome();
    const file = join(dir, 'watch.json');
    const text = watchRules(50, false);
    writeFileSync(file, text);
    const r = await runCli(['rules', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${file}:${where(text, '[', text.indexOf('"rules": ['))}: error UNCOVERED: rules: no rule gives a level when`,
    );
    expect(r.stdout).toContain('add a row without "when" to a table');
    expect(r.stdout).not.toContain('ANALYSIS_LIMIT');
    expect(r.stdout).toMatch(/: not valid\n$/);
  });

  it('finds a shadowed duplicate row among 300, and accepts the set once it is removed', async () => {
    const { dir } = cliHome();
    const file = join(dir, 'dup.json');
    const text = watchRules(300, true, true);
    writeFileSync(file, text);
    const r = await runCli(['rules', 'check', file]);
    expect(r.code).toBe(1);
    const last = text.indexOf('"underlying": "S000"', text.indexOf('"underlying": "S299"'));
    const row = text.lastIndexOf('{', text.lastIndexOf('"when"', last));
    expect(r.stdout).toContain(
      `${file}:${where(text, '{', row)}: error UNREACHABLE_ROW: WATCH row 301: this row is never reached`,
    );
    writeFileSync(file, watchRules(300, true));
    const ok = await runCli(['rules', 'check', file]);
    expect(ok.stdout).toBe(`${file}: valid\n`);
    expect(ok.code).toBe(0);
  });

  it('proves a watch list of 50 underlyings inside G3, each split at its own volume, valid', async () => {
    // G3's rows replaced by two rows per underlying (above / at most its threshold) and a row
    // for every other underlying: every request gets a level. The search once split on facts
    // G3 never reads first, ran past its limit and refused it (UNPROVEN_LEVEL, exit 1).
    const { dir } = cliHome();
    const file = join(dir, 'g3-watch.json');
    const rules = structuredClone(DEFAULT);
    const syms = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    rules.rules.find((t: { id: string }) => t.id === 'G3').rows = [
      ...syms.flatMap((s, i) => [
        { when: { underlying: s, total_volume: { '>': 1000 + i * 137 } }, level: 'HIGH' },
        { when: { underlying: s, total_volume: { '<=': 1000 + i * 137 } }, level: 'MEDIUM' },
      ]),
      { when: { not: { underlying: { in: syms } } }, level: 'LOW' },
    ];
    writeFileSync(file, JSON.stringify(rules, null, 2));
    const r = await runCli(['rules', 'check', file]);
    expect(r.stdout).toBe(`${file}: valid\n`);
    expect(r.code).toBe(0);
  });

  // QA rl F5: past a component's limit the warning sat on derived.impact, which nobody had
  // touched, said nothing of what to do, and the command said "valid" as of a set checked whole.
  it('says a set the analysis stopped short on is valid but partly checked, naming the rows', async () => {
    const { dir } = cliHome();
    const file = join(dir, 'limit.json');
    const rules = structuredClone(DEFAULT);
    const g3 = rules.rules.find((t: { id: string }) => t.id === 'G3');
    g3.rows = [
      ...Array.from({ length: 400 }, (_, i) => ({
        id: `G3.V${i}`,
        when: {
          freshness: 'fresh',
          total_volume: { '>=': 100000 + i * 100 },
          total_open_interest: { '>=': 5000 + i * 37 },
        },
        level: 'HIGH',
      })),
      ...g3.rows,
    ];
    const text = JSON.stringify(rules, null, 2);
    writeFileSync(file, text);
    const r = await runCli(['rules', 'check', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    // At G3, which brings the thresholds, not at derived.impact.
    const at = `${file}:${where(text, '{', text.lastIndexOf('{', text.indexOf('"id": "G3"')))}`;
    const head = `${at}: warning ANALYSIS_LIMIT: G3: too many combinations of `;
    expect(lines[0]!.slice(0, head.length)).toBe(head);
    expect(lines[0]).toContain(
      'total_volume is tried at 1207 values, from 402 thresholds (G3 rows 1–400 bring 400, derived.impact rows 1–2 bring 2)',
    );
    expect(lines[0]).toContain(
      'to have it checked, give total_volume and total_open_interest fewer distinct thresholds',
    );
    expect(lines[1]).toBe(`${file}: valid — partly checked (1 limit)`);

    // QA land F7: `rules activate` of it said only "rule set version 2 is active": it says
    // the warnings and the verdict on stderr too, as `rules check` and the app's Activate
    // dialog do; activated all the same, exit 0, stdout as before.
    const home = cliHome();
    const activated = await runCli(['rules', 'activate', file, '--author', 'qa', ...home.args]);
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toBe('rule set version 2 is active (no comment)\n');
    const said = activated.stderr.trim().split('\n');
    expect(said).toEqual([lines[0], `${file}: valid — partly checked (1 limit)`]);
    // With --json (the same text again: nothing changed), the JSON on stdout, the words on stderr.
    const again = await runCli([
      'rules',
      'activate',
      file,
      '--author',
      'qa',
      '--json',
      ...home.args,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.lines).toEqual([expect.objectContaining({ version: 2, active: true })]);
    expect(again.stderr.trim().split('\n')).toEqual(said);
    // A set checked whole says nothing more than before.
    const whole = join(dir, 'default.json');
    writeFileSync(whole, JSON.stringify(DEFAULT, null, 2));
    const plain = await runCli(['rules', 'activate', whole, '--author', 'qa', ...home.args]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe('rule set version 3 is active (no comment)\n');
    expect(plain.stderr).toBe('');
  });

  it('says a number too large to hold is out of range, at the number', async () => {
    const { dir } = cliHome();
    const file = join(dir, 'big.json');
    const text = readFileSync(join(repoRoot, 'rules', 'default.rules.json'), 'utf8').replace(
      '"<": 300 }',
      '"<": 1e400 }',
    );
    writeFileSync(file, text);
    const r = await runCli(['rules', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${file}:${where(text, '1e400')}: error SYNTAX: JSON syntax: the number 1e400 is out of range`,
    );
    expect(r.stdout).not.toContain('an object of comparisons');
  });
});

describe('rules eval at the future limit', () => {
  it('gives as_of as written and the offset to the nanosecond', async () => {
    const r = await runCli(['rules', 'eval'], {
      input:
        JSON.stringify({
          id: 'a',
          underlying: 'SPX',
          as_of: '2026-12-06T08:53:00.000000001Z',
          now: '2026-12-06T08:52:00Z',
          total_volume: 1,
          total_open_interest: 1,
          gex_change: 0,
        }) + '\n',
    });
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe('INVALID_FACT');
    expect(out.error.message).toBe(
      'as_of (2026-12-06T08:53:00.000000001Z) is 60.000000001 s after now (2026-12-06T08:52:00Z); more than 60 s in the future is invalid: a wrong clock, or a time written without its zone?',
    );
  });
});
