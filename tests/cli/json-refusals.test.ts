// Under --json every refusal is said one way (QA ct2 F3): `{"error": {"code", "message"}}`
// on stdout for a script, and `CODE: message` on stderr for a person (io.ts refuse). Only
// `jobs cancel`/`retry` and `queue --drain` printed the line; `snapshot`, `snapshots
// remove`, `rules activate`/`rollback`/`show`, `sources set` and `audit --request` left
// stdout empty with the code only in free text on stderr (`audit --request` without one),
// and `jobs cancel --json` said nothing on stderr.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliStore, runCli } from './run-cli.ts';

describe('--json refusals', () => {
  it('each prints the error line on stdout and CODE: message on stderr, exit 1', async () => {
    const home = await cliStore();
    const broken = join(home.dir, 'broken.json');
    writeFileSync(broken, '{\n  "levels": {\n    "CRITICAL": { "target": "30 s" ,, }\n}\n');
    const cases: [string[], string][] = [
      [['snapshot', 'ffffffff'], 'NOT_FOUND'],
      [['snapshots', 'remove', 'ffffffff', '--justification', 'j'], 'NOT_FOUND'],
      [['rules', 'rollback', '9', '--author', 'q'], 'NOT_FOUND'],
      [['rules', 'show', '--version', '99'], 'NOT_FOUND'],
      [['sources', 'set', 'nosuch', '--reliability', '0.5', '--justification', 'j'], 'NOT_FOUND'],
      [['sources', 'clear', 'nosuch', '--justification', 'j'], 'NOT_FOUND'],
      [['audit', '--request', 'ffffffff'], 'NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      const r = await runCli([...args, '--json', ...home.args]);
      const said = `${args.join(' ')}: ${r.stderr}`;
      expect(r.code, said).toBe(1);
      expect(r.lines, said).toEqual([
        { error: expect.objectContaining({ code, message: expect.any(String) }) },
      ]);
      const { message } = (r.lines[0] as { error: { message: string } }).error;
      expect(r.stderr, said).toBe(`${code}: ${message}\n`);
    }
    // audit --request had no code at all.
    const audit = await runCli(['audit', '--request', 'ffffffff', '--json', ...home.args]);
    expect(audit.stderr).toBe('NOT_FOUND: There is no audit entry for request ffffffff.\n');

    // A rule file refused: its problems on stderr as `rules check` says them, the first
    // one's line on stdout with the file, line and column.
    const activate = await runCli([
      'rules',
      'activate',
      broken,
      '--author',
      'q',
      '--json',
      ...home.args,
    ]);
    expect(activate.code).toBe(1);
    expect(activate.lines).toEqual([
      {
        error: {
          code: 'RULES_SYNTAX',
          message: expect.any(String),
          line: 3,
          column: expect.any(Number),
          file: broken,
        },
      },
    ]);
    expect(activate.stderr).toMatch(new RegExp(`^${broken}:3:\\d+: error SYNTAX: `));
    expect(activate.stderr).toContain(`${broken}: not valid\n`);

    // jobs cancel keeps its job_id beside the error, and now says it on stderr too.
    const cancel = await runCli(['jobs', 'cancel', 'ffffffff', '--json', ...home.args]);
    expect(cancel.code).toBe(1);
    expect(cancel.lines).toEqual([
      { job_id: 'ffffffff', error: { code: 'NOT_FOUND', message: 'There is no job ffffffff.' } },
    ]);
    expect(cancel.stderr).toBe('NOT_FOUND: There is no job ffffffff.\n');
  });

  it('without --json stdout stays empty and stderr is the same text', async () => {
    const home = await cliStore();
    const r = await runCli(['snapshot', 'ffffffff', ...home.args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('NOT_FOUND: There is no snapshot ffffffff.\n');
  });
});
