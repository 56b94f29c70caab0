// Memory (issue 13): peak resident memory of one pipeline worker and of the engine, on
// the SPX sample and on a generated long-format CSV of 1,000,000 contracts, with the
// worker's budget (< 250 MB) judged pass/fail.
//  - worker: the real pipeline-worker.ts, forked as the pool forks it; its peak (Linux
//    VmHWM) read when it says `ready`, after the facts pass, and after the run;
//  - engine: bench/cold-steps.ts (the engine's pieces, one worker) on the same file: its
//    own peak, storing the snapshot's strikes through DuckDB.
// `memory-requests` (run only when named): the engine's RSS over thousands of tiny
// requests, which must not grow with their count (benchMemoryOverRequests).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GexConventions } from '../shared/domain.ts';
import { writeLongCsv } from '../tests/fixtures/option-chains.ts';
import { mustRun, peakRssMb, REPO, SPX_SAMPLE } from './proc.ts';
import type { Measure } from './run.ts';

const WORKER = join(REPO, 'electron/engine/workers/pipeline-worker.ts');
const BUDGET_MB = 250;

interface WorkerPeaks {
  ready: number | null;
  facts: number | null;
  run: number | null;
  contracts: number;
}

/** One fresh worker: ready → facts pass → run on `file`, its peak RSS after each. */
async function workerPeaks(file: string, dir: string): Promise<WorkerPeaks> {
  const child = fork(WORKER, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const next = () =>
    new Promise<{
      type: string;
      result?: { ok: boolean; value?: { snapshot?: { contracts: number } }; error?: unknown };
    }>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type === 'progress') return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.once('exit', (code) =>
        reject(new Error(`the worker exited (${code}): ${stderr.slice(-1000)}`)),
      );
    });
  try {
    await next(); // ready
    const ready = peakRssMb(child.pid!);
    const conventions = GexConventions.parse({});
    child.send({ type: 'facts', taskId: randomUUID(), file, conventions });
    const facts = await next();
    if (!facts.result?.ok)
      throw new Error(`facts pass failed: ${JSON.stringify(facts.result?.error)}`);
    const afterFacts = peakRssMb(child.pid!);
    child.send({
      type: 'run',
      taskId: randomUUID(),
      input: { file, dataDir: dir, snapshotId: randomUUID(), conventions },
    });
    const run = await next();
    if (!run.result?.ok) throw new Error(`run failed: ${JSON.stringify(run.result?.error)}`);
    return {
      ready,
      facts: afterFacts,
      run: peakRssMb(child.pid!),
      contracts: run.result.value?.snapshot?.contracts ?? NaN,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

async function enginePeak(file: string, dir: string): Promise<number> {
  const d = mkdtempSync(join(dir, 'engine-'));
  const r = await mustRun(process.execPath, ['bench/cold-steps.ts', file, d, '1', '0']);
  return (JSON.parse(r.stdout) as { maxRssMb: number }).maxRssMb;
}

export async function benchMemory(): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-mem-'));
  try {
    const big = join(dir, 'long-1m.csv');
    // 100 expiries × 5,000 strikes × call and put = 1,000,000 contracts (docs/formats.md: the long format).
    writeLongCsv(big, {
      seed: 7,
      underlying: 'SPX',
      spot: 4700,
      expiries: 100,
      strikesPerExpiry: 5000,
      strikeStep: 0.5,
    });
    const out: Measure[] = [];
    for (const [label, file] of [
      ['SPX sample', SPX_SAMPLE],
      [`long CSV 1M contracts (${(statSync(big).size / 1e6).toFixed(0)} MB)`, big],
    ] as const) {
      const w = await workerPeaks(file, dir);
      const engine = await enginePeak(file, dir);
      const peak = Math.max(w.ready ?? NaN, w.facts ?? NaN, w.run ?? NaN);
      out.push(
        { name: `${label}: contracts computed`, value: w.contracts, unit: '' },
        {
          name: `${label}: worker peak RSS when ready (Polars warm)`,
          value: w.ready ?? NaN,
          unit: 'MB',
        },
        {
          name: `${label}: worker peak RSS after the facts pass`,
          value: w.facts ?? NaN,
          unit: 'MB',
        },
        { name: `${label}: worker peak RSS after the run`, value: w.run ?? NaN, unit: 'MB' },
        {
          name: `${label}: worker budget < ${BUDGET_MB} MB: ${peak < BUDGET_MB ? 'PASS' : 'FAIL'}`,
          value: peak,
          unit: 'MB',
        },
        {
          name: `${label}: engine peak RSS (stores the result)`,
          value: engine,
          unit: 'MB',
        },
      );
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RequestsSample {
  requests: number;
  label?: string;
  rssMb: number;
  heapMb: number;
  duckdbMb: number;
}

/**
 * `npm run bench -- memory-requests` (BENCH_REQUESTS, 2,000 by default): the engine's RSS,
 * JS heap and DuckDB's own count (duckdb_memory()) before, along and after that many
 * tiny requests, and after 10 s idle (bench/engine-requests.ts, a process of its own).
 */
export async function benchMemoryOverRequests(
  n = Number(process.env.BENCH_REQUESTS ?? 2000),
): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-requests-'));
  try {
    const r = await mustRun(process.execPath, ['bench/engine-requests.ts', String(n), dir]);
    const samples = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RequestsSample);
    // From the first quarter on: the start's own growth (DuckDB's and V8's first pages) is once.
    const first = samples[1]!;
    const last = samples.at(-1)!;
    return [
      ...samples.map((s) => ({
        name: `engine RSS after ${s.requests} requests${s.label ? ` (${s.label}, 10 s)` : ''}`,
        value: s.rssMb,
        unit: `MB (heap ${s.heapMb} MB, DuckDB ${s.duckdbMb} MB)`,
      })),
      {
        name: `engine RSS grown per request, from ${first.requests} to idle`,
        value: ((last.rssMb - first.rssMb) * 1000) / (n - first.requests),
        unit: 'KB',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
