// sniff: the cheap facts from a file's first (and, for JSON, last) bytes. The contract:
// whenever sniff gives a value, the full reader gives the same value for that file, or
// refuses the file. Checked on the real samples, on generated files in every format and
// on edge cases; the fuzz test checks it on hundreds of damaged files too.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import {
  readChain,
  sniffChain,
  sniffChainSync,
  sniffFd,
  type ChainSniff,
} from '../../electron/engine/pipeline/index.ts';
import { HEAD_BYTES } from '../../electron/engine/pipeline/detect-format.ts';
import {
  cboeCsvText,
  cboeJsonText,
  longCsvText,
  makeChain,
  writeCboeCsv,
  writeCboeJson,
  writeLongCsv,
  writeLongParquet,
} from '../fixtures/option-chains.ts';
import {
  conventions,
  fileWriter,
  META_SAMPLE,
  runSampleTests,
  SPX_SAMPLE,
  tempDir,
} from './helpers.ts';

const dir = tempDir('gex-sniff-');
const file = fileWriter(dir);

/** Writes `df` with writer options that DataFrame.writeParquet does not take. */
const sink = (
  df: pl.DataFrame,
  path: string,
  opts: { rowGroupSize?: number; statistics?: boolean },
): void =>
  void (df.lazy().sinkParquet(path, opts) as unknown as { collectSync(): unknown }).collectSync();

async function sniff(path: string): Promise<ChainSniff> {
  const r = await sniffChain(path, conventions());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  // The three ways in agree.
  expect(sniffChainSync(path, conventions())).toEqual(r);
  const fd = openSync(path, 'r');
  try {
    expect(sniffFd(path, fd, conventions())).toEqual(r);
  } finally {
    closeSync(fd);
  }
  return r.value;
}

/** The contract on one file; returns the sniffed facts and whether the reader accepted it. */
async function contract(path: string): Promise<{ sniffed: ChainSniff; read: boolean }> {
  const sniffed = await sniff(path);
  const chain = await readChain(path, conventions());
  if (chain.ok) {
    expect(chain.value.format).toBe(sniffed.format);
    for (const key of ['underlying', 'as_of', 'spot'] as const)
      if (sniffed[key] !== null) expect(sniffed[key]).toBe(chain.value[key]);
  }
  return { sniffed, read: chain.ok };
}

/** The contract, on a file the reader must accept, with every fact known from the ends. */
async function allKnown(path: string): Promise<ChainSniff> {
  const { sniffed, read } = await contract(path);
  expect(read).toBe(true);
  expect(sniffed.underlying).not.toBeNull();
  expect(sniffed.as_of).not.toBeNull();
  expect(sniffed.spot).not.toBeNull();
  return sniffed;
}

describe.skipIf(!runSampleTests)('sniff on the real samples', () => {
  it('SPX CSV and META JSON: every fact from the ends, the reader’s values', async () => {
    expect(await allKnown(SPX_SAMPLE)).toEqual({
      format: 'cboe-csv',
      underlying: 'SPX',
      as_of: '2024-01-07T10:52:00-05:00',
      spot: 4697.2402,
    });
    expect(await allKnown(META_SAMPLE)).toEqual({
      format: 'cboe-json',
      underlying: 'META',
      as_of: '2025-09-06T23:24:50-04:00',
      spot: 749.75,
    });
  });
});

describe('sniff on generated files in every format', () => {
  const size = { expiries: 6, strikesPerExpiry: 40 };
  it('CBOE CSV: both date forms, Excel (BOM, CRLF, quoted thousands), summer time, index and equity roots', async () => {
    const variants = [
      {},
      { dateForm: 'old' as const, asOf: '2022-07-05T20:26:00' },
      { excel: true, quotedThousands: true },
      { underlying: 'NDX', roots: ['NDXP', 'NDX'], name: 'NASDAQ 100 INDEX', spot: 16800 },
      {
        underlying: 'BRKB',
        name: 'BERKSHIRE HATHAWAY INC',
        spot: 410.5,
        excel: true,
        dateForm: 'old' as const,
      },
    ];
    for (const [i, v] of variants.entries()) {
      const path = join(dir, `cboe-${i}.csv`);
      const chain = writeCboeCsv(path, { seed: 100 + i, ...size, ...v });
      const s = await allKnown(path);
      expect(s.spot).toBe(chain.spot);
    }
  });

  it('CBOE JSON, small (whole in the head) and large (head and tail)', async () => {
    for (const [i, v] of [
      { expiries: 1, strikesPerExpiry: 4 },
      { expiries: 20, strikesPerExpiry: 60 },
    ].entries()) {
      const path = join(dir, `meta-${i}.json`);
      writeCboeJson(path, { seed: 110 + i, asOf: '2025-09-05T15:59:59', ...v });
      expect(await allKnown(path)).toMatchObject({
        format: 'cboe-json',
        underlying: 'META',
        as_of: '2025-09-05T15:59:59-04:00',
        spot: 749.75,
      });
    }
  });

  it('long CSV (constant snapshot columns, call/put words, no gamma, Z offset); Parquet: the format', async () => {
    for (const [i, v] of [{}, { wordyTypes: true, noGamma: true }, { offset: 'Z' }].entries()) {
      const path = join(dir, `long-${i}.csv`);
      writeLongCsv(path, { seed: 120 + i, ...size, ...v });
      expect((await allKnown(path)).format).toBe('long-csv');
    }
    const bom = file(
      'bom.csv',
      `\uFEFF\r\n${longCsvText(makeChain({ seed: 7, ...size })).replace(/\n/g, '\r\n')}`,
    );
    expect((await allKnown(bom)).underlying).toBe('SPX');
    // Parquet: from the footer's statistics (min = max, no nulls in every row group).
    const parquet = join(dir, 'long.parquet');
    const chain = writeLongParquet(parquet, { seed: 124, ...size });
    expect(await allKnown(parquet)).toEqual({
      format: 'long-parquet',
      underlying: 'SPX',
      as_of: '2024-01-08T10:30:00-05:00',
      spot: chain.spot,
    });
    // Several row groups; and a file without statistics: unknown.
    const df = pl.readParquet(parquet);
    const groups = join(dir, 'groups.parquet');
    sink(df, groups, { rowGroupSize: 100 });
    expect((await allKnown(groups)).spot).toBe(chain.spot);
    const bare = join(dir, 'bare.parquet');
    sink(df, bare, { statistics: false });
    expect((await contract(bare)).sniffed).toEqual({
      format: 'long-parquet',
      underlying: null,
      as_of: null,
      spot: null,
    });
    // A timestamp column (not text): its instant from the statistics, its zone from the
    // footer's Arrow schema, written as the reader writes it (docs/formats.md, Sniff).
    const instant = new Date('2024-01-08T15:30:00Z');
    const typedAs = (name: string, dtype: pl.DataType, at = instant): string => {
      const path = join(dir, name);
      df.withColumns(
        pl.Series('as_of', Array<Date>(df.height).fill(at), pl.Datetime('ms', 'UTC')).cast(dtype),
      ).writeParquet(path);
      return path;
    };
    const cases: [string, pl.DataType, string][] = [
      // Naive: the wall time written, in exchange time.
      ['typed-naive.parquet', pl.Datetime('ms'), '2024-01-08T15:30:00-05:00'],
      // "Adjusted to UTC" (zone UTC): the instant, in the exchange's offset.
      ['typed-utc.parquet', pl.Datetime('us', 'UTC'), '2024-01-08T10:30:00-05:00'],
      // A named zone: the instant in that zone's offset.
      ['typed-chicago.parquet', pl.Datetime('ns', 'America/Chicago'), '2024-01-08T09:30:00-06:00'],
      ['typed-tokyo.parquet', pl.Datetime('us', 'Asia/Tokyo'), '2024-01-09T00:30:00+09:00'],
    ];
    for (const [name, dtype, asOf] of cases)
      expect((await allKnown(typedAs(name, dtype))).as_of, name).toBe(asOf);
    // A damaged Arrow schema (its base64 overwritten, the footer's lengths kept): no
    // zone to write it in, unknown, never another value than the reader's.
    const chicago = readFileSync(join(dir, 'typed-chicago.parquet'));
    const at = chicago.lastIndexOf('ARROW:schema') + 'ARROW:schema'.length + 8;
    chicago.fill('A', at, at + 120);
    const damaged = file('typed-damaged.parquet', chicago);
    expect((await contract(damaged)).sniffed.as_of).toBeNull();
    // DuckDB's TIMESTAMPTZ and TIMESTAMP: no Arrow schema in the footer, Parquet's own
    // "adjusted to UTC" (read as zone UTC) or naive.
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const source = join(dir, 'typed-utc.parquet').replace(/'/g, "''");
    for (const [name, type, asOf] of [
      ['duck-tz.parquet', 'TIMESTAMPTZ', '2024-01-08T10:30:00-05:00'],
      ['duck-naive.parquet', 'TIMESTAMP', '2024-01-08T15:30:00-05:00'],
    ] as const) {
      const path = join(dir, name);
      await con.run(
        `SET TimeZone = 'UTC'; COPY (SELECT * REPLACE (TIMESTAMPTZ '2024-01-08 15:30:00+00'::${type} AS as_of) FROM read_parquet('${source}')) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`,
      );
      expect((await allKnown(path)).as_of, name).toBe(asOf);
    }
    con.closeSync();
    // A fraction of a second: its digits are the column's unit's, unknown here.
    const fraction = typedAs(
      'typed-fraction.parquet',
      pl.Datetime('us', 'UTC'),
      new Date('2024-01-08T15:30:00.250Z'),
    );
    expect((await contract(fraction)).sniffed.as_of).toBeNull();
  });
});

describe('sniff on edge cases: null where the ends cannot tell, never another value', () => {
  const chain = makeChain({ seed: 9, expiries: 8, strikesPerExpiry: 60 });
  const csv = cboeCsvText(chain).split('\n');

  it('CBOE CSV whose first data line has no call symbol: the put symbol decides', async () => {
    const lines = [...csv];
    const cells = lines[4]!.split(',');
    cells[1] = '';
    lines[4] = cells.join(',');
    expect((await allKnown(file('no-call.csv', lines.join('\n')))).underlying).toBe('SPX');
  });

  it('CBOE CSV whose first symbol is not an OCC symbol: underlying unknown', async () => {
    const lines = [...csv];
    const cells = lines[4]!.split(',');
    cells[1] = 'NOT-A-SYMBOL-AT-ALL';
    lines[4] = cells.join(',');
    const { sniffed } = await contract(file('odd.csv', lines.join('\n')));
    expect(sniffed.underlying).toBeNull();
    expect(sniffed.spot).toBe(chain.spot);
  });

  it('a first data row with a bad number: sniff may answer, the reader refuses', async () => {
    const lines = [...csv];
    const cells = lines[4]!.split(',');
    cells[10] = 'n/a';
    lines[4] = cells.join(',');
    const { sniffed, read } = await contract(file('bad-first.csv', lines.join('\n')));
    expect(read).toBe(false);
    expect(sniffed.underlying).toBe('SPX');
    const long = longCsvText(chain).split('\n');
    long[1] = long[1]!.replace(/^SPX,[^,]*,[^,]*/, 'SPX,yesterday,4700');
    const r = await contract(file('bad-first-long.csv', long.join('\n')));
    expect(r.read).toBe(false);
    expect(r.sniffed).toMatchObject({ underlying: null, as_of: null, spot: null });
  });

  it('a preamble line cut by the head: unknown, not a shorter number', async () => {
    const lines = [...csv];
    lines[1] = `${lines[1]},${'x'.repeat(HEAD_BYTES)}`;
    const { sniffed, read } = await contract(file('long-line2.csv', lines.join('\n')));
    expect(read).toBe(false); // LINE_TOO_LONG
    expect(sniffed).toMatchObject({
      format: 'cboe-csv',
      spot: null,
      as_of: null,
      underlying: null,
    });
  });

  const json = JSON.parse(
    cboeJsonText(
      makeChain({ seed: 10, underlying: 'META', spot: 749.75, expiries: 10, strikesPerExpiry: 60 }),
    ),
  );

  it('JSON with its keys in another order: what each end shows, as JSON.parse reads it', async () => {
    const reordered = JSON.stringify({
      data: { current_price: 749.75, options: json.data.options, symbol: 'META' },
      symbol: 'META',
      timestamp: json.timestamp,
    });
    expect(await allKnown(file('reordered.json', reordered))).toMatchObject({
      spot: 749.75,
      underlying: 'META',
    });
    // A key given twice: JSON.parse keeps the last, and so does sniff (the tail comes later).
    const twice = `{"timestamp": "2020-01-01 00:00:00", ${reordered.slice(1, -1)}, "timestamp": "2025-09-05 10:00:00"}`;
    expect((await allKnown(file('twice.json', twice))).as_of).toBe('2025-09-05T10:00:00-04:00');
    // The options first: the head ends inside them; the rest is in the tail.
    const optionsFirst = JSON.stringify({
      data: { options: json.data.options, current_price: 749.75 },
      timestamp: json.timestamp,
    });
    expect(await allKnown(file('options-first.json', optionsFirst))).toMatchObject({
      spot: 749.75,
    });
  });

  it('JSON whose ends mislead (a second object after $.data holding current_price): the reader refuses it', async () => {
    const text = JSON.stringify({
      timestamp: json.timestamp,
      data: { options: json.data.options, current_price: 749.75 },
      other: { note: 'x'.repeat(20_000), current_price: 1 },
    });
    const path = file('misleading.json', text);
    const { sniffed, read } = await contract(path);
    expect(read).toBe(false);
    const r = await readChain(path, conventions());
    expect(r.ok ? null : r.error).toMatchObject({ code: 'BAD_SHAPE' });
    expect(sniffed.as_of).not.toBeNull();
  });

  it('JSON cut short: the tail knows nothing; the reader says TRUNCATED', async () => {
    const text = JSON.stringify(json);
    const { sniffed, read } = await contract(file('cut.json', text.slice(0, text.length - 300)));
    expect(read).toBe(false);
    expect(sniffed.spot).toBeNull();
  });

  it('reads the ends only: a 100 MiB file whose middle is not a chain still gives its ends’ facts', async () => {
    const text = JSON.stringify(json);
    const path = join(dir, 'hollow.json');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.from(text.slice(0, 40_000)), 0, undefined, 0);
    const tail = Buffer.from(text.slice(text.lastIndexOf(']')));
    writeSync(fd, tail, 0, tail.length, 100 * 1024 * 1024);
    closeSync(fd);
    expect(await sniff(path)).toEqual({
      format: 'cboe-json',
      underlying: 'META',
      as_of: '2024-01-08T10:30:00-05:00',
      spot: 749.75,
    });
    expect((await readChain(path, conventions())).ok).toBe(false);
  });
});

describe('sniff errors: only those of opening and recognising a file', () => {
  it('FILE_NOT_FOUND, NOT_A_FILE, EMPTY_FILE, BINARY_FILE, UNKNOWN_FORMAT, FILE_TOO_LARGE', async () => {
    const code = async (path: string, limits?: { maxFileBytes: number }) => {
      const r = await sniffChain(
        path,
        conventions(),
        limits && { ...(await import('../../shared/limits.ts')).DEFAULT_READ_LIMITS, ...limits },
      );
      return r.ok ? 'ok' : r.error.code;
    };
    mkdirSync(join(dir, 'folder'));
    expect(await code(join(dir, 'nope.csv'))).toBe('FILE_NOT_FOUND');
    expect(await code(join(dir, 'folder'))).toBe('NOT_A_FILE');
    expect(await code(file('empty.csv', ''))).toBe('EMPTY_FILE');
    expect(await code(file('blank.csv', '  \n\n'))).toBe('EMPTY_FILE');
    expect(
      await code(
        file(
          'chain.csv.gz',
          gzipSync(cboeCsvText(makeChain({ seed: 1, expiries: 1, strikesPerExpiry: 2 }))),
        ),
      ),
    ).toBe('BINARY_FILE');
    expect(await code(file('notes.txt', 'hello,world\n'))).toBe('UNKNOWN_FORMAT');
    expect(
      await code(
        file('big.csv', cboeCsvText(makeChain({ seed: 1, expiries: 1, strikesPerExpiry: 20 }))),
        { maxFileBytes: 100 },
      ),
    ).toBe('FILE_TOO_LARGE');
  });
});
