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
});
