// `queue:drain`: runs the queue until nothing is queued, deciding or running, and says
// how the jobs that ended ended (`gex-desk queue --drain` exits 1 when one failed). Which
// jobs: those that end while it waits, beside an engine that was running before (the
// app's, `serve`'s); for an engine started for the drain (the command's own), every job
// it ended from its start (EndedJobs made before its scheduler started): its scheduler
// runs the queue as soon as it starts, and a job it ended before the call would not be
// counted (a failed drain exited 0). A paused queue would never empty: it is refused
// rather than waited on.
import type { DrainResult } from '../../../shared/api.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Store } from '../store/db.ts';

/** The jobs that ended, completed (or a duplicate) or failed, from its making until `stop()`. */
export class EndedJobs {
  readonly completed = new Set<string>();
  readonly failed = new Set<string>();
  readonly stop: () => void;

  constructor(events: Pick<EngineEvents, 'on'>) {
    this.stop = events.on('job:updated', (job) => {
      if (job.status === 'completed' || job.status === 'duplicate') this.completed.add(job.id);
      else if (job.status === 'failed') this.failed.add(job.id);
    });
  }
}

/** `fromStart`: the jobs its engine ended from its start, counted instead of from this call. */
export async function drainQueue(
  scheduler: Scheduler,
  events: EngineEvents,
  store: Pick<Store, 'whenFatal'>,
  fromStart?: EndedJobs,
): Promise<Result<DrainResult>> {
  if (scheduler.paused)
    return err(
      'CONFLICT',
      // Said to a command-line user above all (the app has no drain): the command line has
      // no resume, so it names where a person resumes it; a script over serve's API knows
      // its own call (QA land F5: "queue:resume" read as a command to run).
      "The queue is paused: resume it first (Resume queue in the Queue view of GEX Desk or of gex-desk serve's page), then drain.",
    );
  const ended = fromStart ?? new EndedJobs(events);
  // A database that failed (a full disk) can end no job: the drain ends with why.
  let stopWatching = (): void => undefined;
  const fatal = new Promise<AppError>((resolve) => (stopWatching = store.whenFatal(resolve)));
  try {
    const failure = await Promise.race([scheduler.drain().then(() => null), fatal]);
    if (failure) return err(failure.code, failure.message, { file: failure.file });
  } finally {
    if (ended !== fromStart) ended.stop();
    stopWatching();
  }
  return ok({
    stats: await scheduler.stats(),
    completed: ended.completed.size,
    failed: ended.failed.size,
  });
}
