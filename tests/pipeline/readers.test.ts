// The readers on generated files: format found by content, every CBOE CSV quirk, the
// JSON's OCC symbols, the long format in CSV and Parquet, exchange time zones, and the
// GEX total checked against an independent sum over the contracts the fixture wrote.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import pl from 'nodejs-polars';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readChain,
  runPipeline,
  sniffChain,
  toContractRows,
} from '../../electron/engine/pipeline/index.ts';
import { occParser, parseOcc, underlyingOfRoot } from '../../electron/engine/pipeline/occ.ts';
import { parseCboeDate } from '../../electron/engine/pipeline/read-cboe-csv.ts';
import { parseExpiry } from '../../electron/engine/pipeline/dates.ts';
import { parseTimestamp } from '../../electron/engine/pipeline/time.ts';
import { parseNumberAt, parseNumberText } from '../../electron/engine/pipeline/numbers.ts';
import { ContractRow } from '../../shared/domain.ts';
import {
  cboeCsvText,
  cboeJsonText,
  LONG_NUMERIC_COLUMNS,
  longCsvText,
  makeChain,
  writeCboeCsv,
  writeCboeJson,
  writeLongCsv,
  writeLongParquet,
  type FixtureChain,
} from '../fixtures/option-chains.ts';
import { conventions, tempDir } from './helpers.ts';
import { pipelineOn } from './run-pipeline.ts';

const dir = tempDir('gex-readers-');

/** Σ ±gamma × OI × 100 × spot² × 0.01 over live contracts that carry a gamma. */
function expectedGex(chain: FixtureChain): { call: number; put: number; used: number } {
  const date = chain.asOf.slice(0, 10);
  let call = 0;
  let put = 0;
  let used = 0;
  for (const c of chain.contracts) {
    if (c.expiry < date) continue;
    used++;
    const g = (c.gamma ?? 0) * c.open_interest * 100 * chain.spot * chain.spot * 0.01;
    if (c.option_type === 'C') call += g;
    else put -= g;
  }
  return { call, put, used };
}

const pipeline = pipelineOn(dir);
const run = pipeline.value;
/** The error a file is refused with; the test fails when it is read. */
const failureOf = pipeline.failure;

type Figures = Awaited<ReturnType<typeof run>>['snapshot'];
/** The snapshot of the same chain read from another layout: the same figures. */
function expectSameSnapshot(got: Figures, expected: Figures, label: string): void {
  for (const k of ['underlying', 'as_of', 'spot', 'contracts', 'total_gex', 'zero_gamma'] as const)
    expect(got[k], `${label}: ${k}`).toEqual(expected[k]);
}

describe('CBOE CSV', () => {
  it('reads the current date form, EST, and gives two contracts per line', async () => {
    const file = join(dir, 'spx-new.csv');
    const chain = writeCboeCsv(file, {
      seed: 11,
      asOf: '2024-01-08T10:52:00',
      expiries: 6,
      strikesPerExpiry: 40,
    });
    const out = await run(file);
    expect(out.snapshot.format).toBe('cboe-csv');
    expect(out.snapshot.as_of).toBe('2024-01-08T10:52:00-05:00');
    expect(out.snapshot.underlying).toBe('SPX');
    expect(out.snapshot.spot).toBe(chain.spot);
    expect(out.snapshot.contracts).toBe(chain.contracts.length);
    const e = expectedGex(chain);
    expect(out.snapshot.call_gex).toBeCloseTo(e.call, 0);
    expect(out.snapshot.put_gex).toBeCloseTo(e.put, 0);
  });

  it('reads the older date form, and a summer date gets the daylight-saving offset', async () => {
    const file = join(dir, 'spx-old.csv');
    writeCboeCsv(file, {
      seed: 12,
      asOf: '2022-07-05T20:26:00',
      dateForm: 'old',
      expiries: 3,
      strikesPerExpiry: 10,
    });
    expect((await run(file)).snapshot.as_of).toBe('2022-07-05T20:26:00-04:00');
  });

  it('parses both date forms of line 3', () => {
    const ny = 'America/New_York';
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM EST",Bid: 1', ny)).toBe(
      '2024-01-07T10:52:00-05:00',
    );
    expect(parseCboeDate('"Date: February 5 2022, 8:26 PM EST",Bid: 1', ny)).toBe(
      '2022-02-05T20:26:00-05:00',
    );
    expect(parseCboeDate('Date: February 5 2022, 8:26 PM EST,Bid: 1', ny)).toBe(
      '2022-02-05T20:26:00-05:00',
    );
    expect(parseCboeDate('"Date: June 14, 2023 at 12:05 AM EDT"', ny)).toBe(
      '2023-06-14T00:05:00-04:00',
    );
    expect(parseCboeDate('"Date: June 14, 2023 at 12:05 PM EDT"', ny)).toBe(
      '2023-06-14T12:05:00-04:00',
    );
    // A label that names an offset is that offset, also on a date New York is on EDT: it
    // is what the file says. ET (and no label) is exchange time, the zone's offset then.
    expect(parseCboeDate('"Date: March 11, 2024 at 9:30 AM EST"', ny)).toBe(
      '2024-03-11T09:30:00-05:00',
    );
    expect(parseCboeDate('"Date: March 11, 2024 at 9:30 AM ET"', ny)).toBe(
      '2024-03-11T09:30:00-04:00',
    );
    expect(parseCboeDate('"Date: 7 January 2024 at 10:52 AM EST"', ny)).toBe(
      '2024-01-07T10:52:00-05:00',
    );
    // Other US zones by their label, on that date; a label it does not know is never
    // taken for exchange time (a file saved in California would be three hours off).
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM PST"', ny)).toBe(
      '2024-01-07T10:52:00-08:00',
    );
    expect(parseCboeDate('"Date: July 8, 2024 at 10:52 AM PT"', ny)).toBe(
      '2024-07-08T10:52:00-07:00',
    );
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM MST"', ny)).toBe(
      '2024-01-07T10:52:00-07:00',
    );
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM Eastern"', ny)).toBe(
      '2024-01-07T10:52:00-05:00',
    );
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM"', ny)).toBe(
      '2024-01-07T10:52:00-05:00',
    );
    expect(parseCboeDate('"Date: January 7, 2024 at 10:52 AM CET"', ny)).toBeNull();
    expect(parseCboeDate('"Date: Someday"', ny)).toBeNull();
    expect(parseCboeDate('"Date: February 30, 2024 at 10:52 AM EST"', ny)).toBeNull();
  });

  it('reads a file as Excel writes it: BOM, CRLF, quoted thousands', async () => {
    const file = join(dir, 'excel.csv');
    const chain = writeCboeCsv(file, {
      seed: 13,
      excel: true,
      quotedThousands: true,
      expiries: 5,
      strikesPerExpiry: 30,
    });
    const text = cboeCsvText(chain, { excel: true, quotedThousands: true });
    expect(text.startsWith('\uFEFF\r\n')).toBe(true);
    expect(text).toMatch(/"\d{1,3},\d{3}"/);
    const r = await readChain(file, conventions());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const rows = toContractRows(r.value);
    expect(rows).toHaveLength(chain.contracts.length);
    for (const row of rows) ContractRow.parse(row);
    const oi = chain.contracts.reduce((n, c) => n + c.open_interest, 0);
    expect(rows.reduce((n, c) => n + c.open_interest, 0)).toBe(oi);
    expect(Math.max(...rows.map((c) => c.open_interest))).toBeGreaterThanOrEqual(1000);
  });

  it('reads a comma as a thousands separator only where it groups thousands', async () => {
    const at = (s: string) => parseNumberAt(Buffer.from(s), 0, s.length);
    const good: [string, number][] = [
      ['1,234', 1234],
      ['-1,234,567.25', -1234567.25],
      ['12,345.', 12345],
      ['999,000e-3', 999],
      ['1234', 1234],
      ['0.0012', 0.0012],
    ];
    for (const [s, v] of good) {
      expect(at(s), s).toBe(v);
      expect(parseNumberText(s), s).toBe(v);
    }
    // Decimal commas and broken groups: never 12, 35, 476354 or 1235.
    for (const s of [
      '0,0012',
      '3,5',
      '4763,54',
      '1,23',
      '1,2345',
      '1234,567',
      ',5',
      '1,',
      '1.5,0',
    ]) {
      expect(at(s), s).toBeNaN();
      expect(parseNumberText(s), s).toBeNaN();
    }

    // In a file: the cell's line and field, and nothing stored.
    const csvLines = cboeCsvText(makeChain({ seed: 15, expiries: 2, strikesPerExpiry: 5 })).split(
      '\n',
    );
    const cells = csvLines[6]!.split(',');
    const gamma = csvLines[3]!.split(',').indexOf('Gamma');
    cells[gamma] = '"0,0012"';
    csvLines[6] = cells.join(',');
    const cboe = join(dir, 'decimal-comma-cboe.csv');
    writeFileSync(cboe, csvLines.join('\n'));
    const e = await failureOf(cboe);
    expect(e).toMatchObject({ code: 'BAD_VALUE', file: cboe, line: 7, field: 'Calls Gamma' });
    expect(e.message).toContain('("0,0012") is not a number');

    const long = join(dir, 'decimal-comma-long.csv');
    const text = longCsvText(makeChain({ seed: 16, expiries: 1, strikesPerExpiry: 3 }));
    writeFileSync(
      long,
      text.replace(/^([^,\n]+,[^,\n]+,)([\d.]+)/m, (_, head, spot) => {
        return `${head}"${String(spot).replace('.', ',')}"`;
      }),
    );
    const e2 = await failureOf(long);
    expect(e2).toMatchObject({ code: 'BAD_VALUE', file: long, line: 2, field: 'spot' });
  });

  it('reads a Last: price whose unquoted thousands separators split it over cells', async () => {
    const chain = makeChain({ seed: 14, spot: 17245.32, expiries: 2, strikesPerExpiry: 10 });
    const lines = cboeCsvText(chain).split('\n');
    expect(lines[1]).toContain('Last: 17245.32,');
    const prices: [string, number][] = [
      ['Last: 17,245.32', 17245.32],
      ['"Last: 17,245.32"', 17245.32],
      ['Last: 1,017,245', 1017245],
      ['Last: 17', 17],
    ];
    for (const [cell, spot] of prices) {
      const file = join(dir, 'last-separators.csv');
      lines[1] = `NASDAQ 100 INDEX,${cell},Change: -12.5`;
      writeFileSync(file, lines.join('\n'));
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value.spot, cell).toBe(spot);
      const r = await readChain(file, conventions());
      expect(r.ok && r.value.spot, cell).toBe(spot);
    }
  });

  it('reads a date line in another US zone by its label, and refuses a label it does not know', async () => {
    const chain = makeChain({ seed: 15, expiries: 2, strikesPerExpiry: 10 });
    const lines = cboeCsvText(chain).split('\n');
    const file = join(dir, 'zone-label.csv');
    const dated = (label: string) => {
      lines[2] = `"Date: January 7, 2024 at 10:52 AM ${label}",Bid: 1,Ask: 2,Size: 1*1,Volume: 0`;
      writeFileSync(file, lines.join('\n'));
    };
    dated('PST');
    const sniffed = await sniffChain(file, conventions());
    expect(sniffed.ok && sniffed.value.as_of).toBe('2024-01-07T10:52:00-08:00');
    const read = await readChain(file, conventions());
    expect(read.ok && read.value.as_of).toBe('2024-01-07T10:52:00-08:00');
    dated('CET');
    // The cheap facts at arrival leave an unknown as_of to the read, which refuses it.
    const guessed = await sniffChain(file, conventions());
    expect(guessed.ok && guessed.value.as_of).toBeNull();
    const refused = await readChain(file, conventions());
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toMatchObject({ code: 'BAD_VALUE', line: 3, field: 'Date' });
      expect(refused.error.message).toContain(
        'the time zone "CET" is not one GEX Desk knows (EST, EDT',
      );
    }
  });

  it('reads a label that names an offset as that offset: the second 01:30 of a fall-back night, and in any exchange zone', async () => {
    const read = async (asOf: string, label: string, over = {}) => {
      const file = join(dir, `zone-${label || 'none'}.csv`);
      writeCboeCsv(file, { seed: 17, asOf, expiries: 2, strikesPerExpiry: 5, zoneLabel: label });
      const conv = conventions(over);
      const sniffed = await sniffChain(file, conv);
      const stored = await runPipeline({
        file,
        dataDir: join(dir, 'out'),
        snapshotId: `t${Math.random().toString(36).slice(2)}`,
        conventions: conv,
      });
      if (!stored.ok) throw new Error(JSON.stringify(stored.error));
      // What arrival sees (sniff) and what is stored agree.
      expect(sniffed.ok && sniffed.value.as_of, label).toBe(stored.value.snapshot.as_of);
      return stored.value.snapshot.as_of;
    };
    // The night New York's clocks go back, 01:30 shows twice: EST names the second (06:30Z),
    // EDT the first (05:30Z); ET and no label are exchange time, read as the first.
    expect(await read('2024-11-03T01:30:00', 'EST')).toBe('2024-11-03T01:30:00-05:00');
    expect(await read('2024-11-03T01:30:00', 'EDT')).toBe('2024-11-03T01:30:00-04:00');
    expect(await read('2024-11-03T01:30:00', 'ET')).toBe('2024-11-03T01:30:00-04:00');
    expect(await read('2024-11-03T01:30:00', '')).toBe('2024-11-03T01:30:00-04:00');
    // EST on a July date: what the file says, −05:00, not New York's −04:00 then.
    expect(await read('2024-07-05T10:52:00', 'EST')).toBe('2024-07-05T10:52:00-05:00');
    expect(await read('2024-07-05T10:52:00', 'CDT')).toBe('2024-07-05T10:52:00-05:00');
    expect(await read('2024-01-05T10:52:00', 'MDT')).toBe('2024-01-05T10:52:00-06:00');
    expect(await read('2024-07-05T10:52:00', 'GMT')).toBe('2024-07-05T10:52:00+00:00');
    // An exchange in London: EST is still −05:00 (not London's +01:00), PST −08:00; ET
    // and no label are London's time.
    const london = { exchange_time_zone: 'Europe/London' };
    expect(await read('2024-07-05T10:52:00', 'EST', london)).toBe('2024-07-05T10:52:00-05:00');
    expect(await read('2024-07-05T10:52:00', 'PST', london)).toBe('2024-07-05T10:52:00-08:00');
    expect(await read('2024-07-05T10:52:00', '', london)).toBe('2024-07-05T10:52:00+01:00');
  });

  it('refuses implied volatilities in percent (most above 500 %), and keeps a chain with a few high ones', async () => {
    const chain = makeChain({ seed: 16, expiries: 3, strikesPerExpiry: 20 });
    const file = join(dir, 'iv-percent.csv');
    const withIv = (scale: (iv: number, i: number) => number) => {
      const scaled = {
        ...chain,
        contracts: chain.contracts.map((c, i) => ({ ...c, iv: c.iv && scale(c.iv, i) })),
      };
      writeFileSync(file, longCsvText(scaled));
    };
    withIv((iv) => iv * 100);
    const refused = await readChain(file, conventions());
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'iv' });
      expect(refused.error.message).toMatch(
        /look like percentages; GEX Desk reads IV as a decimal \([\d.]+ for [\d.]+ %\): divide the column by 100$/,
      );
    }
    // A fifth of the contracts far out at 500 %+ is a real (if wild) chain: read as it is.
    withIv((iv, i) => (i % 5 === 0 ? 6 + iv : iv));
    const read = await readChain(file, conventions());
    expect(read.ok).toBe(true);
  });

  it('keeps fractional strikes and SPX/SPXW rows sharing an expiry and strike', async () => {
    const chain = makeChain({
      seed: 14,
      spot: 101.3,
      strikeStep: 0.5,
      expiries: 2,
      strikesPerExpiry: 8,
      underlying: 'SPX',
      roots: ['SPX'],
    });
    // Duplicate every contract under the SPXW root: both count.
    chain.contracts = [...chain.contracts, ...chain.contracts.map((c) => ({ ...c, root: 'SPXW' }))];
    const file = join(dir, 'fractional.csv');
    writeFileSync(file, cboeCsvText(chain));
    const r = await readChain(file, conventions());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const strikes = new Set(toContractRows(r.value).map((c) => c.strike));
    expect([...strikes].some((k) => !Number.isInteger(k))).toBe(true);
    expect(r.value.contracts.n).toBe(chain.contracts.length);
    const out = await run(file);
    expect(out.snapshot.call_gex).toBeCloseTo(expectedGex(chain).call, 2);
  });

  it('takes the underlying from the option symbols, not the long name', async () => {
    const file = join(dir, 'ndx.csv');
    writeCboeCsv(file, {
      seed: 15,
      underlying: 'NDX',
      roots: ['NDXP', 'NDX'],
      name: 'NASDAQ 100 INDEX',
      spot: 16800,
      expiries: 3,
      strikesPerExpiry: 10,
    });
    expect((await run(file)).snapshot.underlying).toBe('NDX');
    const eq = join(dir, 'brkb.csv');
    writeCboeCsv(eq, {
      seed: 16,
      underlying: 'BRKB',
      name: 'BERKSHIRE HATHAWAY INC',
      spot: 410.5,
      expiries: 3,
      strikesPerExpiry: 10,
    });
    expect((await run(eq)).snapshot.underlying).toBe('BRKB');
  });

  it('a class share is the OCC root CBOE writes however a vendor spells it (BRK.B, BRK-B, BRK/B → BRKB)', async () => {
    const opts = {
      seed: 16,
      underlying: 'BRKB',
      name: 'BERKSHIRE HATHAWAY INC',
      spot: 410.5,
      expiries: 3,
      strikesPerExpiry: 10,
    };
    const cboe = join(dir, 'brkb-cboe.csv');
    writeCboeCsv(cboe, opts);
    const ref = await run(cboe);
    expect(ref.snapshot.underlying).toBe('BRKB');
    const plain = join(dir, 'brkb-long.csv');
    writeLongCsv(plain, opts);
    const text = readFileSync(plain, 'utf8');
    const plainRun = await run(plain);
    expect(plainRun.snapshot.underlying).toBe('BRKB');
    for (const [name, spelt] of [
      ['dot', 'BRK.B'],
      ['dash', 'BRK-B'],
      ['slash', 'BRK/B'],
      ['lower', 'brk.b'],
    ]) {
      const file = join(dir, `brk-${name}.csv`);
      writeFileSync(file, text.replace(/^BRKB,/gm, `${spelt},`));
      const got = await run(file);
      expect(got.snapshot.underlying, spelt).toBe('BRKB');
      // The same chain: the duplicate of the snapshot of the file that writes BRKB.
      expect(got.chain_fingerprint, spelt).toBe(plainRun.chain_fingerprint);
      expect(
        (await sniffChain(file, conventions())).ok && (await sniffChain(file, conventions())),
        spelt,
      ).toMatchObject({ value: { underlying: 'BRKB' } });
    }
    // One contract written both ways is one contract: its second row is its duplicate.
    const lines = text.trimEnd().split('\n');
    const twice = join(dir, 'brk-twice.csv');
    writeFileSync(twice, [...lines, lines[1]!.replace(/^BRKB,/, 'BRK.B,')].join('\n') + '\n');
    expect(await failureOf(twice)).toMatchObject({ code: 'DUPLICATE_CONTRACT' });
    // Not a class share: more than one letter after the separator, or a digit.
    expect(underlyingOfRoot('BRK.B')).toBe('BRKB');
    expect(underlyingOfRoot('^BF/B')).toBe('BFB');
    expect(underlyingOfRoot('AB.CD')).toBe('AB.CD');
    expect(underlyingOfRoot('BRK.B1')).toBe('BRK.B1');
    expect(underlyingOfRoot('BRK_B')).toBe('BRK_B');
  });

  it('drops expired rows with the reason "expired" and counts them', async () => {
    const file = join(dir, 'expired.csv');
    const chain = writeCboeCsv(file, {
      seed: 17,
      expiries: 4,
      expiredExpiries: 2,
      strikesPerExpiry: 10,
    });
    const out = await run(file);
    const expired = chain.contracts.filter((c) => c.expiry < chain.asOf.slice(0, 10)).length;
    expect(expired).toBe(40);
    expect(out.snapshot.quality.dropped).toEqual([{ reason: 'expired', rows: 40 }]);
    expect(out.snapshot.quality.rows_used + 40).toBe(chain.contracts.length);
  });
});

describe('CBOE JSON', () => {
  it('reads OCC symbols, exchange-time timestamp, current_price; computes gamma from IV where it is null', async () => {
    const file = join(dir, 'meta.json');
    const chain = writeCboeJson(file, {
      seed: 21,
      asOf: '2025-09-05T15:59:59',
      expiries: 5,
      strikesPerExpiry: 30,
      missingGammaShare: 0.3,
    });
    const out = await run(file);
    expect(out.snapshot.format).toBe('cboe-json');
    expect(out.snapshot.underlying).toBe('META');
    expect(out.snapshot.as_of).toBe('2025-09-05T15:59:59-04:00');
    expect(out.snapshot.spot).toBe(749.75);
    expect(out.snapshot.quality.rows_total).toBe(chain.contracts.length);
    expect(out.snapshot.contracts).toBe(chain.contracts.length);
    // With gamma from IV for the missing ones, |GEX| exceeds the sum over file gammas alone.
    const fileOnly = expectedGex(chain);
    expect(out.snapshot.call_gex).toBeGreaterThan(fileOnly.call);
  });

  it('a contract with neither gamma nor IV is counted as dropped, not lost', async () => {
    const chain = makeChain({
      seed: 22,
      underlying: 'META',
      spot: 749.75,
      expiries: 1,
      strikesPerExpiry: 5,
    });
    const json = JSON.parse(
      JSON.stringify({
        timestamp: '2024-01-08 10:30:00',
        data: { options: [], current_price: 749.75 },
      }),
    );
    json.data.options = chain.contracts.map((c, i) => ({
      option: `META${c.expiry.slice(2, 4)}${c.expiry.slice(5, 7)}${c.expiry.slice(8, 10)}${c.option_type}${String(c.strike * 1000).padStart(8, '0')}`,
      open_interest: c.open_interest,
      volume: c.volume,
      iv: i < 3 ? null : c.iv,
      gamma: i < 3 ? null : c.gamma,
    }));
    const file = join(dir, 'nogreeks.json');
    writeFileSync(file, JSON.stringify(json));
    const out = await run(file);
    expect(out.snapshot.quality.dropped).toEqual([{ reason: 'no gamma and no iv', rows: 3 }]);
    expect(out.snapshot.quality.rows_used).toBe(chain.contracts.length - 3);
  });

  it('parses OCC symbols, padded or not, roots with digits', () => {
    expect(parseOcc('META250912C00300000')).toEqual({
      root: 'META',
      expiry: '2025-09-12',
      option_type: 'C',
      strike: 300,
    });
    expect(parseOcc('SPXW  240105P04697500')).toEqual({
      root: 'SPXW',
      expiry: '2024-01-05',
      option_type: 'P',
      strike: 4697.5,
    });
    expect(parseOcc('BRKB240119C00410000')!.root).toBe('BRKB');
    expect(parseOcc('AAPL1240119C00150000')).toEqual({
      root: 'AAPL1',
      expiry: '2024-01-19',
      option_type: 'C',
      strike: 150,
    });
    expect(parseOcc('F240119P00012500')).toEqual({
      root: 'F',
      expiry: '2024-01-19',
      option_type: 'P',
      strike: 12.5,
    });
    expect(parseOcc('META251332C00300000')).toBeNull();
    expect(parseOcc('META250912X00300000')).toBeNull();
    expect(parseOcc('nonsense')).toBeNull();
    expect(underlyingOfRoot('SPXW')).toBe('SPX');
    expect(underlyingOfRoot('NDXP')).toBe('NDX');
    expect(underlyingOfRoot('RUTW')).toBe('RUT');
    expect(underlyingOfRoot('VIXW')).toBe('VIX');
    expect(underlyingOfRoot('XSP')).toBe('XSP');
    expect(underlyingOfRoot('_SPX')).toBe('SPX');
    expect(underlyingOfRoot('.SPXW')).toBe('SPX'); // a dot as some vendors write indices
    expect(underlyingOfRoot('meta')).toBe('META');
  });

  it('parses a chain of OCC symbols by shared prefix exactly as parseOcc does', () => {
    const symbols = [
      'META250912C00300000',
      'META250912C00302500',
      'META250912P00300000',
      'SPXW  240105P04697500',
      'SPXW  240105P04700000',
      'spxw240105c04700000',
      ' META250912C00300000',
      'META250912C00300000 ',
      'META250912C0030000A',
      'META251332C00300000',
      'META251332C00300500',
      'META250231C00300000',
      'META250912X00300000',
      'TOOLONGROOT250912C00300000',
      'AAPL1240119C00150000',
      'F240119P00012500',
      '250912C00300000',
      'nonsense',
      '',
    ];
    const parse = occParser();
    // Twice over: the second pass comes from the cache.
    for (const s of [...symbols, ...symbols]) expect(parse(s), s).toEqual(parseOcc(s));
  });

  it('is recognised by content whatever the extension', async () => {
    const file = join(dir, 'meta.json');
    writeCboeJson(file, { seed: 23, expiries: 2, strikesPerExpiry: 5 });
    const renamed = join(dir, 'meta-export.txt');
    copyFileSync(file, renamed);
    expect((await run(renamed)).snapshot.format).toBe('cboe-json');
  });
});

describe('long format', () => {
  it('CSV with call/put words in any case and no gamma column: gamma from IV', async () => {
    const file = join(dir, 'long.csv');
    const chain = writeLongCsv(file, {
      seed: 31,
      wordyTypes: true,
      noGamma: true,
      expiries: 4,
      strikesPerExpiry: 20,
    });
    const out = await run(file);
    expect(out.snapshot.format).toBe('long-csv');
    expect(out.snapshot.contracts).toBe(chain.contracts.length);
    expect(out.snapshot.as_of).toBe(`${chain.asOf}-05:00`);
    expect(out.snapshot.call_gex).toBeGreaterThan(0);
    expect(out.snapshot.put_gex).toBeLessThan(0);
  });

  it('is recognised by any documented column names, in any case, camelCase, with spaces, dashes, slashes or dots', async () => {
    const text = longCsvText(makeChain({ seed: 33, expiries: 3, strikesPerExpiry: 12 }));
    const [header, ...rows] = text.split('\n');
    expect(header).toBe(
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma,bid,ask',
    );
    const canonical = join(dir, 'names-canonical.csv');
    writeFileSync(canonical, text);
    const expected = (await run(canonical)).snapshot;
    for (const names of [
      'Ticker,Quote Time,Underlying Price,Expiration Date,Strike Price,Put-Call,Open Interest,Vol,Implied Volatility,Gamma,Bid,Ask',
      'symbol,timestamp,spot_price,expiration,strike,right,oi,volume,implied_vol,gamma,bid,ask',
      '"ROOT","ASOF","SPOT","EXPIRY_DATE","STRIKE","CP","OPENINTEREST","VOL","IV","GAMMA","BID","ASK"',
      'underlyingSymbol,asOf,UnderlyingPrice,expirationDate,strikePrice,Call/Put,openInterest,tradeVolume,ImpliedVolatility,gamma,bid,ask',
      'Underlying,Quote.DateTime,Underlying Last,Expiration,Strike,C/P,OI,Volume,IV,Gamma,Bid,Ask',
    ]) {
      const file = join(dir, `names-${names.slice(0, 6).replace(/\W/g, '')}.csv`);
      writeFileSync(file, [names, ...rows].join('\n'));
      const got = (await run(file)).snapshot;
      expect(got.format, names).toBe('long-csv');
      expectSameSnapshot(got, expected, names);
      // The cheap facts at arrival come from the same header.
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value, names).toMatchObject({
        format: 'long-csv',
        underlying: expected.underlying,
      });
    }
  });

  it("a vendor's layout: the most specific of several names wins, other columns are ignored", async () => {
    const chain = makeChain({ seed: 35, expiries: 3, strikesPerExpiry: 10 });
    const text = longCsvText(chain);
    const canonical = join(dir, 'vendor-canonical.csv');
    writeFileSync(canonical, text);
    const expected = (await run(canonical)).snapshot;
    const [, ...rows] = text.trimEnd().split('\n');
    // As CBOE DataShop writes its quotes: the option root beside the underlying (SPXW beside
    // SPX, which must not be taken for it), the spot as active_underlying_price, a space in
    // the timestamp, and columns the format does not use.
    const vendor = [
      'underlying_symbol,quote_datetime,root,expiration,strike,option_type,open,trade_volume,bid,ask,active_underlying_price,implied_volatility,delta,gamma,open_interest',
      ...rows.map((line) => {
        const [u, asOf, spot, expiry, strike, type, oi, vol, iv, gamma, bid, ask] = line.split(',');
        return [
          u,
          asOf!.replace('T', ' '),
          `${u}W`,
          expiry,
          strike,
          type,
          '1.5',
          vol,
          bid,
          ask,
          spot,
          iv,
          '',
          gamma,
          oi,
        ].join(',');
      }),
    ].join('\r\n');
    const file = join(dir, 'vendor-datashop.csv');
    writeFileSync(file, vendor);
    expectSameSnapshot((await run(file)).snapshot, expected, 'DataShop layout');

    // The same name twice is not a choice the reader can make.
    const twice = join(dir, 'vendor-twice.csv');
    writeFileSync(twice, vendor.replace('trade_volume', 'open_interest'));
    const e = await failureOf(twice);
    expect(e).toMatchObject({ code: 'BAD_HEADER', field: 'open_interest', line: 1 });
    expect(e.message).toContain('2 columns named open_interest');
  });

  it("CBOE DataShop's end-of-day layout: the _1545 columns, as_of the quote_date at 15:45 exchange time", async () => {
    const chain = makeChain({
      seed: 38,
      asOf: '2024-01-08T15:45:00',
      expiries: 3,
      strikesPerExpiry: 10,
    });
    const canonical = join(dir, 'eod-canonical.csv');
    writeFileSync(canonical, longCsvText(chain));
    const expected = (await run(canonical)).snapshot;
    expect(expected.as_of).toBe('2024-01-08T15:45:00-05:00');
    const [, ...rows] = longCsvText(chain).trimEnd().split('\n');
    // The header of UnderlyingOptionsEODCalcs, in its order; the end-of-day quote (bid_eod)
    // and the implied underlying price are not the 15:45 figures the format reads.
    const header =
      'underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,implied_underlying_price_1545,active_underlying_price_1545,implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,rho_1545,bid_size_eod,bid_eod,ask_size_eod,ask_eod,underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code';
    const eod = [
      header,
      ...rows.map((line) => {
        const [, asOf, spot, expiry, strike, type, oi, vol, iv, gamma, bid, ask] = line.split(',');
        const s = Number(spot);
        return [
          '^SPX',
          asOf!.slice(0, 10),
          'SPXW',
          expiry,
          strike,
          type,
          '1',
          '2',
          '0.5',
          '1.5',
          vol,
          '10',
          bid,
          '12',
          ask,
          s - 1,
          s + 1,
          s * 1.001,
          spot,
          iv,
          '',
          gamma,
          '-1.2',
          '3.1',
          '0.9',
          '10',
          '0.01',
          '12',
          '99',
          s - 9,
          s + 9,
          '1.4',
          oi,
          '',
        ].join(',');
      }),
    ].join('\r\n');
    const file = join(dir, 'UnderlyingOptionsEODCalcs_2024-01-08.csv');
    writeFileSync(file, eod);
    const got = (await run(file)).snapshot;
    expectSameSnapshot(got, expected, 'EOD CSV');
    expect(got.call_wall).toBe(expected.call_wall);
    const sniffed = await sniffChain(file, conventions());
    expect(sniffed.ok && sniffed.value).toMatchObject({
      format: 'long-csv',
      underlying: 'SPX',
      as_of: '2024-01-08T15:45:00-05:00',
    });
    // As Parquet, with quote_date a Date.
    const parquet = join(dir, 'eod.parquet');
    pl.readCSV(file, { ignoreErrors: false })
      .withColumns(pl.col('quote_date').str.strptime(pl.Date, '%Y-%m-%d'))
      .writeParquet(parquet);
    expectSameSnapshot((await run(parquet)).snapshot, expected, 'EOD Parquet');

    // A day that is not one is said as such, at its line.
    const bad = join(dir, 'eod-bad-date.csv');
    writeFileSync(bad, eod.replace(/\r\n\^SPX,2024-01-08,/, '\r\n^SPX,the 8th,'));
    const e = await failureOf(bad);
    expect(e).toMatchObject({ code: 'BAD_VALUE', field: 'as_of', line: 2 });
    expect(e.message).toContain('is not a date');
    // Without the _1545 columns a quote_date is no time of day: as_of is still missing.
    const bare = join(dir, 'eod-bare.csv');
    writeFileSync(bare, eod.replace(/_1545/g, '_x'));
    expect(await failureOf(bare)).toMatchObject({ code: 'BAD_HEADER', field: 'as_of' });
  });

  it('a root column beside the underlying: SPX and SPXW rows of one expiry and strike are two contracts, an adjusted root is dropped as such', async () => {
    const chain = makeChain({ seed: 39, expiries: 3, strikesPerExpiry: 10 });
    const canonical = join(dir, 'roots-canonical.csv');
    writeFileSync(canonical, longCsvText(chain));
    const expected = (await run(canonical)).snapshot;
    const [header, ...rows] = longCsvText(chain).trimEnd().split('\n');
    // As CBOE DataShop writes SPX: every contract of the monthly expiries twice, under its
    // AM root SPX and its PM root SPXW (both count, as in the CBOE CSV).
    const withRoot = (name: string, underlying: string, roots: string[]) => {
      const file = join(dir, `roots-${name}.csv`);
      const lines = rows.flatMap((line) =>
        roots.map((r) => `${line.replace(/^SPX,/, `${underlying},`)},${r}`),
      );
      writeFileSync(file, [`${header},root`, ...lines].join('\n'));
      return file;
    };
    const bothFile = withRoot('both', '^SPX', ['SPX', 'SPXW']);
    const both = (await run(bothFile)).snapshot;
    expect(both.underlying).toBe('SPX');
    const bothParquet = bothFile.replace(/\.csv$/, '.parquet');
    pl.readCSV(bothFile, { ignoreErrors: false }).writeParquet(bothParquet);
    expectSameSnapshot((await run(bothParquet)).snapshot, both, 'roots in Parquet');
    expect(both.contracts).toBe(2 * expected.contracts);
    expect(both.total_gex).toBeCloseTo(2 * expected.total_gex, 0);
    expect(both.zero_gamma).toBeCloseTo(expected.zero_gamma!, 6);
    // A stock's adjusted options (AAPL1 beside AAPL, after a split): of the stock, not used.
    const adjusted = (await run(withRoot('adjusted', 'AAPL', ['AAPL', 'AAPL1']))).snapshot;
    expect(adjusted.underlying).toBe('AAPL');
    expect(adjusted.total_gex).toBeCloseTo(expected.total_gex, 0);
    expect(adjusted.quality.dropped).toContainEqual({
      reason: 'adjusted option (deliverable not 100 shares)',
      rows: rows.length,
    });
    // Another underlying's root is refused at its line.
    const other = withRoot('other', 'SPX', ['SPX', 'NDXP']);
    expect(await failureOf(other)).toMatchObject({ code: 'BAD_VALUE', field: 'root', line: 3 });
  });

  it("an index written as vendors write it (^SPX, $SPX) or by its weekly root (SPXW) is the CBOE files' SPX", async () => {
    const text = longCsvText(makeChain({ seed: 37, expiries: 3, strikesPerExpiry: 10 }));
    const canonical = join(dir, 'index-canonical.csv');
    writeFileSync(canonical, text);
    const expected = (await run(canonical)).snapshot;
    expect(expected.underlying).toBe('SPX');
    const [header, ...rows] = text.trimEnd().split('\n');
    const written = (name: string, underlying: (i: number) => string): string => {
      const file = join(dir, `index-${name}.csv`);
      const lines = rows.map((line, i) => line.replace(/^SPX,/, `${underlying(i)},`));
      writeFileSync(file, [header, ...lines].join('\n'));
      return file;
    };
    // CBOE DataShop's underlying_symbol is ^SPX; a Schwab export's $SPX; a root column mixes
    // SPX and SPXW rows, as the CBOE CSV does (both count).
    for (const [name, underlying] of [
      ['caret', () => '^SPX'],
      ['dollar', () => '$spx'],
      ['roots', (i: number) => (i % 2 ? 'SPXW' : 'SPX')],
    ] as const) {
      const file = written(name, underlying);
      expectSameSnapshot((await run(file)).snapshot, expected, name);
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value.underlying, name).toBe('SPX');
      // In Parquet the same, the arrival's facts read from its metadata included.
      const parquet = file.replace(/\.csv$/, '.parquet');
      pl.readCSV(file, { ignoreErrors: false }).writeParquet(parquet);
      expectSameSnapshot((await run(parquet)).snapshot, expected, name);
      // (Its metadata gives a column's value only when every row holds the same.)
      const sniffedParquet = await sniffChain(parquet, conventions());
      expect(sniffedParquet.ok && sniffedParquet.value.underlying, name).toBe(
        name === 'roots' ? null : 'SPX',
      );
    }
    // Another underlying in the file is still refused, at its line.
    const mixed = written('mixed', (i) => (i === 3 ? 'NDX' : '^SPX'));
    expect(await failureOf(mixed)).toMatchObject({
      code: 'BAD_VALUE',
      field: 'underlying',
      line: 5,
    });
  });

  it('a no-value marker (N/A, NaN, null, -, an em or en dash) reads as a blank cell: unknown where optional, missing where required', async () => {
    const text = longCsvText(makeChain({ seed: 36, expiries: 2, strikesPerExpiry: 8 }));
    const [header, ...rows] = text.trimEnd().split('\n');
    const cols = header!.split(',');
    const at = (name: string) => cols.indexOf(name);
    const markers = ['N/A', 'NaN', 'null', '-', '#N/A', '--', '\u2014', '\u2013', ' \u2014 '];
    const withCells = (value: (i: number) => string, names: string[]) =>
      [
        header,
        ...rows.map((line, i) => {
          const cells = line.split(',');
          for (const n of names) cells[at(n)] = value(i);
          return cells.join(',');
        }),
      ].join('\n');
    const blank = join(dir, 'no-value-blank.csv');
    writeFileSync(
      blank,
      withCells(() => '', ['bid', 'ask']),
    );
    const marked = join(dir, 'no-value-marked.csv');
    writeFileSync(
      marked,
      withCells((i) => markers[i % markers.length]!, ['bid', 'ask']),
    );
    const expected = (await run(blank)).snapshot;
    const got = (await run(marked)).snapshot;
    for (const k of ['contracts', 'total_gex', 'zero_gamma', 'quality'] as const)
      expect(got[k], k).toEqual(expected[k]);

    // Required: the marker is a missing value, named as such, at its line.
    const lines = [header!, ...rows];
    const cells = lines[3]!.split(',');
    cells[at('open_interest')] = 'N/A';
    lines[3] = cells.join(',');
    const missing = join(dir, 'no-value-required.csv');
    writeFileSync(missing, lines.join('\n'));
    const e = await failureOf(missing);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 4, field: 'open_interest' });
    expect(e.message).toContain('is missing');
  });

  it('every required field empty or N/A, in the first row or a later one, is "missing" (CSV and Parquet)', async () => {
    const text = longCsvText(makeChain({ seed: 37, expiries: 2, strikesPerExpiry: 4 }));
    const [header, ...rows] = text.trimEnd().split('\n');
    const cols = header!.split(',');
    const required = [
      'underlying',
      'as_of',
      'spot',
      'expiry',
      'strike',
      'option_type',
      'open_interest',
      'volume',
    ];
    for (const col of required) {
      for (const marker of ['', ' ', 'N/A', '#N/A', 'null', '-', '\u2014', '\u2013']) {
        for (const row of [0, 1]) {
          const lines = rows.map((l) => l.split(','));
          lines[row]![cols.indexOf(col)] = marker;
          const file = join(dir, `missing-${col}.csv`);
          writeFileSync(file, [header, ...lines.map((l) => l.join(','))].join('\n'));
          const e = await failureOf(file);
          const label = `${col} ${JSON.stringify(marker)} row ${row}`;
          expect(e, label).toMatchObject({ code: 'BAD_VALUE', line: row + 2, field: col });
          expect(e.message, label).toMatch(/ is missing$/);
        }
      }
      // A Parquet null at the second row (numbers typed, as a data frame writes them).
      const numeric = new Set(LONG_NUMERIC_COLUMNS);
      const records: Record<string, string | number | null>[] = rows.map((l) =>
        Object.fromEntries(
          l.split(',').map((v, i) => [cols[i]!, numeric.has(cols[i]!) ? Number(v) : v]),
        ),
      );
      records[1] = { ...records[1]!, [col]: null };
      const parquet = join(dir, `missing-${col}.parquet`);
      pl.DataFrame(records).writeParquet(parquet);
      const e = await failureOf(parquet);
      expect(e, `${col} parquet`).toMatchObject({ code: 'BAD_VALUE', line: 2, field: col });
      expect(e.message, `${col} parquet`).toMatch(/ is missing$/);
    }

    // NA and NaN are tickers in the underlying column, never "missing".
    const na = join(dir, 'ticker-na.csv');
    writeFileSync(na, text.replace(/^SPX,/gm, 'NA,'));
    expect((await run(na)).snapshot.underlying).toBe('NA');

    // A CBOE download's expiry of N/A is missing too.
    const cboe = cboeCsvText(makeChain({ seed: 38, expiries: 2, strikesPerExpiry: 4 })).split('\n');
    cboe[6] = cboe[6]!.replace(/^[^,]+/, 'N/A');
    const cboeFile = join(dir, 'cboe-expiry-na.csv');
    writeFileSync(cboeFile, cboe.join('\n'));
    const e = await failureOf(cboeFile);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 7, field: 'Expiration Date' });
    expect(e.message).toMatch(/ is missing$/);
  });

  it('columns separated by semicolons, tabs or bars are refused with what to do', async () => {
    const text = longCsvText(makeChain({ seed: 34, expiries: 1, strikesPerExpiry: 4 }));
    for (const [sep, what] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
      ['|', 'vertical bars'],
    ] as const) {
      const file = join(dir, `separated-${what.replace(' ', '-')}.txt`);
      // A decimal comma, as such exports write them: never to be read as a thousands separator.
      writeFileSync(file, text.replace(/,/g, sep).replace(/(\d)\.(\d)/g, '$1,$2'));
      const e = await failureOf(file);
      expect(e, what).toMatchObject({ code: 'UNKNOWN_FORMAT', file, line: 1 });
      expect(e.message, what).toContain(`separated by ${what}`);
      expect(e.message, what).toContain('commas, with a decimal point');
    }
  });

  it('a CBOE quote download re-saved with semicolons, tabs or bars is refused with what to do', async () => {
    // As Excel saves it in a locale with decimal commas: BOM, CRLF, another separator.
    const text = cboeCsvText(makeChain({ seed: 35, expiries: 1, strikesPerExpiry: 4 }), {
      excel: true,
    });
    for (const [sep, what] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
      ['|', 'vertical bars'],
    ] as const) {
      const file = join(dir, `cboe-separated-${what.replace(' ', '-')}.csv`);
      writeFileSync(file, text.replace(/,/g, sep).replace(/(\d)\.(\d)/g, '$1,$2'));
      const e = await failureOf(file);
      expect(e, what).toMatchObject({ code: 'UNKNOWN_FORMAT', file, line: 2 });
      expect(e.message, what).toBe(
        `${file} looks like a CBOE quote download with its columns separated by ${what}; GEX Desk reads them separated by commas, with a decimal point: submit the file as CBOE's "Download CSV" gives it, or export it as "CSV (comma delimited)" (see docs/formats.md)`,
      );
      // The cheap facts at arrival refuse it alike.
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok ? null : sniffed.error).toEqual(e);
    }
  });

  it('CSV and Parquet of the same chain give the same snapshot', async () => {
    const csv = join(dir, 'same.csv');
    const parquet = join(dir, 'same.parquet');
    const chain = writeLongCsv(csv, {
      seed: 32,
      expiries: 5,
      strikesPerExpiry: 25,
      expiredExpiries: 1,
    });
    writeLongParquet(parquet, { seed: 32, expiries: 5, strikesPerExpiry: 25, expiredExpiries: 1 });
    const a = (await run(csv)).snapshot;
    const b = (await run(parquet)).snapshot;
    expect(b.format).toBe('long-parquet');
    for (const k of [
      'underlying',
      'as_of',
      'spot',
      'contracts',
      'total_gex',
      'call_gex',
      'put_gex',
      'zero_gamma',
      'call_wall',
      'put_wall',
      'max_pain',
      'quality',
    ] as const) {
      expect(b[k]).toEqual(a[k]);
    }
    const e = expectedGex(chain);
    expect(a.call_gex).toBeCloseTo(e.call, 0);
    expect(a.contracts).toBe(e.used);
  });

  it("reads a Parquet file's numbers stored as text with the CSV's grammar, never cast", async () => {
    const csv = join(dir, 'text-numbers.csv');
    writeLongCsv(csv, { seed: 33, expiries: 3, strikesPerExpiry: 10 });
    const text = pl.readCSV(csv, { inferSchemaLength: 0 }); // every column as text
    const withCells = (col: string, cells: Record<number, string>) =>
      text.withColumn(
        pl.Series(
          col,
          (text.getColumn(col).toArray() as string[]).map((v, i) => cells[i] ?? v),
          pl.Utf8,
        ),
      );
    const write = (name: string, df: typeof text) => {
      const path = join(dir, name);
      df.writeParquet(path);
      return path;
    };
    // All text, with thousands separators and a no-value marker: the CSV's snapshot.
    const oi = text.getColumn('open_interest').toArray() as string[];
    const big = oi.findIndex((v) => Number(v) >= 1000);
    expect(big).toBeGreaterThanOrEqual(0);
    const same = write(
      'text-numbers.parquet',
      withCells('open_interest', { [big]: Number(oi[big]).toLocaleString('en-US') }).withColumn(
        pl.Series(
          'bid',
          (text.getColumn('bid').toArray() as string[]).map((v, i) => (i === 3 ? 'N/A' : v)),
          pl.Utf8,
        ),
      ),
    );
    expect(pl.readParquet(same).getColumn('open_interest').dtype.variant).toBe('String');
    const a = (await run(csv)).snapshot;
    const b = (await run(same)).snapshot;
    for (const k of ['contracts', 'total_gex', 'zero_gamma', 'call_wall', 'put_wall'] as const)
      expect(b[k], k).toEqual(a[k]);
    // Text that is no number is said at its row, in an optional column too (it was null:
    // "missing", or a gamma silently computed from the IV).
    for (const [col, field] of [
      ['gamma', 'gamma'],
      ['open_interest', 'open_interest'],
    ] as const) {
      const bad = write(`text-${col}.parquet`, withCells(col, { 39: 'abc' }));
      const e = await failureOf(bad);
      expect(e, col).toMatchObject({ code: 'BAD_VALUE', line: 40, field });
      expect(e.message, col).toContain('("abc") is not a number');
    }
  });

  it("a Parquet float column's NaN is empty, as the CSV's NaN cell is", async () => {
    const csv = join(dir, 'nan-cells.csv');
    writeLongCsv(csv, { seed: 34, expiries: 3, strikesPerExpiry: 10 });
    const text = pl.readCSV(csv, { inferSchemaLength: 0 });
    const withNaN = (col: string, row: number) =>
      text.withColumn(
        pl.Series(
          col,
          (text.getColumn(col).toArray() as string[]).map((v, i) => (i === row ? 'NaN' : v)),
          pl.Utf8,
        ),
      );
    // A vendor's frame writes a missing gamma or bid as the float NaN (Polars does).
    const both = withNaN('gamma', 4).withColumn(withNaN('bid', 7).getColumn('bid'));
    const nanCsv = join(dir, 'nan-cells-text.csv');
    both.writeCSV(nanCsv);
    const nanParquet = join(dir, 'nan-cells.parquet');
    pl.readCSV(nanCsv, { ignoreErrors: false }).writeParquet(nanParquet);
    const gamma = pl.readParquet(nanParquet).getColumn('gamma');
    expect(gamma.dtype.variant).toBe('Float64');
    expect(Number.isNaN((gamma.toArray() as number[])[4])).toBe(true);
    const a = (await run(nanCsv)).snapshot;
    const b = (await run(nanParquet)).snapshot;
    for (const k of ['contracts', 'total_gex', 'zero_gamma', 'call_wall', 'put_wall'] as const)
      expect(b[k], k).toEqual(a[k]);
    // In a required column it is missing, at its row.
    const oiCsv = join(dir, 'nan-oi.csv');
    withNaN('open_interest', 9).writeCSV(oiCsv);
    const oiParquet = join(dir, 'nan-oi.parquet');
    pl.readCSV(oiCsv, { ignoreErrors: false }).writeParquet(oiParquet);
    expect(pl.readParquet(oiParquet).getColumn('open_interest').dtype.variant).toBe('Float64');
    const e = await failureOf(oiParquet);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 10, field: 'open_interest' });
    expect(e.message).toContain('is missing');
  });

  it('a cell repeating the last one reads the same, quoted or not, but an escaped quote is not its raw bytes', async () => {
    const head = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma\n';
    const row = (u: string, expiry: string, strike: number) =>
      `${u},2024-01-08T10:30:00-05:00,4700,${expiry},${strike},C,10,1,0.2,0.001\n`;
    const same = join(dir, 'repeats.csv');
    writeFileSync(
      same,
      head +
        row('SPX', '2024-01-19', 4700) +
        row('"SPX"', '"2024-01-19"', 4705) +
        row('SPX', '2024-01-26', 4700),
    );
    const read = await readChain(same, conventions());
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.contracts.expiries).toEqual(['2024-01-19', '2024-01-26']);
    expect([...read.value.contracts.expiry]).toEqual([0, 0, 1]);
    // "S""X" is S"X; the unquoted S""X has the same bytes but is another underlying.
    const escaped = join(dir, 'escaped.csv');
    writeFileSync(
      escaped,
      head + row('"S""X"', '2024-01-19', 4700) + row('S""X', '2024-01-19', 4705),
    );
    const refused = await readChain(escaped, conventions());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ line: 3, field: 'underlying' });
  });

  it('a timestamp without an offset is exchange time', () => {
    expect(parseTimestamp('2024-07-01 09:30:00', 'America/New_York')).toBe(
      '2024-07-01T09:30:00-04:00',
    );
    expect(parseTimestamp('2024-01-02T09:30', 'America/New_York')).toBe(
      '2024-01-02T09:30:00-05:00',
    );
    expect(parseTimestamp('2024-01-02T14:30:00Z', 'America/New_York')).toBe('2024-01-02T14:30:00Z');
    expect(parseTimestamp('2024-01-02T09:30:00+0100', 'America/New_York')).toBe(
      '2024-01-02T09:30:00+01:00',
    );
    expect(parseTimestamp('2024-01-02 09:30:00', 'Europe/London')).toBe(
      '2024-01-02T09:30:00+00:00',
    );
    expect(parseTimestamp('yesterday', 'America/New_York')).toBeNull();
    // A fraction of zeros is dropped, another kept.
    expect(parseTimestamp('2024-01-08 10:30:00.000000-05:00', 'UTC')).toBe(
      '2024-01-08T10:30:00-05:00',
    );
    expect(parseTimestamp('2024-01-08T15:30:00.250Z', 'UTC')).toBe('2024-01-08T15:30:00.250Z');
    // Also without an offset: 10:30:00.250 is not 10:30:00.
    expect(parseTimestamp('2024-01-08 10:30:00.250', 'America/New_York')).toBe(
      '2024-01-08T10:30:00.250-05:00',
    );
    expect(parseTimestamp('2024-01-08 10:30:00.000', 'America/New_York')).toBe(
      '2024-01-08T10:30:00-05:00',
    );
  });

  it('a wall-clock time around a daylight-saving change is the instant the clocks showed', () => {
    const ny = (text: string) => parseTimestamp(text, 'America/New_York');
    // Spring forward (02:00 EST → 03:00 EDT): 02:30 shows on no clock; read with the offset
    // from before the jump, it is 07:30Z, which the clocks showed as 03:30 EDT.
    expect(ny('2024-03-10 02:30:00')).toBe('2024-03-10T03:30:00-04:00');
    expect(Date.parse(ny('2024-03-10 02:30:00')!)).toBe(Date.parse('2024-03-10T07:30:00Z'));
    expect(ny('2024-03-10 01:59:59')).toBe('2024-03-10T01:59:59-05:00');
    expect(ny('2024-03-10 03:00:00')).toBe('2024-03-10T03:00:00-04:00');
    // Fall back: 01:30 shows twice, read as the first (EDT), and 02:30 once (EST).
    expect(ny('2024-11-03 01:30:00')).toBe('2024-11-03T01:30:00-04:00');
    expect(ny('2024-11-03 02:30:00')).toBe('2024-11-03T02:30:00-05:00');
    // East of UTC (Berlin jumps 02:00 CET → 03:00 CEST).
    expect(parseTimestamp('2024-03-31 02:15', 'Europe/Berlin')).toBe('2024-03-31T03:15:00+02:00');
  });

  it('a US-order date and time, as Excel writes it, is exchange time (month first, as expiries)', () => {
    const ny = (text: string) => parseTimestamp(text, 'America/New_York');
    expect(ny('01/08/2024 10:30:00')).toBe('2024-01-08T10:30:00-05:00');
    expect(ny('1/8/2024 10:30')).toBe('2024-01-08T10:30:00-05:00');
    expect(ny('7/1/2024 9:30:15 AM')).toBe('2024-07-01T09:30:15-04:00');
    expect(ny('7/1/2024 12:05 AM')).toBe('2024-07-01T00:05:00-04:00');
    expect(ny('7/1/2024 12:05 PM')).toBe('2024-07-01T12:05:00-04:00');
    expect(ny('7/1/2024 3:59:00 p.m.')).toBe('2024-07-01T15:59:00-04:00');
    for (const bad of ['13/01/2024 10:30', '2/30/2024 10:30', '7/1/2024 13:00 PM', '7/1/2024'])
      expect(ny(bad), bad).toBeNull();
  });

  it('an as_of that is not a timestamp is refused with the forms that are', async () => {
    const file = join(dir, 'epoch-as-of.csv');
    writeFileSync(
      file,
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
        'SPY,1704727800000,475,2024-01-19,470,C,1000,10,0.15\n',
    );
    const r = await readChain(file, conventions());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'as_of' });
      expect(r.error.message).toContain(
        'is not a timestamp: write 2024-01-08T10:30:00-05:00, or without the offset',
      );
    }
  });

  it('an as_of with an impossible second or offset is BAD_VALUE at its line and field, as an impossible date is', async () => {
    const longFile = (asOf: string) => {
      const file = join(dir, 'impossible-as-of.csv');
      writeFileSync(
        file,
        'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
          `SPY,${asOf},475,2024-01-19,470,C,1000,10,0.15\n` +
          `SPY,${asOf},475,2024-01-19,470,P,1000,10,0.15\n`,
      );
      return file;
    };
    for (const asOf of [
      '2024-02-30T10:30:00-05:00',
      '2024-01-08T10:30:60-05:00',
      '2024-01-08T10:30:00+25:00',
      '2024-01-08T10:30:00+23:00',
      '2024-01-08T10:30:00-14:30',
      '2024-01-08T10:30:00+0560',
      '2024-01-08 10:30:60',
      '1/8/2024 10:30:60',
    ]) {
      const file = longFile(asOf);
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value.as_of, asOf).toBeNull();
      const e = await failureOf(file);
      expect(e, asOf).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'as_of' });
      expect(e.message, asOf).toContain('is not a timestamp');
    }
    // The furthest offsets a zone has are read.
    for (const asOf of ['2024-01-08T10:30:59+14:00', '2024-01-08T10:30:00-12:00']) {
      const r = await readChain(longFile(asOf), conventions());
      expect(r.ok && r.value.as_of, asOf).toBe(asOf);
    }
    // CBOE JSON's timestamp likewise, at its JSON path.
    const json = join(dir, 'impossible-timestamp.json');
    writeFileSync(
      json,
      cboeJsonText(makeChain({ seed: 18, expiries: 1, strikesPerExpiry: 3 })).replace(
        /"timestamp":\s*"[^"]*"/,
        '"timestamp": "2024-01-08 10:30:60"',
      ),
    );
    expect(await failureOf(json)).toMatchObject({ code: 'BAD_VALUE', field: '$.timestamp' });
  });

  it('Parquet timestamp and date columns: a zoned timestamp is that instant, a naive one exchange time', async () => {
    const rows = 4;
    const frame = pl.DataFrame({
      underlying: Array(rows).fill('QQQ'),
      as_of: Array(rows).fill(new Date('2024-01-08T15:30:00Z')),
      spot: Array(rows).fill(400.5),
      expiry: Array(rows).fill(new Date('2024-01-19T00:00:00Z')),
      strike: [395, 395, 405, 405],
      option_type: ['C', 'P', 'C', 'P'],
      open_interest: [100, 200, 300, 400],
      volume: [1, 2, 3, 4],
      iv: [0.2, 0.21, 0.19, 0.2],
    });
    const zoned = join(dir, 'zoned.parquet');
    frame
      .withColumns(
        pl.col('as_of').cast(pl.Datetime('us', 'America/New_York')),
        pl.col('expiry').cast(pl.Date),
      )
      .writeParquet(zoned);
    const naive = join(dir, 'naive.parquet');
    frame.writeParquet(naive);
    const a = await readChain(zoned, conventions());
    expect(a.ok && [a.value.as_of, a.value.contracts.expiries]).toEqual([
      '2024-01-08T10:30:00-05:00',
      ['2024-01-19'],
    ]);
    const b = await readChain(naive, conventions());
    expect(b.ok && b.value.as_of).toBe('2024-01-08T15:30:00-05:00');
  });

  it('parses expiries in the usual forms', () => {
    expect(parseExpiry('Fri Jan 05 2024')).toBe('2024-01-05');
    expect(parseExpiry('2024-01-05')).toBe('2024-01-05');
    expect(parseExpiry('01/05/2024')).toBe('2024-01-05');
    expect(parseExpiry('20240105')).toBe('2024-01-05');
    expect(parseExpiry('Jan 5, 2024')).toBe('2024-01-05');
    expect(parseExpiry('5-Jan-2024')).toBe('2024-01-05');
    expect(parseExpiry('Fri Feb 30 2024')).toBeNull();
    expect(parseExpiry('soon')).toBeNull();
  });
});

describe('an unseen-style file', () => {
  it('a large equity chain in the CBOE CSV layout, Excel-saved, old date form, in summer', async () => {
    const file = join(dir, 'unseen.csv');
    const chain = writeCboeCsv(file, {
      seed: 41,
      underlying: 'TSLA',
      name: 'TESLA INC',
      spot: 251.37,
      asOf: '2023-08-14T16:15:00',
      dateForm: 'old',
      excel: true,
      quotedThousands: true,
      expiries: 30,
      strikesPerExpiry: 160,
      expiredExpiries: 1,
      zeroIvShare: 0.05,
    });
    const out = await run(file);
    const e = expectedGex(chain);
    expect(out.snapshot).toMatchObject({
      underlying: 'TSLA',
      as_of: '2023-08-14T16:15:00-04:00',
      spot: 251.37,
      contracts: e.used,
    });
    expect(out.snapshot.call_gex).toBeCloseTo(e.call, 0);
    expect(out.snapshot.put_gex).toBeCloseTo(e.put, 0);
    expect(out.snapshot.total_gex).toBeCloseTo(e.call + e.put, 0);
    expect(out.snapshot.quality.dropped).toEqual([{ reason: 'expired', rows: 320 }]);
  });
});

describe('delta from the file, roots, one underlying', () => {
  it('every reader fills delta as the file writes it (puts negative), NaN where it has none', async () => {
    const chain = makeChain({ seed: 71, expiries: 2, strikesPerExpiry: 6 });
    const sides = (c: { call: Uint8Array; delta: Float64Array; n: number }) => {
      const out = new Set<string>();
      for (let i = 0; i < c.n; i++) out.add(`${c.call[i] ? 'C' : 'P'}${c.delta[i]}`);
      return [...out].sort();
    };
    const csv = join(dir, 'delta.csv');
    writeFileSync(csv, cboeCsvText(chain));
    const a = await readChain(csv, conventions());
    if (!a.ok) throw new Error(JSON.stringify(a.error));
    expect(sides(a.value.contracts)).toEqual(['C0.5', 'P-0.5']);
    const json = join(dir, 'delta.json');
    writeCboeJson(json, { seed: 72, expiries: 2, strikesPerExpiry: 6 });
    const b = await readChain(json, conventions());
    if (!b.ok) throw new Error(JSON.stringify(b.error));
    expect(sides(b.value.contracts)).toEqual(['C0.5', 'P-0.5']);
    // Long format: an optional delta column.
    const lines = longCsvText(chain).trimEnd().split('\n');
    const withDelta = [
      `${lines[0]},delta`,
      ...lines.slice(1).map((l) => `${l},${l.includes(',C,') ? '0.25' : '-0.75'}`),
    ].join('\n');
    const long = join(dir, 'delta-long.csv');
    writeFileSync(long, withDelta);
    const c = await readChain(long, conventions());
    if (!c.ok) throw new Error(JSON.stringify(c.error));
    expect(sides(c.value.contracts)).toEqual(['C0.25', 'P-0.75']);
    const parquet = join(dir, 'delta.parquet');
    pl.readCSV(withDelta).writeParquet(parquet);
    const d = await readChain(parquet, conventions());
    if (!d.ok) throw new Error(JSON.stringify(d.error));
    expect(sides(d.value.contracts)).toEqual(['C0.25', 'P-0.75']);
    const without = join(dir, 'no-delta.csv');
    writeLongCsv(without, { seed: 73, expiries: 1, strikesPerExpiry: 4 });
    const e = await readChain(without, conventions());
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    expect(sides(e.value.contracts)).toEqual(['CNaN', 'PNaN']);
  });

  it('each contract keeps its root: SPXW and SPX in a CBOE file, the underlying in the long format', async () => {
    const chain = makeChain({ seed: 74, expiries: 4, strikesPerExpiry: 5 });
    const csv = join(dir, 'roots.csv');
    writeFileSync(csv, cboeCsvText(chain));
    const r = await readChain(csv, conventions());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const c = r.value.contracts;
    const byRoot = new Map<string, number>();
    for (let i = 0; i < c.n; i++)
      byRoot.set(c.roots[c.root[i]!]!, (byRoot.get(c.roots[c.root[i]!]!) ?? 0) + 1);
    const expected = new Map<string, number>();
    for (const k of chain.contracts) expected.set(k.root, (expected.get(k.root) ?? 0) + 1);
    expect(byRoot).toEqual(expected);
    const long = join(dir, 'roots-long.csv');
    writeLongCsv(long, { seed: 75, expiries: 1, strikesPerExpiry: 3 });
    const l = await readChain(long, conventions());
    expect(
      l.ok && [...new Set(Array.from(l.value.contracts.root, (i) => l.value.contracts.roots[i]))],
    ).toEqual(['SPX']);
  });

  it('symbols of two underlyings in one CBOE file are refused at the first of the second', async () => {
    const lines = cboeCsvText(
      makeChain({ seed: 76, expiries: 2, strikesPerExpiry: 6, roots: ['SPX'] }),
    ).split('\n');
    lines[9] = lines[9]!.replace(/SPX(\d{6}[CP])/g, 'NDX$1');
    const file = join(dir, 'two-underlyings.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await readChain(file, conventions());
    expect(r.ok ? null : r.error).toMatchObject({ code: 'BAD_VALUE', line: 10, field: 'Calls' });
    const doc = JSON.parse(
      cboeJsonText(
        makeChain({ seed: 77, underlying: 'META', spot: 749.75, expiries: 1, strikesPerExpiry: 4 }),
      ),
    );
    doc.data.options[3].option = doc.data.options[3].option.replace('META', 'AAPL');
    const json = join(dir, 'two-underlyings.json');
    writeFileSync(json, JSON.stringify(doc));
    const j = await readChain(json, conventions());
    expect(j.ok ? null : j.error).toMatchObject({
      code: 'BAD_VALUE',
      field: '$.data.options[3].option',
    });
  });

  it('an adjusted option (AAPL1) beside its stock (AAPL) is of AAPL, its rows dropped with the reason, in every reader; a ticker ending in a digit alone is itself', async () => {
    // Every other expiry is AAPL1's; in the second file, the first one: it comes first.
    for (const roots of [
      ['AAPL', 'AAPL1'],
      ['AAPL1', 'AAPL'],
    ]) {
      const chain = makeChain({
        seed: 78,
        underlying: 'AAPL',
        spot: 190.5,
        expiries: 4,
        strikesPerExpiry: 8,
        roots,
      });
      const parent = { ...chain, contracts: chain.contracts.filter((k) => k.root === 'AAPL') };
      const adjusted = chain.contracts.length - parent.contracts.length;
      expect(adjusted).toBeGreaterThan(0);
      const e = expectedGex(parent);
      // The long format without a root column: each row's underlying cell is its root.
      const [longHeader, ...longRows] = longCsvText(chain).trimEnd().split('\n');
      const longText = [
        longHeader,
        ...longRows.map((l, i) => l.replace(/^[^,]+/, chain.contracts[i]!.root)),
      ].join('\n');
      expect(longText.split('\n')[1]).toMatch(new RegExp(`^${roots[0]},`));
      const longParquet = join(dir, 'adjusted-long.parquet');
      writeFileSync(join(dir, 'adjusted-long-source.csv'), longText);
      pl.readCSV(join(dir, 'adjusted-long-source.csv')).writeParquet(longParquet);
      for (const [name, text] of [
        ['adjusted.csv', cboeCsvText(chain)],
        ['adjusted.json', cboeJsonText(chain)],
        ['adjusted-long.csv', longText],
        ['adjusted-long.parquet', null],
      ] as const) {
        const file = join(dir, name);
        if (text !== null) writeFileSync(file, text);
        const at = `${roots.join(',')} ${name}`;
        const out = await run(file);
        expect(out.snapshot, at).toMatchObject({ underlying: 'AAPL', contracts: e.used });
        expect(out.snapshot.call_gex, at).toBeCloseTo(e.call, 0);
        expect(out.snapshot.put_gex, at).toBeCloseTo(e.put, 0);
        expect(out.snapshot.quality.dropped, at).toEqual([
          { reason: 'adjusted option (deliverable not 100 shares)', rows: adjusted },
        ]);
        // At arrival, the first symbol tells only when it is the stock's.
        const sniffed = await sniffChain(file, conventions());
        // (Parquet's footer tells only a column holding one value.)
        expect(sniffed.ok && sniffed.value.underlying, at).toBe(
          roots[0] === 'AAPL' && !name.endsWith('.parquet') ? 'AAPL' : null,
        );
        // Else it names the only underlyings the whole read may give (the one it gives among them).
        expect(sniffed.ok && sniffed.value.underlying_one_of, at).toEqual(
          roots[0] === 'AAPL1' && !name.endsWith('.parquet') ? ['AAPL1', 'AAPL'] : undefined,
        );
      }
    }
    // A ticker of its own that ends in a digit: nothing is adjusted.
    const own = makeChain({
      seed: 79,
      underlying: 'NEW1',
      spot: 50,
      expiries: 2,
      strikesPerExpiry: 6,
    });
    const file = join(dir, 'new1.json');
    writeFileSync(file, cboeJsonText(own));
    const out = await run(file);
    expect(out.snapshot).toMatchObject({ underlying: 'NEW1', contracts: own.contracts.length });
    expect(out.snapshot.quality.dropped).toEqual([]);
  });

  it('the tokenizer: quoted cells with commas, "" escapes and line breaks keep the lines of the file', async () => {
    const head = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,note';
    const rows = [
      'SPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,"1,234",1,0.2,"a, ""quoted"" note"',
      'SPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,P,5,1,0.2,"two\nlines"',
      'SPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4705,C,x,1,0.2,',
    ];
    const file = join(dir, 'quoted.csv');
    writeFileSync(file, [head, ...rows].join('\r\n') + '\r\n');
    const r = await readChain(file, conventions());
    // The bad cell is on line 5 of the file: the quoted line break counts.
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'BAD_VALUE',
      line: 5,
      field: 'open_interest',
    });
    writeFileSync(file, [head, ...rows.slice(0, 2)].join('\r\n') + '\r\n');
    const ok = await readChain(file, conventions());
    if (!ok.ok) throw new Error(JSON.stringify(ok.error));
    expect(Array.from(ok.value.contracts.open_interest)).toEqual([1234, 5]);
  });
});

const eolOf = (text: string): string =>
  text.includes('\r\n') ? '\r\n' : text.includes('\r') ? '\r' : '\n';

describe('files as editors and spreadsheets leave them', () => {
  it('a CBOE download with CR line ends, or without its empty first line, reads as the download; its errors name their lines', async () => {
    const text = cboeCsvText(makeChain({ seed: 61, expiries: 3, strikesPerExpiry: 12 }));
    const lf = join(dir, 'cboe-lf.csv');
    writeFileSync(lf, text);
    const expected = (await run(lf)).snapshot;
    const facts = await sniffChain(lf, conventions());
    const variants: [string, string, number][] = [
      // name, text, how many lines earlier than the download each line is
      ['cboe-cr.csv', text.replace(/\n/g, '\r'), 0],
      ['cboe-cr-excel.csv', `\uFEFF${text.replace(/\n/g, '\r')}`, 0],
      ['cboe-no-first-line.csv', text.slice(1), 1],
      ['cboe-no-first-line-crlf.csv', text.slice(1).replace(/\n/g, '\r\n'), 1],
      ['cboe-no-first-line-cr.csv', text.slice(1).replace(/\n/g, '\r'), 1],
    ];
    for (const [name, body, shift] of variants) {
      const file = join(dir, name);
      writeFileSync(file, body);
      expectSameSnapshot((await run(file)).snapshot, expected, name);
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value, name).toEqual(facts.ok && facts.value);

      // A bad cell on line 9 of the download, a bad Last: price, a header without Strike.
      const lines = body.split(/\r\n|\r|\n/);
      const bad = (line: number, edit: (l: string) => string): string => {
        const copy = [...lines];
        copy[line - 1 - shift] = edit(copy[line - 1 - shift]!);
        const path = join(dir, `bad-${line}-${name}`);
        writeFileSync(path, copy.join(eolOf(body)));
        return path;
      };
      const cell = await failureOf(bad(9, (l) => l.replace(/^[^,]+/, 'someday')));
      expect(cell, name).toMatchObject({
        code: 'BAD_VALUE',
        line: 9 - shift,
        field: 'Expiration Date',
      });
      const last = await failureOf(bad(2, (l) => l.replace(/Last: [\d.]+/, 'Last: x')));
      expect(last, name).toMatchObject({ code: 'BAD_VALUE', line: 2 - shift, field: 'Last' });
      const header = await failureOf(bad(4, (l) => l.replace('Strike', 'Price')));
      expect(header, name).toMatchObject({ code: 'BAD_HEADER', line: 4 - shift });
      expect(header.message, name).toContain(`line ${4 - shift}: no "Strike" column`);
      // An empty line (a lone CR in a CR file) is skipped and counted; the last line cut
      // short but ended is a row with too few fields, not a file cut short.
      const end = lines.length - 1 + shift;
      const shortLast = await failureOf(bad(end, (l) => l.split(',').slice(0, 5).join(',')));
      expect(shortLast, name).toMatchObject({ code: 'BAD_VALUE', line: end - shift });
      const blankThenBad = await failureOf(
        bad(9, (l) => `${eolOf(body)}${l.replace(/^[^,]+/, 'someday')}`),
      );
      expect(blankThenBad, name).toMatchObject({ code: 'BAD_VALUE', line: 10 - shift });
    }

    // What cannot be read is named as a CBOE download, with what is wrong.
    const noPreamble = join(dir, 'cboe-no-preamble.csv');
    writeFileSync(noPreamble, text.split('\n').slice(3).join('\r'));
    const e = await failureOf(noPreamble);
    expect(e).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 1 });
    expect(e.message).toContain('looks like a CBOE quote download without its first lines');
    const moved = join(dir, 'cboe-last-moved.csv');
    writeFileSync(moved, `exported by a script\n${text}`);
    const e2 = await failureOf(moved);
    expect(e2).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 3 });
    expect(e2.message).toContain(
      'looks like a CBOE quote download, but its "Last:" line is line 3',
    );
  });

  it('a row of empty cells (Excel\'s cleared rows, ",,,,") reads as a blank line in the CBOE and the long CSV, and in Parquet a row of nulls', async () => {
    const cboeText = cboeCsvText(makeChain({ seed: 62, expiries: 2, strikesPerExpiry: 10 }), {
      excel: true,
    });
    const longText = longCsvText(makeChain({ seed: 63, expiries: 2, strikesPerExpiry: 10 }));
    for (const [name, text, eol] of [
      ['cboe', cboeText, '\r\n'],
      ['long', longText, '\n'],
    ] as const) {
      const lines = text.split(eol);
      const bodyAt = name === 'cboe' ? 4 : 1;
      const width = lines[bodyAt]!.split(',').length;
      const good = join(dir, `blank-rows-${name}.csv`);
      writeFileSync(good, text);
      const expected = (await run(good)).snapshot;
      // Rows of empty cells between the rows, at the end, of the header's width or not.
      const blanks = [',', ','.repeat(width - 1), ','.repeat(width + 3), ' , ,"", " "'];
      const copy = [...lines];
      copy.splice(bodyAt + 3, 0, blanks[0]!, blanks[1]!);
      copy.splice(copy.length - 1, 0, blanks[2]!, blanks[3]!);
      if (name === 'long') copy.unshift(','.repeat(width - 1)); // above the header too
      const file = join(dir, `blank-rows-${name}-2.csv`);
      writeFileSync(file, copy.join(eol));
      expectSameSnapshot((await run(file)).snapshot, expected, name);

      // A row with one cell that is not empty is a row, refused at its line.
      const oneCell = [...lines];
      oneCell.splice(bodyAt + 3, 0, `${','.repeat(width - 1)}x`);
      const bad = join(dir, `blank-rows-${name}-bad.csv`);
      writeFileSync(bad, oneCell.join(eol));
      const e = await failureOf(bad);
      expect(e, name).toMatchObject({ code: 'BAD_VALUE', line: bodyAt + 4 });
    }

    // Parquet: what a data frame makes of such rows (every column null, NaN or blank) is
    // skipped too; rows keep their place in the file in messages.
    const good = join(dir, 'blank-rows-long.csv');
    const records = pl.readCSV(good).toRecords();
    const nulls = Object.fromEntries(Object.keys(records[0]!).map((k) => [k, null]));
    const nans = Object.fromEntries(
      Object.entries(records[0]!).map(([k, v]) => [k, typeof v === 'number' ? NaN : null]),
    );
    const withBlanks = [
      ...records.slice(0, 3),
      nulls,
      { ...nans, underlying: ' ', as_of: '' },
      ...records.slice(3),
      nulls,
    ];
    const parquet = join(dir, 'blank-rows.parquet');
    pl.DataFrame(withBlanks).writeParquet(parquet);
    expect(pl.readParquet(parquet).height).toBe(records.length + 3);
    expectSameSnapshot((await run(parquet)).snapshot, (await run(good)).snapshot, 'parquet');
    withBlanks[6] = { ...withBlanks[6]!, open_interest: -1 };
    pl.DataFrame(withBlanks).writeParquet(parquet);
    const e = await failureOf(parquet);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 7, field: 'open_interest' });
    expect(e.message).toContain('row 7,');
    // A row with one value is a row.
    withBlanks[6] = { ...nulls, strike: 4700 };
    pl.DataFrame(withBlanks).writeParquet(parquet);
    expect(await failureOf(parquet)).toMatchObject({ code: 'BAD_VALUE', line: 7 });
  });
});
