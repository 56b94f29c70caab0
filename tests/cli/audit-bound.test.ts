// `gex-desk audit` for a person: an arrival written while its request waited for the read
// of its file (rule `deciding`) holds only the rules' upper bound, not a level. QA gd F3:
// the table printed it as a plain `HIGH`, as a decision's, beside a decision of MEDIUM or
// LOW; it shows `≤HIGH`, as `gex-desk jobs` and the Audit view do. Its --json line keeps
// the stored level and rule as they were.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('an arrival at its upper bound in `gex-desk audit`', () => {
  it('reads ≤HIGH in the table, its JSON line unchanged', { timeout: 60_000 }, async () => {
    const { dir, args } = cliHome();
    // Fresh data (30 s old): its level needs its file's facts, so it arrives deciding.
    const asOf = new Date(Date.now() - 30_000).toISOString().slice(0, 19);
    const file = join(dir, 'fresh.csv');
    writeLongCsv(file, {
      seed: 41,
      underlying: 'AAPL',
      spot: 190,
      expiries: 1,
      strikesPerExpiry: 4,
      asOf,
      offset: '+00:00',
    });
    const ing = await runCli(['ingest', file, '--json', ...args]);
    expect(ing.code, ing.stderr).toBe(0);
    const decided = String(ing.lines[0]!.priority);

    const table = await runCli(['audit', ...args]);
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.split('\n');
    expect(rows.find((r) => /\sarrival\s/.test(r))).toMatch(/\sarrival\s+≤HIGH\s+deciding\s/);
    expect(rows.find((r) => /\sdecision\s/.test(r))).toMatch(
      new RegExp(`\\sdecision\\s+${decided}\\s+G3\\s`),
    );

    const json = await runCli(['audit', '--json', ...args]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.lines.find((l) => l.kind === 'arrival')).toMatchObject({
      kind: 'arrival',
      priority: 'HIGH',
      rule: 'deciding',
    });
  });
});
