// The priority scheduler: runs durable jobs (rows of `jobs`) by EFFECTIVE level and
// first-in first-out by arrival within a level, on a warm worker pool. Two kinds of work
// share that one order: a job still `deciding` waits for the facts read that decides its
// level, ranked by the highest level it could still get; a `queued` job waits for its
// run. The scheduler knows nothing of GEX: it is given `decideJob` and `runJob`. The jobs
// table is the truth — every state change is written before it is announced — and the
// ready queue is a cache of its waiting rows, rebuilt at start. Here: the order, capacity
// and preemption, cancel and retry, pause, drain and shutdown. One job's way through a
// worker is in-service.ts, its state changes transitions.ts, lateness escalator.ts,
// statistics stats-cache.ts. Why this is not better-queue: docs/scheduler.md.
import type { AuditEntry, QueueStats } from '../../../shared/api.ts';
import {
  levelRank,
  TERMINAL_STATUSES,
  type PriorityLevel,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { LevelTargets } from '../../../shared/rules.ts';
import { EngineEvents } from '../events.ts';
import type { Logger } from '../log.ts';
import { defaultRules } from '../rules/index.ts';
import type { Store } from '../store/db.ts';
import { Arriving, type ArrivalTicket } from './arriving.ts';
import { DurableWrites } from './durable-writes.ts';
import { Escalator } from './escalator.ts';
import {
  newService,
  serve,
  type InService,
  type ServiceDeps,
  type StopReason,
} from './in-service.ts';
import { DEFAULT_WINDOW_MS, queueStats } from './monitor.ts';
import { ReadyQueue, servedLevel } from './ready-queue.ts';
import * as repo from './repository.ts';
import { StatsCache } from './stats-cache.ts';
import { Transitions } from './transitions.ts';
import type { ClaimRetry, SchedulerOptions, SchedulerPool } from './types.ts';
import { echoed } from '../../../shared/visible.ts';

export type * from './types.ts';

export class Scheduler {
  readonly events: EngineEvents;
  #store: Store;
  #pool: SchedulerPool;
  #clock: () => number;
  #log: Logger | null;
  #inEngineAtStop: () => string[];
  #preempt: boolean;
  #tickMs: number;
  #statsEveryMs: number;
  #ready = new ReadyQueue();
  #arriving: Arriving;
  #inService = new Map<string, InService>();
  #progress = new Map<string, number>();
  #escalator: Escalator;
  #stats: StatsCache;
  #writes: DurableWrites;
  #transitions: Transitions;
  #claimRetry: ClaimRetry;
  #service: ServiceDeps;
  #started = false;
  #accepting = true;
  #dispatching = true;
  #paused = false;
  #stopped = false;
  #tickTimer: NodeJS.Timeout | null = null;
  #wakeTimer: NodeJS.Timeout | null = null;
  #statsTimer: NodeJS.Timeout | null = null;
  /** Statistics are being made; `#statsAgain`: something changed meanwhile. */
  #statsMaking = false;
  #statsAgain = false;
  /** Store work started by timers, awaited by shutdown so nothing touches the store after it. */
  #background = new Set<Promise<unknown>>();
  #lastStatsAt = 0;
  #drainWaiters: (() => void)[] = [];
  /** The active rules' level targets, read each time (activation swaps them). */
  #targets: () => LevelTargets;
  #done = new Map<string, Promise<void>>();

  constructor(opts: SchedulerOptions) {
    this.#store = opts.store;
    this.#pool = opts.pool;
    this.#clock = opts.clock ?? Date.now;
    this.#log = opts.log ?? null;
    this.#inEngineAtStop = opts.inEngineAtStop ?? (() => []);
    this.#preempt = opts.preempt ?? true;
    this.#tickMs = opts.tickMs ?? 250;
    this.#statsEveryMs = opts.statsEveryMs ?? 250;
    this.events = opts.events ?? new EngineEvents();
    const announceAudit = (e: AuditEntry) => this.events.emit('audit:appended', e);
    this.#targets = opts.targets ?? (() => defaultRules().targets);
    this.#arriving = new Arriving({
      clock: this.#clock,
      readHoldMs: opts.arrivalReadHoldMs,
      changed: () => this.#dispatch(),
    });
    this.#escalator = new Escalator({
      store: this.#store,
      ready: this.#ready,
      targets: this.#targets,
      announceAudit,
      written: (j) => this.#emit(j),
    });
    this.#stats = new StatsCache({
      store: this.#store,
      windowMs: opts.windowMs ?? DEFAULT_WINDOW_MS,
      everyMs: opts.historyEveryMs ?? 1000,
      clock: this.#clock,
    });
    this.#writes = new DurableWrites({ clock: this.#clock, log: this.#log });
    this.#claimRetry = opts.claimRetry ?? (() => ({ ok: true, value: { undo: () => undefined } }));
    this.#transitions = new Transitions({
      store: this.#store,
      writes: this.#writes,
      finalize: opts.finalize ?? (async () => undefined),
      announceAudit,
      clock: this.#clock,
    });
    this.#service = {
      pool: this.#pool,
      runJob: opts.runJob,
      decideJob: opts.decideJob ?? null,
      transitions: this.#transitions,
      ready: this.#ready,
      // In the store's lane of the job's level, as its snapshot is written (run-job.ts).
      read: (id, level) => repo.getJob(this.#store.at(level), id),
      clock: this.#clock,
      limits: {
        maxAttempts: opts.maxAttempts ?? 3,
        backoffMs: opts.backoffMs ?? 1000,
        jobTimeoutMs: opts.jobTimeoutMs ?? 15 * 60_000,
        decideTimeoutMs: opts.decideTimeoutMs ?? 2 * 60_000,
        waitForMachine: opts.waitForMachine ?? false,
      },
      endedForMachine: opts.endedForMachine ?? ((error) => error),
      emit: (j) => this.#emit(j),
      emitProgress: (job, fraction) => {
        this.#progress.set(job.id, fraction);
        this.events.emit('job:updated', { ...job, progress: fraction });
      },
      announceAudit,
      dispatch: () => this.#dispatch(),
      hold: (level) => this.#arriving.add(this.#clock(), level),
      lateAtStart: (row, nowMs) => this.#escalator.lateAtStart(row, nowMs),
    };
    // The totals change with every job that ends, here or at its arrival (an unreadable
    // file, a duplicate: the intake announces those, and the scheduler never runs them).
    this.events.on('job:updated', (job) => {
      // A request no longer deciding lends its rank to no earlier read (ReadyQueue.raise).
      if (job.status !== 'deciding') this.#ready.dropLend(job.id);
      if (!TERMINAL_STATUSES.has(job.status)) return;
      this.#stats.markStale();
      this.#changed();
    });
  }

  /** Queue statistics straight from the table, for commands that run no scheduler (targets: the default rules' unless given). */
  static statsFromStore(
    store: Store,
    opts: { workers?: number; windowMs?: number; targets?: LevelTargets } = {},
  ): Promise<QueueStats> {
    return queueStats(store, {
      nowMs: Date.now(),
      windowMs: opts.windowMs,
      workers: opts.workers ?? 0,
      busyWorkers: 0,
      targets: opts.targets ?? defaultRules().targets,
    });
  }

  /** Final state writes that failed and are being retried (reported in health). */
  get unwrittenFinalStates(): number {
    return this.#writes.pending;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Recovery (jobs left running by a dead process go back to the queue, or are set aside as
   * failed: Transitions.recover), then dispatch. A job set aside is announced (`job:updated`)
   * as any failure is, before this resolves: to the listeners made before the start (a
   * drain's EndedJobs, the staged bytes, the intake's memory), as for every job ended here.
   */
  async start(): Promise<{ recovered: string[]; setAside: string[] }> {
    if (this.#started) return { recovered: [], setAside: [] };
    this.#started = true;
    const { requeued: recovered, setAside } = await this.#transitions.recover(
      this.#inEngineAtStop(),
    );
    if (recovered.length > 0) this.#log?.info('scheduler.recovered', { jobs: recovered });
    if (setAside.length > 0)
      this.#log?.warn('scheduler.set_aside', { jobs: setAside.map((j) => j.id) });
    for (const job of setAside) this.#emit(job);
    for (const row of await repo.queuedRows(this.#store)) this.#ready.insert(row);
    this.#tickTimer = setInterval(() => void this.#inBackground(this.tick()), this.#tickMs);
    this.#tickTimer.unref();
    this.#dispatch();
    this.#changed();
    this.#checkDrain();
    return { recovered, setAside: setAside.map((j) => j.id) };
  }

  /**
   * A request has arrived (at `atMs`, with the level it asks for, if any) and is on its
   * way in: until the ticket is done, lower work does not start ahead of it (arriving.ts).
   */
  arriving(atMs: number, level: PriorityLevel | null): ArrivalTicket {
    return this.#arriving.add(atMs, level);
  }

  /**
   * Takes a job the caller has just committed as `queued` or `deciding` (and announced).
   * Pass the row `insertJob` returned to skip the read: a job is dispatchable the moment
   * its transaction commits, even while the store is busy.
   */
  async enqueue(
    jobId: string,
    stored?: repo.QueuedRow,
  ): Promise<Result<{ id: string; queued: boolean }>> {
    if (!this.#accepting)
      return err(
        'SHUTTING_DOWN',
        'the scheduler is shutting down; the job stays queued for the next start',
      );
    const row = stored ?? (await repo.queuedRow(this.#store, jobId));
    if (!row) return ok({ id: jobId, queued: false });
    if (!this.#inService.has(jobId)) this.#ready.insert(row);
    this.#dispatch();
    this.#changed();
    return ok({ id: jobId, queued: true });
  }

  /** Cancels a waiting job at once, or one in service by killing its worker; `by` is who asked. */
  async cancel(id: string, by: string | null = null): Promise<Result<ProcessingJob>> {
    const inService = this.#inService.get(id);
    // A preempted run is back in the ready queue while its writes land: cancel it there.
    if (inService && !this.#ready.has(id)) {
      inService.cancelledBy = by;
      inService.ac.abort('cancel' satisfies StopReason);
      await this.#done.get(id);
      const now = await this.#current(id);
      // Too late: its run had ended and its result was being stored (or it failed first).
      // Said as refused, naming what it became, never as if it had been cancelled.
      if (now.ok && now.value.status !== 'cancelled') return err('CONFLICT', tooLate(now.value));
      return now;
    }
    const row = this.#ready.remove(id);
    const cancelled = row
      ? await this.#transitions.cancel(row.job, 'cancelled before it started', by)
      : undefined;
    if (!cancelled) {
      if (row) this.#ready.insert(row);
      const job = await repo.getJob(this.#interactive(), id);
      if (!job) return err('NOT_FOUND', `no job ${echoed(id)}`);
      return err(
        'CONFLICT',
        `job ${job.id} is ${job.status}; only a waiting or running job can be cancelled`,
      );
    }
    this.#emit(cancelled);
    this.#checkDrain();
    return ok(cancelled);
  }

  /** Queues a failed or cancelled job again, with a fresh attempt budget; `by` is who asked. */
  async retry(id: string, by: string | null = null): Promise<Result<ProcessingJob>> {
    if (!this.#accepting) return err('SHUTTING_DOWN', 'the scheduler is shutting down');
    const answer = await this.#transitions.retry(id, by, this.#claimRetry);
    if (answer && 'refused' in answer) return { ok: false, error: answer.refused };
    const requeued = answer?.job;
    if (!requeued) {
      const job = await repo.getJob(this.#interactive(), id);
      if (!job) return err('NOT_FOUND', `no job ${echoed(id)}`);
      return err(
        'CONFLICT',
        `job ${job.id} is ${job.status}; only a failed or cancelled job can be retried`,
      );
    }
    // In the log too: a retry is an analyst's act on the queue, as a pause or a resume is.
    this.#log?.info('job.retried', { job: id, ...(by ? { by } : {}) });
    const row = await repo.queuedRow(this.#interactive(), id);
    if (row && !this.#inService.has(id)) this.#ready.insert(row);
    this.#emit(requeued);
    this.#dispatch();
    return ok(requeued);
  }

  async stats(): Promise<QueueStats> {
    const inService = () => [...this.#inService.values()];
    return this.#stats.stats(() => ({
      nowMs: this.#clock(),
      ready: this.#ready,
      running: inService()
        .filter((s) => s.runEndedAtMs === null)
        .map((s) => s.row),
      storing: inService()
        .filter((s) => s.runEndedAtMs !== null)
        .map((s) => s.row),
      // A read whose worker is freed (its decision being written) reads no more.
      reading: inService().filter((s) => s.row.phase === 'decide' && !s.released).length,
      workers: this.#pool.workers,
      busyWorkers: this.#pool.busy,
      spareWorkers: this.#pool.spare,
      paused: this.#paused,
      idle: this.#idle(),
      targets: this.#targets(),
    }));
  }

  /** Holds dispatch: waiting jobs (and new ones) wait, lateness still counts, running jobs finish. */
  pause(): void {
    this.#paused = true;
    this.#changed();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#dispatch();
    this.#changed();
  }

  /** Resolves when no job is waiting or in service (retries in their backoff count as waiting). */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    // A retry waiting out its backoff is the only thing left to wake for: while someone
    // waits for the queue to empty, its timer keeps the process alive.
    this.#wakeTimer?.ref();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /**
   * Stops accepting and dispatching, lets work in service finish until `deadlineMs` (epoch
   * ms, shared with the rest of the engine's shutdown), then stops the rest — runs go back
   * to the queue uncharged, facts reads stay deciding — and closes the pool.
   */
  async shutdown(timeoutMs: number, deadlineMs = Date.now() + timeoutMs): Promise<void> {
    this.#accepting = false;
    this.#dispatching = false;
    for (const t of [this.#tickTimer, this.#wakeTimer]) if (t) clearTimeout(t);
    this.#tickTimer = this.#wakeTimer = null;
    const all = () => Promise.all([...this.#done.values()]);
    let timer: NodeJS.Timeout | null = null;
    const deadline = new Promise(
      (r) => (timer = setTimeout(r, Math.max(0, deadlineMs - Date.now()))),
    );
    await Promise.race([all(), deadline]);
    if (timer) clearTimeout(timer);
    for (const r of this.#inService.values()) r.ac.abort('shutdown' satisfies StopReason);
    await all();
    await this.#pool.close(deadlineMs);
    this.#stopped = true;
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    this.#statsTimer = null;
    await Promise.allSettled([...this.#background]);
    await this.#writes.settle(Math.max(0, deadlineMs - Date.now()));
    for (const w of this.#drainWaiters.splice(0)) w();
  }

  /** One check of lateness and due retries, then dispatch; runs every `tickMs` (tests call it with an injected clock). */
  async tick(): Promise<void> {
    if (!this.#dispatching) return;
    await this.#escalator.check(this.#clock());
    this.#dispatch();
  }

  // ——— dispatch ———

  #dispatch(): void {
    if (!this.#dispatching || !this.#started || this.#paused) return;
    const now = this.#clock();
    for (;;) {
      let busy = 0;
      for (const r of this.#inService.values()) if (!r.released) busy++;
      // Up to `size` at once of any level; the spare workers only for CRITICAL work.
      const maxRank = busy < this.#pool.size ? 3 : busy < this.#pool.workers ? 0 : -1;
      const held = this.#heldBehindRuns();
      const row = maxRank >= 0 ? this.#ready.next(now, maxRank, held) : undefined;
      // A higher-level request still on its way in goes first: the worker waits for it.
      if (row && levelRank(servedLevel(row)) > this.#arriving.bestRank(now)) break;
      if (row) {
        this.#ready.remove(row.id);
        this.#launch(row, now);
        continue;
      }
      if (!this.#preemptOne(now)) break;
    }
    this.#armWake(now);
  }

  /**
   * A CRITICAL job that finds every worker busy takes the worker of the lowest-level, most
   * recently started run below CRITICAL, which goes back to the queue with its attempt not
   * charged. Facts reads are short and never preempted. True when a worker was freed.
   */
  #preemptOne(now: number): boolean {
    if (!this.#preempt || !this.#ready.next(now, 0, this.#heldBehindRuns())) return false;
    let victim: InService | undefined;
    for (const r of this.#inService.values()) {
      if (r.released || r.row.phase !== 'run' || r.row.level === 'CRITICAL') continue;
      const [a, b] = [levelRank(r.row.level), victim ? levelRank(victim.row.level) : -1];
      if (!victim || a > b || (a === b && r.startedAtMs > victim.startedAtMs)) victim = r;
    }
    if (!victim) return false;
    victim.released = true;
    victim.ac.abort('preempt' satisfies StopReason);
    return true;
  }

  /**
   * The same content twice: a run waits while another job of its content runs (or stores)
   * at its level or higher, and then ends as that one's duplicate without running again
   * (run-job.ts), or runs if that one did not store it (failed, cancelled, back in the
   * queue). A copy of a HIGHER level than the run in service does not wait for it
   * (docs/scheduler.md, "The same content twice").
   */
  #heldBehindRuns(): ((r: repo.QueuedRow) => boolean) | undefined {
    let running: Map<string, number> | undefined;
    for (const s of this.#inService.values()) {
      const hash = s.row.job.content_hash;
      // A run being stopped (preempted, cancelled, shut down) will store nothing.
      if (s.row.phase !== 'run' || hash === null || s.ac.signal.aborted) continue;
      running ??= new Map();
      running.set(hash, Math.min(running.get(hash) ?? 3, levelRank(s.row.level)));
    }
    if (!running) return undefined;
    const by = running;
    return (r) => {
      const hash = r.job.content_hash;
      if (r.phase !== 'run' || hash === null) return false;
      const rank = by.get(hash);
      return rank !== undefined && rank <= levelRank(r.level);
    };
  }

  /** Wakes the dispatcher when the earliest retry backoff or arrival hold ends. */
  #armWake(now: number): void {
    const earliest = Math.min(this.#ready.earliestNotBefore(now), this.#arriving.holdEnds(now));
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    if (earliest === Infinity) return;
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeTimer = null;
        this.#dispatch();
      },
      Math.max(1, earliest - now),
    );
    if (this.#drainWaiters.length === 0) this.#wakeTimer.unref();
  }

  #launch(row: repo.QueuedRow, now: number): void {
    const s = newService(row, now);
    this.#inService.set(row.id, s);
    const done = serve(this.#service, s)
      .catch((e: unknown) => {
        // A store failure mid-way: the row stays as last written; recovery picks it up.
        this.#log?.error('scheduler.job_failed_unexpectedly', {
          job: row.id,
          error: e instanceof Error ? e.stack : String(e),
        });
      })
      .finally(() => {
        // A requeued job may already be in service again under a new entry: remove only this one.
        if (this.#inService.get(row.id) === s) {
          this.#inService.delete(row.id);
          this.#progress.delete(row.id);
        }
        if (this.#done.get(row.id) === done) this.#done.delete(row.id);
        this.#dispatch();
        this.#changed();
        this.#checkDrain();
      });
    this.#done.set(row.id, done);
    // A read's start changes no row (a run's `running` is announced): the statistics say it.
    if (row.phase === 'decide') this.#changed();
  }

  // ——— announcing ———

  /** Emits a row as written (with the progress of a running job, and when its run ended). */
  #emit(job: ProcessingJob | undefined): void {
    if (!job) return;
    // Back in the queue (the constructor's listener counts the jobs that end).
    if (job.status === 'queued') this.#stats.markStale();
    const s = this.#inService.get(job.id);
    if (s && job.status === 'running') s.job = job;
    const p = this.#progress.get(job.id);
    const ended = s?.runEndedAtMs ?? null;
    this.events.emit(
      'job:updated',
      job.status !== 'running'
        ? job
        : {
            ...job,
            progress: p ?? job.progress,
            run_ended_at: ended === null ? null : new Date(ended).toISOString(),
          },
    );
    this.#changed();
  }

  async #current(id: string): Promise<Result<ProcessingJob>> {
    const job = await repo.getJob(this.#interactive(), id);
    return job ? ok(job) : err('NOT_FOUND', `no job ${echoed(id)}`);
  }

  /** An analyst's action (cancel, retry) is answered before queued background work. */
  #interactive(): Store {
    return this.#store.at('CRITICAL');
  }

  /**
   * Schedules a throttled `queue:stats` event (spaced in real time: it paces the UI, it
   * measures no job). A change while statistics are being made (they may wait for the
   * table behind a job's commit) makes another once they are out: the last announced is
   * never older than the last change.
   */
  #changed(): void {
    // Statistics cost a query of the jobs table: none when nobody listens (a one-shot command).
    if (this.#stopped || !this.events.listens('queue:stats')) return;
    if (this.#statsMaking) {
      this.#statsAgain = true;
      return;
    }
    if (this.#statsTimer) return;
    const wait = Math.max(0, this.#lastStatsAt + this.#statsEveryMs - Date.now());
    this.#statsTimer = setTimeout(() => {
      this.#statsTimer = null;
      this.#statsMaking = true;
      this.#lastStatsAt = Date.now();
      const announced = this.stats()
        .then((s) => this.events.emit('queue:stats', s))
        .catch(() => undefined)
        .finally(() => {
          this.#statsMaking = false;
          if (!this.#statsAgain) return;
          this.#statsAgain = false;
          this.#changed();
        });
      void this.#inBackground(announced);
    }, wait);
    this.#statsTimer.unref();
  }

  #inBackground<T>(p: Promise<T>): Promise<T> {
    this.#background.add(p);
    void p.finally(() => this.#background.delete(p)).catch(() => undefined);
    return p;
  }

  #idle(): boolean {
    return this.#inService.size === 0 && this.#ready.size === 0;
  }

  #checkDrain(): void {
    if (!this.#idle()) return;
    for (const w of this.#drainWaiters.splice(0)) w();
  }
}

/** Why a cancel of a job in service came too late, with what the job became. */
function tooLate(job: ProcessingJob): string {
  const became =
    job.status === 'completed'
      ? `completed before it could be cancelled${job.snapshot_id ? `: its snapshot ${job.snapshot_id} is stored` : ''}`
      : `${job.status} before it could be cancelled${job.error ? ` (${job.error.code})` : ''}`;
  return `job ${job.id} ${became}`;
}
