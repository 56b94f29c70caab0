// An id is taken in full or by its first 4 characters or more (README, usage). A shorter
// one is a usage error (exit 2) saying so, for every command that takes ids, before the
// database is opened: `snapshot 6d` answered "NOT_FOUND: There is no snapshot 6d.", exit 1,
// as if the store had been searched for it.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from './run-cli.ts';

describe('an id shorter than its 4 first characters', () => {
  it('is a usage error naming the rule, for every command that takes ids', async () => {
    const { db, args } = cliHome();
    const cases: [string[], string][] = [
      [['snapshot', '6d'], 'snapshot'],
      [['diff', 'abcd', '6d'], 'diff'],
      [['export', '6d', '--format', 'csv', '--out', '-'], 'export'],
      [['snapshots', 'remove', '6d', '--justification', 'x'], 'snapshots remove'],
      [['jobs', 'retry', 'abcdef', '6d'], 'jobs retry'],
      [['jobs', 'cancel', '6d'], 'jobs cancel'],
      [['audit', '--request', '6d'], 'audit --request'],
    ];
    for (const [argv, command] of cases) {
      const r = await runCli([...argv, ...args]);
      const said = `${argv.join(' ')} → ${r.code}: ${r.stderr}`;
      expect(r.code, said).toBe(2);
      expect(r.stderr.split('\n')[0], said).toBe(
        `gex-desk: \`gex-desk ${command}\` takes an id by its first 4 characters or more (the listings print ids in full), not "6d"`,
      );
      expect(r.stdout, said).toBe('');
    }
    expect(existsSync(db)).toBe(false);
  });

  it('says where a ticker given for a snapshot id finds its ids', async () => {
    const { args } = cliHome();
    const r = await runCli(['snapshot', 'spx', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'not "spx"; SPX looks like an underlying: `gex-desk history SPX` lists its snapshots with their ids',
    );
    // A source is named, not an id: any length will do.
    const source = await runCli(['sources', 'clear', 'ab', ...args]);
    expect(source.stderr).not.toContain('takes an id');
  });
});
