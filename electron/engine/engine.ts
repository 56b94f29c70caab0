// The composition root: opens the store, loads the rules, starts the worker pool,
// the scheduler and (optionally) the watched inbox, and exposes one handler per call
// of the API map. The desktop shell, the browser host and the CLI all start the
// engine through here, so they cannot drift apart.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { CallHandlers, EventName, EventPayload } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { FactsResult, type FileFacts } from '../../shared/pipeline.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { Analytics } from './analytics/index.ts';
import { loadConfig, type Config, type ConfigOverrides } from './config.ts';
import { EngineEvents } from './events.ts';
import { submit } from './ingest.ts';
import { createLogger, type Logger } from './log.ts';
import { RulesService } from './rules-service.ts';
import { listAudit } from './store/audit.ts';
import { Store } from './store/db.ts';
import { listSnapshots } from './store/snapshots.ts';
import { createRunJob } from './run-job.ts';
import { rulesJsonSchema } from './rules/index.ts';
import { getJob, listJobs } from './scheduler/jobs-repo.ts';
import { WorkerPool } from './scheduler/pool.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { Inbox } from './scheduler/inbox.ts';

export interface EngineOptions extends ConfigOverrides {
  /** Watch the inbox folder (the desktop app and `serve` do; one-shot CLI commands do not). */
  watchInbox?: boolean;
  /** Start workers and the scheduler; read-only commands (`jobs`, `snapshots`) do not need them. */
  runJobs?: boolean;
  /** The pipeline worker's entry file (the desktop bundle passes its own). */
  workerEntry?: string;
  /** Extra environment for worker processes (e.g. ELECTRON_RUN_AS_NODE=1). */
  workerEnv?: NodeJS.ProcessEnv;
  transport?: 'ipc' | 'http';
}

export interface Engine {
  handlers: CallHandlers;
  events: { on<K extends EventName>(e: K, l: (p: EventPayload<K>) => void): () => void };
  config: Config;
  store: Store;
  rules: RulesService;
  scheduler: Scheduler | null;
  log: Logger;
  /** Waits until no job is queued or running. */
  drain(): Promise<void>;
  /** Graceful: stop accepting, let running jobs finish (re-queue them after the timeout), CHECKPOINT, close. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export async function startEngine(opts: EngineOptions = {}): Promise<Result<Engine>> {
  const config = loadConfig(opts);
  if (!config.ok) return config;
  const cfg = config.value;
  try {
    mkdirSync(cfg.dataDir, { recursive: true });
  } catch (e) {
    return err('IO', `Cannot create the data folder ${cfg.dataDir}: ${(e as Error).message}`, { file: cfg.dataDir });
  }
  const log = createLogger(cfg.dataDir);
  const opened = await Store.open(cfg.dbPath);
  if (!opened.ok) return opened;
  const store = opened.value;
  const events = new EngineEvents();
  const rulesLoaded = await RulesService.load(store, events);
  if (!rulesLoaded.ok) {
    await store.close();
    return rulesLoaded;
  }
  const rules = rulesLoaded.value;
  const started_at = new Date().toISOString();
  const analytics = new Analytics({ store, attach: cfg.attach, timeZone: cfg.conventions.exchange_time_zone });
  const runJobs = opts.runJobs ?? true;

  let pool: WorkerPool | null = null;
  let scheduler: Scheduler | null = null;
  let inbox: Inbox | null = null;
  if (runJobs) {
    pool = new WorkerPool({ size: cfg.workers, entry: opts.workerEntry, env: opts.workerEnv, log });
    // Running jobs use the store's urgent lane: a burst of new requests must not hold up
    // the state changes and snapshots of work already running.
    const jobStore = store.urgent();
    scheduler = new Scheduler({
      store: jobStore,
      pool,
      log,
      events,
      windowMs: cfg.latencyWindowMs,
      targets: () => rules.active.compiled.targets,
      runJob: createRunJob({ store: jobStore, events, dataDir: cfg.dataDir, conventions: cfg.conventions }),
    });
    await scheduler.start();
  }

  const readFacts = async (file: string): Promise<Result<FileFacts>> => {
    if (!pool) return err('INTERNAL', 'This engine was started without workers.');
    const result = await pool.run({ type: 'facts', taskId: randomUUID(), file, conventions: cfg.conventions }, { urgent: true });
    const parsed = FactsResult.safeParse(result);
    if (!parsed.success) return err('INTERNAL', `The facts pass answered in an unexpected shape: ${parsed.error.message}`);
    return parsed.data as Result<FileFacts>;
  };

  let accepting = true;
  const submitRequest: CallHandlers['ingest:submit'] = async (req) => {
    if (!accepting || !scheduler) return err('SHUTTING_DOWN', 'The engine is shutting down and accepts no new requests.');
    const s = scheduler;
    return submit({ store, rules, events, log, readFacts, enqueue: (id, row) => void s.enqueue(id, row) }, req);
  };

  if (runJobs && opts.watchInbox) {
    inbox = new Inbox({
      dir: cfg.inbox,
      log,
      submit: async (file) => submitRequest({ file, source: 'inbox' }),
      findJob: (file) => latestJobOfFile(store, file),
    });
    events.on('job:updated', (job: ProcessingJob) => inbox?.onJobUpdated(job));
    await inbox.start();
  }

  const noScheduler = () => err('INTERNAL', 'This engine was started without a scheduler.');
  const handlers: CallHandlers = {
    'engine:health': async () =>
      ok({
        ok: true, db_path: cfg.dbPath, data_dir: cfg.dataDir, inbox: cfg.inbox, workers: cfg.workers,
        rule_version: rules.active.version, started_at, transport: opts.transport ?? 'http',
      }),
    'ingest:submit': submitRequest,
    'jobs:list': async (req) => ok(await listJobs(store, req)),
    'jobs:cancel': async ({ id }) => (scheduler ? scheduler.cancel(id) : noScheduler()),
    'jobs:retry': async ({ id }) => (scheduler ? scheduler.retry(id) : noScheduler()),
    'queue:pause': async () => {
      if (!scheduler) return noScheduler();
      scheduler.pause();
      log.info('queue.paused');
      return ok(await scheduler.stats());
    },
    'queue:resume': async () => {
      if (!scheduler) return noScheduler();
      scheduler.resume();
      log.info('queue.resumed');
      return ok(await scheduler.stats());
    },
    'queue:stats': async () =>
      ok(await (scheduler ? scheduler.stats() : Scheduler.statsFromStore(store, { workers: 0, windowMs: cfg.latencyWindowMs }))),
    'snapshots:list': async (req) => ok(await listSnapshots(store, req)),
    'snapshots:get': async ({ id }) => analytics.snapshot(id),
    'snapshots:history': async (req) => analytics.history(req),
    'snapshots:diff': async ({ from, to }) => analytics.diff(from, to),
    'snapshots:levels': async () => analytics.levels(),
    'rules:active': async () => ok({ version: rules.active.version, text: rules.active.text }),
    'rules:check': async ({ text }) => ok(rules.check(text)),
    'rules:dryRun': async ({ text, facts }) => rules.dryRun(text, facts),
    'rules:activate': async ({ text, author, comment }) => rules.activate(text, author, comment),
    'rules:history': async () => ok(await rules.history()),
    'rules:get': async ({ version }) => rules.text(version),
    'rules:rollback': async ({ version, author }) => rules.rollback(version, author),
    'rules:schema': async () => ok(rulesJsonSchema() as Record<string, unknown>),
    'audit:list': async (req) => ok(await listAudit(store, req)),
  };

  let closing: Promise<void> | null = null;
  const engine: Engine = {
    handlers,
    events,
    config: cfg,
    store,
    rules,
    scheduler,
    log,
    drain: async () => {
      await scheduler?.drain();
    },
    shutdown: (timeoutMs = 10_000) =>
      (closing ??= (async () => {
        accepting = false;
        await inbox?.stop();
        await scheduler?.shutdown(timeoutMs);
        await pool?.close();
        await store.close();
        log.info('engine.stopped');
      })()),
  };
  log.info('engine.started', { db: cfg.dbPath, workers: runJobs ? cfg.workers : 0 });
  return ok(engine);
}

/** The latest job submitted for a path (the inbox settles files a previous run left in processing/). */
async function latestJobOfFile(store: Store, file: string): Promise<ProcessingJob | undefined> {
  const row = await store.one<{ id: string }>('SELECT id FROM jobs WHERE file = $1 ORDER BY seq DESC LIMIT 1', [file]);
  return row && getJob(store, row.id);
}
