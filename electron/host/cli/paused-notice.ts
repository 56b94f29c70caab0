// Beside the app, an analyst may hold its queue paused (Pause queue in the Queue view,
// `queue:pause` over serve's API). The jobs an `ingest` (or `jobs retry`) submitted then
// wait until someone resumes it, and the command with them: it said nothing, and looked
// hung (a request's latency_ms grew to 11.7 s in the QA run, by whoever resumed). So the
// command says on stderr, once the queue is paused while it has jobs waiting, that they
// wait for Resume and what Ctrl-C does; and once the queue is resumed, that they run. It
// learns the queue's state from the engine's `queue:stats` events, which carry `paused`
// and which the running engine announces after every change of its queue (the queueing
// of this command's own jobs, a pause, a resume), and from one of its own jobs starting
// (which a paused queue never does; the statistics of the resume come up to 250 ms
// later, after a short job's end): no call of its own, nothing on stdout.
// A command's own engine is never paused (a pause is not kept, and nothing else reaches
// that engine): nothing to say there, and no listener asked of it (each of its statistics
// events costs a query).
import type { ApiClient } from './api-client.ts';
import type { Output } from './io.ts';

export interface PauseNotice {
  /** Follows the queue of `api` from now on (the engine that came next, after one went away). */
  watch(api: ApiClient): void;
  /** One of the command's jobs now waits: said at once if the queue is known to be paused. */
  check(): void;
}

/**
 * `waiting`: how many of the command's jobs have not ended; `mine`: whether a job is one
 * of them; `what`: what they are to the user.
 */
export function pauseNotice(
  out: Output,
  jobs: { waiting(): number; mine(jobId: string): boolean },
  what: 'requests' | 'jobs' = 'requests',
): PauseNotice {
  let current: ApiClient | null = null;
  let paused = false;
  let told = false;
  /**
   * Resumed, as seen from a job of ours starting: statistics made before the resume may
   * still come (their making waits on a query) and say paused; believed again once one
   * made after it has come.
   */
  let before = false;
  const check = () => {
    if (!current) return;
    const engine = `GEX Desk (PID ${current.enginePid})`;
    if (paused && !told && jobs.waiting() > 0) {
      told = true;
      out.error(
        `gex-desk: the queue of ${engine} is paused: this command's ${what} not yet running wait in it until someone resumes it (Resume queue in its Queue view). Ctrl-C ends this command and leaves them queued there; they run once the queue is resumed.`,
      );
    } else if (!paused && told) {
      told = false;
      out.error(`gex-desk: the queue of ${engine} was resumed: this command's ${what} run.`);
    }
  };
  return {
    watch(api) {
      told = false;
      if (api.where !== 'running-engine') {
        current = null;
        return;
      }
      current = api;
      paused = false;
      before = false;
      api.on('queue:stats', (stats) => {
        if (api !== current) return;
        if (before && stats.paused) return;
        before = false;
        paused = stats.paused;
        check();
      });
      api.on('job:updated', (job) => {
        if (api !== current || !paused || job.status !== 'running' || !jobs.mine(job.id)) return;
        paused = false;
        before = true;
        check();
      });
    },
    check,
  };
}
