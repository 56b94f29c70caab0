// The line `gex-desk ingest` reports for each request (CONTRACTS.md: `--json`, one object a
// line), made from what the engine answered or stored, and as a person reads it. Shared
// with `jobs retry`, which reports the jobs it runs again the same way.
import type { JobDetail, SubmitAck } from '../../../shared/api.ts';
import type { IngestLine as IngestJson } from '../../../shared/cli-lines.ts';
import { decidedLevel, endedUndecided } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { visible } from '../../../shared/visible.ts';
import { describeError, plain, snapshotJson, usd } from './io.ts';

/**
 * A request's line (shared/cli-lines.ts), and for people whether its job ended with no
 * level of the rules (its JSON then says null, as for a request that made no job).
 */
export type IngestLine = IngestJson & { undecided?: true };

/** The line as `--json` prints it. */
export const ingestJson = ({ undecided: _, ...line }: IngestLine): IngestJson => line;

/** A request refused before anything was stored: a bad manifest line, a call the API refused. */
export const rejected = (file: string, error: AppError): IngestLine => ({
  file,
  request_id: null,
  status: 'rejected',
  priority: null,
  rule: null,
  latency_ms: null,
  error,
});

/**
 * A request whose end could not be waited for (its engine went, and no other could be
 * had); `jobId` null when the engine went before it said whether it took the request.
 */
export const notSeenToEnd = (
  file: string,
  requestId: string,
  jobId: string | null,
  error: AppError,
): IngestLine => ({
  file,
  request_id: requestId,
  job_id: jobId,
  status: 'failed',
  priority: null,
  rule: null,
  latency_ms: null,
  error,
});

/** A request that ended at its submission without a job to wait for (refused, unreadable). */
export function fromAck(file: string, ack: SubmitAck, latency: number): IngestLine {
  return {
    file,
    request_id: ack.request_id,
    status: ack.status === 'rejected' ? 'rejected' : 'failed',
    priority: ack.decision?.priority ?? null,
    rule: ack.decision?.rule ?? null,
    latency_ms: latency,
    ...(ack.error ? { error: ack.error } : {}),
  };
}

/**
 * A job's line once it has ended; latency_ms: from the request's arrival (or the retry) as
 * this command counts it to the data being available (the job's end).
 */
export function fromJob(file: string, { job, snapshot }: JobDetail, arrivedMs: number): IngestLine {
  const latency = job.finished_at ? Math.max(0, Date.parse(job.finished_at) - arrivedMs) : null;
  // CONTRACTS.md knows no `cancelled`: a job cancelled while the command waited failed,
  // CANCELLED (its error says by whom).
  const level = decidedLevel(job);
  const line: IngestLine = {
    file,
    request_id: job.request_id,
    job_id: job.id,
    status: job.status === 'cancelled' ? 'failed' : (job.status as IngestLine['status']),
    priority: level.priority,
    rule: level.rule,
    latency_ms: latency,
    ...(endedUndecided(job) ? { undecided: true as const } : {}),
  };
  if (snapshot) line.snapshot = snapshotJson(snapshot);
  if (job.error) line.error = job.error;
  if (job.status === 'cancelled' && job.error?.code !== 'CANCELLED')
    line.error = { code: 'CANCELLED', message: job.error?.message ?? 'the job was cancelled' };
  return line;
}

/** A request that failed because it was cancelled: counted as such in the summary line. */
export const cancelled = (l: IngestLine): boolean =>
  l.status === 'failed' && l.error?.code === 'CANCELLED';

export function humanLine(l: IngestLine): string {
  const mark = l.status === 'completed' || l.status === 'duplicate' ? '✓' : '✗';
  // A request the rules never decided (its file refused at arrival or at its facts read)
  // has only a stored default or the upper bound it waited at, which is no level of its own.
  const level = l.undecided
    ? '  level not decided'
    : l.priority
      ? `  ${l.priority} (${l.rule})`
      : '';
  // The name and the error's text come from outside: a line break in either is shown
  // escaped, as the tables show it, never a line of its own (which could read as a result).
  const head = `${mark} ${visible(l.file)}  ${l.status}${level}`;
  if (l.error) return `${head}\n    ${visible(describeError(l.error))}`;
  const s = l.snapshot;
  if (!s) return head;
  return `${head}  ${l.latency_ms ?? '—'} ms\n    ${s.underlying} ${s.as_of}  spot ${plain(s.spot as number)}  total GEX ${usd(s.total_gex as number)} USD/1%  zero gamma ${s.zero_gamma ?? '—'}  call wall ${s.call_wall ?? '—'}  put wall ${s.put_wall ?? '—'}\n    ${visible(s.parquet)}`;
}
