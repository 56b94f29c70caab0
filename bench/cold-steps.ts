// One cold `gex-desk ingest FILE`, step by step, in a fresh process started by
// `npm run bench -- cold`: the real engine (startEngine, the submit handler, the
// scheduler, the pool), timed from outside its calls and from its own audit trail
// (arrival, decision, start, completion are stamped by the engine itself).
// Prints one JSON line: {steps: {step: ms}, end, maxRssMb}. Usage:
//   node bench/cold-steps.ts FILE DB_DIR WORKERS SPARE
// WORKERS/SPARE: the pool's size and spare workers; SPARE "0" with WORKERS "1" is the
// single worker a one-shot command starts on demand.
const t0 = performance.now(); // Node's own start-up ends here (ms since the process began)
const [file, dir, workers, spare] = process.argv.slice(2) as [string, string, string, string];
const steps: Record<string, number> = { 'process start (Node bootstrap)': t0 };
let last = t0;
const mark = (step: string, at = performance.now()) => {
  steps[step] = (steps[step] ?? 0) + (at - last);
  last = at;
};

const { join } = await import('node:path');
// As `gex-desk ingest FILE` does (host/cli/api.ts): the command module, then the pool's first
// worker — reading the file ahead — before the engine's modules load.
await import('../electron/host/cli/ingest.ts');
const { loadConfig } = await import('../electron/engine/config.ts');
const { createLogger } = await import('../electron/engine/log.ts');
const { createEnginePool } = await import('../electron/engine/workers/engine-pool.ts');
const settings = {
  dbPath: join(dir, 'gex.duckdb'),
  dataDir: join(dir, 'data'),
  configFile: join(dir, 'none.json'),
  workers: Number(workers),
};
const cfg = loadConfig(settings);
if (!cfg.ok) throw new Error(cfg.error.message);
const { mkdirSync } = await import('node:fs');
mkdirSync(cfg.value.dataDir, { recursive: true });
const pool = createEnginePool(
  cfg.value,
  // One worker at once (none for the on-demand case), reading the file ahead.
  { prewarm: Number(spare) === 0 && Number(workers) === 1 ? 0 : 1, readAhead: [file] },
  createLogger(cfg.value.dataDir),
);
mark('imports (the ingest command, config), the first worker forked');
const { startEngine } = await import('../electron/engine/engine.ts');
const { listAudit } = await import('../electron/engine/store/audit.ts');
const { TERMINAL_STATUSES } = await import('../shared/domain.ts');
mark('imports (the engine, DuckDB, zod)');

const started = await startEngine({ ...settings, pool });
if (!started.ok) throw new Error(started.error.message);
const engine = started.value;
mark('engine start (DuckDB open + migrations, rules, pool, scheduler)');

// performance.now() and the audit's wall-clock stamps, on one axis.
const wall = (iso: string) => Date.parse(iso) - (Date.now() - performance.now());
const submitted = performance.now();
const ended = new Promise<void>((resolve) =>
  engine.events.on('job:updated', (j) => {
    if (TERMINAL_STATUSES.has(j.status)) resolve();
  }),
);
const ack = await engine.handlers['ingest:submit']({ file, source: 'cli' });
if (!ack.ok) throw new Error(ack.error.message);
const acked = performance.now();
await ended;
const done = performance.now();
const trail = (
  await listAudit(engine.store, { request_id: ack.value.request_id, limit: 20 })
).reverse();
const at = (...kinds: string[]) => {
  const e = trail.find((x) => kinds.includes(x.kind));
  return e ? wall(e.at) : NaN;
};
steps['arrival → acknowledged (staged, sniffed, decided or deciding, stored)'] = acked - submitted;
const decided = Math.max(acked, at('decision', 'override'));
if (decided > acked + 1)
  steps['facts read until decided (a worker starts, parses)'] = decided - acked;
steps['decided → run started (a worker ready)'] = at('started') - decided;
steps['run (pipeline in the worker) + snapshot stored'] = at('completed') - at('started');
steps['completion announced'] = done - at('completed');
last = performance.now();
await engine.shutdown();
mark('shutdown: workers stopped, CHECKPOINT, close');
process.stdout.write(
  JSON.stringify({
    steps,
    end: performance.now(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
