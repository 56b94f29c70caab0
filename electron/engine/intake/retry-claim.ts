// Whether an ended job can be retried at all: a retry runs the bytes captured when its file
// arrived, never the analyst's path. When they are gone (the file could not be captured,
// its retention passed, a full disk let them go), the retry is refused before anything
// changes — its outcome, its error and its source's count stay as they were — rather than
// take the failure back and end FILE_NOT_FOUND, which counted nothing against the source.
import { existsSync } from 'node:fs';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { StagedJobs } from './staged-jobs.ts';
import type { Staging } from './staging.ts';

/** Whether a retry of the job would find its bytes: the drawer offers Retry only then. */
export function retryBytesKept(
  job: Pick<ProcessingJob, 'id' | 'content_hash'>,
  stagedJobs: StagedJobs,
  staging: Staging,
): boolean {
  const hash = job.content_hash;
  return !!hash && stagedJobs.has(job.id, hash) && existsSync(staging.pathOf(hash));
}

export function retryClaim(
  job: ProcessingJob,
  stagedJobs: StagedJobs,
  staging: Staging,
): Result<{ undo: () => void }> {
  const claimed = stagedJobs.claim(job.id, job.content_hash);
  if (claimed && job.content_hash && existsSync(staging.pathOf(job.content_hash)))
    return ok(claimed);
  claimed?.undo();
  return err(
    'CONFLICT',
    `${job.file}: cannot retry: a retry runs the bytes captured when the file arrived, and they are no longer kept (never captured, kept keepStagedHours after the job ended, which has passed, or let go when the disk was full, as a job that failed on its file's content or whose content is stored already is); the job is left as it ended — submit the file again`,
    { file: job.file },
  );
}
