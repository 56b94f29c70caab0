// Cold start (issue 13): fresh processes, as an analyst's script starts them, timed from
// the outside, each measured alternately with its baseline in the same run, medians of
// BENCH_COLD_RUNS (default 5) after one discarded run (which fills the OS page cache and
// Node's compile cache, as any earlier use of the command would have):
//  - `gex-desk --help`, `jobs`, and a cold `ingest` of the SPX sample into a new
//    database, next to bare Node and to the numpy reference (bench/gex_reference.py,
//    the public tool's computation, vectorised);
//  - the same with Node's compile cache and our stripped-TypeScript cache off, to show
//    what they save;
//  - where a cold ingest's time goes (bench/cold-steps.ts: the engine's pieces in its
//    order, with the engine's default pool (defaultWorkers + 1 spare) and with one worker), and where
//    a worker's start goes (bench/worker-steps.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { defaultWorkers } from '../electron/engine/config.ts';
import { join } from 'node:path';
import { BIN, findPython, median, mustRun, SPX_SAMPLE, timed } from './proc.ts';
import type { Measure } from './run.ts';

type Steps = Record<string, number>;

export async function benchCold(
  runs = Number(process.env.BENCH_COLD_RUNS ?? 5),
): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-cold-'));
  const python = findPython();
  const node = process.execPath;
  const cache = join(dir, 'compile-cache');
  // The CLI's own per-user folders, in the bench's temp folder.
  const env = {
    GEX_DESK_HOME: join(dir, 'home'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    NODE_COMPILE_CACHE: cache,
  };
  const noCache = {
    ...env,
    NODE_COMPILE_CACHE: '',
    NODE_DISABLE_COMPILE_CACHE: '1',
    GEX_DESK_TS_CACHE: '',
  };
  // The step-by-step scripts load our code as the command does: both caches on (bin/ts-cache.js).
  const stepsEnv = {
    NODE_COMPILE_CACHE: cache,
    GEX_DESK_TS_CACHE: join(dir, 'xdg-cache', 'gex-desk', 'ts'),
    NODE_OPTIONS: `--import=${new URL('../bin/ts-cache.js', import.meta.url).href}`,
  };
  let n = 0;
  const fresh = () => join(dir, `run-${n++}`);
  const workers = defaultWorkers();
  const times: Record<string, number[]> = {};
  const steps: Record<string, Steps[]> = { pool: [], one: [], worker: [] };
  const add = (k: string, ms: number) => (times[k] ??= []).push(ms);
  const ingest = (extra: NodeJS.ProcessEnv) => {
    const d = fresh();
    return mustRun(
      node,
      [BIN, 'ingest', SPX_SAMPLE, '--db', join(d, 'gex.duckdb'), '--json'],
      extra,
    );
  };
  const stepRun = async (workers: number, spare: number) => {
    const d = fresh();
    const r = await mustRun(
      node,
      ['bench/cold-steps.ts', SPX_SAMPLE, d, String(workers), String(spare)],
      stepsEnv,
    );
    const { steps: s, end } = JSON.parse(r.stdout) as { steps: Steps; end: number };
    return { ...s, 'exit (after the last step, as seen from outside)': r.ms - end };
  };
  try {
    // `jobs` reads a database one ingest made (a read-only command makes none: exit 2).
    const stored = join(fresh(), 'gex.duckdb');
    await mustRun(node, [BIN, 'ingest', SPX_SAMPLE, '--db', stored, '--json'], env);
    for (let round = -1; round < runs; round++) {
      const keep = round >= 0; // round −1 fills the caches
      const m = async (k: string, run: () => Promise<{ ms: number }>) => {
        const r = await run();
        if (keep) add(k, r.ms);
      };
      await m('node', () => mustRun(node, ['-e', '0']));
      await m('help', () => mustRun(node, [BIN, '--help'], env));
      await m('help, no compile cache', () => mustRun(node, [BIN, '--help'], noCache));
      await m('engine graph', () =>
        mustRun(
          node,
          [
            '-e',
            "await import('./electron/engine/engine.ts'); await import('./electron/host/serve.ts')",
          ],
          { NODE_COMPILE_CACHE: cache },
        ),
      );
      await m('jobs', () => mustRun(node, [BIN, 'jobs', '--db', stored], env));
      await m('ingest', () => ingest(env));
      if (python)
        await m('reference', () => mustRun(python, ['bench/gex_reference.py', SPX_SAMPLE]));
      await m('ingest, no compile cache', () => ingest(noCache));
      if (python)
        await m('reference 2', () => mustRun(python, ['bench/gex_reference.py', SPX_SAMPLE]));
      const pool = await stepRun(workers, 1);
      const one = await stepRun(1, 0);
      const worker = JSON.parse(
        (await mustRun(node, ['bench/worker-steps.ts', SPX_SAMPLE], stepsEnv)).stdout,
      ) as { steps: Steps };
      if (keep) {
        steps.pool!.push(pool);
        steps.one!.push(one);
        steps.worker!.push(worker.steps);
      }
    }
    const med = (k: string) => (times[k] ? median(times[k]) : NaN);
    const reference = python ? median([...times['reference']!, ...times['reference 2']!]) : NaN;
    const check = python
      ? JSON.parse((await timed(python, ['bench/gex_reference.py', SPX_SAMPLE])).stdout)
      : null;
    const out: Measure[] = [
      {
        name: `runs per measure (medians; alternated; after one warm-up run)`,
        value: runs,
        unit: '',
      },
      { name: 'bare Node start (node -e 0)', value: med('node'), unit: 'ms' },
      { name: 'gex-desk --help', value: med('help'), unit: 'ms' },
      {
        name: 'gex-desk --help, compile and TypeScript caches off',
        value: med('help, no compile cache'),
        unit: 'ms',
      },
      {
        name: 'import of engine.ts + serve.ts (what --help loaded before)',
        value: med('engine graph'),
        unit: 'ms',
      },
      { name: 'gex-desk jobs (a database of one snapshot)', value: med('jobs'), unit: 'ms' },
      { name: 'gex-desk ingest SPX sample, cold (new database)', value: med('ingest'), unit: 'ms' },
      {
        name: 'gex-desk ingest SPX sample, cold, compile and TypeScript caches off',
        value: med('ingest, no compile cache'),
        unit: 'ms',
      },
    ];
    if (python) {
      out.push(
        {
          name: `numpy reference (${python} bench/gex_reference.py; ${check?.density} density)`,
          value: reference,
          unit: 'ms',
        },
        {
          name: 'ratio cold ingest ÷ numpy reference (goal ≤ 0.6)',
          value: med('ingest') / reference,
          unit: '×',
        },
        {
          name: `  reference's result: total GEX ${check?.total_gex_bn} Bn, zero gamma ${Math.round(check?.zero_gamma)}, walls ${check?.call_wall}/${check?.put_wall}`,
          value: NaN,
          unit: '',
        },
      );
    } else {
      out.push({
        name: 'numpy reference: NOT MEASURED (no python3 with numpy and pandas)',
        value: NaN,
        unit: '',
      });
    }
    const breakdown = (label: string, list: Steps[]) => {
      const names = Object.keys(list[0]!);
      const total = names.reduce((sum, s) => sum + median(list.map((x) => x[s]!)), 0);
      out.push({ name: `${label}: sum of the steps' medians`, value: total, unit: 'ms' });
      for (const s of names)
        out.push({ name: `  ${s}`, value: median(list.map((x) => x[s]!)), unit: 'ms' });
    };
    breakdown(
      `cold ingest step by step, the default pool of ${workers} + 1 spare workers`,
      steps.pool!,
    );
    breakdown('cold ingest step by step, one worker (as if started on demand)', steps.one!);
    breakdown('a worker: start and first SPX file', steps.worker!);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
