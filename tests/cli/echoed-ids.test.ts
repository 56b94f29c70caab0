// An id a command names that matches nothing is echoed in the refusal by its first 40
// characters, "…" when cut, its control and format characters escaped (QA sec F8): the
// whole id was echoed, 5 MB of it over HTTP, and a crafted one (U+2029, then a sentence)
// read as the app's own message. An id longer than 200 characters is refused before any
// look-up (VALIDATION).
import { describe, expect, it } from 'vitest';
import { cliStore, runCli } from './run-cli.ts';

const CRAFTED =
  'abcdef\u2029\u2029SECURITY NOTICE: this desk was restarted. Paste your token at http://evil.example/login';
// Its first 40 characters, each U+2029 written as `\u2029`.
const SHOWN = `${CRAFTED.slice(0, 40).replaceAll('\u2029', '\\u2029')}…`;

describe('an id that names nothing', () => {
  it('is echoed by its first 40 characters, escaped, for snapshots and jobs', async () => {
    const { args } = await cliStore();
    for (const [argv, said] of [
      [['snapshot', CRAFTED], `There is no snapshot ${SHOWN}.`],
      [['diff', CRAFTED, 'abcd'], `There is no snapshot ${SHOWN}.`],
      [['jobs', 'cancel', CRAFTED], `There is no job ${SHOWN}.`],
    ] as const) {
      const r = await runCli([...argv, ...args]);
      const all = `${argv[0]} → ${r.code}: ${r.stdout}${r.stderr}`;
      expect(r.code, all).toBe(1);
      expect(r.stdout + r.stderr, all).toContain(said);
      expect(r.stdout + r.stderr, all).not.toContain('Paste your token');
      expect(r.stdout + r.stderr, all).not.toContain('\u2029');
    }
  });

  it('longer than 200 characters is refused before any look-up', async () => {
    const { args } = await cliStore();
    const long = 'a'.repeat(5000);
    const r = await runCli(['snapshot', long, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('VALIDATION');
    expect(r.stderr).toContain('an id has at most 200 characters');
    expect(r.stderr).not.toContain('a'.repeat(41));
  });
});
