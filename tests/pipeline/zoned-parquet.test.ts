// A Parquet timestamp with a zone (QA fmt2 F9, N1): DuckDB's TIMESTAMPTZ, Spark's and
// Polars' UTC timestamps say an instant, not the vendor's zone. The same chain as such a
// Parquet file and as a long CSV in exchange time must be one chain: the same as_of text
// (so the store finds the duplicate) and the same expiry dates (buckets, T, zero gamma).
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-zoned-parquet-');

async function run(file: string) {
  const r = await runPipeline({
    file,
    dataDir: join(dir, 'out'),
    snapshotId: `t${Math.random().toString(36).slice(2)}`,
    conventions: conventions(),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

// A Friday in September (New York on EDT, −04:00), expiries within the month after.
const AS_OF = '2025-09-05T15:45:00';
const csv = join(dir, 'chain.csv');
// No gamma column: the pipeline's gamma then depends on each expiry's T.
const chain = writeLongCsv(csv, {
  seed: 9,
  underlying: 'META',
  spot: 752.3,
  asOf: AS_OF,
  expiries: 12,
  strikesPerExpiry: 30,
  noGamma: true,
  offset: '-04:00',
});

/** The CSV's chain as Parquet, as_of and expiry as UTC instants (zone `UTC`) from `expiryAt`. */
function zonedParquet(name: string, expiryAt: (day: string) => string, zone = 'UTC'): string {
  const df = pl.readCSV(csv, { ignoreErrors: false });
  const instant = (iso: string[]) =>
    pl.Series(
      'x',
      iso.map((t) => new Date(t)),
      pl.Datetime('us', 'UTC'),
    );
  const rows = df.height;
  const asOf = instant(Array(rows).fill(`${AS_OF}-04:00`));
  const expiry = instant((df.getColumn('expiry').toArray() as string[]).map(expiryAt));
  const out = df.withColumns(
    (zone === 'UTC' ? asOf : asOf.cast(pl.Datetime('us', zone))).alias('as_of'),
    (zone === 'UTC' ? expiry : expiry.cast(pl.Datetime('us', zone))).alias('expiry'),
  );
  const path = join(dir, name);
  out.writeParquet(path);
  // Written as meant: a zoned timestamp column, read back with that zone.
  const back = pl.readParquet(path).getColumn('expiry');
  expect(String(back.dtype), name).toBe(`DataType(Datetime(us,${zone}))`);
  return path;
}

/** Each expiry's date, bucket and net GEX, as the run's expiries Parquet holds them. */
const expiriesOf = (r: Awaited<ReturnType<typeof run>>) =>
  pl.readParquet(r.expiriesParquet).select('expiry', 'bucket', 'net_gex').toRecords();

const FIELDS = [
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
] as const;

/** The variants of the chain as Parquet with zoned timestamps, each with what it shows. */
const variants = (): Record<string, string> => ({
  // A New York end of day: 03:59:59 UTC the next day (F9).
  'eod-ny.parquet': zonedParquet('eod-ny.parquet', (d) => `${d}T23:59:59-04:00`),
  // A date written as a UTC instant (pandas, Spark): midnight UTC of that day.
  'midnight-utc.parquet': zonedParquet('midnight-utc.parquet', (d) => `${d}T00:00:00Z`),
  // The close in New York, 20:00 UTC.
  'close-ny.parquet': zonedParquet('close-ny.parquet', (d) => `${d}T16:00:00-04:00`),
  // A named zone (Arrow's metadata, as Polars and pyarrow write it): its own.
  'named-ny.parquet': zonedParquet(
    'named-ny.parquet',
    (d) => `${d}T23:59:59-04:00`,
    'America/New_York',
  ),
});

describe('a Parquet timestamp with a zone', () => {
  // All in EDT: the end-of-day stamps are −04:00 on every expiry.
  expect(chain.contracts.every((c) => c.expiry < '2025-11-02')).toBe(true);

  it('an expiry is dated as the exchange dates it: the same expiries, T and figures as the CSV', async () => {
    const ref = await run(csv);
    for (const [name, path] of Object.entries(variants())) {
      const got = await run(path);
      expect(got.snapshot.format, name).toBe('long-parquet');
      for (const k of FIELDS)
        if (k !== 'as_of') expect(got.snapshot[k], `${name}: ${k}`).toEqual(ref.snapshot[k]);
      expect(got.measures.buckets, name).toEqual(ref.measures.buckets);
      expect(expiriesOf(got), name).toEqual(expiriesOf(ref));
    }
  });

  it("as_of is written in the exchange's offset, so the chain is its CSV's duplicate (same fingerprint)", async () => {
    const ref = await run(csv);
    expect(ref.snapshot.as_of).toBe('2025-09-05T15:45:00-04:00');
    for (const [name, path] of Object.entries(variants())) {
      const got = await run(path);
      expect(got.snapshot.as_of, name).toBe(ref.snapshot.as_of);
      expect(got.measures, name).toEqual(ref.measures);
      expect(got.chain_fingerprint, name).toBe(ref.chain_fingerprint);
    }
  });

  it("a named zone's as_of keeps that zone's offset, as written", async () => {
    const path = zonedParquet(
      'named-chicago.parquet',
      (d) => `${d}T16:00:00-04:00`,
      'America/Chicago',
    );
    const got = await run(path);
    // The same instant, in Chicago's offset: another chain's text, as a CSV's −05:00 is.
    expect(got.snapshot.as_of).toBe('2025-09-05T14:45:00-05:00');
    expect(Date.parse(got.snapshot.as_of)).toBe(Date.parse('2025-09-05T19:45:00Z'));
  });
});
