// `gex-desk jobs --source acmee` (a slip of acme) printed an empty list and exited 0, with
// nothing saying that no source has that name. The list and the exit code stay as they are
// (scripts read them); stderr now says, when nothing was listed and no source is named so
// exactly (as the filter matches), `no source is named "acmee" (did you mean "acme"?)`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('jobs --source naming no source', () => {
  it('says so on stderr, with the near name, and keeps stdout and the exit code', async () => {
    const home = cliHome();
    const chain = join(home.dir, 'spx.csv');
    writeCboeCsv(chain, { seed: 41, underlying: 'SPX', expiries: 1, strikesPerExpiry: 6 });
    const ingested = await runCli(['ingest', chain, '--source', 'acme', '--json', ...home.args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const jobs = (...args: string[]) => runCli(['jobs', ...args, ...home.args]);

    const known = await jobs('--source', 'acme', '--status', 'failed');
    const slip = await jobs('--source', 'acmee', '--status', 'failed');
    // The same empty table as for a source that has no such job, and exit 0.
    expect(slip.code).toBe(0);
    expect(slip.stdout).toBe(known.stdout);
    expect(known.stderr).toBe('');
    expect(slip.stderr).toBe('no source is named "acmee" (did you mean "acme"?)\n');

    // Names are matched exactly: another case is another source, hinted at.
    const upper = await jobs('--source', 'ACME', '--json');
    expect(upper.code).toBe(0);
    expect(upper.stdout).toBe('');
    expect(upper.stderr).toBe('no source is named "ACME" (did you mean "acme"?)\n');

    // A name nothing is near; and one that looks like acme (a Cyrillic а), shown escaped.
    const far = await jobs('--source', 'globex', '--json');
    expect(far.stdout).toBe('');
    expect(far.stderr).toBe('no source is named "globex"\n');
    const lookalike = await jobs('--source', '\u0430cme');
    expect(lookalike.code).toBe(0);
    expect(lookalike.stderr).toBe('no source is named "\\u0430cme" (did you mean "acme"?)\n');

    // A source with jobs listed says nothing more.
    const listed = await jobs('--source', 'acme', '--json');
    expect(listed.lines).toHaveLength(1);
    expect(listed.stderr).toBe('');
  }, 60_000);
});
