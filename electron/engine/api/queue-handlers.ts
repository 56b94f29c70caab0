// The calls that change the queue through the scheduler: cancel, retry, pause, resume,
// drain, and what a retry would keep of an ended job's bytes. Kept apart from the
// composition root (engine.ts) so that what each call does is read in one place; an
// engine started without a scheduler answers them with INTERNAL, saying so.
import type { CallHandlers } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { err, ok } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import { jobNamed } from '../jobs/repository.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/db.ts';
import { drainQueue, type EndedJobs } from './drain.ts';

export type QueueCalls = Pick<
  CallHandlers,
  'jobs:cancel' | 'jobs:retry' | 'jobs:bytesKept' | 'queue:pause' | 'queue:resume' | 'queue:drain'
>;

export interface QueueDeps {
  scheduler: Scheduler | null;
  store: Store;
  events: EngineEvents;
  log: Logger;
  /** Whether the captured bytes of the ended `job` are still kept, for a retry to read. */
  bytesKept(job: ProcessingJob): boolean;
  /**
   * The jobs this engine ended from its start, when it counts them for `queue:drain`
   * (EngineOptions.drainCountsFromStart); otherwise a drain counts those ending while it waits.
   */
  endedFromStart?: EndedJobs;
}

export function queueHandlers(d: QueueDeps): QueueCalls {
  const { scheduler } = d;
  const noScheduler = () => err('INTERNAL', 'This engine was started without a scheduler.');
  return {
    'jobs:cancel': async ({ id, author }) =>
      scheduler ? scheduler.cancel(id, author ?? null) : noScheduler(),
    'jobs:retry': async ({ id, author }) =>
      scheduler ? scheduler.retry(id, author ?? null) : noScheduler(),
    'jobs:bytesKept': async ({ id }) => {
      const found = await jobNamed(d.store, id);
      return found.ok ? ok({ kept: d.bytesKept(found.value) }) : found;
    },
    'queue:pause': async () => {
      if (!scheduler) return noScheduler();
      scheduler.pause();
      d.log.info('queue.paused');
      return ok(await scheduler.stats());
    },
    'queue:resume': async () => {
      if (!scheduler) return noScheduler();
      scheduler.resume();
      d.log.info('queue.resumed');
      return ok(await scheduler.stats());
    },
    'queue:drain': async () =>
      scheduler ? drainQueue(scheduler, d.events, d.store, d.endedFromStart) : noScheduler(),
  };
}
