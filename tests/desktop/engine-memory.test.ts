// What the engine keeps in memory from one request to the next, on the real engine: a
// request's memory must be given back when it has ended, or a day of requests grows
// the engine by gigabytes (docs/performance.md, "The engine over thousands of
// requests"). Counted in what holds it, not in RSS, which is too noisy to judge here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { num } from '../../electron/engine/store/db.ts';
import { writeCboeCsv } from '../fixtures/index.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
});
afterAll(async () => {
  await te?.stop();
});

/** Submits `n` distinct small chains and waits until every job has ended. */
async function ingest(n: number, from: number): Promise<void> {
  const dir = join(te.dir, 'files');
  mkdirSync(dir, { recursive: true });
  for (let i = from; i < from + n; i++) {
    const file = join(dir, `chain-${i}.csv`);
    writeCboeCsv(file, {
      seed: 100 + i,
      underlying: 'AAPL',
      spot: 150 + i,
      expiries: 1,
      strikesPerExpiry: 5,
    });
    const ack = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
  }
  await te.engine.drain();
}

const duckdbBytes = async (tag: string): Promise<number> =>
  num(
    (
      await te.engine.store.all<{ bytes: unknown }>(
        `SELECT coalesce(sum(memory_usage_bytes), 0) AS bytes FROM duckdb_memory() WHERE tag = $1`,
        [tag],
      )
    )[0]!.bytes,
  );

describe('the engine over many requests', () => {
  it("keeps no copy of the snapshots' Parquet files once they are stored", async () => {
    await ingest(4, 0);
    const stored = await te.engine.store.all<{ n: unknown }>(
      'SELECT count(*) AS n FROM gex_snapshots',
    );
    expect(num(stored[0]!.n)).toBe(4);
    // DuckDB's external file cache kept every file read_parquet read (about 140 KB for a
    // ten-contract chain's), until its memory limit: 80% of the machine's.
    expect(await duckdbBytes('EXTERNAL_FILE_CACHE')).toBe(0);
  });
});
