// Pipeline benchmark, judged against a floor measured in the same run: DuckDB's own
// read_csv + sum over the same SPX file. Reports the pipeline's warm time per snapshot
// (parse → GEX → profile → Parquet), its stages, and snapshots/second over 100 distinct
// SPX-size files made by the fixtures. Target: warm time within 3× of the floor.
// The same floor idea for a SMALL chain (4 expiries × 25 strikes), where a run is almost
// all fixed per-run overhead: warm runPipeline and readFacts per snapshot against DuckDB's
// read_csv + sum of that small file, medians over many runs in the same process.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFacts, runPipeline } from '../electron/engine/pipeline/index.ts';
import { GexConventions } from '../shared/domain.ts';
import type { PipelineOutput } from '../shared/pipeline.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';

type Measure = { name: string; value: number; unit: string };

export type PipelineBenchOptions = {
  /** Runs after each snapshot, inside the timed region: the store owner's DuckDB insert goes here. */
  afterSnapshot?: (output: PipelineOutput) => Promise<void>;
  /** Distinct files for the throughput run (default 100). */
  files?: number;
  /** Repetitions of the warm single-file timing (default 15). */
  repeats?: number;
  /** Repetitions of the small-chain timings (default 200). */
  smallRepeats?: number;
};

const here = dirname(fileURLToPath(import.meta.url));
const SPX_SAMPLE = resolve(here, '../../shared/samples/spx_quotedata_2024-01-07.csv');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** SPX-size: 55 expiries × ~191 strikes ≈ 10,500 lines, as the real file. */
const SPX_SIZE = { expiries: 55, strikesPerExpiry: 191 };
/** Small: the typical file of a load of many mostly-small files. */
const SMALL_SIZE = { expiries: 4, strikesPerExpiry: 25 };

const floorSql = (file: string): string =>
  `SELECT sum(column09 * column10), sum(column19 * column20) FROM read_csv('${file.replace(/'/g, "''")}', skip = 4, header = false)`;

/** Median ms of `fn` over `repeats` runs after 10 warm-up runs. */
async function medianMs(repeats: number, fn: (i: number) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats + 10; i++) {
    const t = performance.now();
    await fn(i);
    if (i >= 10) times.push(performance.now() - t);
  }
  return median(times);
}

/** Small chain: fixed per-run overhead against DuckDB's floor on the same small file. */
async function benchSmall(
  work: string,
  con: DuckDBConnection,
  conv: GexConventions,
  repeats: number,
  opts: PipelineBenchOptions,
): Promise<Measure[]> {
  const file = join(work, 'small.csv');
  writeCboeCsv(file, { seed: 7, ...SMALL_SIZE });
  const dataDir = join(work, 'small-data');
  const sql = floorSql(file);
  const floorMs = await medianMs(repeats, async () => void (await con.runAndReadAll(sql)));
  const warmMs = await medianMs(repeats, async (i) => {
    const r = await runPipeline({ file, dataDir, snapshotId: `small-${i}`, conventions: conv });
    if (!r.ok) throw new Error(`pipeline failed: ${r.error.message}`);
    if (opts.afterSnapshot) await opts.afterSnapshot(r.value);
  });
  const factsMs = await medianMs(repeats, async () => {
    const r = await readFacts(file, conv);
    if (!r.ok) throw new Error(`readFacts failed: ${r.error.message}`);
  });
  const tag = `${SMALL_SIZE.expiries}×${SMALL_SIZE.strikesPerExpiry}`;
  return [
    {
      name: `floor: DuckDB read_csv + sum, small ${tag} file (median)`,
      value: floorMs,
      unit: 'ms',
    },
    {
      name: `small chain: warm time per snapshot, runPipeline (median of ${repeats})`,
      value: warmMs,
      unit: 'ms',
    },
    { name: `small chain: readFacts (median of ${repeats})`, value: factsMs, unit: 'ms' },
    { name: 'small chain: pipeline warm ÷ DuckDB floor', value: warmMs / floorMs, unit: '×' },
  ];
}

export async function benchPipeline(opts: PipelineBenchOptions = {}): Promise<Measure[]> {
  const work = mkdtempSync(join(tmpdir(), 'gex-bench-'));
  const conv = GexConventions.parse({});
  const repeats = opts.repeats ?? 15;
  const nFiles = opts.files ?? 100;
  try {
    let file = SPX_SAMPLE;
    if (!existsSync(file)) {
      file = join(work, 'spx.csv');
      writeCboeCsv(file, { seed: 1, ...SPX_SIZE });
    }
    const out: Measure[] = [];

    // Floor: DuckDB reads and sums the same CSV (its preamble skipped).
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const sql = floorSql(file);
    const floor: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const t = performance.now();
      await con.runAndReadAll(sql);
      if (i >= 2) floor.push(performance.now() - t);
    }
    const floorMs = median(floor);
    out.push({
      name: 'floor: DuckDB read_csv + sum, SPX file (median)',
      value: floorMs,
      unit: 'ms',
    });

    // Warm pipeline on the same file.
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const warm: number[] = [];
    const stages: Record<string, number[]> = {};
    for (let i = 0; i < repeats + 2; i++) {
      const t = performance.now();
      const r = await runPipeline({ file, dataDir, snapshotId: `warm-${i}`, conventions: conv });
      if (!r.ok) throw new Error(`pipeline failed: ${r.error.message}`);
      if (opts.afterSnapshot) await opts.afterSnapshot(r.value);
      if (i < 2) continue;
      warm.push(performance.now() - t);
      for (const [k, v] of Object.entries(r.value.timings_ms)) (stages[k] ??= []).push(v);
    }
    const warmMs = median(warm);
    out.push({
      name: `pipeline warm, SPX file: parse→GEX→profile→Parquet${opts.afterSnapshot ? '→DuckDB' : ''} (median)`,
      value: warmMs,
      unit: 'ms',
    });
    for (const stage of ['read', 'parse', 'gex', 'profile', 'parquet']) {
      if (stages[stage])
        out.push({ name: `  stage ${stage} (median)`, value: median(stages[stage]!), unit: 'ms' });
    }
    out.push({
      name: 'pipeline warm ÷ DuckDB floor (target ≤ 3)',
      value: warmMs / floorMs,
      unit: '×',
    });
    out.push(...(await benchSmall(work, con, conv, opts.smallRepeats ?? 200, opts)));
    con.closeSync();

    // Throughput over distinct files, each a different chain.
    const files: string[] = [];
    for (let i = 0; i < nFiles; i++) {
      const f = join(work, `spx-${i}.csv`);
      writeCboeCsv(f, {
        seed: 1000 + i,
        ...SPX_SIZE,
        spot: 4600 + i * 1.37,
        asOf: `2024-01-${String(8 + (i % 20)).padStart(2, '0')}T10:30:00`,
      });
      files.push(f);
    }
    const t0 = performance.now();
    for (const [i, f] of files.entries()) {
      const r = await runPipeline({ file: f, dataDir, snapshotId: `tp-${i}`, conventions: conv });
      if (!r.ok) throw new Error(`pipeline failed on ${f}: ${r.error.message}`);
      if (opts.afterSnapshot) await opts.afterSnapshot(r.value);
    }
    const seconds = (performance.now() - t0) / 1000;
    const rate = nFiles / seconds;
    out.push({
      name: `throughput: ${nFiles} distinct SPX-size files, one process`,
      value: rate,
      unit: 'snapshots/s',
    });
    out.push({
      name: 'floor rate: DuckDB read_csv + sum of the SPX file',
      value: 1000 / floorMs,
      unit: 'files/s',
    });
    out.push({
      name: 'throughput ÷ floor rate (target ≥ 1/3)',
      value: rate / (1000 / floorMs),
      unit: '×',
    });
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
