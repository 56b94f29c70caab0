// A file's as_of through the real command: a CBOE date line's label that names an offset
// (EST, PST) is that offset, whatever the configured exchange time zone, ET exchange time
// (docs/formats.md, Time zones); an impossible timestamp is the reader's BAD_VALUE at its
// line and field, never read and then refused by the rules.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { runCli } from './run-cli.ts';

describe('a file’s as_of through gex-desk ingest', () => {
  it('EST is −05:00 and PST −08:00 with an exchange in London; ET is London time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-zones-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ conventions: { exchange_time_zone: 'Europe/London' } }));
    const asOf = '2024-07-05T10:52:00';
    const files = ['EST', 'PST', 'ET'].map((label, seed) => {
      const file = join(dir, `spx-${label}.csv`);
      writeCboeCsv(file, { seed, asOf, expiries: 2, strikesPerExpiry: 5, zoneLabel: label });
      return file;
    });
    const r = await runCli(
      [
        'ingest',
        ...files,
        '--json',
        '--db',
        join(dir, 'db.duckdb'),
        '--data-dir',
        join(dir, 'data'),
      ],
      { env: { GEX_DESK_CONFIG: config } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.map((l) => (l.snapshot as { as_of: string }).as_of)).toEqual([
      '2024-07-05T10:52:00-05:00',
      '2024-07-05T10:52:00-08:00',
      '2024-07-05T10:52:00+01:00',
    ]);
  });

  it('a second of 60 or an offset of +25:00 in a long file is BAD_VALUE at line 2, field as_of', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-as-of-'));
    const files = ['2024-01-08T10:30:60-05:00', '2024-01-08T10:30:00+25:00'].map((asOf, i) => {
      const file = join(dir, `spy-${i}.csv`);
      writeFileSync(
        file,
        'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
          `SPY,${asOf},475,2024-01-19,470,C,1000,10,0.15\n` +
          `SPY,${asOf},475,2024-01-19,470,P,1000,10,0.15\n`,
      );
      return file;
    });
    const r = await runCli(['ingest', ...files, '--json', '--db', join(dir, 'db.duckdb')]);
    expect(r.lines).toHaveLength(2);
    for (const [i, line] of r.lines.entries())
      expect(line, files[i]).toMatchObject({
        status: 'failed',
        error: { code: 'BAD_VALUE', line: 2, field: 'as_of' },
      });
  });
});
