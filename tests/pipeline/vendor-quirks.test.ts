// Files from tools we had not seen (QA fmt F2–F6): Excel's `sep=,` first line, a CBOE
// JSON option's null open interest, a NaN literal in a one-line JSON file, Excel's
// `05-Jan-24` dates and `13.12%` IVs, a vendor's `Exp Date` column. Each is read, or
// refused saying where and what to do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { sniffChain } from '../../electron/engine/pipeline/index.ts';
import { MONTH_NAMES } from '../../shared/iso-forms.ts';
import { cboeCsvText, cboeJsonText, longCsvText, makeChain } from '../fixtures/option-chains.ts';
import { conventions, runSampleTests, SPX_SAMPLE, tempDir } from './helpers.ts';
import { pipelineOn } from './run-pipeline.ts';

const dir = tempDir('gex-quirks-');

const pipeline = pipelineOn(dir);
const run = async (file: string) => (await pipeline.value(file)).snapshot;
const failureOf = pipeline.failure;

const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const chain = makeChain({ seed: 7, underlying: 'ACME', spot: 412.37, expiries: 3 });
const long = longCsvText(chain);
const figures = (s: { total_gex: number; contracts: number; zero_gamma: number | null }) => ({
  total_gex: s.total_gex,
  contracts: s.contracts,
  zero_gamma: s.zero_gamma,
});

describe("Excel's sep= hint on line 1 (F2)", () => {
  it('is skipped when it names the comma the file uses: the same figures, lines of the file in messages', async () => {
    const plain = await run(write('plain.csv', long));
    for (const hint of ['sep=,', 'SEP=,', '"sep=,"', '\uFEFFsep=,']) {
      const file = write('sep-comma.csv', `${hint}\r\n${long}`);
      expect(figures(await run(file)), hint).toEqual(figures(plain));
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok && sniffed.value.format).toBe('long-csv');
      expect(sniffed.ok && sniffed.value.underlying).toBe('ACME');
    }
    // A bad cell on the file's line 4 (the header on line 2) is said at line 4.
    const lines = long.split('\n');
    lines[2] = lines[2]!.replace(/,C,|,P,/, ',X,');
    const bad = write('sep-bad-row.csv', `sep=,\n${lines.join('\n')}`);
    expect(await failureOf(bad)).toMatchObject({ code: 'BAD_VALUE', line: 4 });
  });

  it('is refused, naming its line and what it is, when it names another separator than the header uses', async () => {
    const file = write('sep-semicolon.csv', `sep=;\n${long}`);
    const e = await failureOf(file);
    expect(e).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 1 });
    expect(e.message).toBe(
      `${file}: line 1, "sep=;", is Excel's hint that the columns are separated by semicolons, but the header on line 2 separates them by commas: delete line 1 (see docs/formats.md)`,
    );
    // A semicolon file with its own hint: refused as semicolons are, at the header's line.
    const semi = write('sep-semi-semi.csv', `sep=;\n${long.replace(/,/g, ';')}`);
    const s = await failureOf(semi);
    expect(s).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 2 });
    expect(s.message).toContain(
      'looks like the long format with its columns separated by semicolons',
    );
    // A comma hint above a tab-separated header.
    const tabs = write('sep-comma-tabs.csv', `sep=,\n${long.replace(/,/g, '\t')}`);
    const t = await failureOf(tabs);
    expect(t).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 1 });
    expect(t.message).toContain(
      `line 1, "sep=,", is Excel's hint that the columns are separated by commas, but the header on line 2 separates them by tabs`,
    );
  });
});

describe("Excel's sep= hint above a CBOE download", () => {
  /** The figures, the facts and the facts sniff gives at arrival. */
  const outcome = async (file: string) => {
    const s = await run(file);
    const sniffed = await sniffChain(file, conventions());
    if (!sniffed.ok) throw new Error(JSON.stringify(sniffed.error));
    return {
      ...figures(s),
      format: s.format,
      underlying: s.underlying,
      as_of: s.as_of,
      spot: s.spot,
      sniffed: sniffed.value,
    };
  };

  it.skipIf(!runSampleTests)(
    'the real SPX download with a `sep=,` first line is read as without it, its lines one later in messages',
    async () => {
      const text = readFileSync(SPX_SAMPLE, 'utf8');
      const plain = await outcome(SPX_SAMPLE);
      expect(plain.sniffed.as_of).not.toBeNull();
      for (const hint of ['sep=,', '"sep=,"', '\uFEFFsep=,']) {
        const file = write('spx-sep-comma.csv', `${hint}\n${text}`);
        expect(await outcome(file), hint).toEqual(plain);
      }
      // A bad cell on the download's line 6 is on the file's line 7.
      const lines = text.split('\n');
      lines[5] = lines[5]!.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, '$1many');
      const bad = write('spx-sep-bad-row.csv', `sep=,\n${lines.join('\n')}`);
      expect(await failureOf(bad)).toMatchObject({
        code: 'BAD_VALUE',
        line: 7,
        field: 'Calls Volume',
      });
    },
  );

  it.skipIf(!runSampleTests)(
    "the real SPX download under another separator's hint is refused, naming the file and the line",
    async () => {
      const text = readFileSync(SPX_SAMPLE, 'utf8');
      for (const [hint, name] of [
        ['sep=;', 'semicolons'],
        ['sep=|', 'vertical bars'],
      ] as const) {
        const file = write('spx-sep-other.csv', `${hint}\n${text}`);
        const e = await failureOf(file);
        expect(e).toMatchObject({ code: 'UNKNOWN_FORMAT', file, line: 1 });
        expect(e.message).toBe(
          `${file}: line 1, "${hint}", is Excel's hint that the columns are separated by ${name}, but this CBOE quote download separates them by commas: delete line 1 (see docs/formats.md)`,
        );
        const sniffed = await sniffChain(file, conventions());
        expect(sniffed.ok ? null : sniffed.error).toEqual(e);
      }
    },
  );

  it('a generated download with the hint (CRLF, without its empty first line) is read as without it', async () => {
    const acme = makeChain({ seed: 11, underlying: 'ACME', spot: 412.37, expiries: 3 });
    const text = cboeCsvText(acme, { excel: true });
    const plain = await outcome(write('cboe-plain.csv', text));
    expect(await outcome(write('cboe-sep.csv', `sep=,\r\n${text}`))).toEqual(plain);
    const noEmpty = text.replace(/^\r\n/, '');
    expect(await outcome(write('cboe-sep-no-empty.csv', `sep=,\r\n${noEmpty}`))).toEqual(plain);
    const e = await failureOf(write('cboe-sep-semicolon.csv', `sep=;\r\n${text}`));
    expect(e).toMatchObject({ code: 'UNKNOWN_FORMAT', line: 1 });
    // A download re-saved with semicolons, its own hint above it: refused as semicolons are.
    const semi = await failureOf(
      write('cboe-semi-semi.csv', `sep=;\r\n${text.replace(/,/g, ';')}`),
    );
    expect(semi.message).toContain(
      'looks like a CBOE quote download with its columns separated by semicolons',
    );
  });
});

describe('CBOE JSON per-option values (F3)', () => {
  const json = JSON.parse(cboeJsonText(makeChain({ seed: 3, underlying: 'META', spot: 749.75 })));
  const withOption = (name: string, i: number, key: string, value: unknown): string => {
    const copy = structuredClone(json);
    if (value === undefined) delete copy.data.options[i][key];
    else copy.data.options[i][key] = value;
    return write(name, JSON.stringify(copy));
  };

  it('a null required number is "null", a missing one "missing", a text one told to drop the quotes', async () => {
    const nullOi = withOption('null-oi.json', 4, 'open_interest', null);
    expect(await failureOf(nullOi)).toMatchObject({
      code: 'BAD_SHAPE',
      field: '$.data.options[4].open_interest',
      message: `${nullOi}: $.data.options[4].open_interest must be a number, but it is null`,
    });
    const nullVolume = withOption('null-volume.json', 2, 'volume', null);
    expect((await failureOf(nullVolume)).message).toBe(
      `${nullVolume}: $.data.options[2].volume must be a number, but it is null`,
    );
    const missing = withOption('missing-oi.json', 4, 'open_interest', undefined);
    expect((await failureOf(missing)).message).toBe(
      `${missing}: $.data.options[4].open_interest is missing`,
    );
    const text = withOption('text-oi.json', 4, 'open_interest', '14');
    expect((await failureOf(text)).message).toBe(
      `${text}: $.data.options[4].open_interest must be a number, not "14" (text: write it without the quotes)`,
    );
    const textGamma = withOption('text-gamma.json', 1, 'gamma', '0.0012');
    expect((await failureOf(textGamma)).message).toBe(
      `${textGamma}: $.data.options[1].gamma must be a number, not "0.0012" (text: write it without the quotes)`,
    );
    // An optional one may be null.
    await run(withOption('null-gamma.json', 1, 'gamma', null));
  });
});

describe('a NaN or Infinity literal in a one-line JSON file (F4)', () => {
  const text = cboeJsonText(makeChain({ seed: 4, underlying: 'META', spot: 749.75 }));

  it('gives the line, the column and the option path, and says what to write', async () => {
    for (const [literal, reason] of [
      ['NaN', "Unexpected token 'N'"],
      ['Infinity', "Unexpected token 'I'"],
      ['-Infinity', 'No number after minus sign'],
    ] as const) {
      const copy = JSON.parse(text);
      copy.data.options[3].gamma = '@@';
      const spoilt = JSON.stringify(copy).replace('"@@"', literal);
      const file = write('nan.json', spoilt);
      const column = spoilt.indexOf(literal) + 1;
      const e = await failureOf(file);
      expect(e, literal).toMatchObject({
        code: 'BAD_SHAPE',
        line: 1,
        field: '$.data.options[3].gamma',
      });
      expect(e.message, literal).toBe(
        `${file}, line 1, column ${column} ($.data.options[3].gamma): not valid JSON (${reason}): ${literal} is not a JSON value; write null where a value is not known`,
      );
    }
  });
});

describe("Excel's dates and percent IVs (F5)", () => {
  it('an expiry written DD-Mon-YY (05-Jan-24) is read as its DD-Mon-YYYY', async () => {
    const short = (iso: string) =>
      `${iso.slice(8, 10)}-${MONTH_NAMES[Number(iso.slice(5, 7)) - 1]!.slice(0, 3)}-${iso.slice(2, 4)}`;
    const full = (iso: string) =>
      `${iso.slice(8, 10)}-${MONTH_NAMES[Number(iso.slice(5, 7)) - 1]!.slice(0, 3)}-${iso.slice(0, 4)}`;
    const rewrite = (f: (iso: string) => string) =>
      long.replace(/,(\d{4}-\d{2}-\d{2}),/g, (_, iso: string) => `,${f(iso)},`);
    const a = await run(write('dmy4.csv', rewrite(full)));
    const b = await run(write('dmy2.csv', rewrite(short)));
    expect(figures(b)).toEqual(figures(a));
    expect(figures(b)).toEqual(figures(await run(write('iso.csv', long))));
    // CBOE CSV as Excel re-saves it.
    const cboe = cboeCsvText(makeChain({ seed: 5, underlying: 'SPX', spot: 4697.24 }));
    const excel = cboe.replace(
      /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) \d{2}(\d{2}),/gm,
      (_, mon: string, d: string, yy: string) => `${d}-${mon}-${yy},`,
    );
    expect(excel).not.toBe(cboe);
    expect(figures(await run(write('cboe-dmy2.csv', excel)))).toEqual(
      figures(await run(write('cboe.csv', cboe))),
    );
  });

  it('an expiry that is not a date says how to write it', async () => {
    const file = write('serial.csv', long.replace(/,\d{4}-\d{2}-\d{2},/, ',45296,'));
    expect((await failureOf(file)).message).toContain(
      'field "expiry" ("45296") is not a date: write it as YYYY-MM-DD',
    );
  });

  it('an IV with a percent sign (13.12%) is read as the decimal (0.1312), in the long CSV and the CBOE CSV', async () => {
    const pct = (v: string) => `${+(Number(v) * 100).toFixed(10)}%`;
    const lines = long.trimEnd().split('\n');
    const ivAt = lines[0]!.split(',').indexOf('iv');
    const percent = [
      lines[0],
      ...lines.slice(1).map((l) => {
        const cells = l.split(',');
        cells[ivAt] = pct(cells[ivAt]!);
        return cells.join(',');
      }),
    ].join('\n');
    expect(percent).toContain('%');
    const decimal = figures(await run(write('iv-dec.csv', long)));
    const pctFile = write('iv-pct.csv', percent);
    expect(figures(await run(pctFile))).toEqual(decimal);
    // A Parquet text column too (every column text, as a frame read without inference makes it).
    const parquet = pctFile.replace(/\.csv$/, '.parquet');
    pl.readCSV(pctFile, { inferSchemaLength: 0 }).writeParquet(parquet);
    expect(figures(await run(parquet))).toEqual(decimal);
    const cboe = cboeCsvText(makeChain({ seed: 6, underlying: 'SPX', spot: 4697.24 }));
    const [l1, l2, l3, header, ...rows] = cboe.trimEnd().split('\n');
    const cols = header!.split(',');
    const ivCols = cols.flatMap((c, i) => (c === 'IV' ? [i] : []));
    const excel = [
      l1,
      l2,
      l3,
      header,
      ...rows.map((r) => {
        const cells = r.split(',');
        for (const i of ivCols) cells[i] = pct(cells[i]!);
        return cells.join(',');
      }),
    ].join('\n');
    expect(figures(await run(write('cboe-iv-pct.csv', excel)))).toEqual(
      figures(await run(write('cboe-iv-dec.csv', cboe))),
    );
    // Only IV: a gamma in percent is no number.
    const gammaAt = lines[0]!.split(',').indexOf('gamma');
    const cells = lines[1]!.split(',');
    cells[gammaAt] = '1.2%';
    const gamma = write('gamma-pct.csv', [lines[0], cells.join(','), ...lines.slice(2)].join('\n'));
    expect((await failureOf(gamma)).message).toContain('field "gamma" ("1.2%") is not a number');
  });
});

describe("a vendor's expiry column (F6)", () => {
  it('Exp Date, ExpDate, Expiry Date, Expiration Date, Maturity and Exp are read as expiry', async () => {
    const base = figures(await run(write('expiry.csv', long)));
    for (const name of [
      'Exp Date',
      'ExpDate',
      'EXPDATE',
      'Expiry Date',
      'Expiration Date',
      'Maturity',
      'Maturity Date',
      'Exp',
    ]) {
      const file = write('exp-name.csv', long.replace(',expiry,', `,${name},`));
      expect(figures(await run(file)), name).toEqual(base);
    }
  });

  it('a misspelt vendor expiry name is guessed at', async () => {
    const file = write(
      'exp-misspelt.csv',
      long.replace(',expiry,', ',Exp Dte,').replace(',open_interest,', ',OpenInt,'),
    );
    const e = await failureOf(file);
    expect(e).toMatchObject({ code: 'BAD_HEADER', field: 'expiry' });
    expect(e.message).toContain('"Exp Dte" is not a name GEX Desk reads: did you mean exp_date?');
    expect(e.message).toContain(
      '"OpenInt" is not a name GEX Desk reads: did you mean open_interest?',
    );
  });
});
