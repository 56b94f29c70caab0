// `gex-desk queue --drain`: runs the queued jobs until none is left. Beside the app, the
// drain is the app's engine's; when that engine goes away mid-drain (the app quit or
// crashed), the jobs it had not ended are stored and still queued, so the command goes on
// in the engine that comes next (nextApi: the app started again, or one of this process),
// as `gex-desk ingest` does, instead of ending with exit 3 while work is left. The jobs
// that failed count, in whichever engine they failed: beside a running engine, those that
// end while the command waits; in an engine of this process, every job it ended from its
// start (its scheduler runs the queue before the drain's call reaches it).
import type { DrainResult } from '../../../shared/api.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import { nextApi, type ApiClient, type ApiSession, type LocalNeeds } from './api.ts';
import { counted, type Output } from './io.ts';
import { onStopSignal } from './stop-signals.ts';

/**
 * What the drain needs of an engine of this process: one that runs jobs (`workers` of
 * them, none started ahead) and counts, for the drain, every job it ends from its start.
 */
export function drainNeeds(workers: number | undefined) {
  return {
    kind: 'engine',
    options: { runJobs: true, workers, prewarm: 0, drainCountsFromStart: true },
    dataFolder: true,
  } as const satisfies LocalNeeds;
}

export async function drainQueue(
  session: ApiSession,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  out: Output,
): Promise<Result<DrainResult>> {
  const later: ApiSession[] = [];
  /** Jobs that failed in an engine that then went away, whose own answer never came. */
  const failedEarlier = new Set<string>();
  let current = session.api;
  // Ctrl-C (or SIGTERM, SIGHUP): this command's own engine shuts down as the app does — the
  // running jobs finish, the rest stay queued — instead of the process dying mid-write.
  let stopping = false;
  const stop = () => {
    stopping = true;
    void Promise.all([session, ...later].map((s) => s.close()))
      .catch(() => undefined) // interrupted all the same
      .then(() => {
        out.error(
          current.where === 'running-engine'
            ? 'gex-desk: interrupted. The running engine goes on with the queue (its Queue view, gex-desk queue).'
            : 'gex-desk: interrupted. The jobs not run stay queued, nothing is lost: they run the next time GEX Desk (the app or gex-desk serve) runs on this database, or with gex-desk queue --drain.',
        );
        process.exit(130);
      });
  };
  const offStop = onStopSignal(stop);
  try {
    for (;;) {
      const failedHere = new Set<string>();
      if (current.where === 'running-engine')
        current.on('job:updated', (job) => {
          if (job.status === 'failed') failedHere.add(job.id);
        });
      await announce(current, out);
      const r = await current.call('queue:drain', {});
      if (stopping) return new Promise(() => undefined); // the process is ending: its answer is moot
      if (r.ok) return ok({ ...r.value, failed: r.value.failed + failedEarlier.size });
      const next =
        r.error.code === 'IO' ? await nextApi(current, r.error, overrides, needs, out) : null;
      if (!next) return r;
      if (!next.ok) return next;
      for (const id of failedHere) failedEarlier.add(id);
      later.push(next.value);
      current = next.value.api;
    }
  } finally {
    offStop();
    await Promise.all(later.map((s) => s.close()));
  }
}

/** What the drain is about to wait for, on stderr (a drain of a long queue says nothing else until it ends). */
async function announce(api: ApiClient, out: Output): Promise<void> {
  const stats = await api.call('queue:stats', {});
  if (!stats.ok || stats.value.paused) return; // the drain itself says why it cannot
  const { queued, deciding, running } = stats.value.totals;
  if (queued + deciding + running === 0) return;
  const where = api.where === 'running-engine' ? ` in GEX Desk (PID ${api.enginePid})` : '';
  out.error(
    `gex-desk: draining ${counted(queued + deciding + running, 'job')} (${queued + deciding} waiting, ${running} running)${where}; it ends once none is left`,
  );
}
