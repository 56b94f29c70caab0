// One request of `gex-desk ingest`, from its submission to its end. When the command was
// given the file before it could submit it (it waited for the database, or for its engine
// to start), it dates the request's arrival then, so that its waits and latency count
// from there (GUIDELINES.md: `now` is when the command line sent it).
import type { SubmitAck, SubmitRequest } from '../../../shared/api.ts';
import type { PriorityLevel } from '../../../shared/domain.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import type { ApiClient } from './api-client.ts';
import { fromAck, fromJob, notSeenToEnd, rejected, type IngestLine } from './ingest-lines.ts';
import type { JobWaiter } from './job-waiter.ts';

export interface PlannedRequest {
  file: string;
  source: string;
  requested_priority?: PriorityLevel;
  justification?: string;
  author?: string;
  at_ms: number;
  /** A manifest line that could not be read: reported as rejected, never submitted. */
  invalid?: AppError;
}

/**
 * What an interrupt leaves: files not submitted yet, submissions not answered yet, and jobs
 * submitted that have not ended. Once `stopped`, nothing more is submitted.
 */
export interface Progress {
  stopped: boolean;
  unsent: number;
  sending: Set<Promise<unknown>>;
  waiting: Set<string>;
}

/**
 * Submits `p` and waits for its end; `givenMs`: when the command was given it, if before
 * this moment (null: it arrives now).
 */
export async function runRequest(
  waiter: JobWaiter,
  p: PlannedRequest,
  progress: Progress,
  givenMs: number | null,
): Promise<IngestLine> {
  if (progress.stopped) return new Promise(() => undefined); // the process is ending
  progress.unsent -= 1;
  if (p.invalid) return rejected(p.file, p.invalid);
  const arrivedMs = givenMs ?? Date.now();
  const r = await submitted(
    waiter.api(),
    {
      file: p.file,
      source: p.source,
      requested_priority: p.requested_priority,
      justification: p.justification,
      author: p.author,
      ...(givenMs === null ? {} : { arrived_at: new Date(givenMs).toISOString() }),
    },
    progress,
  );
  if (!r.ok) return rejected(p.file, r.error);
  const ack = r.value;
  if (ack.status === 'rejected' || !ack.job_id) return fromAck(p.file, ack, Date.now() - arrivedMs);
  const ended = await waiter.waitForEnd(ack.job_id);
  progress.waiting.delete(ack.job_id);
  if (!ended.ok) return notSeenToEnd(p.file, ack.request_id, ack.job_id, ended.error);
  return fromJob(p.file, ended.value, arrivedMs);
}

/**
 * The submission, counted as on its way until answered; its job is counted as waiting in
 * the same turn as the answer arrives, so that an interrupt that waited for this
 * submission finds it.
 */
function submitted(
  api: ApiClient,
  request: SubmitRequest,
  progress: Progress,
): Promise<Result<SubmitAck>> {
  const sending = api
    .call('ingest:submit', request)
    .then((r) => {
      if (r.ok && r.value.status !== 'rejected' && r.value.job_id)
        progress.waiting.add(r.value.job_id);
      return r;
    })
    .finally(() => progress.sending.delete(sending));
  progress.sending.add(sending);
  return sending;
}
