// A snapshot's age as `gex-desk levels` writes it, through the real command on a real
// file, and the one function the app's Levels board writes it with (shared/age.ts): each
// unit rounded down, so the table never reads older than the snapshot is.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { age } from '../../shared/age.ts';
import { runCli } from './run-cli.ts';

const DAY_MS = 86_400_000;

describe('a snapshot’s age', () => {
  it('rounds every unit down: 277 s is "4 min", just under 300 s not "5 min"', () => {
    const cases: [number, string][] = [
      [-3, '0 s'],
      [0.9, '0 s'],
      [59.9, '59 s'],
      [119, '1 min'],
      [277, '4 min'],
      [299.6, '4 min'],
      [300, '5 min'],
      [7199, '1 h 59 min'],
      [172_799, '47 h 59 min'],
      [1_209_599, '13 d 23 h'],
      [1062.56 * 86_400, '1,062 days'],
    ];
    for (const [seconds, text] of cases) expect(age(seconds), String(seconds)).toBe(text);
  });

  it('gex-desk levels writes a snapshot of 1062.7 days ago as "1,062 days", as the app does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-age-'));
    // Hours of slack either side of the day's .7: the machine may be slow, not that slow.
    const asOfMs = Math.floor((Date.now() - 1062.7 * DAY_MS) / 1000) * 1000;
    const asOf = new Date(asOfMs).toISOString().replace('.000Z', 'Z');
    const expiry = new Date(asOfMs + 30 * DAY_MS).toISOString().slice(0, 10);
    const file = join(dir, 'qage.csv');
    writeFileSync(
      file,
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
        `QAGE,${asOf},100,${expiry},100,C,1000,1,0.2\n` +
        `QAGE,${asOf},100,${expiry},95,P,800,1,0.22\n`,
    );
    const args = ['--db', join(dir, 'db.duckdb'), '--data-dir', join(dir, 'data')];
    const ingest = await runCli(['ingest', file, '--json', ...args]);
    expect(ingest.lines[0], ingest.stderr).toMatchObject({ status: 'completed' });
    const levels = await runCli(['levels', ...args]);
    expect(levels.code, levels.stderr).toBe(0);
    const row = levels.stdout.split('\n').find((l) => l.startsWith('QAGE'));
    expect(row, levels.stdout).toContain(' 1,062 days ');
    const json = await runCli(['levels', '--json', ...args]);
    expect(age(json.lines[0]!.age_s as number)).toBe('1,062 days');
  });
});
