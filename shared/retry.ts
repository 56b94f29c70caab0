// Which ended jobs a retry may cure, for the Queue view's Retry and `gex-desk jobs retry`
// alike: a retry runs the file as it was captured at arrival, so a job that failed on its
// content would fail the same way.
import type { ProcessingJob } from './domain.ts';
import { ERROR_KINDS, RETRYABLE, type AppError } from './result.ts';

/** Errors a retry may cure: the environment's, and a cancel. Never bad input. */
export function retryHelps(job: {
  status: ProcessingJob['status'];
  error: Pick<AppError, 'code'> | null;
}): boolean {
  if (job.status === 'cancelled') return true;
  if (job.status !== 'failed') return false;
  return !job.error || RETRYABLE.has(job.error.code);
}

/** Why a failed job is not offered a retry, in words. */
export function noRetryReason(job: Pick<ProcessingJob, 'status' | 'error'>): string | null {
  if (job.status !== 'failed' || retryHelps(job) || !job.error) return null;
  const code = job.error.code;
  switch (ERROR_KINDS[code]) {
    case 'content':
      return `A retry would fail the same way: ${code} is a problem of the file itself. Correct the file and submit it again.`;
    case 'delivery':
      return `A retry would fail the same way: ${code} — the file could not be taken when it arrived. Check the file and submit it again.`;
    case 'request':
      return `A retry would fail the same way: ${code} — the request itself was refused. Correct it and submit it again.`;
    default:
      return `A retry is not offered after ${code}. Submit the file again.`;
  }
}
