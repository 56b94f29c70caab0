// The order of the Queue's rows. Active: running first, then by level, then as the
// scheduler takes them (oldest arrival first); the other tabs newest first, as `jobs`
// lists them. Arrivals often tie to the millisecond (one command's files, an ingest
// manifest's lines, one inbox poll's files): those follow their place in arrival order
// (`arrivalPlace`: the order they were submitted in, not `seq`, the order their captures
// ended), then `seq`. Ordered by arrival alone, tied jobs kept the list's newest-first
// order, and the top CRITICAL row was the last the scheduler ran.
import { arrivalPlace, levelRank, type ProcessingJob } from '../../../../shared/domain.ts';

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
    place: arrivalPlace(job),
  }));
  keyed.sort(
    (a, b) => a.group - b.group || dir * (a.t - b.t || a.place - b.place || a.job.seq - b.job.seq),
  );
  return keyed.map((k) => k.job);
}
