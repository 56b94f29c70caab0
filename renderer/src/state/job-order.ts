// Which job event is older than what the UI already shows. Events can reach the UI in
// another order than they were written (the submission's announcement and the
// scheduler's, over a transport); every write of a job's row counts up its `revision`,
// so the UI keeps the newest. Progress updates repeat the revision of their running row.
import type { ProcessingJob } from '../../../shared/domain.ts';

/** True when `incoming` was written before what the UI shows for that job. */
export function isStale(incoming: ProcessingJob, known: ProcessingJob | undefined): boolean {
  return !!known && incoming.revision < known.revision;
}
