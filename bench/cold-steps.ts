// One cold `gex-desk ingest FILE`, step by step, in a fresh process started by
// `npm run bench -- cold`: the same pieces, in the same order, as the engine and the
// ingest command put together (startEngine, submit, the scheduler's run), each timed.
// Prints one JSON line: {steps: {step: ms}, end, maxRssMb (this, the engine's, process)}. Usage:
//   node bench/cold-steps.ts FILE DB_DIR WORKERS SPARE
// WORKERS/SPARE: the pool's size and spare workers (the engine's default is the number
// of cores + 1 spare; the bench also measures a single worker, as if started on demand).
import type { QueuedRow } from '../electron/engine/scheduler/jobs-repo.ts';

const t0 = performance.now(); // Node's own start-up ends here (ms since the process began)
const [file, dir, workers, spare] = process.argv.slice(2) as [string, string, string, string];
const steps: Record<string, number> = { 'process start (Node bootstrap)': t0 };
let last = t0;
const mark = (step: string) => {
  const now = performance.now();
  steps[step] = (steps[step] ?? 0) + (now - last);
  last = now;
};

const { join } = await import('node:path');
const { randomUUID } = await import('node:crypto');
// What `gex-desk ingest` imports: the command module pulls in the engine and all of it.
await import('../electron/host/cli/ingest.ts');
const [
  { Store },
  { RulesService },
  { WorkerPool },
  { submit },
  { createRunJob },
  { EngineEvents },
  { createLogger },
] = await Promise.all([
  import('../electron/engine/store/db.ts'),
  import('../electron/engine/rules-service.ts'),
  import('../electron/engine/scheduler/pool.ts'),
  import('../electron/engine/ingest.ts'),
  import('../electron/engine/run-job.ts'),
  import('../electron/engine/events.ts'),
  import('../electron/engine/log.ts'),
]);
const { markRunning } = await import('../electron/engine/scheduler/jobs-repo.ts');
const { GexConventions } = await import('../shared/domain.ts');
const { FactsResult } = await import('../shared/pipeline.ts');
mark('imports (the ingest command, engine, DuckDB, zod)');

const opened = await Store.open(join(dir, 'gex.duckdb'));
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.value;
mark('DuckDB open + migrations');

const events = new EngineEvents();
const rules = await RulesService.load(store, events);
if (!rules.ok) throw new Error(rules.error.message);
mark('rules load (default rules stored and compiled)');

const pool = new WorkerPool({ size: Number(workers), spare: Number(spare) });
const conventions = GexConventions.parse({});
// The engine does not wait for the pool: the facts pass waits for the first ready worker.
const firstReady = pool.run(
  { type: 'facts', taskId: randomUUID(), file, conventions },
  { urgent: true },
);
let factsMs = 0;
const readFacts = async () => {
  const result = await firstReady;
  mark(`worker spawn (${workers} + ${spare} spare) until the facts pass ends`);
  factsMs = performance.now();
  const parsed = FactsResult.safeParse(result);
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data as never;
};
const queued: QueuedRow[] = [];
const acked = await submit(
  {
    store,
    rules: rules.value,
    events,
    log: createLogger(dir),
    readFacts,
    enqueue: (_id, r) => void queued.push(r),
  },
  { file, source: 'cli' },
);
const row = queued[0];
if (!acked.ok || !row) throw new Error(`submit failed: ${JSON.stringify(acked)}`);
mark('decision + request/job/audit transaction');
void factsMs;

const job = await markRunning(store.urgent(), row.id, Date.now());
if (!job) throw new Error('the job was not queued');
mark('queued → running (one durable transition)');

const runJob = createRunJob({
  store: store.urgent(),
  events,
  dataDir: join(dir, 'data'),
  conventions,
});
let pipelineEnd = 0;
const outcome = await runJob(job, {
  signal: new AbortController().signal,
  onProgress: () => undefined,
  pool: {
    run: async (message, opts) => {
      const r = await pool.run(message, opts);
      pipelineEnd = performance.now();
      return r;
    },
  },
});
if (!outcome.ok) throw new Error(outcome.error.message);
steps['pipeline run in the worker (read, GEX, profile, Parquet)'] = pipelineEnd - last;
steps['store: snapshot + strikes + completed, one transaction'] = performance.now() - pipelineEnd;
last = performance.now();

await pool.close();
mark('shutdown: workers stopped');
await store.close();
mark('shutdown: CHECKPOINT + close');
process.stdout.write(
  JSON.stringify({
    steps,
    end: performance.now(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
