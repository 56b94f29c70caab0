// A CBOE download's date line through the real command: a label that names an offset
// (EST, PST) is that offset, whatever the configured exchange time zone; ET is exchange
// time (docs/formats.md, Time zones).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { runCli } from './run-cli.ts';

describe('time zone labels of a CBOE date line', () => {
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
});
