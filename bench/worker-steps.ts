// How a pipeline worker spends its start and its first file, step by step, in a fresh
// process started by `npm run bench -- cold`: Node's start-up, loading Polars and the
// pipeline, the warm-up run (as pipeline-worker.ts does after `ready` while no task
// waits), then the facts pass and the pipeline run on FILE. Prints one JSON line of
// {step: ms} and the peak RSS.
// Usage: node bench/worker-steps.ts FILE
const t0 = performance.now();
const file = process.argv[2]!;
const steps: Record<string, number> = { 'process start (Node bootstrap)': t0 };
let last = t0;
const mark = (step: string) => {
  const now = performance.now();
  steps[step] = now - last;
  last = now;
};
const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { readFacts, runPipeline } = await import('../electron/engine/pipeline/index.ts');
const { GexConventions } = await import('../shared/domain.ts');
mark('imports (nodejs-polars, the pipeline, zod)');
const dir = mkdtempSync(join(tmpdir(), 'gex-worker-steps-'));
try {
  const { warmUp } = await import('../electron/engine/workers/warm-up.ts');
  last = performance.now();
  const conventions = GexConventions.parse({});
  await warmUp();
  mark('warm-up (workers/warm-up.ts, after `ready`, until a task comes)');
  const facts = await readFacts(file, conventions);
  if (!facts.ok) throw new Error(facts.error.message);
  mark('facts pass');
  const run = await runPipeline({ file, dataDir: dir, snapshotId: 'steps', conventions });
  if (!run.ok) throw new Error(run.error.message);
  mark('pipeline run (read, GEX, profile, Parquet)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  JSON.stringify({ steps, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
