// Issue 8's bursts, measured where the user stands: 600 SPX-size chains, 50 arriving
// every 0.7 s, replayed through the real `gex-desk ingest --manifest FILE --json` in a
// child process with the user's defaults, and judged from the command's own output
// (latency from submission per level, inversions from arrival, completions). Once with
// requested levels (5 % CRITICAL, 20 % HIGH, 35 % MEDIUM, 40 % LOW, all justified), once
// with levels the rules decide from content. Prints where the time went and the pass or
// fail of the goals; both bursts always run, a failed goal is a figure, not a crash.
// BENCH_BURST_FILES makes them smaller (the waves keep 50 files); BENCH_BURST_KINDS=rule-decided
// runs one of them.
import { PRIORITY_LEVELS } from '../shared/domain.ts';
import { report, goals } from '../tests/system/bursts/report.ts';
import { runBurst, type BurstRun } from '../tests/system/bursts/run.ts';
import { SPX_SIZE, type BurstKind } from '../tests/system/bursts/plan.ts';
import type { Measure } from './run.ts';

const ALL_KINDS: BurstKind[] = ['requested-level', 'rule-decided'];
const KINDS = ALL_KINDS.filter(
  (k) => !process.env.BENCH_BURST_KINDS || process.env.BENCH_BURST_KINDS.split(',').includes(k),
);

export async function benchBursts(
  files = Number(process.env.BENCH_BURST_FILES ?? 600),
): Promise<Measure[]> {
  const out: Measure[] = [];
  for (const kind of KINDS) {
    const started = performance.now();
    const run: BurstRun = await runBurst({
      kind,
      files,
      perWave: 50,
      waveGapMs: 700,
      ...SPX_SIZE,
      note: (t) => process.stdout.write(`  [${kind}] ${t}\n`),
    });
    for (const line of report(run)) process.stdout.write(`  ${line}\n`);
    const v = run.verdict;
    for (const level of PRIORITY_LEVELS) {
      const l = v.latency[level];
      out.push({
        name: `${kind}: ${level} latency p50 / p99 / max (n=${l.n})`,
        value: l.p50,
        unit: `ms / ${Math.round(l.p99)} / ${Math.round(l.max)} ms`,
      });
    }
    out.push(
      {
        name: `${kind}: inversions from arrival (proven + possible)`,
        value: v.inversions.certain + v.inversions.possible,
        unit: 'pairs',
      },
      { name: `${kind}: completed of ${v.planned}`, value: v.completed, unit: 'jobs' },
      {
        name: `${kind}: wall time, first arrival to last finish`,
        value: v.wallMs / 1000,
        unit: 's',
      },
      {
        name: `${kind}: machine load average (max during the burst)`,
        value: run.load.max,
        unit: `on ${run.load.cores} cores`,
      },
      {
        name: `${kind}: goals of issue 8 passed`,
        value: goals(run).filter((g) => g.pass).length,
        unit: `of ${goals(run).length}`,
      },
      {
        name: `${kind}: whole measure (plan, write, run, judge)`,
        value: (performance.now() - started) / 1000,
        unit: 's',
      },
    );
  }
  return out;
}
