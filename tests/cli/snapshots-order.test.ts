// `gex-desk snapshots` lists newest as-of first, as the UI's list and the levels board do
// (snapshot-order.ts: as_of, then created_at, then id), whatever order the files were
// ingested in. Before, it listed newest *stored* first: a desk that ingested 2024-11-29's
// files and then October's got October's from `snapshots --limit 3`, and the newest
// snapshot (11-29 15:45) was not among them. Real command, real files, real DuckDB.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { cliHome, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('gex-desk snapshots', () => {
  it('lists newest as-of first, and --limit N gives the N newest as-of, however they were ingested', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    // Ingested in this order, one command each: the late-November day first, then October.
    const batches: { name: string; asOf: string; seed: number }[][] = [
      [
        { name: 'spx-1129-1545.csv', asOf: '2024-11-29T15:45:00', seed: 1 },
        { name: 'spx-1129-1030.csv', asOf: '2024-11-29T10:30:00', seed: 2 },
      ],
      [
        { name: 'spx-1030-1500.csv', asOf: '2024-10-30T15:00:00', seed: 3 },
        { name: 'spx-1002-1000.csv', asOf: '2024-10-02T10:00:00', seed: 4 },
      ],
      // The same instant again, re-sent with other figures: the later stored goes first.
      [{ name: 'spx-1030-1500-b.csv', asOf: '2024-10-30T15:00:00', seed: 5 }],
    ];
    for (const batch of batches) {
      const files = batch.map((f) => {
        const path = join(dir, f.name);
        writeCboeCsv(path, { seed: f.seed, asOf: f.asOf, expiries: 1, strikesPerExpiry: 5 });
        return path;
      });
      const r = await runCli(['ingest', ...files, '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
    }

    const all = await runCli(['snapshots', '--json', ...args]);
    expect(all.code, all.stderr).toBe(0);
    const asOf = all.lines.map((l) => String(l.as_of).slice(0, 16));
    expect(asOf).toEqual([
      '2024-11-29T15:45',
      '2024-11-29T10:30',
      '2024-10-30T15:00',
      '2024-10-30T15:00',
      '2024-10-02T10:00',
    ]);
    // The tie (one as_of twice): the one stored later first, as the UI and the board pick it.
    const [later, earlier] = all.lines.slice(2, 4);
    expect(String(later!.created_at) > String(earlier!.created_at)).toBe(true);

    // --limit takes the first N of that one order.
    const three = await runCli(['snapshots', '--limit', '3', '--json', ...args]);
    expect(three.code, three.stderr).toBe(0);
    expect(three.lines.map((l) => l.id)).toEqual(all.lines.slice(0, 3).map((l) => l.id));
    // The table for people, too: its first row is the newest as-of.
    const table = await runCli(['snapshots', '--limit', '3', ...args]);
    expect(table.code, table.stderr).toBe(0);
    const body = table.stdout.trim().split('\n').slice(1);
    expect(body).toHaveLength(3);
    expect(body.map((line) => line.trim().split(/\s+/).at(-1))).toEqual(
      three.lines.map((l) => l.id),
    );
    expect(body[0]).toContain('2024-11-29');
    expect(body[0]).toContain('15:45');
  }, 120_000);
});
