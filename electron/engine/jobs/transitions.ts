// A job's state changes as the scheduler writes them: each one conditional UPDATE (see
// repository.ts) and its audit entry in ONE transaction, the entries announced after the
// commit, and — for a final state — the engine's `finalize` (the source's record) inside
// that same transaction. Final states go through DurableWrites, so a failed write is
// retried instead of leaving a job shown as running.
import type { AuditEntry } from '../../../shared/api.ts';
import type { PriorityLevel, ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import {
  appendAudit,
  auditedTransaction,
  type AuditInput,
  type AuditWriter,
} from '../store/audit.ts';
import type { Store, Tx } from '../store/db.ts';
import { keepFailureOnRetry } from '../store/sources.ts';
import type { DurableWrites } from './durable-writes.ts';
import type { ClaimRetry } from './types.ts';
import { lateEntry, type Lateness } from './escalator.ts';
import { jobAudit } from './job-audit.ts';
import * as repo from './repository.ts';

/** Runs inside the transaction of a job's final state (the engine counts the source's record there). */
export type Finalize = (tx: Tx, job: ProcessingJob) => Promise<void>;
export type JobOutcome = {
  status: 'completed' | 'duplicate';
  snapshot_id: string;
  /** Said in its `completed` entry: why it ended so (a copy that waited for another's run). */
  note?: string;
};
/** A completion written in the runner's transaction: the row as written, and what to announce after the commit. */
export type Completion = { job: ProcessingJob; entries: AuditEntry[] };

/**
 * Engine stops during one job's store step after which the job is set aside (see recover).
 * Not fewer: a job interrupted there is the first one run at the next start, so stops that
 * come soon after a start (an analyst killing a slow app, a test's kills on observed
 * progress) land in the same job's store step again and again (docs/scheduler.md).
 */
export const MAX_INTERRUPTIONS = 5;
/** Worker crashes on one job's content after which it fails as a poison file. */
export const MAX_CRASHES = 2;

export interface TransitionsDeps {
  store: Store;
  writes: DurableWrites;
  finalize: Finalize;
  announceAudit: (entry: AuditEntry) => void;
  clock: () => number;
}

export class Transitions {
  #d: TransitionsDeps;

  constructor(deps: TransitionsDeps) {
    this.#d = deps;
  }

  /**
   * In the store's lane of the job's level (null: the lane of everything else; 'move': the
   * lane of moves between queued and running, Store.forMoves).
   */
  #tx<T>(
    level: PriorityLevel | 'move' | null,
    work: (tx: Tx, audit: AuditWriter) => Promise<T>,
  ): Promise<T> {
    const { store } = this.#d;
    const lane = level === 'move' ? store.forMoves() : level ? store.at(level) : store;
    return auditedTransaction(lane, this.#d.announceAudit, work);
  }

  /** A final state: retried until written. */
  #final(
    label: string,
    level: PriorityLevel,
    work: (tx: Tx, audit: AuditWriter) => Promise<ProcessingJob | undefined>,
  ): Promise<ProcessingJob | undefined> {
    return this.#d.writes.final(label, () =>
      this.#tx(level, async (tx, audit) => {
        const j = await work(tx, audit);
        if (j) await this.#d.finalize(tx, j);
        return j;
      }),
    );
  }

  /**
   * Jobs a dead process left running go back to the queue — unless the engine has now
   * stopped MAX_INTERRUPTIONS times while working on the same job itself (`inEngine`:
   * see engine-phase.ts), which may be what stops it: that job is set aside as failed, so
   * that it cannot stop the engine again at every start. Those set aside are returned as
   * written, for the caller to announce once the transaction has committed.
   */
  recover(inEngine: readonly string[]): Promise<{ requeued: string[]; setAside: ProcessingJob[] }> {
    const now = this.#d.clock();
    return this.#tx(null, async (tx, audit) => {
      const rows = await repo.requeueInterrupted(tx, inEngine);
      const requeued: string[] = [];
      const setAside: ProcessingJob[] = [];
      for (const { id, interruptions } of rows) {
        const j = await repo.getJob(tx, id);
        if (!j) continue;
        if (interruptions < MAX_INTERRUPTIONS) {
          requeued.push(id);
          await audit(
            jobAudit(
              j,
              'requeued',
              'queued again after a restart: the job was running when the engine stopped',
              this.#at(),
            ),
          );
          continue;
        }
        const error: AppError = {
          code: 'WORKER_CRASHED',
          message: `the engine stopped ${interruptions} times while it was storing this job's result; it is set aside so that it cannot stop the engine again (retry it once the cause is found)`,
          file: j.file,
        };
        const failed = await repo.endWaiting(tx, id, 'failed', { error }, now);
        if (failed) {
          await audit(
            jobAudit(failed, 'failed', `failed: ${error.code}: ${error.message}`, {
              facts: { error },
              at: new Date(now),
            }),
          );
          await this.#d.finalize(tx, failed);
          setAside.push(failed);
        }
      }
      return { requeued, setAside };
    });
  }

  /** A worker crashed on this job's content; returns how many times that has happened, across restarts. */
  noteCrash(jobId: string, level: PriorityLevel): Promise<number> {
    return this.#tx(level, (tx) => repo.noteCrash(tx, jobId));
  }

  /** queued → running; a job `late` as it starts is flagged in the same write, with its `late` entry. */
  markRunning(
    id: string,
    startedAtMs: number,
    late: Lateness | null = null,
  ): Promise<ProcessingJob | undefined> {
    return this.#tx('move', async (tx, audit) => {
      const j = await repo.markRunning(tx, id, startedAtMs, late !== null);
      if (j && late) await audit(lateEntry(j, late));
      if (j)
        await audit(
          jobAudit(j, 'started', `started (attempt ${j.attempts}) at ${j.effective_priority}`, {
            at: new Date(startedAtMs),
          }),
        );
      return j;
    });
  }

  /**
   * running → completed/duplicate inside the caller's transaction (the one that stores the
   * snapshot): the row as written and the audit entries to announce once that
   * transaction has committed, or null when the job was no longer running. `runEndedMs`:
   * when its run ended, which may be long before this transaction runs.
   */
  async completeInTx(
    tx: Tx,
    jobId: string,
    outcome: JobOutcome,
    runEndedMs: number | null = null,
  ): Promise<Completion | null> {
    const job = await this.#completeRow(tx, jobId, outcome, runEndedMs);
    if (!job) return null;
    const entry = await appendAudit(tx, this.#completedEntry(job, outcome));
    await this.#d.finalize(tx, job);
    return { job, entries: [entry] };
  }

  /** running → completed, for a runner that did not complete the row itself. */
  complete(
    jobId: string,
    outcome: JobOutcome,
    level: PriorityLevel,
    runEndedMs: number | null = null,
  ): Promise<ProcessingJob | undefined> {
    return this.#final(`complete ${jobId}`, level, async (tx, audit) => {
      const job = await this.#completeRow(tx, jobId, outcome, runEndedMs);
      if (job) await audit(this.#completedEntry(job, outcome));
      return job;
    });
  }

  /** finished_at is now, as the transaction runs: when its snapshot is stored, not when its run ended. */
  #completeRow(
    tx: Tx,
    jobId: string,
    outcome: JobOutcome,
    runEndedMs: number | null,
  ): Promise<ProcessingJob | undefined> {
    const now = this.#d.clock();
    return repo.completeJobTx(tx, jobId, outcome.snapshot_id, outcome.status, now, runEndedMs);
  }

  #completedEntry(job: ProcessingJob, outcome: JobOutcome): AuditInput {
    return jobAudit(
      job,
      'completed',
      `${outcome.status}: snapshot ${outcome.snapshot_id}${outcome.note ? ` (${outcome.note})` : ''}`,
      this.#at(),
    );
  }

  /** A job that cannot succeed: running (or deciding) → failed. */
  fail(job: ProcessingJob, error: AppError): Promise<ProcessingJob | undefined> {
    const now = this.#d.clock();
    return this.#final(`fail ${job.id}`, job.effective_priority, async (tx, audit) => {
      const j =
        job.status === 'deciding'
          ? await repo.endWaiting(tx, job.id, 'failed', { error }, now)
          : await repo.finishRunning(tx, job.id, 'failed', error, now);
      if (j)
        await audit(
          jobAudit(j, 'failed', `failed: ${error.code}: ${error.message}`, {
            facts: { error },
            at: new Date(now),
          }),
        );
      return j;
    });
  }

  /** Waiting, deciding or running → cancelled, by `by`. */
  cancel(
    job: Pick<ProcessingJob, 'id' | 'status' | 'effective_priority'>,
    why: string,
    by: string | null,
  ): Promise<ProcessingJob | undefined> {
    const now = this.#d.clock();
    const text = `${why}${by ? ` by ${by}` : ''}`;
    return this.#final(`cancel ${job.id}`, job.effective_priority, async (tx, audit) => {
      const error: AppError = { code: 'CANCELLED', message: text };
      const j =
        job.status === 'running'
          ? await repo.finishRunning(tx, job.id, 'cancelled', error, now)
          : await repo.cancelQueued(tx, job.id, error, now);
      if (j) await audit(jobAudit(j, 'cancelled', text, { actor: by, at: new Date(now) }));
      return j;
    });
  }

  /** running → queued (a retryable failure, a preemption, a shutdown) with the entry explaining why. */
  requeueRunning(
    jobId: string,
    how: { charge: boolean; notBeforeMs: number | null; error: AppError | null },
    entry: AuditInput,
  ): Promise<ProcessingJob | undefined> {
    return this.#tx('move', async (tx, audit) => {
      const j = await repo.requeueRunning(tx, jobId, how);
      if (j) await audit(entry);
      return j;
    });
  }

  /**
   * failed/cancelled → queued (or deciding, if never decided) with a fresh budget: an
   * analyst's retry. `claim` is asked first, in the same transaction: when it refuses
   * (the job's bytes are no longer kept), nothing changes — not the job's status nor its
   * error, not its source's count — and its error is the answer.
   */
  async retry(
    id: string,
    by: string | null,
    claim: ClaimRetry,
  ): Promise<{ job: ProcessingJob } | { refused: AppError } | undefined> {
    const now = this.#d.clock();
    let taken: { undo: () => void } | null = null;
    try {
      const done = await this.#tx(null, async (tx, audit) => {
        const ended = await repo.getJob(tx, id);
        if (!ended || (ended.status !== 'failed' && ended.status !== 'cancelled')) return undefined;
        // A batched work may run again (group-commit.ts): the bytes are claimed once.
        if (!taken) {
          const claimed = claim(ended);
          if (!claimed.ok) return { refused: claimed.error };
          taken = claimed.value;
        }
        const j = await repo.requeueFinished(tx, id);
        if (!j) return undefined;
        await keepFailureOnRetry(tx, ended);
        await audit(
          jobAudit(j, 'retried', `queued again${by ? ` by ${by}` : ' by an analyst'} (retry)`, {
            actor: by,
            at: new Date(now),
          }),
        );
        return { job: j };
      });
      if (!done || !('job' in done)) (taken as { undo: () => void } | null)?.undo();
      return done;
    } catch (e) {
      (taken as { undo: () => void } | null)?.undo();
      throw e;
    }
  }

  /** An entry with no state change (a facts read that will be tried again). */
  async note(entry: AuditInput): Promise<void> {
    await this.#tx(entry.priority, (_tx, audit) => audit(entry));
  }

  #at(): { at: Date } {
    return { at: new Date(this.#d.clock()) };
  }
}
