// The hand-off writer remembers the folders it made; a folder removed behind its back
// (an analyst cleaning the data folder, a test reusing a path) is made again.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import type { StrikeTable } from '../../electron/engine/pipeline/gex.ts';
import { writeStrikesParquet } from '../../electron/engine/pipeline/parquet-out.ts';
import { tempDir } from './helpers.ts';

const table = (): StrikeTable => {
  const f = (...v: number[]): Float64Array => Float64Array.from(v);
  return {
    rows: 2,
    expiry: ['2024-01-19', '2024-01-19'],
    expiry_values: ['2024-01-19'],
    expiry_index: Uint32Array.from([0, 0]),
    strike: f(100, 105),
    call_gex: f(10, 20),
    put_gex: f(-5, -1),
    net_gex: f(5, 19),
    call_open_interest: f(1, 2),
    put_open_interest: f(3, 4),
    call_volume: f(5, 6),
    put_volume: f(7, 8),
    contracts: BigInt64Array.from([2n, 2n]),
    dex: f(1, 2),
    vex: f(3, 4),
    cex: f(5, 6),
  };
};

describe('writeStrikesParquet', () => {
  it('makes the folder again when it was removed after an earlier write', async () => {
    const dataDir = join(tempDir('gex-pq-'), 'data');
    const meta = {
      dataDir,
      underlying: 'SPX',
      as_of: '2024-01-08T10:00:00-05:00',
      date: '2024-01-08',
    };
    const first = await writeStrikesParquet(table(), { ...meta, snapshotId: 'a' });
    rmSync(dataDir, { recursive: true, force: true });
    const second = await writeStrikesParquet(table(), { ...meta, snapshotId: 'b' });
    expect(existsSync(first)).toBe(false);
    expect(pl.readParquet(second).getColumn('strike').toArray()).toEqual([100, 105]);
    // Only the final file is left: no temporary file behind.
    expect(readdirSync(dirname(second))).toEqual(['b.parquet']);
  });

  it('leaves no temporary file when the write fails', async () => {
    const dataDir = join(tempDir('gex-pq-'), 'data');
    const meta = {
      dataDir,
      underlying: 'SPX',
      as_of: '2024-01-08T10:00:00-05:00',
      date: '2024-01-08',
    };
    const bad = { ...table(), rows: 3 }; // columns of 2 rows against constant columns of 3
    await expect(writeStrikesParquet(bad, { ...meta, snapshotId: 'x' })).rejects.toThrow();
    const path = await writeStrikesParquet(table(), { ...meta, snapshotId: 'y' });
    expect(readdirSync(dirname(path))).toEqual(['y.parquet']);
  });
});
