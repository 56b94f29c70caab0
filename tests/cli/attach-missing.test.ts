// A configured attached folder that is gone (a network share not mounted, a folder renamed)
// made `levels`, `history`, `diff` of two of this desk's own snapshots and `snapshot` by an
// id's start exit 1 with nothing on stdout. With the real command: they answer from the
// store, a warning line on stderr names the folder by its whole path (levels and history
// exit 1, their answer lacking what it holds; snapshot and diff exit 0 and --json carries
// `unread_folders`); an id only that folder could hold is "not found", said to perhaps be
// there. `--attach` of a folder that does not exist stays a usage error (a typo).
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('a configured attached folder that is gone', () => {
  it('answers from the store, the folder named on stderr and in --json', async () => {
    const theirs = cliHome();
    const theirChain = join(theirs.dir, 'ndx.csv');
    writeCboeCsv(theirChain, { seed: 3, underlying: 'NDX', expiries: 2, strikesPerExpiry: 6 });
    const theirIngest = await runCli(['ingest', theirChain, '--json', ...theirs.args]);
    expect(theirIngest.code, theirIngest.stderr).toBe(0);
    const theirId = (theirIngest.lines[0]!.snapshot as { id: string }).id;

    const mine = cliHome();
    const chains = [7, 8].map((seed) => {
      const file = join(mine.dir, `spx-${seed}.csv`);
      writeCboeCsv(file, {
        seed,
        asOf: `2024-01-0${seed}T10:30:00`,
        expiries: 2,
        strikesPerExpiry: 6,
      });
      return file;
    });
    const ingested = await runCli(['ingest', ...chains, '--json', ...mine.args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const [a, b] = ingested.lines.map((l) => (l.snapshot as { id: string }).id);

    const share = join(theirs.dir, 'data');
    const home = mkdtempSync(join(tmpdir(), 'gex-home-'));
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'config.json'), JSON.stringify({ attach: [share] }));
    const run = (args: string[]) => runCli([...args, ...mine.args], { home });
    const seen = await run(['levels']);
    expect(seen.code, seen.stderr).toBe(0);
    expect(seen.stdout).toContain('NDX');

    renameSync(share, `${share}.away`);
    const warning = `warning: the attached folder ${share} could not be read: it does not exist (a network share not mounted, or the folder renamed or removed); what it holds is not in this answer (what was looked for may be there): mount it again, or change attach in config.json\n`;

    const levels = await run(['levels']);
    expect([levels.code, levels.stderr]).toEqual([1, warning]);
    expect(levels.stdout).toContain(b!);
    expect(levels.stdout).not.toContain('NDX');
    const levelsJson = await run(['levels', '--json']);
    expect([levelsJson.code, levelsJson.stderr]).toEqual([1, warning]);
    expect(levelsJson.lines.map((l) => [l.underlying, l.origin])).toEqual([['SPX', 'local']]);

    const history = await run(['history', 'SPX', '--json']);
    expect([history.code, history.stderr]).toEqual([1, warning]);
    expect(history.lines.map((l) => l.id).sort()).toEqual([a, b].sort());

    const unread = [
      { path: share, message: warning.slice(`warning: the attached folder ${share} `.length, -1) },
    ];
    const diff = await run(['diff', a!.slice(0, 8), b!.slice(0, 8)]);
    expect([diff.code, diff.stderr]).toEqual([0, warning]);
    expect(diff.stdout).toContain(`SPX ${a}`);
    const diffJson = await run(['diff', a!, b!, '--json']);
    expect([diffJson.code, diffJson.stderr]).toEqual([0, warning]);
    expect(diffJson.lines[0]).toMatchObject({ from: a, to: b, unread_folders: unread });

    const one = await run(['snapshot', b!.slice(0, 8), '--json']);
    expect([one.code, one.stderr]).toEqual([0, warning]);
    expect(one.lines[0]).toMatchObject({ id: b, origin: 'local', unread_folders: unread });

    // Only the folder that is gone could hold it: not found here, perhaps there.
    const gone = await run(['snapshot', theirId.slice(0, 8)]);
    expect(gone.code).toBe(1);
    expect(gone.stdout + gone.stderr).toContain(`NOT_FOUND`);
    expect(gone.stdout + gone.stderr).toContain(
      `. The attached folder ${share} could not be read: it does not exist (a network share not mounted, or the folder renamed or removed); what it holds is not in this answer (what was looked for may be there)`,
    );

    // --attach of a folder that does not exist is a typo: a usage error, as before.
    const typo = await run(['levels', '--attach', `${share}.typo`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`--attach ${share}.typo: there is no such folder`);

    renameSync(`${share}.away`, share);
    const back = await run(['levels']);
    expect([back.code, back.stderr]).toEqual([0, '']);
    expect(back.stdout).toContain('NDX');
  });
});
