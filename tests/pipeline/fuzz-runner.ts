// Runs damaged chains (tests/fixtures/damaged-chains.ts) through the real readers: sniff
// and readFacts in this process, and the whole pipeline in REAL pipeline worker processes
// (the engine's WorkerPool with electron/engine/workers/pipeline-worker.ts). Every file must end
// completed or with a clear code: never INTERNAL, never a crashed worker; sniff's facts
// must be the reader's; messages quote at most 40 characters of the file. Used by
// tests/pipeline/fuzz.test.ts (a seeded sample) and bench/fuzz.bench.ts (the full run).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFacts, sniffChain } from '../../electron/engine/pipeline/index.ts';
import type { WorkerPool } from '../../electron/engine/workers/pool.ts';
import type { GexConventions } from '../../shared/domain.ts';
import { PipelineResult, type FileFacts } from '../../shared/pipeline.ts';
import { ErrorCode, type AppError, type Result } from '../../shared/result.ts';
import {
  damagedChains,
  EXPECTED_CODE,
  HARMLESS,
  type BaseChain,
  type DamagedChain,
} from '../fixtures/damaged-chains.ts';
import { longestEcho } from './content-echo.ts';

/** Codes that are not an answer about the file. */
const UNCLEAR: ReadonlySet<string> = new Set(['INTERNAL', 'WORKER_CRASHED', 'TIMEOUT']);

export type FuzzOptions = {
  bases: BaseChain[];
  seed: number;
  count: number;
  dir: string;
  conventions: GexConventions;
  /** Run each file's whole pipeline in these workers. */
  pool?: WorkerPool;
  /** Also readFacts in this process (and compare with the workers' outcome). */
  inProcess?: boolean;
  /** Check that no message quotes more than 40 characters of its file (slow on large files). */
  checkEcho?: boolean;
  /** Files in flight at once (the pool runs as many as it has workers). */
  concurrency?: number;
};

export type FuzzReport = {
  files: number;
  /** damage kind → outcome code ('ok' when it completed) → files. */
  outcomes: Map<string, Map<string, number>>;
  problems: string[];
  crashed: number;
  internal: number;
  ms: number;
};

type Facts = Pick<FileFacts, 'underlying' | 'as_of' | 'spot' | 'contracts' | 'total_gex'> & {
  format: string;
};
const codeOf = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

/** What the readers say about a base chain (each damaged file is judged against it). */
async function baseFacts(opts: FuzzOptions): Promise<Map<BaseChain, Facts>> {
  const out = new Map<BaseChain, Facts>();
  for (const [i, base] of opts.bases.entries()) {
    const path = join(opts.dir, `base-${i}-${base.name}`);
    writeFileSync(path, base.bytes);
    const r = await readFacts(path, opts.conventions);
    if (!r.ok) throw new Error(`the base chain ${base.name} does not read: ${r.error.message}`);
    out.set(base, r.value);
  }
  return out;
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const bases = await baseFacts(opts);
  const report: FuzzReport = {
    files: 0,
    outcomes: new Map(),
    problems: [],
    crashed: 0,
    internal: 0,
    ms: 0,
  };
  const inFlight = new Set<Promise<void>>();
  for (const d of damagedChains(opts.bases, opts.seed, opts.count)) {
    const job = judge(d, bases.get(d.base)!, opts, report).finally(() => inFlight.delete(job));
    inFlight.add(job);
    if (inFlight.size >= (opts.concurrency ?? 4)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  report.ms = performance.now() - started;
  return report;
}

async function judge(
  d: DamagedChain,
  base: Facts,
  opts: FuzzOptions,
  report: FuzzReport,
): Promise<void> {
  const path = join(opts.dir, `${d.id}-${d.kind}-${d.base.name}`);
  writeFileSync(path, d.bytes);
  const problem = (what: string): void =>
    void report.problems.push(`${d.id} ${d.kind} ${d.base.name}: ${what}`);
  try {
    const sniffed = await sniffChain(path, opts.conventions);
    const outcomes: { where: string; result: Result<Facts> }[] = [];
    if (opts.inProcess)
      outcomes.push({ where: 'in process', result: await readFacts(path, opts.conventions) });
    if (opts.pool) {
      const raw = await opts.pool.run({
        type: 'run',
        taskId: `fuzz-${d.id}`,
        input: {
          file: path,
          dataDir: join(opts.dir, 'data'),
          snapshotId: `fuzz-${d.id}`,
          conventions: opts.conventions,
        },
      });
      const parsed = PipelineResult.safeParse(raw);
      if (!parsed.success)
        problem(
          `the worker's result does not match PipelineResult: ${parsed.error.message.slice(0, 200)}`,
        );
      else
        outcomes.push({
          where: 'worker',
          result: parsed.data.ok ? { ok: true, value: parsed.data.value.snapshot } : parsed.data,
        });
      if (!raw.ok && raw.error.code === 'WORKER_CRASHED') report.crashed++;
    }
    const codes = new Set(outcomes.map((o) => codeOf(o.result)));
    if (codes.size > 1)
      problem(
        `outcomes differ: ${outcomes.map((o) => `${o.where} ${codeOf(o.result)}`).join(', ')}`,
      );
    const first = outcomes[0];
    if (!first) return;
    const code = codeOf(first.result);
    const byKind = report.outcomes.get(d.kind) ?? new Map<string, number>();
    byKind.set(code, (byKind.get(code) ?? 0) + 1);
    report.outcomes.set(d.kind, byKind);
    report.files++;
    for (const { where, result } of outcomes) {
      if (!result.ok) checkError(result.error, where, path, d, opts, problem, report);
      else checkFacts(result.value, base, d, problem);
    }
    // The sniff contract against the reader's result.
    if (!sniffed.ok) {
      if (first.result.ok)
        problem(`sniff failed (${sniffed.error.code}) on a file the reader accepts`);
      else if (sniffed.error.code !== first.result.error.code)
        problem(`sniff says ${sniffed.error.code}, the reader ${first.result.error.code}`);
    } else if (first.result.ok) {
      const facts = first.result.value;
      if (sniffed.value.format !== facts.format)
        problem(`sniff format ${sniffed.value.format}, reader ${facts.format}`);
      for (const key of ['underlying', 'as_of', 'spot'] as const) {
        const early = sniffed.value[key];
        if (early !== null && early !== facts[key])
          problem(`sniff ${key} ${String(early)}, reader ${String(facts[key])}`);
      }
    }
  } finally {
    rmSync(path, { force: true });
  }
}

function checkError(
  e: AppError,
  where: string,
  path: string,
  d: DamagedChain,
  opts: FuzzOptions,
  problem: (what: string) => void,
  report: FuzzReport,
): void {
  if (e.code === 'INTERNAL') report.internal++;
  if (UNCLEAR.has(e.code)) problem(`${where}: ${e.code}: ${e.message.slice(0, 300)}`);
  if (!ErrorCode.safeParse(e.code).success) problem(`${where}: unknown code ${e.code}`);
  if (e.file !== path) problem(`${where}: the error does not name the file`);
  const expected = EXPECTED_CODE[d.kind];
  const textual = d.base.format !== 'long-parquet' || (d.kind !== 'utf16' && d.kind !== 'latin1');
  if (expected && textual && e.code !== expected)
    problem(`${where}: ${e.code} where ${expected} was due: ${e.message.slice(0, 200)}`);
  if (HARMLESS.has(d.kind))
    problem(`${where}: refused a file that should read: ${e.code} ${e.message.slice(0, 200)}`);
  if (opts.checkEcho) {
    const echo = longestEcho(e.message, d.bytes.toString('utf8'), path);
    if (echo > 40)
      problem(
        `${where}: the message quotes ${echo} characters of the file: ${e.message.slice(0, 200)}`,
      );
  }
}

function checkFacts(
  facts: Facts,
  base: Facts,
  d: DamagedChain,
  problem: (what: string) => void,
): void {
  if (
    EXPECTED_CODE[d.kind] &&
    (d.base.format !== 'long-parquet' || (d.kind !== 'utf16' && d.kind !== 'latin1'))
  ) {
    problem(`completed where ${EXPECTED_CODE[d.kind]} was due`);
  }
  if (!Number.isFinite(facts.total_gex)) problem(`a total that is not finite: ${facts.total_gex}`);
  if (!HARMLESS.has(d.kind)) return;
  for (const key of ['format', 'underlying', 'as_of', 'spot', 'contracts'] as const) {
    if (facts[key] !== base[key])
      problem(`${key} ${String(facts[key])} where the undamaged file gives ${String(base[key])}`);
  }
  if (Math.abs(facts.total_gex - base.total_gex) > 1e-9 * Math.abs(base.total_gex) + 0.02) {
    problem(`total GEX ${facts.total_gex} where the undamaged file gives ${base.total_gex}`);
  }
}

/** The report as text: counts per damage kind and outcome code. */
export function formatReport(r: FuzzReport): string {
  const codes = [...new Set([...r.outcomes.values()].flatMap((m) => [...m.keys()]))].sort();
  const lines = [
    `${r.files} damaged files in ${(r.ms / 1000).toFixed(1)} s: ${r.internal} INTERNAL, ${r.crashed} crashed workers, ${r.problems.length} problems`,
  ];
  lines.push(
    ['damage'.padEnd(22), ...codes.map((c) => c.padStart(Math.max(6, c.length + 1)))].join(''),
  );
  for (const [kind, m] of [...r.outcomes].sort()) {
    lines.push(
      [
        kind.padEnd(22),
        ...codes.map((c) => String(m.get(c) ?? '').padStart(Math.max(6, c.length + 1))),
      ].join(''),
    );
  }
  return lines.join('\n');
}
