// A replayable arrival pattern for the scheduler's promises (issue 4), shared by the
// load test and `npm run bench`: distinct option-chain files (SPX-size chains and
// small ones, varied underlyings and times) submitted in bursts through a manifest,
// 5% CRITICAL and the rest spread over the other levels; and the judge that reads
// `gex-desk jobs --json` and checks the order and the CRITICAL start times.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { levelRank, PRIORITY_LEVELS, type PriorityLevel } from '../../shared/domain.ts';
import { rng, writeCboeCsv, writeCboeJson, writeLongCsv } from '../fixtures/option-chains.ts';

export interface LoadOptions {
  files: number;
  /** Share of SPX-size chains (about 10,500 rows each); the rest are small. */
  bigShare: number;
  criticalShare: number;
  bursts: number;
  burstGapMs: number;
  seed?: number;
}

export interface Load {
  manifest: string;
  /** The level each file was submitted with (LOW is left to the rules: the data is stale). */
  levels: PriorityLevel[];
}

const UNDERLYINGS = ['SPX', 'NDX', 'AAPL', 'MSFT', 'TSLA', 'QQQ', 'IWM', 'META', 'NVDA', 'AMZN'];

export function makeLoad(dir: string, o: LoadOptions): Load {
  const rand = rng(o.seed ?? 42);
  const lines: string[] = [];
  const levels: PriorityLevel[] = [];
  const perBurst = Math.ceil(o.files / o.bursts);
  for (let i = 0; i < o.files; i++) {
    const big = rand() < o.bigShare;
    const underlying = big ? 'SPX' : UNDERLYINGS[i % UNDERLYINGS.length]!;
    const day = 1 + (i % 27);
    const asOf = `2024-0${1 + (i % 9)}-${String(day).padStart(2, '0')}T${String(9 + (i % 7)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const common = {
      seed: 10_000 + i,
      underlying,
      asOf,
      spot: big ? 4700 + (i % 50) : 50 + (i % 400),
    };
    const size = big
      ? { expiries: 55, strikesPerExpiry: 192 }
      : { expiries: 3 + (i % 4), strikesPerExpiry: 10 + (i % 30) };
    const kind = i % 3;
    const file = join(dir, `chain-${String(i).padStart(4, '0')}.${kind === 1 ? 'json' : 'csv'}`);
    if (kind === 0 || big) writeCboeCsv(file, { ...common, ...size });
    else if (kind === 1) writeCboeJson(file, { ...common, ...size });
    else writeLongCsv(file, { ...common, ...size });
    const r = rand();
    const level: PriorityLevel =
      r < o.criticalShare
        ? 'CRITICAL'
        : r < o.criticalShare + 0.3
          ? 'HIGH'
          : r < o.criticalShare + 0.6
            ? 'MEDIUM'
            : 'LOW';
    levels.push(level);
    const at_ms = Math.floor(i / perBurst) * o.burstGapMs;
    lines.push(
      JSON.stringify(
        level === 'LOW'
          ? { file, source: 'load', at_ms }
          : {
              file,
              source: 'load',
              requested_priority: level,
              justification: 'replayed load',
              at_ms,
            },
      ),
    );
  }
  const manifest = join(dir, 'arrivals.jsonl');
  writeFileSync(manifest, lines.join('\n') + '\n');
  return { manifest, levels };
}

export interface JobLine {
  id: string;
  status: string;
  priority: PriorityLevel;
  effective_priority: PriorityLevel;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface Verdict {
  jobs: number;
  completed: number;
  /** Jobs started while a job of a higher effective level had waited longer than the grace. */
  inversions: { started: string; waiting: string; waitedMs: number }[];
  criticalStartMs: number[];
  latency: Record<PriorityLevel, { p50: number; p99: number; max: number; n: number }>;
  spanMs: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;

/** Judges a finished load from `gex-desk jobs --json` alone. */
export function judge(jobs: JobLine[], graceMs = 50): Verdict {
  const t = (s: string | null) => (s === null ? Infinity : Date.parse(s));
  const inversions: Verdict['inversions'] = [];
  const byStart = jobs
    .filter((j) => j.started_at !== null)
    .sort((a, b) => t(a.started_at) - t(b.started_at));
  for (const j of byStart) {
    const s = t(j.started_at);
    for (const k of jobs) {
      if (levelRank(k.effective_priority) >= levelRank(j.effective_priority)) continue;
      const waited = s - t(k.submitted_at);
      // A job's wait ends when it starts (or ends without running, e.g. cancelled).
      const waitEnd = Math.min(t(k.started_at), t(k.finished_at));
      if (waited > graceMs && waitEnd > s)
        inversions.push({ started: j.id, waiting: k.id, waitedMs: waited });
    }
  }
  const latency = Object.fromEntries(
    PRIORITY_LEVELS.map((level) => {
      const l = jobs
        .filter((j) => j.effective_priority === level && j.finished_at)
        .map((j) => t(j.finished_at) - t(j.submitted_at))
        .sort((a, b) => a - b);
      return [level, { p50: pct(l, 0.5), p99: pct(l, 0.99), max: l.at(-1) ?? NaN, n: l.length }];
    }),
  ) as Verdict['latency'];
  const starts = jobs.map((j) => t(j.submitted_at));
  const ends = jobs.map((j) => t(j.finished_at)).filter(Number.isFinite);
  return {
    jobs: jobs.length,
    completed: jobs.filter((j) => j.status === 'completed').length,
    inversions,
    criticalStartMs: jobs
      .filter((j) => j.priority === 'CRITICAL')
      .map((j) => t(j.started_at) - t(j.submitted_at)),
    latency,
    spanMs: Math.max(...ends) - Math.min(...starts),
  };
}
