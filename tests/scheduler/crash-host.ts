// A throw-away engine process for the recovery test: opens the DuckDB file given as
// argv[2], queues one long HIGH job and one LOW job on a scheduler with one worker,
// prints {"running": id, "queued": id} once the first is running, then waits to be
// SIGKILLed by the test — a real crash, with the rows as the dead process left them.
// argv[3] is the worker entry (the sleepy double, or the real pipeline worker) and
// argv[4] the action/file of the long job.
import { Scheduler } from '../../electron/engine/scheduler/scheduler.ts';
import { WorkerPool } from '../../electron/engine/scheduler/pool.ts';
import { addJob, openStore, testRunJob, until } from './helpers.ts';
import { getJob } from '../../electron/engine/scheduler/jobs-repo.ts';

const [dbPath, entry, longAction, shortAction = 'sleep:0'] = process.argv.slice(2) as [string, string, string, string?];
const store = await openStore(dbPath);
const pool = new WorkerPool({ entry, size: 1, spare: 0 });
await pool.ready();
const scheduler = new Scheduler({ store, pool, runJob: testRunJob(store) });
await scheduler.start();
const running = await addJob(store, 'HIGH', longAction);
const queued = await addJob(store, 'LOW', shortAction);
await scheduler.enqueue(running);
await scheduler.enqueue(queued);
await until(async () => (await getJob(store, running))?.status === 'running');
process.stdout.write(JSON.stringify({ running, queued }) + '\n');
setInterval(() => {}, 1000);
