// Bounds on what one file may cost (shared/limits.ts): its size from stat before a byte
// is read, columns, rows, line length, a Parquet file's footer before Polars decodes it;
// and the sane range of every number, so that no total can overflow to Infinity.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import {
  readChain,
  readFacts,
  runPipeline,
  sniffChain,
} from '../../electron/engine/pipeline/index.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../shared/limits.ts';
import {
  cboeCsvText,
  cboeJsonText,
  longCsvText,
  makeChain,
  writeLongParquet,
} from '../fixtures/option-chains.ts';
import { conventions, fileWriter, tempDir } from './helpers.ts';

const dir = tempDir('gex-limits-');
const file = fileWriter(dir);
let runs = 0;

async function failure(path: string, limits?: Partial<ReadLimits>) {
  const r = await readFacts(path, conventions(), limits);
  if (r.ok) throw new Error(`${path} was accepted`);
  const run = await runPipeline({
    file: path,
    dataDir: join(dir, 'out'),
    snapshotId: `s${runs++}`,
    conventions: conventions(),
    ...(limits ? { limits } : {}),
  });
  expect(run.ok ? null : run.error).toEqual(r.error);
  return r.error;
}

const small = makeChain({ seed: 5, expiries: 4, strikesPerExpiry: 10 }); // 80 contracts, 40 CBOE lines

describe('file size', () => {
  it('a file larger than maxFileBytes is FILE_TOO_LARGE, from stat, before reading it', async () => {
    // 300 MiB, sparse: answered from stat without reading (reading would also need 300 MiB of memory).
    const path = join(dir, 'huge.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.from(cboeCsvText(small)), 0, undefined, 0);
    writeSync(fd, Buffer.from('\n'), 0, 1, 300 * 1024 * 1024);
    closeSync(fd);
    expect(await failure(path)).toMatchObject({ code: 'FILE_TOO_LARGE', file: path });
    const s = await sniffChain(path, conventions());
    expect(s.ok ? null : s.error.code).toBe('FILE_TOO_LARGE');
    const text = file('small.csv', cboeCsvText(small));
    expect((await failure(text, { maxFileBytes: 1000 })).message).toContain('limits.maxFileBytes');
    expect((await readFacts(text, conventions(), { maxFileBytes: 1_000_000 })).ok).toBe(true);
  });

  it('bad limits are a VALIDATION error naming the field', async () => {
    const text = file('v.csv', cboeCsvText(small));
    expect(await failure(text, { maxRows: -1 })).toMatchObject({
      code: 'VALIDATION',
      field: 'limits.maxRows',
    });
  });
});

describe('columns, rows and lines', () => {
  it('a header wider than maxColumns is TOO_MANY_COLUMNS, in every format', async () => {
    const lines = longCsvText(small).split('\n');
    const extra = Array.from({ length: 600 }, (_, i) => `x${i}`);
    lines[0] = [lines[0], ...extra].join(',');
    for (let i = 1; i < lines.length - 1; i++)
      lines[i] = [lines[i], ...extra.map(() => '')].join(',');
    const wide = file('wide.csv', lines.join('\n'));
    expect(await failure(wide)).toMatchObject({ code: 'TOO_MANY_COLUMNS', line: 1 });
    expect((await readFacts(wide, conventions(), { maxColumns: 700 })).ok).toBe(true);
    const cboe = file('cboe.csv', cboeCsvText(small));
    expect(await failure(cboe, { maxColumns: 10 })).toMatchObject({
      code: 'TOO_MANY_COLUMNS',
      line: 4,
    });
    const parquet = join(dir, 'wide.parquet');
    writeLongParquet(parquet, { seed: 5, expiries: 4, strikesPerExpiry: 10 });
    expect(await failure(parquet, { maxColumns: 8 })).toMatchObject({ code: 'TOO_MANY_COLUMNS' });
  });

  it('more contracts than maxRows is TOO_MANY_ROWS, in every format', async () => {
    const limits = { maxRows: 50 };
    // CBOE CSV: two contracts a line, 25 lines allowed from line 5: line 30 is one too many.
    expect(await failure(file('rows.csv', cboeCsvText(small)), limits)).toMatchObject({
      code: 'TOO_MANY_ROWS',
      line: 30,
    });
    expect(await failure(file('rows.json', cboeJsonText(small)), limits)).toMatchObject({
      code: 'TOO_MANY_ROWS',
    });
    expect(await failure(file('rows-long.csv', longCsvText(small)), limits)).toMatchObject({
      code: 'TOO_MANY_ROWS',
      line: 52,
    });
    const parquet = join(dir, 'rows.parquet');
    writeLongParquet(parquet, { seed: 5, expiries: 4, strikesPerExpiry: 10 });
    expect(await failure(parquet, limits)).toMatchObject({ code: 'TOO_MANY_ROWS' });
    for (const f of ['rows.json', 'rows-long.csv']) {
      const path = file(f, f.endsWith('json') ? cboeJsonText(small) : longCsvText(small));
      expect((await readFacts(path, conventions(), { maxRows: 80 })).ok).toBe(true);
    }
    expect((await readFacts(parquet, conventions(), { maxRows: 80 })).ok).toBe(true);
  });

  it('a line longer than maxLineBytes is LINE_TOO_LONG at its line', async () => {
    const lines = longCsvText(small).split('\n');
    const cells = lines[6]!.split(',');
    cells[7] = '9'.repeat(100_000);
    lines[6] = cells.join(',');
    const path = file('long-line.csv', lines.join('\n'));
    expect(await failure(path)).toMatchObject({ code: 'LINE_TOO_LONG', line: 7 });
    // Within a larger limit the same cell is a number out of range.
    expect(await failure(path, { maxLineBytes: 200_000 })).toMatchObject({
      code: 'BAD_VALUE',
      line: 7,
      field: 'volume',
    });
  });

  it('CSV memory follows rows, not line breaks × header width', async () => {
    // 500 columns and 4 million blank lines: before, arrays of 4 M × 500 cells were asked for.
    const header = [
      'underlying',
      'as_of',
      'spot',
      'expiry',
      'strike',
      'option_type',
      'open_interest',
      'volume',
      'iv',
      ...Array.from({ length: 491 }, (_, i) => `c${i}`),
    ];
    const path = file('blank.csv', `${header.join(',')}\n${'\n'.repeat(4_000_000)}`);
    expect(await failure(path)).toMatchObject({ code: 'NO_ROWS' });
  });
});

describe('maxLineBytes counts a line without its ending: LF, CRLF or CR', () => {
  const max = DEFAULT_READ_LIMITS.maxLineBytes;
  /** `line` with `cell`'s "#" widened (with "0"s, or "x"s) so that the line is `bytes` long. */
  const sized = (line: string, bytes: number, fill = 'x'): string =>
    line.replace('#', fill.repeat(bytes - Buffer.byteLength(line) + 1));
  const ENDINGS = [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const;

  for (const [name, eol] of ENDINGS) {
    it(`long format, ${name}: a header or a row of exactly ${max} bytes is read; one more is refused`, async () => {
      const lines = longCsvText(small).trimEnd().split('\n');
      // An extra column, ignored by the reader, widens a line to the size wanted.
      const withNote = (header: number, row: number) =>
        file(
          'sized.csv',
          [
            sized(`${lines[0]},note#`, header),
            ...lines.slice(1).map((l, i) => (i === 2 ? sized(`${l},#`, row) : `${l},`)),
          ].join(eol) + eol,
        );
      const read = await readFacts(withNote(max, max), conventions());
      expect(read.ok ? null : read.error).toBeNull();
      expect(await failure(withNote(max + 1, 100))).toMatchObject({
        code: 'LINE_TOO_LONG',
        line: 1,
      });
      expect(await failure(withNote(200, max + 1))).toMatchObject({
        code: 'LINE_TOO_LONG',
        line: 4,
      });
    });
  }

  for (const [name, excel] of [
    ['LF', false],
    ['CRLF and a BOM', true],
  ] as const) {
    it(`CBOE CSV, ${name}: a preamble line or a row of exactly ${max} bytes is read; one more is refused`, async () => {
      const eol = excel ? '\r\n' : '\n';
      const lines = cboeCsvText(small, { excel })
        .replace(/^\uFEFF/, '')
        .split(eol);
      // Line 3's last cell and a row's call "Last Sale" (neither read) widen a line.
      const widened = (line3: number, line6: number) =>
        file(
          'sized-cboe.csv',
          (excel ? '\uFEFF' : '') +
            lines
              .map((l, i) =>
                i === 2
                  ? sized(`${l.replace(/"$/, '#"')}`, line3, ' ')
                  : i === 5
                    ? sized(l.replace(/^([^,]*,[^,]*,[^,]*)/, '$1#'), line6, '0')
                    : l,
              )
              .join(eol),
        );
      const read = await readFacts(widened(max, max), conventions());
      expect(read.ok ? null : read.error).toBeNull();
      expect(await failure(widened(max + 1, 300))).toMatchObject({
        code: 'LINE_TOO_LONG',
        line: 3,
      });
      expect(await failure(widened(300, max + 1))).toMatchObject({
        code: 'LINE_TOO_LONG',
        line: 6,
      });
    });
  }
});

describe('Parquet metadata before decoding', () => {
  it('rows and decompressed size are judged from the footer', async () => {
    const rows = 200_000;
    const df = pl.DataFrame({
      underlying: Array.from({ length: rows }, () => 'SPX'),
      as_of: Array.from({ length: rows }, () => '2024-01-08T10:30:00-05:00'),
      spot: Array.from({ length: rows }, () => 4700),
      expiry: Array.from({ length: rows }, () => '2024-01-19'),
      strike: Array.from({ length: rows }, (_, i) => 1000 + i * 0.001),
      option_type: Array.from({ length: rows }, (_, i) => (i % 2 ? 'C' : 'P')),
      open_interest: Array.from({ length: rows }, (_, i) => i),
      volume: Array.from({ length: rows }, (_, i) => i % 7),
      gamma: Array.from({ length: rows }, (_, i) => (i % 1000) / 1e6),
    });
    const path = join(dir, 'big.parquet');
    df.writeParquet(path, { compression: 'zstd' });
    const size = (await import('node:fs')).statSync(path).size;
    expect(await failure(path, { maxRows: rows - 1 })).toMatchObject({ code: 'TOO_MANY_ROWS' });
    const e = await failure(path, { maxFileBytes: size });
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(e.message).toContain('decompress');
    const ok = await readChain(path, conventions(), { ...DEFAULT_READ_LIMITS });
    expect(ok.ok && ok.value.contracts.n).toBe(rows);
  });
});

describe('sane ranges: absurd finite numbers are refused at read time, naming line and field', () => {
  const csvLines = cboeCsvText(small).split('\n');
  const cboeWith = (col: number, value: string, line = 6): string => {
    const lines = [...csvLines];
    const cells = lines[line - 1]!.split(',');
    cells[col] = value;
    lines[line - 1] = cells.join(',');
    return file('range.csv', lines.join('\n'));
  };
  // CBOE columns: 6 Volume, 7 IV, 8 Delta, 9 Gamma, 10 OI, 11 Strike, … 21 Puts OI.
  const cases: [number, string, string][] = [
    [10, '1e300', 'Calls Open Interest'],
    [21, '1e10', 'Puts Open Interest'],
    [9, '1e300', 'Calls Gamma'],
    [11, '1e308', 'Strike'],
    [7, '5000', 'Calls IV'],
    [8, '-50', 'Calls Delta'],
    [6, '-1e400', 'Calls Volume'],
    [20, '1e400', 'Puts Gamma'],
    // A gamma is never negative: a put's signed one would turn its GEX around.
    [20, '-0.0004', 'Puts Gamma'],
    [9, '-5', 'Calls Gamma'],
    // Absurdly small: a Black-Scholes gamma from these would be infinite.
    [7, '1e-320', 'Calls IV'],
    [11, '0.0001', 'Strike'],
  ];
  for (const [col, value, field] of cases) {
    it(`CBOE CSV: ${field} ${value}`, async () => {
      expect(await failure(cboeWith(col, value))).toMatchObject({
        code: 'BAD_VALUE',
        line: 6,
        field,
      });
    });
  }

  it('CBOE CSV: a spot of 1e300 or 1e-320 after "Last:"; an IV of 0 stays valid', async () => {
    const lines = [...csvLines];
    lines[1] = lines[1]!.replace(/Last: [^,]*/, 'Last: 1e-320');
    expect(await failure(file('tiny-spot.csv', lines.join('\n')))).toMatchObject({
      code: 'BAD_VALUE',
      line: 2,
      field: 'Last',
    });
    expect((await readFacts(cboeWith(7, '0'), conventions())).ok).toBe(true);
    lines[1] = lines[1]!.replace(/Last: [^,]*/, 'Last: 1e300');
    expect(await failure(file('spot.csv', lines.join('\n')))).toMatchObject({
      code: 'BAD_VALUE',
      line: 2,
      field: 'Last',
    });
  });

  it('CBOE JSON: open interest, gamma and current_price, literal 1e400 too', async () => {
    const json = cboeJsonText(small);
    const doc = JSON.parse(json);
    doc.data.options[3].open_interest = 1e300;
    expect(await failure(file('oi.json', JSON.stringify(doc)))).toMatchObject({
      code: 'BAD_VALUE',
      field: '$.data.options[3].open_interest',
    });
    const text = json.replace(/"gamma":[^,]*/, '"gamma":1e400');
    expect(await failure(file('g.json', text))).toMatchObject({
      code: 'BAD_VALUE',
      field: '$.data.options[0].gamma',
    });
    const signed = JSON.parse(json);
    signed.data.options[5].gamma = -0.002;
    expect(await failure(file('signed.json', JSON.stringify(signed)))).toMatchObject({
      code: 'BAD_VALUE',
      field: '$.data.options[5].gamma',
      message: expect.stringContaining("must not be negative: an option's gamma never is"),
    });
    const spot = json.replace(/"current_price":[^,}]*/, '"current_price":1e300');
    expect(await failure(file('p.json', spot))).toMatchObject({
      code: 'BAD_VALUE',
      field: '$.data.current_price',
    });
  });

  it('long format, CSV and Parquet: open interest, spot, strike', async () => {
    const lines = longCsvText(small).split('\n');
    const cells = lines[4]!.split(',');
    cells[6] = '1e300';
    lines[4] = cells.join(',');
    expect(await failure(file('oi-long.csv', lines.join('\n')))).toMatchObject({
      code: 'BAD_VALUE',
      line: 5,
      field: 'open_interest',
    });
    const parquet = join(dir, 'r.parquet');
    writeLongParquet(parquet, { seed: 5, expiries: 4, strikesPerExpiry: 10 });
    for (const [col, value, row] of [
      ['spot', 1e300, 0],
      ['strike', 1e308, 9],
      ['open_interest', -Infinity, 4],
      ['gamma', Infinity, 2],
      ['gamma', -0.01, 3],
    ] as const) {
      const df = pl.readParquet(parquet);
      const values = df.getColumn(col).toArray() as number[];
      values[row] = value;
      const out = join(dir, `r-${col}.parquet`);
      df.withColumns(pl.Series(col, values, pl.Float64)).writeParquet(out);
      expect(await failure(out)).toMatchObject({ code: 'BAD_VALUE', line: row + 1, field: col });
    }
  });
});

describe("deltas signed as calls' and puts' are: DEX sums them as given", () => {
  const csvLines = cboeCsvText(small).split('\n');
  // CBOE columns: 8 Calls Delta, 19 Puts Delta; data from line 5.
  const withDeltas = (name: string, put: (line: number) => string, call = '0.5'): string =>
    file(
      name,
      csvLines
        .map((l, i) => {
          if (i < 4 || l === '') return l;
          const cells = l.split(',');
          cells[8] = call;
          cells[19] = put(i + 1);
          return cells.join(',');
        })
        .join('\n'),
    );

  it("CBOE CSV: puts' deltas unsigned are refused at the first, with how many", async () => {
    const e = await failure(withDeltas('unsigned.csv', () => '0.5'));
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 5, field: 'Puts Delta' });
    expect(e.message).toContain('40 contracts here have the wrong sign');
    const one = await failure(withDeltas('one.csv', (line) => (line === 9 ? '0.3' : '-0.5')));
    expect(one).toMatchObject({ code: 'BAD_VALUE', line: 9, field: 'Puts Delta' });
    expect(one.message).toContain('1 contract here has the wrong sign');
  });

  it('CBOE CSV: a wrong sign within rounding of 0 is read as given; a call is judged too', async () => {
    const noise = await readFacts(
      withDeltas('noise.csv', () => '0.00005', '-0.00005'),
      conventions(),
    );
    expect(noise.ok).toBe(true);
    expect(await failure(withDeltas('call.csv', () => '-0.5', '-0.2'))).toMatchObject({
      code: 'BAD_VALUE',
      line: 5,
      field: 'Calls Delta',
    });
  });

  it('CBOE JSON: named by its place in the options array', async () => {
    const doc = JSON.parse(cboeJsonText(small));
    const at = doc.data.options.findIndex((o: { option: string }) => /\d{6}P/.test(o.option));
    doc.data.options[at].delta = 0.25;
    const e = await failure(file('delta.json', JSON.stringify(doc, null, 1)));
    // A JSON file has no line to name (a minified one has one line): the option's path.
    expect(e).toMatchObject({ code: 'BAD_VALUE', field: `$.data.options[${at}].delta` });
    expect(e.line).toBeUndefined();
    expect(e.message).toContain(`$.data.options[${at}].delta (0.25): a put's delta is negative`);
  });

  it('long format, Parquet: named by its row', async () => {
    const parquet = join(dir, 'delta.parquet');
    writeLongParquet(parquet, { seed: 5, expiries: 4, strikesPerExpiry: 10 });
    const df = pl.readParquet(parquet);
    const types = df.getColumn('option_type').toArray() as string[];
    const out = join(dir, 'delta-signed.parquet');
    df.withColumns(
      pl.Series(
        'delta',
        types.map((t, r) => (t === 'C' ? 0.5 : r === 7 ? 0.5 : -0.5)),
        pl.Float64,
      ),
    ).writeParquet(out);
    const e = await failure(out);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 8, field: 'delta' });
    expect(e.message).toContain(`, row 8, field "delta" (0.5): a put's delta`);
  });
});

describe('a chain-wide check names its contract as the format counts: a JSON path, a Parquet row', () => {
  it('CBOE JSON: IV in percent', async () => {
    const doc = JSON.parse(cboeJsonText(small));
    for (const o of doc.data.options) if (o.iv) o.iv *= 100;
    const at = doc.data.options.findIndex((o: { iv: number }) => o.iv > 5);
    const e = await failure(file('iv-percent.json', JSON.stringify(doc, null, 1)));
    expect(e).toMatchObject({ code: 'BAD_VALUE', field: `$.data.options[${at}].iv` });
    expect(e.line).toBeUndefined();
    expect(e.message).toContain(`$.data.options[${at}].iv (${doc.data.options[at].iv}): `);
  });

  // A total past the largest double: the only way there, with every value in its sane
  // range, is an absurd convention (a move of 1e298; not so large that the scale alone overflows). `only` keeps one contract's gamma
  // (GEX) or one contract's IV (the profile), so that it is the one named.
  const only = small.contracts.reduce(
    (best, c, i) => (c.open_interest > small.contracts[best]!.open_interest ? i : best),
    0,
  );
  const forGex = {
    ...small,
    contracts: small.contracts.map((c, i) => ({ ...c, gamma: i === only ? c.gamma : 0 })),
  };
  const forProfile = {
    ...small,
    contracts: small.contracts.map((c, i) => ({ ...c, gamma: 0, iv: i === only ? c.iv : 0 })),
  };
  async function overflow(path: string) {
    const run = await runPipeline({
      file: path,
      dataDir: join(dir, 'out'),
      snapshotId: `s${runs++}`,
      conventions: conventions({ move: 1e298 }),
    });
    if (run.ok) throw new Error(`${path} was accepted`);
    return run.error;
  }
  const parquetOf = (name: string, chain: typeof small): string => {
    const path = join(dir, `${name}-base.parquet`);
    writeLongParquet(path, { seed: 5, expiries: 4, strikesPerExpiry: 10 });
    const out = join(dir, `${name}.parquet`);
    pl.readParquet(path)
      .withColumns(
        pl.Series(
          'gamma',
          chain.contracts.map((c) => c.gamma),
          pl.Float64,
        ),
        pl.Series(
          'iv',
          chain.contracts.map((c) => c.iv),
          pl.Float64,
        ),
      )
      .writeParquet(out);
    return out;
  };

  for (const [what, chain, message] of [
    ['GEX', forGex, 'GEX that is not a finite number'],
    ['the gamma profile', forProfile, 'makes the gamma profile at'],
  ] as const) {
    it(`${what} not finite: named by its JSON path, Parquet row, CSV line`, async () => {
      const json = await overflow(
        file(`${what}.json`, JSON.stringify(JSON.parse(cboeJsonText(chain)), null, 1)),
      );
      expect(json).toMatchObject({ code: 'BAD_VALUE', field: `$.data.options[${only}]` });
      expect(json.line).toBeUndefined();
      expect(json.message).toContain(`, $.data.options[${only}]: the contract`);
      expect(json.message).toContain(message);
      const parquet = await overflow(parquetOf(what.replace(/ /g, '-'), chain));
      expect(parquet).toMatchObject({ code: 'BAD_VALUE', line: only + 1 });
      expect(parquet.message).toContain(`, row ${only + 1}: the contract`);
      const csv = await overflow(file(`${what}.csv`, longCsvText(chain)));
      expect(csv).toMatchObject({ code: 'BAD_VALUE', line: only + 2 });
      expect(csv.message).toContain(`, line ${only + 2}: the contract`);
    });
  }
});
