// A parent for one real pipeline worker (the engine's own WorkerPool and worker), killed
// by tests/system/orphan-worker.test.ts in the middle of a run: it prints the worker's pid
// and each stage the run reports, one line each, on stdout.
//   node pool-parent.ts <chain file> <data folder>
import { WorkerPool } from '../../../electron/engine/workers/pool.ts';
import { GexConventions } from '../../../shared/domain.ts';

const [file, dataDir] = process.argv.slice(2);
const pool = new WorkerPool({ size: 1, spare: 0, prewarm: 1 });
await pool.ready();
process.stdout.write(`workers ${pool.pids.join(' ')}\n`);
const result = await pool.run(
  {
    type: 'run',
    taskId: 'orphan',
    input: { file, dataDir, snapshotId: 'orphan', conventions: GexConventions.parse({}) },
  },
  { onProgress: (_fraction, stage) => void process.stdout.write(`progress ${stage}\n`) },
);
process.stdout.write(`result ${result.ok ? 'ok' : result.error.code}\n`);
await pool.close();
