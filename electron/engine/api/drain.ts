// `queue:drain`: runs the queue until nothing is queued, deciding or running, and says
// how the jobs that ended meanwhile ended (`gex-desk queue --drain` exits 1 when one
// failed). A paused queue would never empty: it is refused rather than waited on.
import type { DrainResult } from '../../../shared/api.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Store } from '../store/db.ts';

export async function drainQueue(
  scheduler: Scheduler,
  events: EngineEvents,
  store: Pick<Store, 'whenFatal'>,
): Promise<Result<DrainResult>> {
  if (scheduler.paused)
    return err(
      'CONFLICT',
      'The queue is paused: resume it first (queue:resume, or Resume queue in the app), then drain.',
    );
  const completed = new Set<string>();
  const failed = new Set<string>();
  const off = events.on('job:updated', (job) => {
    if (job.status === 'completed' || job.status === 'duplicate') completed.add(job.id);
    else if (job.status === 'failed') failed.add(job.id);
  });
  // A database that failed (a full disk) can end no job: the drain ends with why.
  let stopWatching = (): void => undefined;
  const fatal = new Promise<AppError>((resolve) => (stopWatching = store.whenFatal(resolve)));
  try {
    const failure = await Promise.race([scheduler.drain().then(() => null), fatal]);
    if (failure) return err(failure.code, failure.message, { file: failure.file });
  } finally {
    off();
    stopWatching();
  }
  return ok({ stats: await scheduler.stats(), completed: completed.size, failed: failed.size });
}
