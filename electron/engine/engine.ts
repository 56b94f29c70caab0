// The composition root: opens the store, loads the rules, starts the worker pool,
// the scheduler and (optionally) the watched inbox, and exposes one handler per call
// of the API map. The desktop shell, the browser host and the CLI all start the
// engine through here, so they cannot drift apart.
import { join, resolve } from 'node:path';
import type { CallHandlers, EventName, EventPayload } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { err, ok, type Result, messageOf } from '../../shared/result.ts';
import { configuredAttach } from './configured-attach.ts';
import {
  inboxFrom,
  loadConfig,
  storeOpenOptions,
  type Config,
  type ConfigOverrides,
} from './config.ts';
import { EngineEvents } from './events.ts';
import { EndedJobs } from './api/drain.ts';
import { inboxHandlers } from './api/inbox-handlers.ts';
import { queueHandlers } from './api/queue-handlers.ts';
import { storeHandlers } from './api/store-handlers.ts';
import { announcer } from './intake/announce.ts';
import { ArrivalWriter } from './intake/arrival-writer.ts';
import { createDecideJob } from './intake/decide.ts';
import { auditSetAside } from './intake/inbox-audit.ts';
import { InboxControl, ownPaths } from './intake/inbox-control.ts';
import { IntakeMemory } from './intake/memory.ts';
import { SameFileTurns } from './intake/same-file.ts';
import { StagedJobs } from './intake/staged-jobs.ts';
import { retryBytesKept, retryClaim } from './intake/retry-claim.ts';
import { Staging } from './intake/staging.ts';
import { AttachedProbes } from './analytics/attached-probe.ts';
import { ownFolder } from './own-folder.ts';
import { isDiskFull } from './disk-full.ts';
import { endedForMachine } from './folder-fault.ts';
import { submit, type SubmitOrigin } from './intake/submit.ts';
import { EnginePhases } from './jobs/engine-phase.ts';
import { finishJob } from './jobs/finish.ts';
import { inboxesOfJobs, jobFilesUnder, latestJobOfFile, setJobFile } from './jobs/repository.ts';
import { createRunJob } from './jobs/run-job.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { createLogger, type Logger } from './log.ts';
import { warmTimeZone } from './pipeline/time.ts';
import { analysisRunner, type AnalysisOptions } from './rules/analysis.ts';
import { storedChecks } from './rules/stored-checks.ts';
import { RulesService } from './rules/service.ts';
import { errorOfThrown, Store } from './store/db.ts';
import { removalIntentsOf } from './store/removal-intents.ts';
import { removeUnstoredExports } from './store/unstored-exports.ts';
import { createEnginePool, type PoolChoices } from './workers/engine-pool.ts';
import type { WorkerPool } from './workers/pool.ts';
import { makeDirs } from './make-dirs.ts';
import { settledBy } from './settled-by.ts';

export interface EngineOptions extends ConfigOverrides, PoolChoices {
  /** Watch the inbox folder (the desktop app and `serve` do; one-shot CLI commands do not). */
  watchInbox?: boolean;
  /** Start workers and the scheduler; read-only commands (`jobs`, `snapshots`) do not need them. */
  runJobs?: boolean;
  /**
   * The scheduler starts paused: it runs nothing, while calls that change the queue work
   * (`gex-desk jobs cancel` without the app, which must not start the rest of the queue).
   */
  paused?: boolean;
  /**
   * `queue:drain` counts every job this engine ends from its start, not only those ending
   * while it waits: the engine of a one-shot `gex-desk queue --drain`, whose scheduler runs
   * the queue (recovered jobs first) before the command's call reaches it (api/drain.ts).
   * Not for an engine that lives on (the app, `serve`): it would keep every id it ended.
   */
  drainCountsFromStart?: boolean;
  /**
   * A pool already started for this engine (createEnginePool, by a command that starts its
   * first worker before loading the engine); the engine owns it from here on.
   */
  pool?: WorkerPool;
  transport?: 'ipc' | 'http' | 'local';
  /** The copier process's entry file (intake/copier.ts; the desktop bundle passes its own). */
  copierEntry?: string;
  /**
   * Told as soon as the database is this process's (before the rest of the start, which
   * takes seconds with thousands of jobs queued): a command notes there that it holds it.
   */
  onStoreOpened?: () => void;
  /**
   * The rule analysis's worker thread: its entry (the desktop bundle passes its own) and
   * budget (default 20 s; a test sets it small). rules/analysis.ts.
   */
  rulesAnalysis?: AnalysisOptions;
  /** The analyser's version the checks' answers are kept under in the database (default ANALYSER_VERSION; a test sets another). rules/stored-checks.ts. */
  rulesAnalyser?: string;
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
  /**
   * Graceful: stop accepting, let running jobs finish (re-queue them after the timeout), CHECKPOINT, close.
   * `jobsStopped`: called once no job runs any more, before the database closes (by the
   * same deadline): a command reads there how its jobs ended.
   */
  shutdown(timeoutMs?: number, jobsStopped?: () => Promise<unknown>): Promise<void>;
}

export async function startEngine(opts: EngineOptions = {}): Promise<Result<Engine>> {
  // What is open when a step throws (a file where a folder of the data folder belongs): closed
  // again, last first, so that neither workers nor the database outlive the failed start.
  const open: (() => Promise<unknown>)[] = [];
  try {
    return await start(opts, (close) => open.push(close));
  } catch (e) {
    for (const close of open.reverse()) await close().catch(() => undefined);
    return errorOfThrown(
      e,
      (e as NodeJS.ErrnoException)?.code ? 'IO' : 'INTERNAL',
      'The engine could not start: ',
    );
  }
}

async function start(
  opts: EngineOptions,
  opened: (close: () => Promise<unknown>) => void,
): Promise<Result<Engine>> {
  const config = loadConfig(opts);
  if (!config.ok) {
    await opts.pool?.close();
    return config;
  }
  const cfg = config.value;
  try {
    makeDirs(cfg.dataDir);
  } catch (e) {
    await opts.pool?.close();
    return err('IO', `Cannot create the data folder ${cfg.dataDir}: ${messageOf(e)}`, {
      file: cfg.dataDir,
    });
  }
  const log = createLogger(cfg.dataDir);
  const runJobs = opts.runJobs ?? true;
  // The pool first: a worker's start (Node, then Polars) overlaps opening the database and
  // loading the rules, so that a one-shot command's file finds a worker (nearly) ready.
  const pool = runJobs ? (opts.pool ?? createEnginePool(cfg, opts, log)) : null;
  if (pool) opened(() => pool.close());
  const opening = Store.open(cfg.dbPath, storeOpenOptions(cfg, cfg.workers));
  // While DuckDB opens the file and migrates it on its own threads, this one prepares what
  // comes next: the default rules, checked, and the exchange's time zone (ICU's data, which
  // the first arrival's timestamps need). About 45 ms of a cold command's start.
  RulesService.checkDefaults();
  warmTimeZone(cfg.conventions.exchange_time_zone);
  const openedStore = await opening;
  if (!openedStore.ok) {
    await pool?.close();
    return openedStore;
  }
  const store = openedStore.value;
  opened(() => store.close());
  opts.onStoreOpened?.();
  const events = new EngineEvents((event, e) =>
    log.error('event.listener_failed', { event, error: e instanceof Error ? e.stack : String(e) }),
  );
  store.whenFatal((e) => {
    log.error('store.fatal', { error: e.message });
    events.emit('engine:failed', e);
  });
  const analyses = analysisRunner(opts.rulesAnalysis);
  // Checks answered from those kept in the database first (the active version's, above all).
  const analyse = storedChecks(store, analyses, opts.rulesAnalyser);
  const rulesLoaded = await RulesService.load(store, events, analyse);
  if (!rulesLoaded.ok) {
    await pool?.close();
    await store.close();
    return rulesLoaded;
  }
  const rules = rulesLoaded.value;
  const swept = await removalIntentsOf(cfg).settle(store);
  if (swept.length > 0) log.info('removals.settled', { removed: swept.length });
  const started_at = new Date().toISOString();

  let scheduler: Scheduler | null = null;
  // Listening before the scheduler starts: the first job it ends is counted too.
  const endedFromStart = opts.drainCountsFromStart ? new EndedJobs(events) : undefined;
  const staging = new Staging({
    dir: ownFolder(cfg.dataDir, cfg.dbPath, 'staging'),
    legacyDir: join(cfg.dataDir, 'staging'),
    dataDir: cfg.dataDir,
    onNoSpace: () => yieldSpace(),
    maxBytes: cfg.limits.maxFileBytes,
    log,
    copier: { entry: opts.copierEntry, launch: opts.launchWorker, env: opts.workerEnv },
  });
  // The probes of attached folders on a stalled share (analytics/attached-probe.ts): their
  // copiers are the engine's to kill at its shutdown.
  const probes = new AttachedProbes({
    log,
    copier: { entry: opts.copierEntry, launch: opts.launchWorker, env: opts.workerEnv },
  });
  const stagedJobs = new StagedJobs(staging, { keepEndedMs: cfg.keepStagedHours * 3_600_000 });
  /**
   * A full disk: the bytes kept for ended jobs that no retry needs go (failed on their
   * content, or content already stored), so that what waits for space gets it.
   */
  function yieldSpace(): void {
    const released = stagedJobs.yieldSpace((hash) => (memory?.duplicateOf(hash) ?? null) !== null);
    if (released > 0) log.info('staging.yielded', { released });
  }
  const sweep = runJobs ? setInterval(() => stagedJobs.sweep(), 15 * 60_000).unref() : null;
  // What arrivals are decided from that only the store knows, kept in memory from here on.
  const memory = runJobs ? await IntakeMemory.load(store, cfg.conventions) : null;
  const writer = new ArrivalWriter(store, announcer(events));
  const turns = new SameFileTurns();
  if (pool && memory) {
    const { removed } = await stagedJobs.recover(store);
    if (removed > 0) log.info('staging.swept', { removed });
    events.on('job:updated', (job: ProcessingJob) => {
      stagedJobs.onJobUpdated(job);
      // A run waiting for space (in-service.ts): bytes no retry needs must not hold it.
      if (job.status !== 'failed' && job.error?.transient && isDiskFull(job.error.message))
        yieldSpace();
    });
    events.on('snapshot:created', (s) => memory.onSnapshot(s));
    events.on('snapshots:removed', (r) => r.snapshots.forEach((s) => memory.onSnapshotRemoved(s)));
    events.on('job:updated', (job: ProcessingJob) => memory.onJob(job));
    events.on('source:updated', (s) => memory.onSource(s));
    const phases = new EnginePhases(ownFolder(cfg.dataDir, cfg.dbPath, 'in-engine'));
    const runs = new EnginePhases(ownFolder(cfg.dataDir, cfg.dbPath, 'in-run'));
    // The markers go once their runs' files are: a start killed meanwhile sweeps again.
    const leftovers = phases.leftovers();
    const unfinished = runs.leftovers();
    const unstored = await removeUnstoredExports(store, cfg.dataDir, [...leftovers, ...unfinished]);
    if (unstored > 0) log.info('exports.swept', { removed: unstored });
    runs.forget(unfinished);
    const stage = {
      store,
      events,
      staging,
      dataDir: cfg.dataDir,
      conventions: cfg.conventions,
      limits: cfg.limits,
    };
    scheduler = new Scheduler({
      store,
      pool,
      log,
      events,
      windowMs: cfg.latencyWindowMs,
      targets: () => rules.active.compiled.targets,
      runJob: createRunJob({ ...stage, phases, runs, duplicateOf: (h) => memory.duplicateOf(h) }),
      decideJob: createDecideJob({ ...stage, rules, memory }),
      finalize: finishJob,
      claimRetry: (job) => retryClaim(job, stagedJobs, staging),
      endedForMachine: (error) => endedForMachine(error, cfg.keepStagedHours),
      // The app and `serve` live on: a run the machine refused waits for it (docs/scheduler.md).
      waitForMachine: opts.watchInbox === true,
      inEngineAtStop: () => {
        phases.forget(leftovers);
        return leftovers;
      },
    });
    if (opts.paused) scheduler.pause();
    await scheduler.start();
    const started = scheduler;
    opened(() => started.shutdown(0));
  }

  let accepting = true;
  /** Submissions under way: a shutdown lets them end (by its deadline) before the store closes. */
  const underWay = new Set<Promise<unknown>>();
  const submitRequest = (
    req: Parameters<CallHandlers['ingest:submit']>[0],
    origin?: SubmitOrigin,
  ): ReturnType<CallHandlers['ingest:submit']> => {
    const answer = submitNow(req, origin);
    underWay.add(answer);
    const done = () => void underWay.delete(answer);
    answer.then(done, done);
    return answer;
  };
  const submitNow = async (
    req: Parameters<CallHandlers['ingest:submit']>[0],
    origin?: SubmitOrigin,
  ): ReturnType<CallHandlers['ingest:submit']> => {
    if (!accepting || !scheduler || !memory)
      return err('SHUTTING_DOWN', 'The engine is shutting down and accepts no new requests.');
    // A database that can no longer be written takes nothing: say so (transient: a watched
    // folder keeps the file) rather than stage a copy nobody can record.
    if (store.fatal) return { ok: false, error: store.fatal };
    const s = scheduler;
    const deps = {
      rules,
      events,
      log,
      staging,
      stagedJobs,
      memory,
      writer,
      turns,
      conventions: cfg.conventions,
      limits: cfg.limits,
    };
    try {
      return await submit(
        {
          ...deps,
          enqueue: (id, row) => void s.enqueue(id, row),
          arriving: (at, level) => s.arriving(at, level),
        },
        req,
        origin,
      );
    } catch (e) {
      // The database failed under this request: its words, not DuckDB's raw error.
      if (store.fatal) return { ok: false, error: store.fatal };
      throw e;
    }
  };

  const inbox = new InboxControl({
    dir: cfg.inbox,
    configFile: cfg.configFile,
    from: inboxFrom(cfg),
    own: ownPaths(cfg),
    // done/ counts the files its jobs name: those GEX Desk moved there.
    recorded: (dir) => jobFilesUnder(store, dir),
    events,
    log,
    // Its probes' copiers, as the captures' (a folder on a share that can stall).
    probe: { copier: { entry: opts.copierEntry, launch: opts.launchWorker, env: opts.workerEnv } },
    watch:
      runJobs && opts.watchInbox
        ? {
            // Its source: the inbox's sub-folder it was dropped in, else `inbox` (inbox.ts);
            // the job records the inbox that took it (inboxesOfJobs, at the next start).
            submit: async (file, source, dir, seen) =>
              submitRequest({ file, source }, { inbox: dir, seen }),
            findJob: (file) => latestJobOfFile(store, file),
            inboxesOfJobs: () => inboxesOfJobs(store),
            // The job names the file where the analyst finds it (done/, failed/), not the
            // processing/ path it was read from: written before the file moves (inbox.ts).
            settled: (jobId, file) =>
              setJobFile(store, jobId, file).catch((e: unknown) =>
                log.error('inbox.job_file', { job_id: jobId, file, error: String(e) }),
              ),
            // A file it moved to failed/ of its own accord: in the audit trail (inbox-audit.ts).
            setAside: async (aside) => void (await auditSetAside(store, announcer(events), aside)),
          }
        : null,
  });
  events.on('job:updated', (job: ProcessingJob) => inbox.onJobUpdated(job));
  await inbox.start();
  // Targets shown beside each level are the active rules': announce them once activated.
  events.on('rules:activated', () => {
    if (scheduler)
      void scheduler.stats().then(
        (s) => events.emit('queue:stats', s),
        () => undefined,
      );
  });

  const rulesAccess = { active: async () => ok(rules.active), service: async () => ok(rules) };
  const storeCalls = storeHandlers({
    store,
    events,
    config: cfg,
    rules: rulesAccess,
    analyse,
    attach: configuredAttach(
      cfg,
      opts.attach?.map((d) => resolve(d)),
    ),
    probes,
  });
  const running = scheduler;
  const handlers: CallHandlers = {
    ...storeCalls,
    ...queueHandlers({
      scheduler,
      store,
      events,
      log,
      bytesKept: (job) => retryBytesKept(job, stagedJobs, staging),
      endedFromStart,
    }),
    ...inboxHandlers(inbox),
    'engine:health': async () =>
      ok({
        ok: store.fatal === null,
        db_path: cfg.dbPath,
        data_dir: cfg.dataDir,
        conventions: cfg.conventions,
        inbox: inbox.dir,
        workers: cfg.workers,
        rule_version: rules.active.version,
        started_at,
        transport: opts.transport ?? 'http',
        pending_final_writes: scheduler?.unwrittenFinalStates ?? 0,
        ...(store.fatal ? { problem: store.fatal.message } : {}),
      }),
    'ingest:submit': (req) => submitRequest(req),
    // The scheduler's figures (its workers, what runs); without one, the table's.
    'queue:stats': running ? async () => ok(await running.stats()) : storeCalls['queue:stats'],
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
    shutdown: (timeoutMs = 10_000, jobsStopped) =>
      (closing ??= (async () => {
        // One deadline for everything: a file on a stalled share can delay the inbox's
        // last submission, never the quit.
        const deadline = Date.now() + timeoutMs;
        accepting = false;
        if (sweep) clearInterval(sweep);
        await inbox.stop(deadline);
        await settledBy(Promise.allSettled(underWay), deadline);
        await scheduler?.shutdown(timeoutMs, deadline);
        if (jobsStopped) await settledBy(jobsStopped(), deadline);
        staging.close();
        probes.close();
        // The workers go while the store checkpoints: neither needs the other any more.
        // A worker whose exit never comes (a thread in a read on a stalled share) is
        // waited for until the deadline only (at least the pool's SIGKILL and 2 s more).
        await Promise.all([pool?.close(deadline), store.close(), analyses.close()]);
        log.info('engine.stopped');
      })()),
  };
  log.info('engine.started', { db: cfg.dbPath, workers: runJobs ? cfg.workers : 0 });
  return ok(engine);
}
