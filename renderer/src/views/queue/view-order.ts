// The order of the Queue's rows. Active: running first, then by level, then as the
// scheduler takes them (oldest arrival first, then the order they were stored in: `seq`);
// the other tabs newest first. Arrivals often tie to the millisecond (an ingest
// manifest's lines, one inbox poll's files): ordered by arrival alone, tied jobs kept the
// list's newest-first order, and the top CRITICAL row was the last the scheduler ran.
import { levelRank, type ProcessingJob } from '../../../../shared/domain.ts';

/** Each job's arrival in ms, parsed once per job object (an update is a new object). */
const arrivals = new WeakMap<ProcessingJob, number>();
function arrivalMs(job: ProcessingJob): number {
  let t = arrivals.get(job);
  if (t === undefined) arrivals.set(job, (t = Date.parse(job.submitted_at)));
  return t;
}

/**
 * The jobs of a tab in the order shown: the Active tab's (`active`), or newest first.
 * The keys are computed once per job, not per comparison: at 10,000 jobs a sort with
 * Date.parse in the comparator took most of a frame.
 */
export function viewOrder(jobs: readonly ProcessingJob[], active: boolean): ProcessingJob[] {
  const dir = active ? 1 : -1;
  const keyed = jobs.map((job) => ({
    job,
    group: active ? (job.status === 'running' ? 0 : 4) + levelRank(job.effective_priority) : 0,
    t: arrivalMs(job),
  }));
  keyed.sort((a, b) => a.group - b.group || dir * (a.t - b.t) || dir * (a.job.seq - b.job.seq));
  return keyed.map((k) => k.job);
}
