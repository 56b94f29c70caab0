// The priority scheduler: runs durable jobs (rows of `jobs`) through a function it is
// given, by EFFECTIVE level and FIFO (seq) within a level, on a warm worker pool.
// It knows nothing of GEX. The jobs table is the truth — every state change is
// written (conditionally, see jobs-repo.ts) before it is announced — and the
// in-memory ready index below is only a cache of the queued rows, rebuilt from the
// table on start. It also escalates late jobs, retries retryable failures with
// backoff, preempts for CRITICAL work, recovers after a crash and shuts down
// gracefully. Why this is not better-queue: docs/scheduler.md.
import type { AuditEntry, QueueStats } from '../../../shared/api.ts';
import {
  escalate,
  PRIORITY_LEVELS,
  TERMINAL_STATUSES,
  type PriorityLevel,
  type ProcessingJob,
  type JobStatus,
} from '../../../shared/domain.ts';
import { err, ok, RETRYABLE, type AppError, type Result } from '../../../shared/result.ts';
import { EngineEvents } from '../events.ts';
import { appendAudit, type AuditInput } from '../store/audit.ts';
import type { Store, Tx } from '../store/db.ts';
import type { Logger } from '../log.ts';
import * as repo from './repository.ts';
import { combine, DEFAULT_WINDOW_MS, history, queueStats, type History, type OpenLevel } from './monitor.ts';
import type { RunOptions, TaskMessage, TaskRunner } from '../workers/pool.ts';

export type LateAction = 'flag' | 'escalate';
export type Targets = Record<PriorityLevel, { target_ms: number; onLate: LateAction }>;

/** GUIDELINES.md, "Levels and their processing targets". */
export const DEFAULT_TARGETS: Targets = {
  CRITICAL: { target_ms: 30_000, onLate: 'flag' },
  HIGH: { target_ms: 5 * 60_000, onLate: 'escalate' },
  MEDIUM: { target_ms: 30 * 60_000, onLate: 'escalate' },
  LOW: { target_ms: 2 * 60 * 60_000, onLate: 'escalate' },
};

export interface JobContext {
  /** Runs a task on the pool; CRITICAL jobs' tasks are urgent (they may use the spare workers). */
  pool: TaskRunner;
  /** Aborted on cancel, preemption or shutdown; pass it to pool.run. */
  signal: AbortSignal;
  onProgress: (fraction: number, stage: string) => void;
}

export type JobOutcome = { status: 'completed' | 'duplicate'; snapshot_id: string };
export type RunJob = (job: ProcessingJob, ctx: JobContext) => Promise<Result<JobOutcome>>;

/** What the scheduler needs of a pool (WorkerPool implements it). */
export interface SchedulerPool extends TaskRunner {
  readonly size: number;
  readonly spare: number;
  readonly workers: number;
  readonly busy: number;
  close(): Promise<void>;
}

export interface SchedulerOptions {
  store: Store;
  pool: SchedulerPool;
  runJob: RunJob;
  /** The active rule set's targets; read at every check. */
  targets?: () => Targets;
  clock?: () => number;
  events?: EngineEvents;
  /** Attempts a job gets for retryable errors (default 3). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt (default 1000 ms). */
  backoffMs?: number;
  /** A run longer than this is killed and ends TIMEOUT (retryable). Default 15 min. */
  jobTimeoutMs?: number;
  /** How often lateness and due retries are checked (default 250 ms). */
  tickMs?: number;
  /** Minimum spacing of `queue:stats` events (default 250 ms, about 4/s). */
  statsEveryMs?: number;
  windowMs?: number;
  /** How long the table's part of the stats (latencies, totals) is reused (default 1000 ms). */
  historyEveryMs?: number;
  /** Preempt a lower-level job when a CRITICAL one finds every worker busy (default true). */
  preempt?: boolean;
  log?: Logger;
}

type StopReason = 'cancel' | 'preempt' | 'shutdown' | 'lost';

interface Running {
  row: repo.QueuedRow;
  ac: AbortController;
  startedAtMs: number;
  job: ProcessingJob | null;
  done: Promise<void>;
  /** Its worker is free (or being killed for a preemption): it no longer counts against capacity. */
  released: boolean;
  /** Its `running` row is written: only then may its progress be announced. */
  written: boolean;
}

const rank = (l: PriorityLevel) => PRIORITY_LEVELS.indexOf(l);

export class Scheduler {
  readonly events: EngineEvents;
  #store: Store;
  #pool: SchedulerPool;
  #runJob: RunJob;
  #targets: () => Targets;
  #clock: () => number;
  #maxAttempts: number;
  #backoffMs: number;
  #jobTimeoutMs: number;
  #tickMs: number;
  #statsEveryMs: number;
  #historyEveryMs: number;
  #history: { at: number; value: Promise<History> } | null = null;
  /** A job has ended since the history was read. */
  #historyStale = false;
  #windowMs: number;
  #preempt: boolean;
  #log: Logger | null;

  /** Queued jobs per effective level, each list in seq order. */
  #ready = new Map<PriorityLevel, repo.QueuedRow[]>(PRIORITY_LEVELS.map((l) => [l, []]));
  #running = new Map<string, Running>();
  #progress = new Map<string, number>();
  #started = false;
  #accepting = true;
  #dispatching = true;
  #paused = false;
  #stopped = false;
  #tickTimer: NodeJS.Timeout | null = null;
  #wakeTimer: NodeJS.Timeout | null = null;
  #statsTimer: NodeJS.Timeout | null = null;
  /** Store work started by timers, awaited by shutdown so nothing touches the store after it. */
  #background = new Set<Promise<unknown>>();
  #lastStatsAt = 0;
  #drainWaiters: (() => void)[] = [];
  #lateChecks = new Set<string>();

  constructor(opts: SchedulerOptions) {
    this.#store = opts.store;
    this.#pool = opts.pool;
    this.#runJob = opts.runJob;
    this.#targets = opts.targets ?? (() => DEFAULT_TARGETS);
    this.#clock = opts.clock ?? Date.now;
    this.events = opts.events ?? new EngineEvents();
    this.#maxAttempts = opts.maxAttempts ?? 3;
    this.#backoffMs = opts.backoffMs ?? 1000;
    this.#jobTimeoutMs = opts.jobTimeoutMs ?? 15 * 60_000;
    this.#tickMs = opts.tickMs ?? 250;
    this.#statsEveryMs = opts.statsEveryMs ?? 250;
    this.#historyEveryMs = opts.historyEveryMs ?? 1000;
    this.#windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.#preempt = opts.preempt ?? true;
    this.#log = opts.log ?? null;
  }

  /** Queue statistics straight from the table, for commands that run no scheduler. */
  static statsFromStore(store: Store, opts: { workers?: number; windowMs?: number } = {}): Promise<QueueStats> {
    return queueStats(store, { nowMs: Date.now(), windowMs: opts.windowMs, workers: opts.workers ?? 0, busyWorkers: 0 });
  }

  /** Appends an audit entry inside `tx`; it is announced once the transaction has committed. */
  async #appendAudit(tx: Tx, later: AuditEntry[], entry: AuditInput): Promise<void> {
    later.push(await appendAudit(tx, entry));
  }

  #announceAudit(entries: AuditEntry[]): void {
    for (const e of entries) this.events.emit('audit:appended', e);
  }

  /** Recovery (jobs left running by a dead process go back to the queue), then dispatch. */
  async start(): Promise<{ recovered: string[] }> {
    if (this.#started) return { recovered: [] };
    this.#started = true;
    const audits: AuditEntry[] = [];
    const recovered = await this.#store.transaction(async (tx) => {
      const ids = await repo.requeueInterrupted(tx);
      for (const id of ids) {
        const j = await repo.getJob(tx, id);
        if (!j) continue;
        await this.#appendAudit(tx, audits, this.#audit(j, 'job', 'requeued after restart: the job was running when the engine stopped'));
      }
      return ids;
    });
    this.#announceAudit(audits);
    if (recovered.length > 0) this.#log?.info('scheduler.recovered', { jobs: recovered });
    for (const row of await repo.queuedRows(this.#store)) this.#insertReady(row);
    this.#tickTimer = setInterval(() => void this.#inBackground(this.tick()), this.#tickMs);
    this.#tickTimer.unref();
    this.#dispatch();
    this.#changed();
    this.#checkDrain();
    return { recovered };
  }

  /**
   * Takes a job the caller has just committed as `queued` (the caller has announced
   * it). Pass the row `insertJob` returned to skip the read: a job must be dispatchable
   * the moment its transaction commits, even while the store is busy. `queued: false`
   * when the row is not (or no longer) queued.
   */
  async enqueue(jobId: string, stored?: repo.QueuedRow): Promise<Result<{ id: string; queued: boolean }>> {
    if (!this.#accepting) return err('SHUTTING_DOWN', 'the scheduler is shutting down; the job stays queued for the next start');
    const row = stored ?? (await repo.queuedRow(this.#store, jobId));
    if (!row) return ok({ id: jobId, queued: false });
    if (!this.#isKnown(jobId)) this.#insertReady(row);
    this.#dispatch();
    this.#changed();
    return ok({ id: jobId, queued: true });
  }

  /** Cancels a queued job at once, or a running one by killing its worker. */
  async cancel(id: string): Promise<Result<ProcessingJob>> {
    const running = this.#running.get(id);
    if (running) {
      running.ac.abort('cancel' satisfies StopReason);
      await running.done;
      return this.#current(id);
    }
    const row = this.#removeReady(id);
    const error: AppError = { code: 'CANCELLED', message: 'cancelled before it started' };
    const cancelled = await repo.cancelQueued(this.#store, id, error, this.#clock());
    if (!cancelled) {
      if (row) this.#insertReady(row);
      const job = await repo.getJob(this.#store, id);
      if (!job) return err('NOT_FOUND', `no job ${id}`);
      return err('CONFLICT', `job ${id} is ${job.status}; only a queued or running job can be cancelled`);
    }
    this.#emit(cancelled);
    this.#checkDrain();
    return ok(cancelled);
  }

  /** Queues a failed or cancelled job again, with a fresh attempt budget. */
  async retry(id: string): Promise<Result<ProcessingJob>> {
    if (!this.#accepting) return err('SHUTTING_DOWN', 'the scheduler is shutting down');
    const audits: AuditEntry[] = [];
    const requeued = await this.#store.transaction(async (tx) => {
      const j = await repo.requeueFinished(tx, id, this.#clock());
      if (j) await this.#appendAudit(tx, audits, this.#audit(j, 'job', 'queued again by an analyst (retry)'));
      return j;
    });
    this.#announceAudit(audits);
    if (!requeued) {
      const job = await repo.getJob(this.#store, id);
      if (!job) return err('NOT_FOUND', `no job ${id}`);
      return err('CONFLICT', `job ${id} is ${job.status}; only a failed or cancelled job can be retried`);
    }
    const row = await repo.queuedRow(this.#store, id);
    if (row && !this.#isKnown(id)) this.#insertReady(row);
    this.#emit(requeued);
    this.#dispatch();
    return ok(requeued);
  }

  async getJob(id: string): Promise<ProcessingJob | undefined> {
    const job = await repo.getJob(this.#store, id);
    return job && this.#withProgress(job);
  }

  async listJobs(opts: { status?: JobStatus; limit: number }): Promise<ProcessingJob[]> {
    return (await repo.listJobs(this.#store, opts)).map((j) => this.#withProgress(j));
  }

  /**
   * Queue statistics: what waits and runs from the scheduler's own state (a mirror of
   * rows already written), latencies and totals from the table, re-read at most every
   * `historyEveryMs` so that a busy UI does not load the database.
   */
  async stats(): Promise<QueueStats> {
    const now = this.#clock();
    const age = this.#history ? Date.now() - this.#history.at : Infinity;
    // Re-read after jobs ended (at most every historyEveryMs, at once when all is done),
    // and now and then anyway so that old completions leave the sliding window.
    const expired = age >= 30 * this.#historyEveryMs || (this.#historyStale && (age >= this.#historyEveryMs || this.#idle()));
    if (expired) {
      this.#historyStale = false;
      const value = history(this.#store, now, this.#windowMs);
      value.catch(() => {
        this.#history = null;
      });
      this.#history = { at: Date.now(), value };
    }
    const h = await this.#history!.value;
    const open: OpenLevel[] = PRIORITY_LEVELS.map((level) => {
      const ready = this.#ready.get(level)!;
      let running = 0;
      let late = ready.filter((r) => r.late).length;
      for (const r of this.#running.values()) {
        if (r.row.level !== level) continue;
        running++;
        if (r.row.late) late++;
      }
      let oldest: number | null = null;
      for (const r of ready) if (oldest === null || r.submittedAtMs < oldest) oldest = r.submittedAtMs;
      return { level, waiting: ready.length, running, oldestSubmittedMs: oldest, late };
    });
    let queued = 0;
    for (const o of open) queued += o.waiting;
    const stats = combine(open, h, { nowMs: now, workers: this.#pool.workers, busyWorkers: this.#pool.busy, paused: this.#paused });
    return { ...stats, totals: { ...stats.totals, queued, running: this.#running.size } };
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Holds dispatch: queued jobs (and new ones) stay queued, lateness and escalation
   * still count, running jobs finish. For an analyst who needs the machine, or wants
   * to change the rules before a backlog runs.
   */
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

  /** Resolves when no job is queued or running (retries waiting for their backoff count as queued). */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /**
   * Stops accepting and dispatching, lets running jobs finish for up to `timeoutMs`,
   * then stops the rest and puts them back in the queue (attempt not charged), and
   * closes the pool.
   */
  async shutdown(timeoutMs: number): Promise<void> {
    this.#accepting = false;
    this.#dispatching = false;
    for (const t of [this.#tickTimer, this.#wakeTimer]) if (t) clearTimeout(t);
    this.#tickTimer = this.#wakeTimer = null;
    const all = () => Promise.all([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | null = null;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    if (timer) clearTimeout(timer);
    for (const r of this.#running.values()) r.ac.abort('shutdown' satisfies StopReason);
    await all();
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    this.#statsTimer = null;
    await this.#pool.close();
    this.#stopped = true;
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    this.#statsTimer = null;
    await Promise.allSettled([...this.#background]);
    for (const w of this.#drainWaiters.splice(0)) w();
  }

  /** One check of lateness and due retries, then dispatch; runs every `tickMs` (tests call it with an injected clock). */
  async tick(): Promise<void> {
    if (!this.#dispatching) return;
    await this.#checkLate();
    this.#dispatch();
  }

  // ——— dispatch ———

  #inReady(id: string): boolean {
    for (const list of this.#ready.values()) if (list.some((r) => r.id === id)) return true;
    return false;
  }

  #isKnown(id: string): boolean {
    return this.#running.has(id) || this.#inReady(id);
  }

  #insertReady(row: repo.QueuedRow): void {
    const list = this.#ready.get(row.level)!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.seq < row.seq) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, row);
  }

  #removeReady(id: string): repo.QueuedRow | undefined {
    for (const list of this.#ready.values()) {
      const i = list.findIndex((r) => r.id === id);
      if (i >= 0) return list.splice(i, 1)[0];
    }
    return undefined;
  }

  /** The oldest due job of the highest level at or above `maxRank`. */
  #next(now: number, maxRank: number): repo.QueuedRow | undefined {
    for (const level of PRIORITY_LEVELS) {
      if (rank(level) > maxRank) break;
      const row = this.#ready.get(level)!.find((r) => r.notBeforeMs === null || r.notBeforeMs <= now);
      if (row) return row;
    }
    return undefined;
  }

  #dispatch(): void {
    if (!this.#dispatching || !this.#started || this.#paused) return;
    const now = this.#clock();
    for (;;) {
      let running = 0;
      for (const r of this.#running.values()) if (!r.released) running++;
      // Up to `size` jobs of any level; the spare workers only for CRITICAL jobs.
      const maxRank = running < this.#pool.size ? PRIORITY_LEVELS.length - 1 : running < this.#pool.workers ? 0 : -1;
      const row = maxRank >= 0 ? this.#next(now, maxRank) : undefined;
      if (row) {
        this.#removeReady(row.id);
        this.#launch(row, now);
        continue;
      }
      if (!this.#preemptOne(now)) break;
    }
    this.#armWake(now);
  }

  /**
   * A CRITICAL job that finds every worker busy takes the worker of the lowest-level,
   * most recently started non-CRITICAL job, which goes back to the queue with its
   * attempt not charged. True when a worker was freed that way.
   */
  #preemptOne(now: number): boolean {
    if (!this.#preempt || !this.#next(now, 0)) return false;
    let victim: Running | undefined;
    for (const r of this.#running.values()) {
      if (r.released || r.row.level === 'CRITICAL') continue;
      if (!victim || rank(r.row.level) > rank(victim.row.level) || (r.row.level === victim.row.level && r.startedAtMs > victim.startedAtMs))
        victim = r;
    }
    if (!victim) return false;
    victim.released = true;
    victim.ac.abort('preempt' satisfies StopReason);
    return true;
  }

  /** Wakes the dispatcher when the earliest retry backoff ends. */
  #armWake(now: number): void {
    let earliest = Infinity;
    for (const list of this.#ready.values())
      for (const r of list) if (r.notBeforeMs !== null && r.notBeforeMs > now) earliest = Math.min(earliest, r.notBeforeMs);
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    if (earliest === Infinity) return;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = null;
      this.#dispatch();
    }, Math.max(1, earliest - now));
    this.#wakeTimer.unref();
  }

  #launch(row: repo.QueuedRow, now: number): void {
    const ac = new AbortController();
    const entry: Running = { row, ac, startedAtMs: now, job: null, done: Promise.resolve(), released: false, written: false };
    this.#running.set(row.id, entry);
    entry.done = this.#execute(entry)
      .catch((e: unknown) => {
        // A store failure mid-way: the row stays as last written; recovery requeues a `running` row.
        console.error(`scheduler: job ${row.id}: ${e instanceof Error ? e.stack : String(e)}`);
      })
      .finally(() => {
        // A requeued job may already run again under a new entry: remove only this one.
        if (this.#running.get(row.id) === entry) {
          this.#running.delete(row.id);
          this.#progress.delete(row.id);
        }
        this.#dispatch();
        this.#changed();
        this.#checkDrain();
      });
  }

  async #execute(entry: Running): Promise<void> {
    const { row, ac } = entry;
    const id = row.id;
    // The run starts at once; `running` is written alongside and announced once written.
    // The store runs statements in order, so this UPDATE precedes anything the run
    // writes (the snapshot's transaction), and a busy store delays the announcement,
    // never the start. Should the process die first, the row is still `queued` and
    // simply runs again.
    const job: ProcessingJob = {
      ...row.job,
      status: 'running',
      started_at: new Date(entry.startedAtMs).toISOString(),
      finished_at: null,
      attempts: row.job.attempts + 1,
      progress: null,
    };
    entry.job = job;
    const written = repo.markRunning(this.#store, id, entry.startedAtMs).then((j) => {
      if (j) {
        entry.job = j;
        entry.written = true;
        this.#emit(j);
      } else {
        ac.abort('lost' satisfies StopReason); // no longer queued in the table: not ours to run
      }
      return j;
    });
    const urgent = row.level === 'CRITICAL';
    const ctx: JobContext = {
      signal: ac.signal,
      pool: {
        run: async (message: TaskMessage, opts: RunOptions = {}) => {
          const result = await this.#pool.run(message, {
            timeoutMs: this.#jobTimeoutMs,
            ...opts,
            urgent: opts.urgent ?? urgent,
            rank: opts.rank ?? (urgent ? 0 : 1),
            signal: opts.signal ?? ac.signal,
          });
          // The worker is free: while this job stores its result, the next one may compute.
          if (!entry.released) {
            entry.released = true;
            this.#dispatch();
          }
          return result;
        },
      },
      onProgress: (fraction) => {
        this.#progress.set(id, fraction);
        // Announced only once `running` is written and announced, never ahead of it.
        if (entry.job && entry.written) this.events.emit('job:updated', { ...entry.job, progress: fraction });
      },
    };
    let result: Result<JobOutcome>;
    try {
      result = await this.#runJob(job, ctx);
    } catch (e) {
      result = err('INTERNAL', `the job runner threw: ${e instanceof Error ? e.message : String(e)}`, { file: job.file });
    }
    const wrote = await written;
    const reason = ac.signal.aborted ? (ac.signal.reason as StopReason) : null;
    entry.released = true;
    this.#dispatch();
    if (!wrote) {
      this.#emit(await repo.getJob(this.#store, id));
      return;
    }
    await this.#settle(entry, wrote, result, reason);
  }

  async #settle(entry: Running, job: ProcessingJob, result: Result<JobOutcome>, reason: StopReason | null): Promise<void> {
    const now = this.#clock();
    const id = job.id;
    if (result.ok) {
      // The engine's snapshot persistence normally completed the row already, in the
      // snapshot's transaction; only a runner that did not is completed here.
      const current = await repo.getJob(this.#store, id);
      if (current?.status === 'running') await repo.completeJobTx(this.#store, id, result.value.snapshot_id, result.value.status, now);
      const done = current?.status === 'running' ? await repo.getJob(this.#store, id) : current;
      if (done) this.#emit(done);
      return;
    }
    const error = result.error;
    if (reason === 'preempt' || reason === 'shutdown') {
      const why =
        reason === 'preempt'
          ? 'preempted for a CRITICAL job; back in the queue, attempt not charged'
          : 'stopped by shutdown; back in the queue, attempt not charged';
      await this.#requeue(entry, job, { charge: false, notBeforeMs: null, error: null }, this.#audit(job, 'job', why));
      return;
    }
    if (reason === 'cancel') {
      const j = await repo.finishRunning(this.#store, id, 'cancelled', { code: 'CANCELLED', message: 'cancelled while running' }, now);
      this.#emit(j ?? (await repo.getJob(this.#store, id)));
      return;
    }
    if (RETRYABLE.has(error.code) && job.attempts < this.#maxAttempts) {
      const delay = this.#backoffMs * 2 ** (job.attempts - 1);
      const why = `attempt ${job.attempts} of ${this.#maxAttempts} failed (${error.code}: ${error.message}); retry in ${delay} ms`;
      await this.#requeue(entry, job, { charge: true, notBeforeMs: now + delay, error }, {
        ...this.#audit(job, 'job', why),
        facts: { error, retry_at: new Date(now + delay).toISOString() },
        at: new Date(now),
      });
      return;
    }
    const j = await repo.finishRunning(this.#store, id, 'failed', error, now);
    this.#emit(j ?? (await repo.getJob(this.#store, id)));
  }

  /** running → queued with its audit entry in one transaction, then back in the ready index. */
  async #requeue(
    entry: Running,
    job: ProcessingJob,
    how: { charge: boolean; notBeforeMs: number | null; error: AppError | null },
    audit: AuditInput,
  ): Promise<void> {
    const audits: AuditEntry[] = [];
    const back = await this.#store.transaction(async (tx) => {
      const j = await repo.requeueRunning(tx, job.id, how);
      if (j) await this.#appendAudit(tx, audits, audit);
      return j;
    });
    this.#announceAudit(audits);
    if (back) {
      // Running jobs are never escalated, so the row's level and wait clock still hold.
      const row = { ...entry.row, notBeforeMs: how.notBeforeMs, attempts: back.attempts, job: back };
      if (!this.#inReady(job.id)) this.#insertReady(row);
      this.#emit(back);
    } else {
      this.#emit(await repo.getJob(this.#store, job.id));
    }
  }

  // ——— lateness and escalation ———

  async #checkLate(): Promise<void> {
    const now = this.#clock();
    const targets = this.#targets();
    const work: Promise<void>[] = [];
    for (const level of PRIORITY_LEVELS) {
      for (const row of [...this.#ready.get(level)!]) {
        const target = targets[level];
        if (this.#lateChecks.has(row.id) || now - row.queuedAtMs <= target.target_ms) continue;
        const flagOnly = level === 'CRITICAL' || target.onLate === 'flag';
        if (flagOnly && row.late) continue;
        this.#lateChecks.add(row.id);
        work.push(this.#late(row, flagOnly ? null : escalate(level), target.target_ms, now).finally(() => this.#lateChecks.delete(row.id)));
      }
    }
    await Promise.all(work);
  }

  async #late(row: repo.QueuedRow, to: PriorityLevel | null, targetMs: number, now: number): Promise<void> {
    const from = row.level;
    const waited = now - row.queuedAtMs;
    const wasLate = row.late;
    // In memory first, so the dispatcher sees the new level at once; the row follows,
    // and since the store runs statements in order, before any start of this job.
    if (to && this.#removeReady(row.id)) {
      row.level = to;
      row.queuedAtMs = now;
      row.late = true;
      row.job = { ...row.job, effective_priority: to, late: true };
      this.#insertReady(row);
    } else {
      row.late = true;
      row.job = { ...row.job, late: true };
    }
    const ref = { id: row.id, request_id: row.request_id, rule: row.rule, rule_version: row.rule_version };
    const audits: AuditEntry[] = [];
    const written = await this.#store.transaction(async (tx) => {
      const j = to ? await repo.escalateQueued(tx, row.id, to, now) : await repo.markLate(tx, row.id);
      if (!j) return undefined;
      const at = new Date(now);
      if (!wasLate)
        await this.#appendAudit(tx, audits, {
          ...this.#audit({ ...ref, effective_priority: from }, 'late', `late: waited ${waited} ms at ${from}, past its target of ${targetMs} ms`),
          at,
        });
      if (to)
        await this.#appendAudit(tx, audits, {
          ...this.#audit({ ...ref, effective_priority: to }, 'escalation', `escalated ${from} → ${to} after waiting ${waited} ms (target ${targetMs} ms)`),
          facts: { from, to, waited_ms: waited, target_ms: targetMs },
          at,
        });
      return j;
    });
    this.#announceAudit(audits);
    this.#emit(written);
    this.#dispatch();
  }

  // ——— announcing ———

  #audit(
    job: Pick<ProcessingJob, 'id' | 'request_id' | 'rule' | 'rule_version' | 'effective_priority'>,
    kind: AuditInput['kind'],
    explanation: string,
  ): AuditInput {
    return {
      kind,
      request_id: job.request_id,
      job_id: job.id,
      rule_version: job.rule_version,
      rule: job.rule,
      priority: job.effective_priority,
      facts: null,
      explanation,
      actor: 'scheduler',
      at: new Date(this.#clock()),
    };
  }

  #withProgress(job: ProcessingJob): ProcessingJob {
    const p = this.#progress.get(job.id);
    return job.status === 'running' && p !== undefined ? { ...job, progress: p } : job;
  }

  /** Emits a row as written (with the progress of a running job). */
  #emit(job: ProcessingJob | undefined): void {
    if (!job) return;
    if (TERMINAL_STATUSES.has(job.status) || job.status === 'queued') this.#historyStale = true;
    const r = this.#running.get(job.id);
    if (r && job.status === 'running') r.job = job;
    this.events.emit('job:updated', this.#withProgress(job));
    this.#changed();
  }

  async #current(id: string): Promise<Result<ProcessingJob>> {
    const job = await repo.getJob(this.#store, id);
    return job ? ok(job) : err('NOT_FOUND', `no job ${id}`);
  }

  /** Schedules a throttled `queue:stats` event. */
  #changed(): void {
    if (this.#statsTimer || this.#stopped) return;
    const wait = Math.max(0, this.#lastStatsAt + this.#statsEveryMs - Date.now());
    this.#statsTimer = setTimeout(() => {
      this.#lastStatsAt = Date.now();
      void this.#inBackground(
        this.stats()
          .then((s) => this.events.emit('queue:stats', s))
          .catch(() => undefined)
          .finally(() => {
            this.#statsTimer = null;
          }),
      );
    }, wait);
    this.#statsTimer.unref();
  }

  #inBackground<T>(p: Promise<T>): Promise<T> {
    this.#background.add(p);
    void p.finally(() => this.#background.delete(p)).catch(() => undefined);
    return p;
  }

  #idle(): boolean {
    if (this.#running.size > 0) return false;
    for (const list of this.#ready.values()) if (list.length > 0) return false;
    return true;
  }

  #checkDrain(): void {
    if (!this.#idle()) return;
    for (const w of this.#drainWaiters.splice(0)) w();
  }
}
