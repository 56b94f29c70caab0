// A job whose run has ended while its result waits for the store (its commit queued in the
// store's LOW lane behind other work): not running, and its Ran time is the run itself.
// The real engine on a temporary database (real DuckDB, real pipeline worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { sleep, until } from './helpers.ts';

let running: TestEngine | null = null;
const dirs: string[] = [];
/** The store's LOW lane is kept busy while this holds, with `pending` works waiting. */
let keepBusy = false;
let pending = 0;
afterEach(async () => {
  keepBusy = false;
  await until(() => pending === 0);
  await running?.stop();
  running = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ms = (iso: string | null | undefined) => Date.parse(iso ?? '');

it('counts a LOW job whose result waits in the store’s lane as storing, not running, and its Ran time ends with its run', async () => {
  running = await startTestEngine({ workers: 1 });
  const { engine } = running;
  const dir = mkdtempSync(join(tmpdir(), 'gex-storing-'));
  dirs.push(dir);
  // Two tiny stale files (LOW at once): the second shows whether the worker waits too.
  const files = [1, 2].map((seed) => {
    const file = join(dir, `spx-${seed}.csv`);
    writeCboeCsv(file, { seed, underlying: 'SPX', spot: 4700, expiries: 2, strikesPerExpiry: 5 });
    return file;
  });
  const announced: ProcessingJob[] = [];
  /** When each job's `running` row was announced. */
  const runningAnnouncedAt = new Map<string, number>();
  engine.events.on('job:updated', (j) => {
    announced.push(j);
    if (j.status === 'running' && !runningAnnouncedAt.has(j.id))
      runningAnnouncedAt.set(j.id, Date.now());
  });

  // The store's LOW lane kept busy (as by a burst's LOW work): works of 50 ms each, always
  // 30 waiting, until the worker has ended both runs and a second more.
  const low = engine.store.at('LOW');
  keepBusy = true;
  let lastLowWorkAt = 0;
  /** When each of the LOW lane's works finished. */
  const lowWorksDoneAt: number[] = [];
  const topUp = () => {
    while (keepBusy && pending < 30) {
      pending++;
      void low
        .transaction(async () => {
          await sleep(50);
          lastLowWorkAt = Date.now();
        })
        .then(() => lowWorksDoneAt.push(Date.now()))
        .finally(() => {
          pending--;
          topUp();
        });
    }
  };
  topUp();

  const ids: string[] = [];
  for (const file of files) {
    const ack = await engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!ack.ok) throw new Error(ack.error.message);
    ids.push(ack.value.job_id!);
  }
  const stats = async () => {
    const s = await engine.handlers['queue:stats']({});
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };
  // Both runs over (both jobs taken, no worker computing), neither result stored yet.
  await until(async () => {
    const s = await stats();
    const l = s.levels.find((l) => l.level === 'LOW')!;
    // (`storing` absent: an engine that counted such jobs as running.)
    const inService = l.running + ((l.storing as number | undefined) ?? 0);
    return s.busy_workers === 0 && l.waiting === 0 && inService === 2;
  }, 20);
  const idleAt = Date.now();
  const s = await stats();
  const lowLevel = s.levels.find((l) => l.level === 'LOW')!;
  expect({ running: lowLevel.running, storing: lowLevel.storing }).toEqual({
    running: 0,
    storing: 2,
  });
  expect({ running: s.totals.running, storing: s.totals.storing }).toEqual({
    running: 0,
    storing: 2,
  });
  // The job list says so too, while the LOW lane is still busy: a job's `running` row goes
  // in the store's first lane (Store.forMoves), not behind its level's 30 waiting works —
  // in that lane the list said queued for seconds while the scheduler ran the job.
  const listStatuses = async () => {
    const list = await engine.handlers['jobs:list']({ limit: 5 });
    if (!list.ok) throw new Error(list.error.message);
    return {
      list: list.value,
      statuses: ids.map((id) => list.value.find((j) => j.id === id)?.status),
    };
  };
  const listedBy = Date.now() + 5000; // the lane stays busy until this test lets it go
  let listed = await listStatuses();
  while (listed.statuses.some((s) => s !== 'running') && Date.now() < listedBy) {
    await sleep(20);
    listed = await listStatuses();
  }
  expect(listed.statuses).toEqual(['running', 'running']);
  for (const id of ids) {
    const started = ms(listed.list.find((j) => j.id === id)!.started_at);
    const said = runningAnnouncedAt.get(id)!;
    // (Behind the lane's 30 works, 30 of them would have finished in between.)
    expect(lowWorksDoneAt.filter((t) => t > started && t <= said).length).toBeLessThan(5);
  }
  await sleep(1000);
  keepBusy = false;
  await engine.drain();

  const list = await engine.handlers['jobs:list']({ limit: 5 });
  if (!list.ok) throw new Error(list.error.message);
  const [first, second] = ids.map((id) => list.value.find((j) => j.id === id)!);
  for (const job of [first!, second!]) {
    expect(job.status).toBe('completed');
    // Ran: from its start to its run's end, before the worker was seen idle…
    expect(ms(job.run_ended_at)).toBeGreaterThanOrEqual(ms(job.started_at));
    expect(ms(job.run_ended_at)).toBeLessThanOrEqual(idleAt);
    // …while its commit waited behind the LOW lane's work: completed (data available) later.
    expect(ms(job.finished_at) - ms(job.run_ended_at)).toBeGreaterThanOrEqual(1000);
  }
  expect(lastLowWorkAt).toBeGreaterThan(idleAt);
  // The worker did not wait for the first job's store: the second started before it.
  expect(ms(second!.started_at)).toBeLessThan(ms(first!.finished_at));
  // The Queue view was told, before the completion, that the run had ended (the row as
  // written, `running`, with when its run ended).
  const beforeEnd = announced.filter((j) => j.id === first!.id && j.status === 'running');
  expect(beforeEnd.at(-1)?.run_ended_at).toBe(first!.run_ended_at);
  console.log(
    `ran ${ms(first!.run_ended_at) - ms(first!.started_at)} ms and ${ms(second!.run_ended_at) - ms(second!.started_at)} ms; ` +
      `stored ${ms(first!.finished_at) - ms(first!.run_ended_at)} ms and ${ms(second!.finished_at) - ms(second!.run_ended_at)} ms after; ` +
      `second started ${ms(second!.started_at) - ms(first!.run_ended_at)} ms after the first's run ended, ${ms(first!.finished_at) - ms(second!.started_at)} ms before its completion`,
  );
}, 60_000);
