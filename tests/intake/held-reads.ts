// A real worker pool whose facts reads, once read, are held until the test lets them go:
// the engine then has reads under way for as long as a test looks at them (the engine's
// statistics, the status bar), observed rather than raced. Runs are not held.
import {
  WorkerPool,
  type RunOptions,
  type TaskMessage,
} from '../../electron/engine/workers/pool.ts';

export interface HeldReads {
  pool: WorkerPool;
  /** The reads read and held now. */
  held(): number;
  /** Lets every held read end, and holds none from now on. */
  release(): void;
}

export function heldReads(size = 1): HeldReads {
  const pool = new WorkerPool({ size });
  const waiting: (() => void)[] = [];
  let holding = true;
  const run = pool.run.bind(pool);
  pool.run = async (message: TaskMessage, opts: RunOptions = {}) => {
    const result = await run(message, opts);
    if (holding && (message as { type?: string }).type === 'facts')
      await new Promise<void>((resolve) => waiting.push(resolve));
    return result;
  };
  return {
    pool,
    held: () => waiting.length,
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
  };
}
