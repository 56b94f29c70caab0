// The jobs counted by status, once per change of the job list, so that the Queue's
// filters, its empty-state text and the status bar all say the same numbers (the
// status bar used to read the scheduler's window and said "failed 0" beside failed jobs).
import {
  isStoring,
  isWaiting,
  type PriorityLevel,
  type ProcessingJob,
} from '../../../shared/domain.ts';

export interface JobCounts {
  all: number;
  /** Waiting, running or storing. */
  active: number;
  /** Waiting: for a worker (`queued`), or for the read of its file that decides its level (`deciding`). */
  queued: number;
  /** Of `queued`, those waiting for (or in) the read of their file's facts (`deciding`). */
  deciding: number;
  /** Computing in a worker. */
  running: number;
  /** Run over, the result waiting to be stored (running in the table; its worker is free). */
  storing: number;
  /** Completed, duplicates included (both end with a snapshot). */
  completed: number;
  failed: number;
  cancelled: number;
}

export const NO_JOBS: JobCounts = {
  all: 0,
  active: 0,
  queued: 0,
  deciding: 0,
  running: 0,
  storing: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
};

export function countJobs(jobs: Iterable<ProcessingJob>): JobCounts {
  const c = { ...NO_JOBS };
  for (const job of jobs) {
    c.all++;
    if (isWaiting(job.status)) {
      c.queued++;
      if (job.status === 'deciding') c.deciding++;
    } else if (isStoring(job)) c.storing++;
    else if (job.status === 'running') c.running++;
    else if (job.status === 'completed' || job.status === 'duplicate') c.completed++;
    else if (job.status === 'failed') c.failed++;
    else if (job.status === 'cancelled') c.cancelled++;
  }
  c.active = c.queued + c.running + c.storing;
  return c;
}

/** A level's open jobs, as the Queue's level cards show them. */
export interface OpenAtLevel {
  /** Queued, or in the facts read that decides them (at the level they could still get). */
  waiting: number;
  running: number;
  storing: number;
  late: number;
  /** The arrival of the oldest one waiting (ms), or null. */
  oldestSubmittedMs: number | null;
}

/**
 * Per effective level, from the job list the Queue's table shows, so that the level cards
 * and the rows beside them agree at every moment: the engine's statistics come at most
 * every 250 ms and may wait behind a busy store's commits (about 2 s under a burst), while
 * the rows follow the jobs' events.
 */
export function openByLevel(jobs: Iterable<ProcessingJob>): Map<PriorityLevel, OpenAtLevel> {
  const out = new Map<PriorityLevel, OpenAtLevel>();
  for (const job of jobs) {
    const waiting = isWaiting(job.status);
    if (!waiting && job.status !== 'running') continue;
    const level = job.effective_priority;
    let l = out.get(level);
    if (!l) {
      l = { waiting: 0, running: 0, storing: 0, late: 0, oldestSubmittedMs: null };
      out.set(level, l);
    }
    if (job.late) l.late++;
    if (waiting) {
      l.waiting++;
      const at = Date.parse(job.submitted_at);
      if (l.oldestSubmittedMs === null || at < l.oldestSubmittedMs) l.oldestSubmittedMs = at;
    } else if (isStoring(job)) l.storing++;
    else l.running++;
  }
  return out;
}
