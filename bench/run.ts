// `npm run bench`: every benchmark of the project in one run, each next to the
// baseline it is judged against, measured in the same run (these machines are noisy,
// so only ratios measured together mean anything). `npm run bench -- rules` runs one.
export interface Measure {
  name: string;
  value: number;
  unit: string;
}

const suites: Record<string, () => Promise<Measure[]>> = {
  pipeline: benchPipelineWithStore,
  rules: async () => (await import('./rules.bench.ts')).benchRules(),
  scheduler: async () => (await import('./scheduler.bench.ts')).benchScheduler(),
  load: async () => (await import('./load.bench.ts')).benchLoad(),
  throughput: async () => (await import('./throughput.bench.ts')).benchThroughput(),
  sniff: async () => (await import('./sniff.bench.ts')).benchSniff(),
  fuzz: async () => (await import('./fuzz.bench.ts')).benchFuzz(),
  cold: async () => (await import('./cold.bench.ts')).benchCold(),
  memory: async () => (await import('./memory.bench.ts')).benchMemory(),
  'memory-requests': async () => (await import('./memory.bench.ts')).benchMemoryOverRequests(),
  analytics: async () => (await import('./analytics.bench.ts')).benchAnalytics(),
  cells: async () => (await import('./cells.bench.ts')).benchCells(),
  bursts: async () => (await import('./bursts.bench.ts')).benchBursts(),
  'attached-read': async () => (await import('./attached-read.bench.ts')).benchAttachedRead(),
  board: async () => (await import('./board.bench.ts')).benchBoard(),
  intake: async () => (await import('./intake.bench.ts')).benchIntake(),
  whatif: async () => (await import('./whatif.bench.ts')).benchWhatIf(),
  'ui-scale': async () => (await import('./ui-scale.bench.ts')).benchUiScale(),
  workbench: async () => (await import('./workbench.bench.ts')).benchWorkbench(),
};

/**
 * Suites that run only when named (`npm run bench -- memory-requests`). `fuzz` (about 2½
 * minutes on 2 cores, docs/formats.md) runs with the rest, as `bursts` and `analytics`,
 * which take longer: it fails on a crash, which a run of every suite is for.
 */
const ONLY_WHEN_NAMED = new Set(['memory-requests']);

/**
 * The engine's warm time per snapshot includes the DuckDB step: every pipeline run of
 * the benchmark is stored as the engine stores it (one transaction, read_parquet).
 * Each run gets its own content hash so that none is skipped as a duplicate.
 */
async function benchPipelineWithStore(): Promise<Measure[]> {
  const { benchPipeline } = await import('./pipeline.bench.ts');
  const { Store } = await import('../electron/engine/store/db.ts');
  const { saveSnapshot } = await import('../electron/engine/store/snapshots.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-store-'));
  // The pipeline bench writes its Parquet files in folders of its own under the OS's
  // temporary folder: DuckDB may read them there (the engine allows its data folder).
  const opened = await Store.open(join(dir, 'bench.duckdb'), { allowedDirectories: [tmpdir()] });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  let n = 0;
  try {
    return await benchPipeline({
      afterSnapshot: async (output) => {
        const hash = `${output.snapshot.content_hash}-${n++}`;
        await saveSnapshot(
          store,
          { ...output, snapshot: { ...output.snapshot, content_hash: hash } },
          { request_id: null, job_id: null },
        );
      },
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.argv.slice(2);
// A name that is no suite ran nothing and exited 0, which read as a pass: a usage error.
const unknown = only.filter((name) => !Object.hasOwn(suites, name));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: no suite ${unknown.join(', ')}; the suites are ${Object.keys(suites).join(', ')} (${[...ONLY_WHEN_NAMED].join(' and ')} only when named)\n`,
  );
  process.exit(2);
}
const format = (v: number) =>
  Number.isNaN(v)
    ? ''
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toPrecision(3);

for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 ? !only.includes(name) : ONLY_WHEN_NAMED.has(name)) continue;
  process.stdout.write(`\n== ${name}\n`);
  const started = performance.now();
  try {
    for (const m of await run())
      process.stdout.write(`  ${m.name.padEnd(72)} ${format(m.value).padStart(12)} ${m.unit}\n`);
  } catch (e) {
    process.stdout.write(`  FAILED: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
