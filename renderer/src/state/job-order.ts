// Which job event is older than what the UI already shows. The engine announces a
// submitted job as `queued` from the submission, while the run announces `running`
// (its progress) from the scheduler; the two can reach the UI in either order, and a
// late `queued` must not take a running job back to the queue.
import type { ProcessingJob } from '../../../shared/domain.ts';

/**
 * True when `incoming` is the queued state a running job has already left. A requeue
 * after a failed attempt keeps its attempt count, so it is never mistaken for one.
 */
export function isStale(incoming: ProcessingJob, known: ProcessingJob | undefined): boolean {
  return (
    !!known &&
    known.status === 'running' &&
    incoming.status === 'queued' &&
    incoming.attempts < known.attempts
  );
}
