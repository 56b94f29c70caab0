// `gex-desk rules …` as CONTRACTS.md describes it, run as the real command: check with
// line and column, eval on JSON Lines, and the stored versions (activate, history,
// show, rollback) that decide later ingests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';

const DEFAULT = join(repoRoot, 'rules', 'default.rules.json');

/** Facts the default rules decide CRITICAL by G3: fresh SPX data, a 25 % GEX change. */
const SPX_FACTS = {
  underlying: 'SPX',
  as_of: '2024-01-08T14:59:58Z',
  now: '2024-01-08T15:00:00Z',
  total_volume: 80000,
  total_open_interest: 300000,
  gex_change: 0.25,
};

describe('gex-desk rules', () => {
  it('check accepts the default file and refuses a syntax error with its line and column', async () => {
    const { dir } = cliHome();
    const ok = await runCli(['rules', 'check', DEFAULT]);
    expect(ok.code).toBe(0);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "levels": {\n    "CRITICAL": { "target": "30 s" ,, }\n}\n');
    const r = await runCli(['rules', 'check', broken, '--json']);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toMatchObject({ file: broken, severity: 'error', line: 3 });
    expect(r.lines[0]!.column).toBeGreaterThan(1);
    // A file that is not there, or a folder: said in words, a usage error.
    const missing = await runCli(['rules', 'check', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `gex-desk: cannot read the rule file: ${join(dir, 'missing.json')} does not exist\n`,
    );
    const folder = await runCli(['rules', 'whatif', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`cannot read the rule file: ${dir} is a folder, not a file`);
  });

  it('eval answers each line: a decision, an error naming the fact, or the line that is not JSON', async () => {
    const now = '2024-01-08T15:00:00Z';
    const input = [
      JSON.stringify({
        id: 'a',
        underlying: 'SPX',
        as_of: '2024-01-08T14:59:58Z',
        now,
        total_volume: 80000,
        total_open_interest: 300000,
        gex_change: 0.25,
      }),
      JSON.stringify({
        id: 'b',
        underlying: 'SPX',
        as_of: '2024-01-08T14:59:58Z',
        now,
        total_volume: -1,
        total_open_interest: 1,
        gex_change: null,
      }),
      'not json',
    ].join('\n');
    const r = await runCli(['rules', 'eval', '--rules', DEFAULT], { input });
    expect(r.lines).toHaveLength(3);
    expect(r.lines[0]).toMatchObject({ id: 'a', priority: 'CRITICAL', rule: 'G3' });
    expect(r.lines[1]).toMatchObject({ id: 'b', error: { fact: 'total_volume' } });
    expect(r.lines[2]).toMatchObject({ line: 3 });
  });

  // QA ct F3/F4: blank lines were skipped and facts without an id answered {"id":null}, so
  // an answer could be matched neither by place nor by field; "high" was refused here
  // though ingest reads it as HIGH. Blank lines are now answered too, each in its place.
  it('eval gives every answer its input line (blank lines answered) and reads a level in any case', async () => {
    const facts = SPX_FACTS;
    const input = [
      JSON.stringify({ ...facts, requested_priority: 'high', justification: 'FOMC' }),
      '',
      '   ',
      JSON.stringify({ ...facts, total_volume: -1 }),
      '{',
      JSON.stringify({ ...facts, id: 'x' }),
    ].join('\n');
    const r = await runCli(['rules', 'eval', '--rules', DEFAULT], { input: input + '\n' });
    expect(r.lines).toEqual([
      {
        id: null,
        line: 1,
        priority: 'HIGH',
        rule: 'G1',
        explanation: 'G1: requested priority HIGH (justification "FOMC") → HIGH',
      },
      {
        line: 2,
        error: { code: 'INVALID_REQUEST', message: 'line 2 is blank: no JSON object of facts' },
      },
      {
        line: 3,
        error: {
          code: 'INVALID_REQUEST',
          message: 'line 3 is blank: only white space, no JSON object of facts',
        },
      },
      { id: null, line: 4, error: expect.objectContaining({ fact: 'total_volume' }) },
      { line: 5, error: expect.objectContaining({ code: 'INVALID_REQUEST' }) },
      expect.objectContaining({ id: 'x', line: 6, priority: 'CRITICAL', rule: 'G3' }),
    ]);
    expect(r.code).toBe(1); // some input was rejected
  });

  // A blank line was skipped without an answer: a program pairing answers with its input
  // lines by position was one off after it. Every line is answered now, the empty "line"
  // after a final newline alone excepted; only LF ends a line (JSON Lines), CRLF as one.
  it('eval answers every input line in its place: blank, white space, CRLF, no final newline, a last empty line', async () => {
    const facts = (id: string) => JSON.stringify({ id, ...SPX_FACTS });
    const evalText = async (input: string) => {
      const r = await runCli(['rules', 'eval', '--rules', DEFAULT], { input });
      expect(r.stdout.split('\n').at(-1)).toBe(''); // every answer a whole line
      const answers = r.lines.map((a) => [
        a.line,
        a.id ?? (a.error as { message: string }).message,
      ]);
      return { code: r.code, answers, count: r.stdout.split('\n').length - 1 };
    };
    const blank = (n: number) => [n, `line ${n} is blank: no JSON object of facts`];

    const middle = await evalText(`${facts('a')}\n\n${facts('b')}\n`);
    expect(middle.answers).toEqual([[1, 'a'], blank(2), [3, 'b']]);
    expect(middle.code).toBe(1); // a line refused, as for any line that is not JSON

    const spaces = await evalText(`${facts('a')}\n \t \n${facts('b')}\n`);
    expect(spaces.answers).toEqual([
      [1, 'a'],
      [2, 'line 2 is blank: only white space, no JSON object of facts'],
      [3, 'b'],
    ]);

    const crlf = await evalText(`${facts('a')}\r\n\r\n${facts('b')}\r\n`);
    expect(crlf.answers).toEqual([[1, 'a'], blank(2), [3, 'b']]);

    const noFinalNewline = await evalText(`${facts('a')}\n${facts('b')}`);
    expect(noFinalNewline.answers).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(noFinalNewline.code).toBe(0);
    const crlfNoFinal = await evalText(`${facts('a')}\r\n${facts('b')}`);
    expect(crlfNoFinal.answers).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);

    const lastEmpty = await evalText(`${facts('a')}\n${facts('b')}\n\n`);
    expect(lastEmpty.answers).toEqual([[1, 'a'], [2, 'b'], blank(3)]);
    expect(lastEmpty.code).toBe(1);

    // A lone CR ends no line: inside a line it is JSON's white space (node:readline, read
    // before, made two lines of it, both answered "not JSON").
    const loneCr = await evalText(`${facts('a').replace(',"underlying"', ',\r"underlying"')}\n`);
    expect(loneCr.answers).toEqual([[1, 'a']]);
    expect(loneCr.count).toBe(1);
    expect(loneCr.code).toBe(0);

    const empty = await evalText('');
    expect(empty.answers).toEqual([]);
    expect(empty.code).toBe(0);
  });

  it('eval exits 0 when no line was refused, whatever the ids hold', async () => {
    const input = JSON.stringify({ id: '"error', ...SPX_FACTS });
    const r = await runCli(['rules', 'eval', '--rules', DEFAULT], { input });
    expect(r.lines).toEqual([expect.objectContaining({ id: '"error', priority: 'CRITICAL' })]);
    expect(r.code).toBe(0);
  });

  it('explains G4 with the reliability as it reads everywhere ("0.3333… < 0.8"), the facts\' value exact', async () => {
    const { args } = await cliStore();
    const facts = (id: string, source_reliability: number) =>
      JSON.stringify({ id, ...SPX_FACTS, source_reliability });
    const input = [facts('third', 1 / 3), facts('typed', 0.7999), facts('half', 0.5)].join('\n');
    // The active rules, from the database of this home.
    const r = await runCli(['rules', 'eval', ...args], { input });
    expect(r.code, r.stderr).toBe(0);
    const explanations = r.lines.map((l) => (l as { explanation: string }).explanation);
    expect(explanations[0]).toContain('G4: source reliability 0.3333… < 0.8 demotes');
    expect(explanations[1]).toContain('G4: source reliability 0.7999 < 0.8 demotes');
    expect(explanations[2]).toContain('G4: source reliability 0.50 < 0.8 demotes');
    expect(explanations.join(' ')).not.toMatch(/\d\.\d{5}/);
  });

  it('activate stores a new version, history lists it, rollback activates the old text again', async () => {
    const { dir, args } = cliHome();
    const home = dir;
    const edited = join(dir, 'stale-medium.json');
    writeFileSync(
      edited,
      readFileSync(DEFAULT, 'utf8').replace(
        /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
        '$1"MEDIUM"',
      ),
    );
    const refused = await runCli(['rules', 'activate', edited, ...args], { home });
    expect(refused.code).toBe(2); // --author is required
    const activated = await runCli(
      [
        'rules',
        'activate',
        edited,
        '--author',
        'ana',
        '--comment',
        'stale is MEDIUM',
        '--json',
        ...args,
      ],
      { home },
    );
    expect(activated.code).toBe(0);
    expect(activated.lines[0]).toMatchObject({ version: 2, author: 'ana', active: true });
    const shown = await runCli(['rules', 'show', ...args], { home });
    expect(shown.stdout).toContain('"MEDIUM"');
    // The analyst's reason follows the standard comment, as the Rules view records it.
    const rolled = await runCli(
      [
        'rules',
        'rollback',
        '1',
        '--author',
        'ana',
        '--comment',
        'MEDIUM too loud',
        '--json',
        ...args,
      ],
      { home },
    );
    expect(rolled.lines[0]).toMatchObject({
      version: 3,
      active: true,
      comment: 'rollback to version 1: MEDIUM too loud',
    });
    // Given where nothing records it, --comment is refused rather than dropped.
    const noted = await runCli(['rules', 'history', '--comment', 'x', ...args], { home });
    expect(noted.code).toBe(2);
    expect(noted.stderr).toContain('--comment is for rules activate and rollback');
    const history = await runCli(['rules', 'history', '--json', ...args], { home });
    expect(history.lines.map((v) => [v.version, v.active])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    // The active text activated again (a deploy script's daily run) makes no new version.
    const current = join(dir, 'current.json');
    writeFileSync(current, (await runCli(['rules', 'show', ...args], { home })).stdout);
    const same = await runCli(['rules', 'activate', current, '--author', 'ci', ...args], { home });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(
      `rule set version 3 is already active with the text of ${current}: nothing changed\n`,
    );
    const sameJson = await runCli(
      ['rules', 'activate', current, '--author', 'ci', '--json', ...args],
      { home },
    );
    expect(sameJson.lines[0]).toMatchObject({ version: 3, active: true });
    const after = await runCli(['rules', 'history', '--json', ...args], { home });
    expect(after.lines).toHaveLength(3);
    // So does a rollback to a version whose text is the active one (version 1's is 3's).
    const again = await runCli(['rules', 'rollback', '1', '--author', 'ci', ...args], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      'rule set version 3 is already active with the text of version 1: nothing changed\n',
    );
    const againJson = await runCli(
      ['rules', 'rollback', '1', '--author', 'ci', '--json', ...args],
      { home },
    );
    expect(againJson.lines[0]).toMatchObject({ version: 3, active: true });
    expect((await runCli(['rules', 'history', '--json', ...args], { home })).lines).toHaveLength(3);
    // A version that is not there is still refused.
    const missing = await runCli(['rules', 'rollback', '9', '--author', 'ci', ...args], { home });
    expect(missing.code).not.toBe(0);
  });

  it('activate --base N refuses (exit 1) when another version was activated since N; without it, FILE replaces any', async () => {
    const { dir, args } = cliHome();
    const home = dir;
    const text = readFileSync(DEFAULT, 'utf8');
    const bob = join(dir, 'bob.json');
    writeFileSync(bob, text.replace('"age_s": { "<": 300 }', '"age_s": { "<": 240 }'));
    const ana = join(dir, 'ana.json');
    writeFileSync(ana, text.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }'));
    const bobs = await runCli(
      [
        'rules',
        'activate',
        bob,
        '--author',
        'cli-bob',
        '--comment',
        'demote 2',
        '--base',
        '1',
        ...args,
      ],
      { home },
    );
    expect(bobs.code, bobs.stderr).toBe(0);
    expect(bobs.stdout).toBe('rule set version 2 is active (demote 2)\n');
    const stale = await runCli(
      ['rules', 'activate', ana, '--author', 'ana', '--comment', 'seven', '--base', '1', ...args],
      { home },
    );
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain(
      'Version 2 (by cli-bob: "demote 2") has been activated since version 1',
    );
    const history = await runCli(['rules', 'history', '--json', ...args], { home });
    expect(history.lines.map((v) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    const bad = await runCli(
      ['rules', 'activate', ana, '--author', 'ana', '--base', 'x', ...args],
      {
        home,
      },
    );
    expect(bad.code).toBe(2);
    // As before: no --base, the whole file is the analyst's choice.
    const plain = await runCli(['rules', 'activate', ana, '--author', 'ana', ...args], { home });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe('rule set version 3 is active (no comment)\n');
  });

  it('--base N names a version that does not exist: NOT_FOUND (exit 1), not a version activated since; rollback takes --base too', async () => {
    const { dir, args } = cliHome();
    const home = dir;
    const text = readFileSync(DEFAULT, 'utf8');
    const ana = join(dir, 'ana.json');
    writeFileSync(ana, text.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }'));
    const missing = await runCli(
      ['rules', 'activate', ana, '--author', 'ana', '--base', '99', ...args],
      { home },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no rule set version 99');
    expect(missing.stderr).not.toContain('has been activated since');
    // The active text with a base that does not exist is refused too, not 'nothing changed'.
    const current = join(dir, 'current.json');
    writeFileSync(current, text);
    const same = await runCli(
      ['rules', 'activate', current, '--author', 'ana', '--base', '99', ...args],
      { home },
    );
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('There is no rule set version 99');
    const ok2 = await runCli(
      ['rules', 'activate', ana, '--author', 'ana', '--comment', 'seven', '--base', '1', ...args],
      { home },
    );
    expect(ok2.code, ok2.stderr).toBe(0);
    // A rollback compared with version 1 while version 2 is active: refused, nothing activated.
    const staleRollback = await runCli(
      ['rules', 'rollback', '1', '--author', 'bob', '--base', '1', ...args],
      { home },
    );
    expect(staleRollback.code).toBe(1);
    expect(staleRollback.stderr).toContain(
      'Version 2 (by ana: "seven") has been activated since version 1',
    );
    const rollback = await runCli(
      ['rules', 'rollback', '1', '--author', 'bob', '--base', '2', ...args],
      { home },
    );
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toBe('rule set version 3 is active (rollback to version 1)\n');
  });

  it('a rule file - is the rules piped in: check, whatif and activate read stdin (`rules show | … | rules check -`)', async () => {
    const { dir, args } = cliHome();
    const home = dir;
    const text = readFileSync(DEFAULT, 'utf8');
    const broken = '{\n  "levels": {\n    "CRITICAL": { "target": "30 s" ,, }\n}\n';
    const ok = await runCli(['rules', 'check', '-'], { input: text });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('<stdin>: valid\n');
    const bad = await runCli(['rules', 'check', '-', '--json'], { input: broken });
    expect(bad.code).toBe(1);
    expect(bad.lines[0]).toMatchObject({ file: '<stdin>', severity: 'error', line: 3 });
    const whatif = await runCli(['rules', 'whatif', '-', ...args], { input: broken, home });
    expect(whatif.code).toBe(1);
    expect(whatif.stderr).toMatch(/^<stdin>:3:\d+: error SYNTAX/);
    const edited = text.replace(
      /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
      '$1"MEDIUM"',
    );
    expect(edited).not.toBe(text);
    const activated = await runCli(
      ['rules', 'activate', '-', '--author', 'ana', '--json', ...args],
      {
        input: edited,
        home,
      },
    );
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.lines[0]).toMatchObject({ version: 2, active: true });
    const shown = await runCli(['rules', 'show', ...args], { home });
    expect(shown.stdout.trim()).toBe(edited.trim());
    // eval reads its facts on stdin: the rules cannot come from there too.
    const evalBoth = await runCli(['rules', 'eval', '--rules', '-'], { input: '' });
    expect(evalBoth.code).toBe(2);
    expect(evalBoth.stderr).toMatch(
      /rules eval reads the facts on stdin; give the rules as a FILE/,
    );
  });
});
