// `gex-desk snapshots remove ID --justification TEXT`: the real command, on its own store,
// takes a snapshot ingested by mistake out of the listings, the levels and the export
// folder, says so in the audit trail, and refuses a removal without a reason.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { cliHome, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('gex-desk snapshots remove', () => {
  it('removes a snapshot by the start of its id, audited; refuses without a reason', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const [good, wrong] = [join(dir, 'good.csv'), join(dir, 'wrong.csv')];
    writeCboeCsv(good, { seed: 31, expiries: 2, strikesPerExpiry: 6, asOf: '2024-01-08T10:30:00' });
    writeCboeCsv(wrong, {
      seed: 32,
      expiries: 2,
      strikesPerExpiry: 6,
      asOf: '2024-01-09T10:30:00',
    });
    const ingested = await runCli(['ingest', good, wrong, '--json', ...args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const id = (ingested.lines[1]!.snapshot as { id: string }).id;
    const parquet = (ingested.lines[1]!.snapshot as { parquet: string }).parquet;
    expect(existsSync(parquet)).toBe(true);

    const usage = await runCli(['snapshots', 'remove', id, ...args]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^gex-desk: snapshots remove needs a --justification/);
    // A Hangul filler is read as nothing: said by the command, not refused by the API.
    const filler = await runCli(['snapshots', 'remove', id, '--justification', '\u3164', ...args]);
    expect(filler.code).toBe(2);
    expect(filler.stderr).toMatch(
      /^gex-desk: snapshots remove needs a --justification that is not blank/,
    );
    const unknown = await runCli(['snapshots', 'remove', 'zzzz', '--justification', 'x', ...args]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('NOT_FOUND: There is no snapshot zzzz.\n');

    const removed = await runCli([
      'snapshots',
      'remove',
      id.slice(0, 6),
      '--justification',
      'a test chain',
      '--author',
      'ana',
      ...args,
    ]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(
      new RegExp(
        `^removed snapshot ${id} \\(SPX as of 2024-01-09T10:30:00-05:00, total GEX .+\\); 3 export files deleted\\n$`,
      ),
    );
    expect(existsSync(parquet)).toBe(false);

    const listed = await runCli(['snapshots', '--json', ...args]);
    expect(listed.lines.map((l) => l.id)).toEqual([
      (ingested.lines[0]!.snapshot as { id: string }).id,
    ]);
    const audit = await runCli(['audit', '--json', '--limit', '1', ...args]);
    expect(audit.lines[0]).toMatchObject({ kind: 'removed', actor: 'ana', file: wrong });
  });

  it('removes every snapshot before a date, after a dry run that says what it would', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const files = ['2023-05-02', '2023-05-03', '2024-01-08'].map((day, i) => {
      const f = join(dir, `spx-${day}.csv`);
      writeCboeCsv(f, { seed: 40 + i, expiries: 2, strikesPerExpiry: 6, asOf: `${day}T10:30:00` });
      return f;
    });
    expect((await runCli(['ingest', ...files, ...args])).code).toBe(0);
    const prune = [
      'snapshots',
      'remove',
      '--before',
      '2024-01-01',
      '--justification',
      'kept a year',
    ];
    const dry = await runCli([...prune, '--dry-run', ...args]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      'would remove 2 snapshots of SPX, as of 2023-05-02T10:30:00-04:00 to 2023-05-03T10:30:00-04:00 (a dry run: nothing removed)\n',
    );
    expect((await runCli(['snapshots', '--json', ...args])).lines).toHaveLength(3);
    const done = await runCli([...prune, '--json', ...args]);
    expect(done.lines[0]).toMatchObject({
      dry_run: false,
      count: 2,
      underlyings: ['SPX'],
      files: 6,
    });
    const left = await runCli(['snapshots', '--json', ...args]);
    expect(left.lines.map((l) => l.as_of)).toEqual(['2024-01-08T10:30:00-05:00']);
    const again = await runCli([...prune, ...args]);
    expect(again.stdout).toBe('no snapshot before 2024-01-01\n');
    const usage = await runCli([
      'snapshots',
      'remove',
      'abcd',
      '--dry-run',
      '--justification',
      'x',
      ...args,
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^gex-desk: --underlying and --dry-run go with --before DATE/);
  });

  it('names the export files it leaves in the folder they were exported to (another --data-dir), text and --json', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const days = ['2023-05-02', '2023-05-03', '2024-01-08'];
    const files = days.map((day, i) => {
      const f = join(dir, `spx-${day}.csv`);
      writeCboeCsv(f, { seed: 50 + i, expiries: 2, strikesPerExpiry: 6, asOf: `${day}T10:30:00` });
      return f;
    });
    const ingested = await runCli(['ingest', ...files, '--json', ...args]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const snap = (i: number) => ingested.lines[i]!.snapshot as { id: string; parquet: string };
    const exported = join(dir, 'data');
    expect(snap(2).parquet.startsWith(exported)).toBe(true);
    // The database now used with another data folder (moved, or a copy): nothing of the
    // folder its snapshots were exported to is deleted, and that is said, file by file.
    const elsewhere = [...args, '--data-dir', join(dir, 'other-data')];
    const text = await runCli([
      'snapshots',
      'remove',
      snap(2).id,
      '--justification',
      'wrong file',
      ...elsewhere,
    ]);
    expect(text.code, text.stderr).toBe(0);
    const [first, ...named] = text.stdout.trimEnd().split('\n');
    expect(first).toContain(
      `; 0 export files deleted; 3 export files left in ${exported}, where the snapshot was exported (not the data folder in use, so not deleted): a desk attaching that folder still sees the snapshot`,
    );
    expect(named).toHaveLength(3);
    for (const line of named) {
      const f = line.replace(/^ {2}left: /, '');
      expect(f.startsWith(exported) && existsSync(f), line).toBe(true);
    }
    expect(named[0]).toBe(`  left: ${snap(2).parquet}`);

    const json = await runCli([
      'snapshots',
      'remove',
      snap(1).id,
      '--justification',
      'wrong file',
      '--json',
      ...elsewhere,
    ]);
    expect(json.lines[0]).toMatchObject({
      id: snap(1).id,
      files: [],
      left: [{ folder: exported, reason: 'outside', count: 3 }],
    });
    expect((json.lines[0]!.left as { files: string[] }[])[0]!.files).toContain(snap(1).parquet);

    const pruned = await runCli([
      'snapshots',
      'remove',
      '--before',
      '2023-06-01',
      '--justification',
      'kept a year',
      '--json',
      ...elsewhere,
    ]);
    expect(pruned.lines[0]).toMatchObject({
      count: 1,
      files: 0,
      left: [{ folder: exported, reason: 'outside', count: 3 }],
    });
    expect(existsSync(snap(0).parquet)).toBe(true);
  });

  it('refuses a --before that is no time as history refuses its --from: usage, naming the forms (exit 2)', async () => {
    const { args } = cliHome();
    // Epoch seconds, a month and day no calendar has, words.
    for (const before of ['1704600000', '2024-13-45', 'notadate']) {
      const r = await runCli([
        'snapshots',
        'remove',
        '--before',
        before,
        '--justification',
        'x',
        ...args,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(
        `gex-desk: --before "${before}" is not an ISO-8601 timestamp (2024-01-08T10:30:00-05:00, or 2024-01-08T10:30 in exchange time) or a date (2024-01-08)`,
      );
    }
  });
});
