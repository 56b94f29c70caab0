// The engine's pool of pipeline workers, made from the engine's configuration. A module of
// its own, light to load (no DuckDB, no rules), so that a one-shot command can start its
// first worker before the engine's own modules load (host/cli/api.ts): the worker's start
// and its read-ahead of the command's files then overlap them.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { READ_AHEAD_FILES } from '../../../shared/pipeline.ts';
import type { LaunchWorker } from './launcher.ts';
import { WorkerPool } from './pool.ts';

export interface PoolChoices {
  /** The pipeline worker's entry file (the desktop bundle passes its own). */
  workerEntry?: string;
  /** Extra environment for worker processes. */
  workerEnv?: NodeJS.ProcessEnv;
  /** How worker processes start (the desktop app: Electron's utilityProcess). */
  launchWorker?: LaunchWorker;
  /** Workers started ahead of time (default all; one-shot commands start them on demand). */
  prewarm?: number;
  /** Files the first worker reads while the engine starts (a one-shot command's; the first few). */
  readAhead?: string[];
}

export function createEnginePool(cfg: Config, o: PoolChoices, log: Logger): WorkerPool {
  return new WorkerPool({
    size: cfg.workers,
    entry: o.workerEntry,
    env: o.workerEnv,
    launch: o.launchWorker,
    prewarm: o.prewarm,
    readAhead: o.readAhead && {
      files: o.readAhead.slice(0, READ_AHEAD_FILES),
      conventions: cfg.conventions,
      limits: cfg.limits,
    },
    heapMb: cfg.workerHeapMb,
    log,
  });
}
