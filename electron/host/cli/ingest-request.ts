// One request of `gex-desk ingest`, from its submission to its end. The command names the
// request (its id) and, when it was given the file before it could submit it (it waited
// for the database, or for its engine to start, or its own start-up took a while), dates
// its arrival then (never before one the engine has taken: it clamps), so that its
// waits and latency count from there (GUIDELINES.md: `now` is when the command line sent
// it). Beside the app, the app may quit or crash while the request is on its way: the
// submission then failed for the engine's going, not for the request, which is neither
// reported rejected nor lost. In the engine that comes next (the app again, or this
// command's own: job-waiter.ts) the request is looked up by its id: stored before the
// first engine went (its answer lost on the way), it is waited for there, never submitted
// twice; else it is submitted again, with the arrival it had, after every earlier file of
// the command had its turn (submit-turns.ts), so that the engine takes them in order.
import { randomUUID } from 'node:crypto';
import type { SubmitAck, SubmitRequest } from '../../../shared/api.ts';
import type { PriorityLevel } from '../../../shared/domain.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import type { ApiClient } from './api-client.ts';
import { fromAck, fromJob, notSeenToEnd, rejected, type IngestLine } from './ingest-lines.ts';
import type { JobWaiter } from './job-waiter.ts';
import { ALONE, type SubmitTurn } from './submit-turns.ts';

export interface PlannedRequest {
  file: string;
  /** The file as given, when `file` is this command's copy of it (`-`: a chain piped in). */
  given_as?: string;
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
  /** Each job submitted that has not ended, with its request's place in the command's order. */
  waiting: Map<string, number>;
  /** Told each time a job joins `waiting` (a paused queue is then said: paused-notice.ts). */
  onWaiting?: () => void;
}

/** A call that failed because its engine went away (quit, crashed), not because of the request. */
const wentAway = (api: ApiClient, e: AppError): boolean =>
  api.where === 'running-engine' && (e.code === 'SHUTTING_DOWN' || (api.wentAway?.(e) ?? false));

/**
 * Submits `p` and waits for its end; `givenMs`: when the command was given it, if before
 * this moment (null: it arrives now). `dueMs`: when it was due (a manifest's line): sent
 * to an engine reached only after that — the one after an engine that went away, which
 * this command may have started itself, its timers held up meanwhile — it is dated when
 * it was due, as a line due before the first engine was reached is. `turn`: its place
 * among the command's requests, which a resubmission to the engine that comes next keeps
 * (submit-turns.ts).
 */
export async function runRequest(
  waiter: JobWaiter,
  p: PlannedRequest,
  progress: Progress,
  givenMs: number | null,
  dueMs?: number,
  turn: SubmitTurn = ALONE,
): Promise<IngestLine> {
  if (progress.stopped) {
    turn.taken();
    return new Promise(() => undefined); // the process is ending
  }
  progress.unsent -= 1;
  if (p.invalid) {
    turn.taken();
    return rejected(p.file, p.invalid);
  }
  let arrivedMs = givenMs ?? Date.now();
  const request = {
    file: p.file,
    source: p.source,
    requested_priority: p.requested_priority,
    justification: p.justification,
    author: p.author,
    ...(p.given_as === undefined ? {} : { given_as: p.given_as }),
    request_id: randomUUID(),
    ...(givenMs === null ? {} : { arrived_at: new Date(givenMs).toISOString() }),
  } satisfies SubmitRequest;
  const waitFor = async (jobId: string): Promise<IngestLine> => {
    progress.waiting.set(jobId, turn.place);
    progress.onWaiting?.();
    const ended = await waiter.waitForEnd(jobId);
    // Not seen to its end because this command is stopping (its engine closed under the
    // wait): no line, and still counted among those that had not ended.
    if (!ended.ok && progress.stopped) return new Promise(() => undefined);
    progress.waiting.delete(jobId);
    if (!ended.ok) return notSeenToEnd(p.file, request.request_id, jobId, ended.error);
    return fromJob(p.file, ended.value, arrivedMs);
  };
  /** The engine went: on to the next one, or the line that says none could be had. */
  const moveOn = async (api: ApiClient, lost: AppError): Promise<IngestLine | null> => {
    if (await waiter.next(api, lost)) return null;
    turn.taken();
    return notSeenToEnd(p.file, request.request_id, null, lost);
  };

  let sentToLost = false; // a submission went to an engine that went away meanwhile
  for (;;) {
    const api = waiter.api();
    if (dueMs !== undefined && dueMs < arrivedMs && dueMs < waiter.reachedMs()) {
      arrivedMs = dueMs;
      Object.assign(request, { arrived_at: new Date(arrivedMs).toISOString() });
    }
    if (sentToLost) {
      const found = await api.call('jobs:get', { id: request.request_id });
      if (found.ok) {
        turn.taken();
        return waitFor(found.value.job.id);
      }
      if (wentAway(api, found.error)) {
        const none = await moveOn(api, found.error);
        if (none) return none;
        continue;
      }
      // Not stored with a job. Stored without one (refused there), it is submitted again
      // under another id, whose refusal is then said; else under its own.
      const stored = await api.call('requests:get', { ids: [request.request_id] });
      if (stored.ok && stored.value.length > 0) request.request_id = randomUUID();
      Object.assign(request, { arrived_at: new Date(arrivedMs).toISOString() });
    }
    // Taken by the engine that came next in the command's order, sent again or sent for
    // the first time: after every earlier file's turn (else a later line sent while an
    // earlier one still looked itself up was taken first, and the earlier one, given an
    // arrival before it, was moved up past it).
    if (waiter.moved()) await turn.earlier();
    const r = await submitted(api, request, progress, turn.place);
    if (!r.ok && wentAway(api, r.error)) {
      sentToLost = true;
      const none = await moveOn(api, r.error);
      if (none) return none;
      continue;
    }
    turn.taken();
    if (!r.ok) return rejected(p.file, r.error);
    const ack = r.value;
    if (ack.status === 'rejected' || !ack.job_id)
      return fromAck(p.file, ack, Date.now() - arrivedMs);
    return waitFor(ack.job_id);
  }
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
  place: number,
): Promise<Result<SubmitAck>> {
  const sending = api
    .call('ingest:submit', request)
    .then((r) => {
      if (r.ok && r.value.status !== 'rejected' && r.value.job_id) {
        progress.waiting.set(r.value.job_id, place);
        progress.onWaiting?.();
      }
      return r;
    })
    .finally(() => progress.sending.delete(sending));
  progress.sending.add(sending);
  return sending;
}
