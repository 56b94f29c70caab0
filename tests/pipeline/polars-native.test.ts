// The Parquet hand-off is written through nodejs-polars' native calls (polars-native.ts)
// for speed; these tests hold it to the file the public API writes for the same table:
// same bytes, same columns and types, same values. An upgrade of nodejs-polars that
// moves or changes those calls fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import {
  computeGex,
  selectContracts,
  type StrikeTable,
} from '../../electron/engine/pipeline/gex.ts';
import { readChain } from '../../electron/engine/pipeline/index.ts';
import { STRIKE_COLUMNS, writeStrikesParquet } from '../../electron/engine/pipeline/parquet-out.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-native-');

/** The same frame through the public API (pl.Series per column, pl.DataFrame, writeParquet). */
function writePublic(
  t: StrikeTable,
  meta: { snapshotId: string; underlying: string; as_of: string },
  path: string,
): void {
  const repeat = (name: string, v: string): pl.Series =>
    pl.Series(name, [], pl.Utf8).extendConstant(v, t.rows);
  pl.DataFrame([
    repeat('snapshot_id', meta.snapshotId),
    repeat('underlying', meta.underlying),
    repeat('as_of', meta.as_of),
    pl.Series('expiry', t.expiry, pl.Utf8),
    pl.Series('strike', t.strike),
    pl.Series('call_gex', t.call_gex),
    pl.Series('put_gex', t.put_gex),
    pl.Series('net_gex', t.net_gex),
    pl.Series('call_open_interest', t.call_open_interest),
    pl.Series('put_open_interest', t.put_open_interest),
    pl.Series('call_volume', t.call_volume),
    pl.Series('put_volume', t.put_volume),
    pl.Series('contracts', t.contracts),
    pl.Series('dex', t.dex),
    pl.Series('vex', t.vex),
    pl.Series('cex', t.cex),
  ]).writeParquet(path, { compression: 'zstd' });
}

async function strikesOf(
  expiries: number,
  strikesPerExpiry: number,
): Promise<{ table: StrikeTable; underlying: string; as_of: string }> {
  const file = join(dir, `chain-${expiries}x${strikesPerExpiry}.csv`);
  writeCboeCsv(file, { seed: expiries * 31 + strikesPerExpiry, expiries, strikesPerExpiry });
  const conv = conventions();
  const chain = await readChain(file, conv);
  if (!chain.ok) throw new Error(chain.error.message);
  const gex = computeGex(chain.value, selectContracts(chain.value, conv), conv);
  if (!gex.ok) throw new Error(gex.error.message);
  return { table: gex.value.strikes, underlying: chain.value.underlying, as_of: chain.value.as_of };
}

const empty = (): StrikeTable => {
  const z = (): Float64Array => new Float64Array(0);
  return {
    rows: 0,
    expiry: [],
    expiry_values: [],
    expiry_index: new Uint32Array(0),
    strike: z(),
    call_gex: z(),
    put_gex: z(),
    net_gex: z(),
    call_open_interest: z(),
    put_open_interest: z(),
    call_volume: z(),
    put_volume: z(),
    contracts: new BigInt64Array(0),
    dex: z(),
    vex: z(),
    cex: z(),
  };
};

async function compare(
  name: string,
  table: StrikeTable,
  underlying: string,
  as_of: string,
): Promise<pl.DataFrame> {
  const meta = {
    dataDir: join(dir, name),
    snapshotId: `snap é/${name}`,
    underlying,
    as_of,
    date: '2024-01-08',
  };
  const path = await writeStrikesParquet(table, meta);
  const reference = join(dir, `${name}-public.parquet`);
  writePublic(table, meta, reference);
  expect(readFileSync(path).equals(readFileSync(reference))).toBe(true);
  const ours = pl.readParquet(path);
  const theirs = pl.readParquet(reference);
  expect(ours.columns).toEqual([...STRIKE_COLUMNS]);
  expect(ours.dtypes.map(String)).toEqual(theirs.dtypes.map(String));
  expect(ours.frameEqual(theirs, true)).toBe(true);
  return ours;
}

describe('Parquet hand-off through the native calls', () => {
  it('writes the same file as the public API for a small chain', async () => {
    const { table, underlying, as_of } = await strikesOf(4, 25);
    const df = await compare('small', table, underlying, as_of);
    expect(df.height).toBe(table.rows);
    expect(df.getColumn('snapshot_id').toArray()).toEqual(
      new Array(table.rows).fill('snap é/small'),
    );
    expect(df.getColumn('contracts').dtype.equals(pl.Int64)).toBe(true);
    expect(Float64Array.from(df.getColumn('net_gex').toArray() as number[])).toEqual(table.net_gex);
  });

  it('writes the same file as the public API for an SPX-size chain', async () => {
    const { table, underlying, as_of } = await strikesOf(55, 191);
    expect(table.rows).toBeGreaterThan(10_000);
    await compare('spx', table, underlying, as_of);
  });

  it('writes the same typed, empty file when no row is left', async () => {
    const df = await compare('empty', empty(), 'SPX', '2024-01-08T10:00:00-05:00');
    expect(df.height).toBe(0);
    expect(df.getColumn('expiry').dtype.equals(pl.String)).toBe(true);
  });
});
