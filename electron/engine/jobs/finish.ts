// What the engine adds to a job's final state, in that state's own transaction: the
// source's record (only the final outcome counts, and only input errors count against
// it), and, for a completed job, its file's total GEX on its request, which the next
// request of the same underlying compares with.
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { Tx } from '../store/db.ts';
import { recordOutcome } from '../store/sources.ts';

export async function finishJob(tx: Tx, job: ProcessingJob): Promise<void> {
  await recordOutcome(tx, job);
  if ((job.status === 'completed' || job.status === 'duplicate') && job.snapshot_id)
    await tx.run(
      `UPDATE requests SET total_gex = (SELECT total_gex FROM gex_snapshots WHERE id = $2),
         underlying = coalesce(underlying, (SELECT underlying FROM gex_snapshots WHERE id = $2))
       WHERE id = $1 AND total_gex IS NULL`,
      [job.request_id, job.snapshot_id],
    );
}
