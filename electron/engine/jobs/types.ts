// What the scheduler is given and gives: the pool it runs on, the two kinds of work it
// hands out (a facts read that decides a job's level, a job's run), and its options.
import type { PriorityLevel, ProcessingJob } from '../../../shared/domain.ts';
import type { LevelTargets } from '../../../shared/rules.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { Logger } from '../log.ts';
import type { Store, Tx } from '../store/db.ts';
import type { TaskRunner } from '../workers/pool.ts';
import type { QueuedRow } from './repository.ts';
import type { Finalize, JobOutcome } from './transitions.ts';

export type { Finalize, JobOutcome } from './transitions.ts';

export interface JobContext {
  /** Runs a task on the pool; CRITICAL work's tasks are urgent (they may use the spare workers). */
  pool: TaskRunner;
  /** Aborted on cancel, preemption or shutdown; pass it to pool.run. */
  signal: AbortSignal;
  onProgress: (fraction: number, stage: string) => void;
  /**
   * The level it is served at, whose lane of the store it uses: its own, or for a facts
   * read a later request's that waits for it (ReadyQueue.raise).
   */
  level: PriorityLevel;
  /**
   * A deciding job's level is known, before it is written: lower work keeps waiting for it
   * while the decision's transaction waits for the store (in-service.ts).
   */
  decided: (level: PriorityLevel) => void;
  /**
   * Completes the job inside the caller's transaction (the one storing its snapshot), so
   * that "snapshot stored" and "job completed" are one fact. False when the job was no
   * longer running: the caller must then roll its transaction back.
   */
  complete: (tx: Tx, outcome: JobOutcome) => Promise<boolean>;
}

export type RunJob = (job: ProcessingJob, ctx: JobContext) => Promise<Result<JobOutcome>>;

/**
 * What a deciding job became, as its decider wrote it: queued at its level (with the
 * row), ended (a duplicate, an invalid request), or gone (no longer deciding: cancelled).
 * An error is a facts read that failed; the scheduler retries or fails the job.
 */
export type DecideOutcome =
  | { kind: 'queued'; row: QueuedRow }
  | { kind: 'ended' | 'gone'; job: ProcessingJob | undefined }
  /**
   * Read, but not decided yet: an earlier request's read comes first (intake/decide.ts).
   * `earlier`: the requests it waits for, whose reads take its rank meanwhile; `until`
   * settles once they are read (or ended), when it is asked again. `why`: said in its
   * trail (it waits for an earlier request's run, that file's read having failed).
   */
  | { kind: 'wait'; earlier: readonly string[]; until: Promise<void>; why?: string }
  /**
   * Read, and its next step is another read (an earlier request's file, for its total):
   * back in the ready queue at its rank, to be handed a worker again, so that this read
   * too runs on a worker the scheduler counts. `why`: the last such read failed for a
   * reason not its file's (a crash, a stop, a timeout, the machine): tried again after
   * the backoff, the later request still deciding.
   */
  | { kind: 'again'; why?: string };
export type DecideJob = (job: ProcessingJob, ctx: JobContext) => Promise<Result<DecideOutcome>>;

/** What the scheduler needs of a pool (WorkerPool implements it). */
export interface SchedulerPool extends TaskRunner {
  readonly size: number;
  readonly spare: number;
  readonly workers: number;
  readonly busy: number;
  /** `deadlineMs`: the shutdown's (epoch ms), for a worker whose exit never comes. */
  close(deadlineMs?: number): Promise<void>;
}

/** See SchedulerOptions.claimRetry. */
export type ClaimRetry = (job: ProcessingJob) => Result<{ undo: () => void }>;

export interface SchedulerOptions {
  store: Store;
  pool: SchedulerPool;
  runJob: RunJob;
  /** Reads a deciding job's facts and decides it (the engine's intake). */
  decideJob?: DecideJob;
  /** Runs inside every final state's transaction. */
  finalize?: Finalize;
  /**
   * Asked inside an analyst's retry's transaction, before anything changes: whether the
   * ended job can run again (the engine: its staged bytes are still kept), taking what it
   * needs to (`undo` gives it back when the retry is not written). An error refuses the
   * retry and leaves the job, its error and its source's count as they were.
   */
  claimRetry?: ClaimRetry;
  /**
   * The error a job ends with when the machine refused it (`AppError.transient`) and it
   * does not wait (`waitForMachine` false, or it did not): what a retry can do, in its
   * message (the engine: folder-fault.ts `endedForMachine`). Default: the error as it was.
   */
  endedForMachine?: (error: AppError) => AppError;
  /** At start: the jobs the engine itself was working on when it last stopped (engine-phase.ts). */
  inEngineAtStop?: () => string[];
  /** The active rule set's targets; read at every check (default: the default rules'). */
  targets?: () => LevelTargets;
  clock?: () => number;
  events?: EngineEvents;
  /** Attempts a job's run gets for retryable errors (default 3); a facts read gets 2. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt (default 1000 ms). */
  backoffMs?: number;
  /**
   * A run (or facts read) refused by the machine (`AppError.transient`: a full disk, a
   * read-only data folder) waits for it — back in the queue, uncharged, tried again after
   * backoffMs doubling to 5 minutes — instead of failing. Engines that live on (the app,
   * `serve`) wait; a one-shot command does not (default false): it ends, says why, exit 3.
   */
  waitForMachine?: boolean;
  /** A run longer than this is killed and ends TIMEOUT (retryable). Default 15 min. */
  jobTimeoutMs?: number;
  /** A facts read longer than this is killed and ends TIMEOUT. Default 2 min. */
  decideTimeoutMs?: number;
  /** How often lateness and due retries are checked (default 250 ms). */
  tickMs?: number;
  /** Minimum spacing of `queue:stats` events (default 250 ms). */
  statsEveryMs?: number;
  windowMs?: number;
  /** How long the table's part of the stats (latencies, totals) is reused (default 1000 ms). */
  historyEveryMs?: number;
  /** How long one read of an arriving file may hold lower work (default 3000 ms; jobs/arriving.ts). */
  arrivalReadHoldMs?: number;
  /** Preempt a lower-level run when a CRITICAL job finds every worker busy (default true). */
  preempt?: boolean;
  log?: Logger;
}
