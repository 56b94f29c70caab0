// The scheduler under a replayed load (issue 4): 1,000 distinct files in bursts, 5%
// CRITICAL, through the real `gex-desk ingest --manifest` code path run in this
// process, so that the engine's event-loop lag can be measured while it works. Judged
// from the jobs table exactly as the load test judges `gex-desk jobs --json`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PRIORITY_LEVELS } from '../shared/domain.ts';
import { ingestCommand } from '../electron/host/cli/ingest.ts';
import { jobsCommand } from '../electron/host/cli/listings.ts';
import { judge, makeLoad, type JobLine } from '../tests/system/load.ts';
import type { Measure } from './run.ts';

export async function benchLoad(
  files = Number(process.env.BENCH_LOAD_FILES ?? 1000),
): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-load-'));
  const db = join(dir, 'gex.duckdb');
  try {
    const load = makeLoad(join(dir), {
      files,
      bigShare: 0.05,
      criticalShare: 0.05,
      bursts: 10,
      burstGapMs: 1500,
    });
    const quiet = {
      line: () => undefined,
      json: () => undefined,
      bytes: () => undefined,
      error: (t: string) => process.stderr.write(t + '\n'),
    };
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const t0 = performance.now();
    const code = await ingestCommand(['--manifest', load.manifest, '--db', db, '--json'], quiet);
    const wall = performance.now() - t0;
    lag.disable();
    if (code !== 0) throw new Error(`ingest exited ${code}`);
    const jobs: JobLine[] = [];
    await jobsCommand(['--json', '--db', db], { ...quiet, json: (v) => jobs.push(v as JobLine) });
    const v = judge(jobs);
    const out: Measure[] = [
      { name: `files (${files}), completed`, value: v.completed, unit: 'jobs' },
      {
        name: 'priority inversions beyond the 50 ms grace',
        value: v.inversions.length,
        unit: 'jobs',
      },
      {
        name: 'CRITICAL: latest start after submission (target ≤ 1000)',
        value: Math.max(...v.criticalStartMs),
        unit: 'ms',
      },
    ];
    for (const level of PRIORITY_LEVELS) {
      const l = v.latency[level];
      out.push({
        name: `${level} latency p50 / p99 / max (n=${l.n})`,
        value: l.p50,
        unit: `ms / ${Math.round(l.p99)} / ${Math.round(l.max)} ms`,
      });
    }
    out.push(
      {
        name: 'snapshots per second (whole load, arrival to last)',
        value: (v.completed / wall) * 1000,
        unit: 'snapshots/s',
      },
      {
        name: 'engine event-loop lag p99 during the load (target < 50)',
        value: lag.percentile(99) / 1e6,
        unit: 'ms',
      },
      { name: 'engine event-loop lag max', value: lag.max / 1e6, unit: 'ms' },
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
