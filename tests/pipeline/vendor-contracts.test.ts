// Vendor files as they come (QA fmt2 F1, F2, F5, F6): a long file's columns that say a
// contract is not a standard one (its multiplier, its deliverable, an OCC option symbol of
// an adjusted root) drop it as the CBOE readers drop adjusted roots; a Parquet file's
// nested columns matter only when read; the CBOE JSON's refusals quote what they refuse.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { sniffChain } from '../../electron/engine/pipeline/index.ts';
import { cboeJsonText, longCsvText, makeChain, occSymbol } from '../fixtures/option-chains.ts';
import { conventions, tempDir } from './helpers.ts';
import { pipelineOn } from './run-pipeline.ts';

const dir = tempDir('gex-vendor-');
const ADJUSTED = 'adjusted option (deliverable not 100 shares)';

const pipeline = pipelineOn(dir);
const run = async (file: string) => (await pipeline.value(file)).snapshot;
const failureOf = pipeline.failure;

const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** The same file as a Parquet file, written by Polars from the CSV. */
const asParquet = (file: string): string => {
  const out = file.replace(/\.csv$/, '.parquet');
  pl.readCSV(file, { ignoreErrors: false, inferSchemaLength: 0 }).writeParquet(out);
  return out;
};

describe('a long file that says which contracts are not standard', () => {
  const chain = makeChain({
    seed: 91,
    underlying: 'AAPL',
    spot: 185.5,
    expiries: 3,
    strikesPerExpiry: 8,
  });
  const [header, ...rows] = longCsvText(chain).trimEnd().split('\n');
  const symbolOf = (line: string, root = 'AAPL'): string => {
    const cells = line.split(',');
    return occSymbol(root, cells[3]!, cells[5] as 'C' | 'P', Number(cells[4]));
  };

  it('drops minis and adjusted options by their multiplier, deliverable or option symbol, in CSV and Parquet', async () => {
    const standard = await run(write('standard.csv', longCsvText(chain)));
    // A vendor's columns, named as vendors write them; every standard row says 100 shares.
    const head = `${header},Multiplier,DeliverableShares,OptionSymbol`;
    const lines = rows.map((line) => `${line},100,100,${symbolOf(line)}`);
    // Beside three of the contracts, one of the same expiry, strike and type that is not a
    // standard one: a mini (10 shares), an adjusted one (150 shares) and one told apart
    // only by its symbol's root (AAPL1).
    const [a, b, c] = [rows[2]!, rows[5]!, rows[9]!];
    const others = [
      `${a},10,10,${symbolOf(a, 'AAPL7')}`,
      `${b},100,150,`,
      `${c},,,${symbolOf(c, 'AAPL1')}`,
    ];
    const file = write('vendor.csv', [head, ...lines, ...others].join('\n'));
    for (const f of [file, asParquet(file)]) {
      const got = await run(f);
      expect(got.underlying, f).toBe('AAPL');
      expect(got.total_gex, f).toBe(standard.total_gex);
      expect(got.call_wall, f).toBe(standard.call_wall);
      expect(got.quality.rows_total, f).toBe(rows.length + 3);
      expect(got.quality.dropped, f).toEqual([{ reason: ADJUSTED, rows: 3 }]);
      expect(got.quality.score, f).toBeLessThan(1);
    }
  });

  it('a file of minis only is refused, saying why', async () => {
    const file = write(
      'minis.csv',
      [`${header},contract_size`, ...rows.map((line) => `${line},10`)].join('\n'),
    );
    const e = await failureOf(file);
    expect(e.code).toBe('NO_ROWS');
    expect(e.message).toContain(`${rows.length}: ${ADJUSTED}`);
  });

  it('an option symbol of another underlying or contract, or a deliverable that is not a number, is refused at its row', async () => {
    const other = write(
      'other-symbol.csv',
      [
        `${header},option_symbol`,
        ...rows.map((line, i) => `${line},${symbolOf(line, i === 3 ? 'MSFT' : 'AAPL')}`),
      ].join('\n'),
    );
    expect(await failureOf(other)).toMatchObject({
      code: 'BAD_VALUE',
      field: 'option_symbol',
      line: 5,
    });
    // A symbol naming another contract than its row: refused, as the CBOE CSV's.
    const mismatch = write(
      'symbol-mismatch.csv',
      [
        `${header},option_symbol`,
        ...rows.map((line, i) => `${line},${i === 4 ? symbolOf(rows[6]!) : symbolOf(line)}`),
      ].join('\n'),
    );
    const e = await failureOf(mismatch);
    expect(e).toMatchObject({ code: 'BAD_VALUE', field: 'option_symbol', line: 6 });
    expect(e.message).toContain('a symbol and its row name one contract');
    const text = write(
      'deliverable-text.csv',
      [`${header},deliverable`, ...rows.map((line) => `${line},"100 AAPL"`)].join('\n'),
    );
    expect(await failureOf(text)).toMatchObject({
      code: 'BAD_VALUE',
      field: 'deliverable',
      line: 2,
    });
  });
});

describe('a vendor Parquet file with nested columns', () => {
  const chain = makeChain({ seed: 92, expiries: 3, strikesPerExpiry: 10 });
  const csv = write('flat.csv', longCsvText(chain));
  const flat = pl.readCSV(csv, { ignoreErrors: false });

  it('reads it when the nested columns are not the ones read', async () => {
    const expected = await run(csv);
    const nested = flat.withColumns(
      pl.struct([pl.col('gamma'), pl.col('iv')]).alias('greeks'),
      pl.concatList([pl.col('bid'), pl.col('ask')]).alias('quotes'),
    );
    const file = join(dir, 'nested-extra.parquet');
    nested.writeParquet(file);
    const got = await run(file);
    expect(got.total_gex).toBe(expected.total_gex);
    expect(got.contracts).toBe(expected.contracts);
    // The arrival's facts from the footer, the nested columns' leaves not taken for columns.
    const sniffed = await sniffChain(file, conventions());
    expect(sniffed.ok && sniffed.value).toMatchObject({ underlying: 'SPX', as_of: got.as_of });
  });

  it('names a nested column it reads', async () => {
    const file = join(dir, 'nested-gamma.parquet');
    flat
      .withColumns(pl.concatList([pl.col('gamma'), pl.col('iv')]).alias('gamma'))
      .writeParquet(file);
    const e = await failureOf(file);
    expect(e).toMatchObject({ code: 'BAD_SHAPE', field: 'gamma' });
    expect(e.message).toContain('"gamma" is nested');
  });
});

describe('the CBOE JSON says what a refused value is', () => {
  const chain = makeChain({
    seed: 93,
    underlying: 'META',
    spot: 749.75,
    expiries: 2,
    strikesPerExpiry: 6,
  });
  const json = JSON.parse(cboeJsonText(chain)) as {
    timestamp: unknown;
    data: Record<string, unknown>;
  };
  const variant = (name: string, change: (j: typeof json) => void): string => {
    const j = structuredClone(json);
    change(j);
    return write(name, JSON.stringify(j));
  };

  it('a current_price as text or null', async () => {
    const text = await failureOf(
      variant('price-text.json', (j) => (j.data.current_price = '749.75')),
    );
    expect(text.field).toBe('$.data.current_price');
    expect(text.message).toContain(
      'must be a number (the underlying\'s price), not "749.75" (text',
    );
    const none = await failureOf(variant('price-null.json', (j) => (j.data.current_price = null)));
    expect(none.message).toContain('but it is null');
    const negative = await failureOf(variant('price-neg.json', (j) => (j.data.current_price = -1)));
    expect(negative.message).toContain('must be a positive number, not -1');
  });

  it('a timestamp refused lists the forms accepted', async () => {
    const forms = 'write 2024-01-08T10:30:00-05:00, or without the offset (exchange time)';
    for (const [name, value] of [
      ['zone-label', '2025-09-05 15:45:00 EDT'],
      ['rfc', 'Fri, 05 Sep 2025 15:45:00 GMT'],
      ['epoch', 1757101500],
    ] as const) {
      const e = await failureOf(variant(`ts-${name}.json`, (j) => (j.timestamp = value)));
      expect(e.field, name).toBe('$.timestamp');
      expect(e.message, name).toContain(forms);
    }
  });
});
