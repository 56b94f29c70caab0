// The probe of an attached folder on a file system that can stall (analytics/
// attached-probe.ts, folder-look.ts in the copier process): forced here on local folders.
// A real export folder answers; a missing one answers with its error (the queries name
// it); a probe past its deadline is abandoned and the folder said not to answer, and the
// board shows this desk's rows with the folder named as cannot_read. A "did not answer"
// holds a few seconds, an "it answered" is asked again (one copier process kept, no process
// per call); a local folder is never probed.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AttachedProbes } from '../../electron/engine/analytics/attached-probe.ts';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { Copier } from '../../electron/engine/intake/copier.ts';
import {
  forkWorker,
  type LaunchWorker,
  type WorkerProcess,
} from '../../electron/engine/workers/launcher.ts';
import { cleanupDirs, ingestTiny, tempDir, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const closing: { close(): void }[] = [];
afterEach(() => {
  for (const c of closing.splice(0)) c.close();
});

describe('the probe of an attached folder', () => {
  it('runs in the copier: an export folder answers, a missing one says its error', async () => {
    const desk = await workstation();
    await ingestTiny(desk, 'NDX');
    const copier = new Copier();
    closing.push(copier);
    expect(await copier.probe(desk.dataDir)).toBeNull();
    expect(await copier.probe(join(tempDir(), 'gone'))).toMatch(/ENOENT/);
    expect(copier.started).toBe(1);
  });

  it('asks again each time a folder answered (a query after a stall must not go unprobed), callers at once sharing one; never probes a local folder', async () => {
    const desk = await workstation();
    await ingestTiny(desk, 'NDX');
    let now = 1_000_000;
    const probes = new AttachedProbes({ mayStall: () => true, now: () => now });
    closing.push(probes);
    const [a, b] = await Promise.all([probes.silent(desk.dataDir), probes.silent(desk.dataDir)]);
    expect([a, b, probes.sent]).toEqual([null, null, 1]);
    // QA sv F6: "it answered" held 5 s let the board's next query touch a share that had
    // stopped answering since, on the engine's thread.
    now += 500;
    expect(await probes.silent(desk.dataDir)).toBeNull();
    expect(probes.sent).toBe(2);
    now += 4_000;
    expect(await probes.silent(desk.dataDir)).toBeNull();
    expect(probes.sent).toBe(3);
    expect(probes.started).toBe(1);

    const local = new AttachedProbes();
    closing.push(local);
    expect(await local.silent(desk.dataDir)).toBeNull();
    expect([local.sent, local.started]).toEqual([0, 0]);
  });

  it('past its deadline: abandoned, the folder named as not answering, the store answered', async () => {
    const mine = await workstation();
    const spx = await ingestTiny(mine, 'SPX');
    const theirs = await workstation();
    await ingestTiny(theirs, 'NDX');
    let now = 1_000_000;
    // A deadline no copier can meet (its process is not even started by then).
    const probes = new AttachedProbes({ mayStall: () => true, now: () => now, deadlineMs: 1 });
    closing.push(probes);
    const analytics = new Analytics({
      store: mine.store,
      attach: [theirs.dataDir],
      timeZone: 'America/New_York',
      probes,
    });
    const levels = await analytics.levels();
    expect(levels.ok).toBe(true);
    if (!levels.ok) return;
    expect(levels.value.rows.map((r) => [r.underlying, r.id])).toEqual([['SPX', spx.id]]);
    expect(levels.value.not_exports).toEqual([
      {
        path: theirs.dataDir,
        cannot_read: true,
        message:
          'could not be read: it did not answer within 0 s (a stalled network share?); what it holds is not in this answer (what was looked for may be there): try again once it answers, or change attach in config.json',
      },
    ]);
    // The failed answer holds: no other probe, no other process, within a few seconds.
    expect(await probes.silent(theirs.dataDir)).toMatch(/did not answer/);
    expect(probes.sent).toBe(1);
    // Once the abandoned copier has ended, the next look is a probe of its own.
    while (probes.leftBehind > 0) await new Promise((r) => setTimeout(r, 10));
    now += 6_000;
    await probes.silent(theirs.dataDir);
    expect(probes.sent).toBe(2);
    expect(probes.started).toBe(2);
  });

  it('starts no other probe while the abandoned one is still held (a share down for an hour: one process)', async () => {
    const theirs = await workstation();
    await ingestTiny(theirs, 'NDX');
    // Real copier processes whose kill does not end them, as one held by a read that never
    // returns (a thread in an uninterruptible wait); the test ends them itself.
    const held: WorkerProcess[] = [];
    const launch: LaunchWorker = (entry, opts) => {
      const child = forkWorker(entry, opts);
      held.push(child);
      return { ...child, pid: child.pid, kill: () => undefined, terminate: () => undefined };
    };
    let now = 1_000_000;
    const probes = new AttachedProbes({
      mayStall: () => true,
      now: () => now,
      deadlineMs: 1,
      copier: { launch },
    });
    closing.push(probes);
    try {
      expect(await probes.silent(theirs.dataDir)).toMatch(/did not answer/);
      for (let i = 0; i < 3; i++) {
        now += 6_000;
        expect(await probes.silent(theirs.dataDir)).toMatch(/did not answer/);
      }
      expect([probes.sent, probes.started, probes.leftBehind]).toEqual([1, 1, 1]);
      // The share answers: the held process ends, and the next look probes again.
      const ended = new Promise<void>((resolve) => held[0]!.onExit(() => resolve()));
      process.kill(held[0]!.pid!, 'SIGKILL');
      await ended;
      expect(probes.leftBehind).toBe(0);
      now += 6_000;
      await probes.silent(theirs.dataDir);
      expect(probes.sent).toBe(2);
    } finally {
      for (const h of held)
        try {
          if (h.pid) process.kill(h.pid, 'SIGKILL');
        } catch {
          // Ended already.
        }
    }
  });
});
