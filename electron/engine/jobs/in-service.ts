// One job in service — its facts read or its run — from the moment it is handed a worker
// until what it became is written: the context it runs with, and what happens after.
// The scheduler owns the order; this module owns one job's way through a worker.
import type { AuditEntry } from '../../../shared/api.ts';
import type { PriorityLevel, ProcessingJob } from '../../../shared/domain.ts';
import { err, RETRYABLE, type AppError, type Result, messageOf } from '../../../shared/result.ts';
import type { AuditInput } from '../store/audit.ts';
import type { RunOptions, TaskMessage } from '../workers/pool.ts';
import type { ArrivalTicket } from './arriving.ts';
import type { Lateness } from './escalator.ts';
import { jobAudit } from './job-audit.ts';
import { servedLevel, type ReadyQueue } from './ready-queue.ts';
import * as repo from './repository.ts';
import { MAX_CRASHES, type Completion, type Transitions } from './transitions.ts';
import type {
  DecideJob,
  DecideOutcome,
  JobContext,
  JobOutcome,
  RunJob,
  SchedulerPool,
} from './types.ts';
import { diskFull, isDiskFull } from '../disk-full.ts';

export type StopReason = 'cancel' | 'preempt' | 'shutdown' | 'lost';

export interface InService {
  row: repo.QueuedRow;
  ac: AbortController;
  startedAtMs: number;
  job: ProcessingJob;
  /** Its worker is free (or being killed for a preemption): it no longer counts against capacity. */
  released: boolean;
  /** Its `running` row is written: only then may its progress be announced. */
  written: boolean;
  cancelledBy: string | null;
  /** A completion written in the runner's transaction: its row, and audit entries announced after it. */
  completion: Completion | null;
  /**
   * When its run ended with a result, which now waits to be stored (its commit may queue
   * behind higher work in the store's lane): it is storing, no longer running. Null before.
   */
  runEndedAtMs: number | null;
  /**
   * A deciding job whose read has ended and whose decision (or failure) is being written:
   * it holds lower work (at the level it could still get, then at the level decided) until
   * its job is in the ready queue, so that a worker freed by its read does not start lower
   * work in the moment the decision's transaction waits for the store.
   */
  deciding: ArrivalTicket | null;
}

export interface ServiceDeps {
  pool: SchedulerPool;
  runJob: RunJob;
  decideJob: DecideJob | null;
  transitions: Transitions;
  ready: ReadyQueue;
  /** Reads a job's row, in the store's lane of its level. */
  read: (id: string, level: PriorityLevel) => Promise<ProcessingJob | undefined>;
  clock: () => number;
  limits: {
    maxAttempts: number;
    backoffMs: number;
    jobTimeoutMs: number;
    decideTimeoutMs: number;
    /** A refusal of the machine's (`AppError.transient`) waits instead of failing (types.ts). */
    waitForMachine: boolean;
  };
  /** The error of a job that ends failed for the machine's refusal (SchedulerOptions). */
  endedForMachine: (error: AppError) => AppError;
  /** Announces a row as written. */
  emit: (job: ProcessingJob | undefined) => void;
  emitProgress: (job: ProcessingJob, fraction: number) => void;
  announceAudit: (entry: AuditEntry) => void;
  /** A worker became free: look for the next job. */
  dispatch: () => void;
  /** Holds lower work than `level` from starting until the ticket is done (arriving.ts). */
  hold: (level: PriorityLevel) => ArrivalTicket;
  /** A job taken to run past its level's target and not flagged yet is late (escalator.ts). */
  lateAtStart: (row: repo.QueuedRow, nowMs: number) => Lateness | null;
}

/** A facts read gets this many tries for a reason a retry may cure (a crashed worker, a timeout). */
const READ_ATTEMPTS = 2;
/** The longest wait of a job for the machine before it is tried again (as the inbox's held files). */
const MACHINE_WAIT_MAX_MS = 5 * 60_000;

/**
 * Whether `error` is the machine's (a full disk, a read-only data folder) and the job is to
 * wait for it rather than fail; if so, how long (doubling with each refusal, to 5 minutes).
 */
function machineWait(d: ServiceDeps, row: repo.QueuedRow, error: AppError): number | null {
  if (!d.limits.waitForMachine || !error.transient) return null;
  row.machineWaits = (row.machineWaits ?? 0) + 1;
  return Math.min(d.limits.backoffMs * 2 ** (row.machineWaits - 1), MACHINE_WAIT_MAX_MS);
}

/** What a job fails with: a refusal of the machine's says what a retry can do. */
const ended = (d: ServiceDeps, error: AppError): AppError =>
  error.transient ? d.endedForMachine(error) : error;

const inWords = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

export function newService(row: repo.QueuedRow, startedAtMs: number): InService {
  return {
    row,
    ac: new AbortController(),
    startedAtMs,
    job: row.job,
    released: false,
    written: false,
    cancelledBy: null,
    completion: null,
    runEndedAtMs: null,
    deciding: null,
  };
}

const reasonOf = (s: InService): StopReason | null =>
  s.ac.signal.aborted ? (s.ac.signal.reason as StopReason) : null;

/** Takes one job through its worker: a facts read for a deciding job, else its run. */
export function serve(d: ServiceDeps, s: InService): Promise<void> {
  return s.row.phase === 'decide' ? decide(d, s) : run(d, s);
}

/** The job's context: its worker is freed for the next job as soon as its task ends. */
function context(d: ServiceDeps, s: InService, timeoutMs: number): JobContext {
  const served = servedLevel(s.row);
  const urgent = served === 'CRITICAL';
  return {
    signal: s.ac.signal,
    level: served,
    pool: {
      run: async (message: TaskMessage, opts: RunOptions = {}) => {
        const result = await d.pool.run(message, {
          timeoutMs,
          ...opts,
          urgent: opts.urgent ?? urgent,
          // Among urgent tasks, CRITICAL runs go before facts reads that could be CRITICAL.
          rank: opts.rank ?? (s.row.phase === 'run' ? 0 : 1),
          signal: opts.signal ?? s.ac.signal,
        });
        if (!s.released) {
          // Held before the freed worker is offered to lower work (the decision is not
          // written yet). Also when the read failed: a failed read of an earlier request's
          // file still leads to the decision (or back to the queue at its rank).
          if (s.row.phase === 'decide') s.deciding ??= d.hold(served);
          s.released = true;
          d.dispatch();
        }
        if (s.row.phase === 'run' && result.ok && !s.ac.signal.aborted && s.runEndedAtMs === null) {
          // Its result goes to the store now. Said at once, as progress is: no state
          // changes (the row stays running until the completion's commit), and only once
          // `running` is written (the scheduler adds the run's end to the rows it announces).
          s.runEndedAtMs = d.clock();
          if (s.written) d.emit(s.job);
        }
        return result;
      },
    },
    decided: (level) => s.deciding?.level(level),
    onProgress: (fraction) => {
      // Announced only once `running` is written and announced, never ahead of it.
      if (s.written) d.emitProgress(s.job, fraction);
    },
    complete: async (tx, outcome) => {
      s.completion = await d.transitions.completeInTx(tx, s.row.id, outcome, s.runEndedAtMs);
      return s.completion !== null;
    },
  };
}

const threw = (what: string, file: string, e: unknown) =>
  isDiskFull(e)
    ? diskFull(file, what, e)
    : err('INTERNAL', `${what} threw: ${messageOf(e)}`, { file });

/**
 * A request waiting for an earlier one's facts read is asked again when that read is noted
 * (the wait's `until`); this is only the safety net, should a note never come.
 */
const EARLIER_READ_RECHECK_MS = 1000;

/** A deciding job's facts read; the decider writes what it became. */
async function decide(d: ServiceDeps, s: InService): Promise<void> {
  try {
    await decideOnce(d, s);
  } finally {
    s.deciding?.done(); // after its job is in the ready queue, or ended
  }
}

async function decideOnce(d: ServiceDeps, s: InService): Promise<void> {
  const { row } = s;
  let result: Result<DecideOutcome>;
  try {
    result = await d.decideJob!(row.job, context(d, s, d.limits.decideTimeoutMs));
  } catch (e) {
    result = threw('the facts read', row.job.file, e);
  }
  s.released = true;
  const reason = reasonOf(s);
  if (reason === 'shutdown') return; // still deciding in the table: read again at the next start
  if (reason === 'cancel') return cancelled(d, s, 'cancelled while its facts were read');
  if (!result.ok && stoppedFromOutside(row, result.error)) {
    // Its worker stopped from outside: read again, not counted as a failed read.
    d.ready.insert(row);
    const why = `facts read stopped: ${result.error.message}; read again`;
    return d.transitions.note(jobAudit(row.job, 'requeued', why, { at: new Date(d.clock()) }));
  }
  if (result.ok) {
    const outcome = result.value;
    if (outcome.kind === 'wait') {
      // Still deciding, its facts kept, holding no worker: the reads it waits for take its
      // rank, and it is asked again once they are noted.
      const now = d.clock();
      const recheckAt = now + EARLIER_READ_RECHECK_MS;
      row.notBeforeMs = recheckAt;
      d.ready.insert(row);
      d.ready.raise(outcome.earlier, servedLevel(row), row.id);
      void outcome.until.then(() => {
        if (row.notBeforeMs !== recheckAt) return; // asked again meanwhile
        row.notBeforeMs = null;
        d.dispatch();
      });
      if (outcome.why)
        await d.transitions.note(jobAudit(row.job, 'requeued', outcome.why, { at: new Date(now) }));
      return;
    }
    if (outcome.kind === 'again') {
      // Its next read (an earlier request's file) waits for a worker like any read, at
      // its rank: run on the worker its own read freed, it ran beyond the scheduler's
      // count of busy workers (that worker already handed on), and so could wait in the
      // pool behind the work started there, holding lower work meanwhile.
      const now = d.clock();
      row.notBeforeMs = outcome.why ? now + d.limits.backoffMs : null;
      d.ready.insert(row);
      if (outcome.why)
        await d.transitions.note(jobAudit(row.job, 'requeued', outcome.why, { at: new Date(now) }));
      return;
    }
    if (outcome.kind === 'queued') {
      d.ready.insert(outcome.row);
      d.emit(outcome.row.job);
    } else d.emit(outcome.job ?? (await d.read(row.id, row.level)));
    return;
  }
  const { error, poison } = await poisonCheck(d, row.job, result.error);
  const wait = poison ? null : machineWait(d, row, error);
  if (wait !== null) {
    // Its staged bytes are safe: it waits for the machine, deciding, not failed.
    const now = d.clock();
    row.notBeforeMs = now + wait;
    d.ready.insert(row);
    const why = `facts read refused by the machine (${error.code}: ${error.message}); waits, read again in ${inWords(wait)}`;
    return d.transitions.note(jobAudit(row.job, 'requeued', why, { at: new Date(now) }));
  }
  const attempts = (row.readAttempts ?? 0) + 1;
  if (!poison && RETRYABLE.has(error.code) && attempts < READ_ATTEMPTS) {
    const now = d.clock();
    row.readAttempts = attempts;
    row.notBeforeMs = now + d.limits.backoffMs;
    d.ready.insert(row);
    const why = `facts read ${attempts} failed (${error.code}: ${error.message}); read again in ${d.limits.backoffMs} ms`;
    return d.transitions.note(jobAudit(row.job, 'requeued', why, { at: new Date(now) }));
  }
  d.emit((await d.transitions.fail(row.job, ended(d, error))) ?? (await d.read(row.id, row.level)));
}

async function run(d: ServiceDeps, s: InService): Promise<void> {
  const { row, ac } = s;
  // The run starts at once; `running` is written alongside and announced once written.
  // The store runs statements in order, so this write precedes anything the run writes,
  // and a busy store delays the announcement, never the start. Should the process die
  // first, the row is still `queued` and simply runs again.
  const late = d.lateAtStart(row, s.startedAtMs);
  s.job = {
    ...row.job,
    status: 'running',
    started_at: new Date(s.startedAtMs).toISOString(),
    run_ended_at: null,
    finished_at: null,
    attempts: row.job.attempts + 1,
    progress: null,
  };
  const written = d.transitions.markRunning(row.id, s.startedAtMs, late).then((j) => {
    if (j) {
      s.job = j;
      s.written = true;
      d.emit(j);
    } else ac.abort('lost' satisfies StopReason); // no longer queued in the table: not ours to run
    return j;
  });
  // Awaited once the run ends; a write that fails meanwhile (a full disk) must not go unhandled.
  written.catch(() => undefined);
  let result: Result<JobOutcome>;
  try {
    result = await d.runJob(s.job, context(d, s, d.limits.jobTimeoutMs));
  } catch (e) {
    result = threw('the job runner', row.job.file, e);
  }
  s.released = true;
  d.dispatch();
  if (!result.ok && reasonOf(s) === 'preempt') return preempted(d, s, written);
  const wrote = await written;
  if (!wrote) return d.emit(await d.read(row.id, row.level));
  await settle(d, s, wrote, result, reasonOf(s));
}

/**
 * A run preempted for a CRITICAL job goes back to the ready queue at once, its `queued`
 * row written behind its `running` row in the same lane of the store (which keeps their
 * order). Waiting for those writes first kept a preempted MEDIUM job out of the queue for
 * 27 s behind a busy store while LOW jobs started (tests/system/load.test.ts).
 */
async function preempted(
  d: ServiceDeps,
  s: InService,
  written: Promise<ProcessingJob | undefined>,
): Promise<void> {
  const { row } = s;
  const entry = jobAudit(
    s.job,
    'preempted',
    'preempted for a CRITICAL job; back in the queue, attempt not charged',
    { at: new Date(d.clock()) },
  );
  const back = d.transitions.requeueRunning(
    row.id,
    { charge: false, notBeforeMs: null, error: null },
    entry,
  );
  d.ready.insert({ ...row, notBeforeMs: null });
  d.dispatch();
  const [, j] = await Promise.all([written, back]);
  if (j) return d.emit(j);
  // Not running in the table after all (cancelled meanwhile): not ours to run again.
  d.ready.remove(row.id);
  d.emit(await d.read(row.id, row.level));
}

async function settle(
  d: ServiceDeps,
  s: InService,
  job: ProcessingJob,
  result: Result<JobOutcome>,
  reason: StopReason | null,
): Promise<void> {
  const now = d.clock();
  if (result.ok) {
    // The engine's runner completes the row in its snapshot's transaction (ctx.complete);
    // only a runner that did not is completed here.
    if (s.completion) {
      for (const e of s.completion.entries) d.announceAudit(e);
      return d.emit(s.completion.job);
    }
    const current = await d.read(job.id, job.effective_priority);
    if (current?.status !== 'running') return d.emit(current);
    return d.emit(
      (await d.transitions.complete(
        job.id,
        result.value,
        job.effective_priority,
        s.runEndedAtMs,
      )) ?? (await d.read(job.id, job.effective_priority)),
    );
  }
  const stopped = !result.ok && stoppedFromOutside(s.row, result.error);
  if (reason === 'shutdown' || stopped) {
    const why = reason === 'shutdown' ? 'stopped by shutdown' : `stopped: ${result.error.message}`;
    const entry = jobAudit(job, 'requeued', `${why}; back in the queue, attempt not charged`, {
      at: new Date(now),
    });
    return requeue(d, s, job, { charge: false, notBeforeMs: null, error: null }, entry);
  }
  if (reason === 'cancel') return cancelled(d, s, 'cancelled while running');
  const { error, poison } =
    reason === null
      ? await poisonCheck(d, job, result.error)
      : { error: result.error, poison: false };
  const wait = poison || reason !== null ? null : machineWait(d, s.row, error);
  if (wait !== null) {
    // The machine refused it (a full disk, a read-only data folder) while its staged bytes
    // are safe: it waits, queued with the reason, its attempt not charged, and runs once
    // the folder can be written — one job for its file, which stays where its job names it.
    const retryAt = new Date(now + wait).toISOString();
    const why = `refused by the machine (${error.code}: ${error.message}); waits, tried again in ${inWords(wait)}, attempt not charged`;
    const entry = jobAudit(job, 'requeued', why, {
      facts: { error, retry_at: retryAt },
      at: new Date(now),
    });
    return requeue(d, s, job, { charge: false, notBeforeMs: now + wait, error }, entry);
  }
  const { maxAttempts, backoffMs } = d.limits;
  if (!poison && RETRYABLE.has(error.code) && job.attempts < maxAttempts) {
    const delay = backoffMs * 2 ** (job.attempts - 1);
    const why = `attempt ${job.attempts} of ${maxAttempts} failed (${error.code}: ${error.message}); retry in ${delay} ms`;
    const facts = { error, retry_at: new Date(now + delay).toISOString() };
    const entry = jobAudit(job, 'requeued', why, { facts, at: new Date(now) });
    return requeue(d, s, job, { charge: true, notBeforeMs: now + delay, error }, entry);
  }
  d.emit(
    (await d.transitions.fail(job, ended(d, error))) ??
      (await d.read(job.id, job.effective_priority)),
  );
}

/** How often a job whose worker was stopped from outside goes back uncharged; then it fails. */
const MAX_STOPS = 3;

/**
 * Whether a task ended because its worker was stopped from outside (SHUTTING_DOWN: a
 * service manager stopping everything, a kill) and the job goes back uncharged. Bounded:
 * a watchdog that stops whatever takes much memory (earlyoom) would otherwise stop the
 * same file's worker for ever.
 */
function stoppedFromOutside(row: repo.QueuedRow, error: AppError): boolean {
  if (error.code !== 'SHUTTING_DOWN') return false;
  row.stops = (row.stops ?? 0) + 1;
  return row.stops <= MAX_STOPS;
}

/**
 * A worker that crashed on its own (not killed by us) is counted against the job's
 * content, across restarts; at MAX_CRASHES the file is a poison file: it fails, never
 * retried again, so that it cannot take workers down (or keep them busy) over and over.
 */
async function poisonCheck(
  d: ServiceDeps,
  job: ProcessingJob,
  error: AppError,
): Promise<{ error: AppError; poison: boolean }> {
  if (error.code !== 'WORKER_CRASHED') return { error, poison: false };
  const crashes = await d.transitions.noteCrash(job.id, job.effective_priority);
  if (crashes < MAX_CRASHES) return { error, poison: false };
  const message = `the pipeline worker crashed ${crashes} times on this file's content (last: ${error.message.slice(0, 200)}); the job is set aside so that the file cannot take workers down again`;
  return { error: { ...error, message, file: job.file }, poison: true };
}

async function cancelled(d: ServiceDeps, s: InService, why: string): Promise<void> {
  const job = s.row.phase === 'decide' ? s.row.job : { ...s.job, status: 'running' as const };
  d.emit(
    (await d.transitions.cancel(job, why, s.cancelledBy)) ?? (await d.read(s.row.id, s.row.level)),
  );
}

/** running → queued with its audit entry in one transaction, then back in the ready queue. */
async function requeue(
  d: ServiceDeps,
  s: InService,
  job: ProcessingJob,
  how: { charge: boolean; notBeforeMs: number | null; error: AppError | null },
  entry: AuditInput,
): Promise<void> {
  const back = await d.transitions.requeueRunning(job.id, how, entry);
  if (!back) return d.emit(await d.read(job.id, job.effective_priority));
  // Running jobs are never escalated, so the row's level and wait clock still hold.
  if (!d.ready.has(job.id))
    d.ready.insert({ ...s.row, notBeforeMs: how.notBeforeMs, attempts: back.attempts, job: back });
  d.emit(back);
}
