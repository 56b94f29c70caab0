// `--attach` of the wrong thing, with the real command: a folder that holds no export
// (the per-user folder) gives the board it gives, with a warning on stderr naming the
// folder likely meant (it was an empty answer and nothing else); a file is said to be a
// file (it was "there is no such folder").
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';

describe('--attach of the wrong folder, or of a file', () => {
  it('warns on stderr naming the folder likely meant, and says a file is a file', async () => {
    const theirs = cliHome();
    const chain = join(theirs.dir, 'spx.csv');
    writeCboeCsv(chain, { seed: 7, expiries: 2, strikesPerExpiry: 6 });
    const ingested = await runCli(['ingest', chain, ...theirs.args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const mine = await cliStore();

    const wrong = await runCli(['levels', '--attach', theirs.dir, ...mine.args]);
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(wrong.stderr).toContain(
      `warning: the attached folder ${theirs.dir} holds none of an export folder's three datasets`,
    );
    expect(wrong.stderr).toContain(`attach ${join(theirs.dir, 'data')} instead, which holds them`);
    const right = await runCli(['levels', '--attach', join(theirs.dir, 'data'), ...mine.args]);
    expect(right.stderr).toBe('');
    expect(right.stdout).toContain('SPX');

    const file = join(dirname(theirs.db), 'notes.csv');
    writeFileSync(file, 'a,b\n');
    const r = await runCli(['levels', '--attach', file, ...mine.args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `gex-desk: --attach ${file}: is a file, not a folder (attach the export folder, another workstation's data folder)`,
    );
  });
});
