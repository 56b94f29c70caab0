// How `gex-desk ingest` waits for its jobs to end, even when the engine it waits on goes
// away. One subscription to job:updated is made before any submission (so no job can end
// unseen, even before its submission is acknowledged: such an end is kept until it is
// asked for); then one call for the job as stored, with its snapshot.
// Beside the app, the app may quit (or crash) while the command waits. Its requests are
// stored and nothing queued is lost, so the command does not call them failed: `reconnect`
// gives the API that comes next — a new engine's, or one started in this process, which
// takes the queued jobs up again — and every wait goes on there, from the job as stored.
// Only when there is no next API does a wait end with the error.
import type { JobDetail } from '../../../shared/api.ts';
import { TERMINAL_STATUSES } from '../../../shared/domain.ts';
import { ok, type AppError, type Result } from '../../../shared/result.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import type { ApiClient } from './api-client.ts';
import { nextApi, type ApiSession, type LocalNeeds } from './api.ts';
import type { Output } from './io.ts';

export interface JobWaiter {
  /** The API the command works through now (the next one, once the first went away). */
  api(): ApiClient;
  /**
   * When that API was reached (epoch ms): the waiter's making for the first, the end of
   * the move for the next; Infinity while the command is between engines.
   */
  reachedMs(): number;
  /** Whether the first API went away (the command works through, or makes for, the next). */
  moved(): boolean;
  /** Resolves once the job has ended, with the job as stored and its snapshot. */
  waitForEnd(jobId: string): Promise<Result<JobDetail>>;
  /**
   * Asks the API now for each job still waited for that was seen running (or ending), and
   * ends the wait of each that has ended: a command stopping calls it once its engine has
   * let the running jobs finish, before that engine's database closes, so that a job that
   * ended then has its line and is not counted as left queued, however its own call for
   * the job fared (the database closing under it). One call a job that ran, not one a job
   * waited for: a stop of thousands of queued files asks for a few.
   */
  settle(): Promise<void>;
  /**
   * A call to `from` found it gone: the API that comes next (the same one however many
   * calls noticed), or null when there is none.
   */
  next(from: ApiClient, lost: AppError): Promise<ApiClient | null>;
}

/** Jobs that ended before anyone waited for them (another command's too, beside the app): the latest few. */
const KEEP_ENDED = 10_000;

export function jobWaiter(
  first: ApiClient,
  reconnect: (from: ApiClient, lost: AppError) => Promise<Result<ApiClient>>,
  /** Told of each API the waiter works through: the first, then each that comes next. */
  onApi?: (api: ApiClient) => void,
): JobWaiter {
  const waiting = new Map<string, () => void>();
  /** Every wait not ended yet, by job, woken or not (its call for the job may be on its way). */
  const unended = new Map<string, Set<(r: Result<JobDetail>) => void>>();
  /** Jobs waited for that were seen running or ended: those a stop asks for (`settle`). */
  const begun = new Set<string>();
  const ended = new Set<string>();
  let api = first;
  /** Set when the engine went away and no other API could be had: every wait ends with it. */
  let gone: AppError | null = null;
  let switching: Promise<void> | null = null;
  let reachedAt = Date.now();

  const watch = (a: ApiClient) => {
    onApi?.(a);
    a.on('job:updated', (job) => {
      if (a !== api) return;
      if (job.status !== 'queued' && unended.has(job.id)) begun.add(job.id);
      if (!TERMINAL_STATUSES.has(job.status)) return;
      const wake = waiting.get(job.id);
      if (wake) return wake();
      ended.add(job.id);
      if (ended.size > KEEP_ENDED) ended.delete(ended.values().next().value!);
    });
    a.onLost((error) => void moveOn(a, error));
  };

  /** `from` went away: the next API (once, however many waits noticed), then every wait asks it. */
  const moveOn = (from: ApiClient, error: AppError): Promise<void> => {
    if (from !== api) return switching ?? Promise.resolve();
    switching ??= reconnect(from, error).then((next) => {
      if (next.ok) {
        api = next.value;
        reachedAt = Date.now();
        watch(api);
      } else gone = next.error;
      switching = null;
      for (const wake of [...waiting.values()]) wake();
    });
    return switching;
  };

  watch(first);
  return {
    api: () => api,
    reachedMs: () => (switching ? Infinity : reachedAt),
    moved: () => api !== first || switching !== null,
    next: async (from, lost) => {
      await moveOn(from, lost);
      return gone ? null : api;
    },
    settle: async () => {
      const asked = api;
      await Promise.all(
        [...begun].map(async (jobId) => {
          const r = await asked.call('jobs:get', { id: jobId });
          if (!r.ok || !TERMINAL_STATUSES.has(r.value.job.status)) return;
          waiting.delete(jobId);
          for (const end of [...(unended.get(jobId) ?? [])]) end(r);
        }),
      );
    },
    waitForEnd: (jobId) =>
      new Promise((done) => {
        const ends = unended.get(jobId) ?? new Set();
        unended.set(jobId, ends);
        const resolve = (r: Result<JobDetail>): void => {
          ends.delete(resolve);
          if (ends.size === 0 && unended.get(jobId) === ends) {
            unended.delete(jobId);
            begun.delete(jobId);
          }
          done(r);
        };
        ends.add(resolve);
        const wake = async (): Promise<void> => {
          waiting.delete(jobId);
          if (gone) return resolve({ ok: false, error: gone });
          const asked = api;
          const r = await asked.call('jobs:get', { id: jobId });
          // The engine went away between the job's end and this call (an app quitting).
          if (!r.ok && r.error.code === 'IO' && asked.where === 'running-engine') {
            await moveOn(asked, r.error);
            return wake();
          }
          // Asked after a move: a job the next engine has not run yet is waited for there.
          if (r.ok && !TERMINAL_STATUSES.has(r.value.job.status)) {
            if (ended.delete(jobId)) return wake();
            waiting.set(jobId, () => void wake());
            return;
          }
          resolve(r);
        };
        if (ended.delete(jobId) || gone) void wake();
        else waiting.set(jobId, () => void wake());
      }),
  };
}

/**
 * A command's waiter (`ingest`, `jobs retry`) that goes on in the engine that comes next
 * when the one it works through goes away; `later` holds the sessions it opened, for the
 * command to close.
 */
export function followingWaiter(
  first: ApiClient,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  out: Output,
  onApi?: (api: ApiClient) => void,
): { waiter: JobWaiter; later: ApiSession[] } {
  const later: ApiSession[] = [];
  const waiter = jobWaiter(
    first,
    async (from, lost) => {
      const next = await nextApi(from, lost, overrides, needs, out);
      if (!next) return { ok: false, error: lost };
      if (!next.ok) return next;
      later.push(next.value);
      return ok(next.value.api);
    },
    onApi,
  );
  return { waiter, later };
}
