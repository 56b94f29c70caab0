// A throw-away engine process for the recovery tests: opens the DuckDB file, queues a
// long HIGH job and a short LOW job on a scheduler with one worker, prints
// {"running": id, "queued": id} once the first is running, then waits to be
// SIGKILLed by the test — a real crash, with the rows as the dead process left them.
// argv[2] is JSON: {dbPath, entry, long, short, dataDir?}; with dataDir the jobs run
// the real pipeline (long/short are files), else the sleepy double (long/short are actions).
import { Scheduler } from '../../electron/engine/jobs/scheduler.ts';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { getJob } from '../../electron/engine/jobs/repository.ts';
import { addJob, openStore, pipelineRunJob, testRunJob, until } from './helpers.ts';

const cfg = JSON.parse(process.argv[2]!) as {
  dbPath: string;
  entry: string;
  long: string;
  short: string;
  dataDir?: string;
};
const store = await openStore(cfg.dbPath);
const pool = new WorkerPool({ entry: cfg.entry, size: 1, spare: 0 });
await pool.ready();
const runJob = cfg.dataDir ? pipelineRunJob(store, cfg.dataDir) : testRunJob(store);
const scheduler = new Scheduler({ store, pool, runJob });
await scheduler.start();
const running = await addJob(store, 'HIGH', cfg.long);
const queued = await addJob(store, 'LOW', cfg.short);
await scheduler.enqueue(running);
await scheduler.enqueue(queued);
await until(async () => (await getJob(store, running))?.status === 'running', 2);
process.stdout.write(JSON.stringify({ running, queued }) + '\n');
setInterval(() => {}, 1000);
