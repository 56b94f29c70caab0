// How many of a level's jobs ended late in the latency window (QA qv F9): in a burst a
// CRITICAL job waits in the facts read that decides its level (never flagged there) and
// is flagged only as it starts, so the open jobs' `late` stayed 0 on the card while 159 of
// 160 CRITICAL jobs ended past their 30 s target. `late_in_window` counts, per decided
// level, the jobs completed in the window whose arrival → data available passed the
// level's target — flagged or not (a job that ran past its target is never flagged) —
// live and from the table alike, against the targets of the rules active now.
// Real DuckDB, real child processes (the sleepy worker), an injected clock.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStats } from '../../shared/api.ts';
import type { LevelTargets } from '../../shared/rules.ts';
import { getJob } from '../../electron/engine/jobs/repository.ts';
import { Scheduler } from '../../electron/engine/jobs/scheduler.ts';
import { defaultRules } from '../../electron/engine/rules/index.ts';
import {
  addJob,
  closedAfterEach,
  openStore,
  sleepyPool,
  tempDir,
  testRunJob,
  until,
} from './helpers.ts';

const open = closedAfterEach();

const level = (s: QueueStats, name: string) => s.levels.find((l) => l.level === name)!;

describe('late in the latency window', () => {
  it('counts the jobs of a level that ended past its target, flagged or not, while none open is late', async () => {
    let now = Date.now();
    let targets: LevelTargets = defaultRules().targets;
    const store = await openStore(join(tempDir(), 'gex.duckdb'));
    const pool = sleepyPool({ size: 1, spare: 0 });
    await pool.ready();
    const scheduler = new Scheduler({
      store,
      pool,
      backoffMs: 20,
      clock: () => now,
      // No check of its own: lateness is what the starts say.
      tickMs: 60_000,
      targets: () => targets,
      runJob: testRunJob(store),
    });
    open.push({ scheduler, store });
    await scheduler.start();
    const target = targets.CRITICAL.target_ms;

    // Started in time, its run then took it past the target: never flagged, yet late.
    const slow = await addJob(store, 'CRITICAL', 'sleep:400', { submittedAtMs: now });
    await scheduler.enqueue(slow);
    await until(async () => (await getJob(store, slow))!.status === 'running');
    now += target + 1_000;
    await until(async () => (await getJob(store, slow))!.status === 'completed');
    // Arrived 40 s ago (its file's facts read took that long in a burst): flagged as it starts.
    const waited = await addJob(store, 'CRITICAL', 'sleep:0', { submittedAtMs: now - 40_000 });
    await scheduler.enqueue(waited);
    // In time, and a HIGH one in time.
    const onTime = await addJob(store, 'CRITICAL', 'sleep:0', { submittedAtMs: now });
    await scheduler.enqueue(onTime);
    await scheduler.enqueue(await addJob(store, 'HIGH', 'sleep:0', { submittedAtMs: now }));
    await scheduler.drain();
    const flags = await Promise.all(
      [slow, waited, onTime].map(async (id) => (await getJob(store, id))!.late),
    );
    expect(flags).toEqual([false, true, false]);

    const live = await scheduler.stats();
    const table = await Scheduler.statsFromStore(store, { workers: 1, targets });
    for (const s of [live, table]) {
      const c = level(s, 'CRITICAL');
      // Nothing open is late; the window says two of three missed the target.
      expect([c.late, c.completed_in_window, c.late_in_window]).toEqual([0, 3, 2]);
      expect([level(s, 'HIGH').completed_in_window, level(s, 'HIGH').late_in_window]).toEqual([
        1, 0,
      ]);
      expect(level(s, 'LOW').late_in_window).toBe(0);
    }

    // Another rule set, CRITICAL's target 60 s: counted against it at once, nothing having ended.
    targets = { ...targets, CRITICAL: { ...targets.CRITICAL, target_ms: 60_000 } };
    expect(level(await scheduler.stats(), 'CRITICAL').late_in_window).toBe(0);
    targets = { ...targets, CRITICAL: { ...targets.CRITICAL, target_ms: 35_000 } };
    expect(level(await scheduler.stats(), 'CRITICAL').late_in_window).toBe(1);
    const t35 = await Scheduler.statsFromStore(store, { targets });
    expect(level(t35, 'CRITICAL').late_in_window).toBe(1);
  });
});
