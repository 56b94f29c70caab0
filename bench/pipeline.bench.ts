// Pipeline benchmark, judged against a floor measured in the same run: DuckDB's own
// read_csv + sum over the same SPX file. Reports the pipeline's warm time per snapshot
// (parse → GEX → profile → Parquet), its stages, and snapshots/second over 100 distinct
// SPX-size files made by the fixtures. Target: warm time within 3× of the floor.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { runPipeline } from '../electron/engine/pipeline/index.ts';
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
};

const here = dirname(fileURLToPath(import.meta.url));
const SPX_SAMPLE = resolve(here, '../../shared/samples/spx_quotedata_2024-01-07.csv');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** SPX-size: 55 expiries × ~191 strikes ≈ 10,500 lines, as the real file. */
const SPX_SIZE = { expiries: 55, strikesPerExpiry: 191 };

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
    const sql = `SELECT sum(column09 * column10), sum(column19 * column20) FROM read_csv('${file.replace(/'/g, "''")}', skip = 4, header = false)`;
    const floor: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const t = performance.now();
      await con.runAndReadAll(sql);
      if (i >= 2) floor.push(performance.now() - t);
    }
    const floorMs = median(floor);
    out.push({ name: 'floor: DuckDB read_csv + sum, SPX file (median)', value: floorMs, unit: 'ms' });

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
    out.push({ name: 'pipeline warm, SPX file: parse→GEX→profile→Parquet (median)', value: warmMs, unit: 'ms' });
    for (const stage of ['read', 'parse', 'gex', 'profile', 'parquet']) {
      if (stages[stage]) out.push({ name: `  stage ${stage} (median)`, value: median(stages[stage]!), unit: 'ms' });
    }
    out.push({ name: 'pipeline warm ÷ DuckDB floor (target ≤ 3)', value: warmMs / floorMs, unit: '×' });
    con.closeSync();

    // Throughput over distinct files, each a different chain.
    const files: string[] = [];
    for (let i = 0; i < nFiles; i++) {
      const f = join(work, `spx-${i}.csv`);
      writeCboeCsv(f, { seed: 1000 + i, ...SPX_SIZE, spot: 4600 + i * 1.37, asOf: `2024-01-${String(8 + (i % 20)).padStart(2, '0')}T10:30:00` });
      files.push(f);
    }
    const t0 = performance.now();
    for (const [i, f] of files.entries()) {
      const r = await runPipeline({ file: f, dataDir, snapshotId: `tp-${i}`, conventions: conv });
      if (!r.ok) throw new Error(`pipeline failed on ${f}: ${r.error.message}`);
      if (opts.afterSnapshot) await opts.afterSnapshot(r.value);
    }
    const seconds = (performance.now() - t0) / 1000;
    out.push({ name: `throughput: ${nFiles} distinct SPX-size files, one process`, value: nFiles / seconds, unit: 'snapshots/s' });
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
