// A cold read of an attached folder must leave the engine's store alone: the levels board
// opened during a burst read 980 row files of 8 attached folders with one Polars lazy scan
// each (12–29 ms of CPU per file, on Polars' threads, in the engine's process), and for the
// 27 s it took the store committed the burst's finished jobs a few a second (CRITICAL 3.3 s
// from submission instead of 0.3 s). What that read costs is the CPU it takes from the
// store, so that is what is checked: the process's CPU time over a cold levels read, per
// file, against a bound well above what reading a one-row file from its bytes costs (under
// 1 ms) and well below what a scan per file cost (29 ms here). CPU time, unlike wall time,
// hardly moves with the machine's load.
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';
const FILES = 48;
/** CPU ms per row file a cold read may cost; a lazy scan per file cost 12–29. */
const CPU_MS_PER_FILE = 4;

const letters = (i: number) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));

describe('a cold levels read of an attached folder', () => {
  it('costs the process little CPU per file, so that it does not hold the store', async () => {
    const theirs = await workstation();
    for (let i = 0; i < FILES; i++) await ingestTiny(theirs, `Q${letters(i)}`);
    const warm = await workstation();
    await ingestTiny(warm, 'WARM');
    const mine = await workstation();
    // Polars, DuckDB and the readers loaded and run once, on another folder.
    const first = await new Analytics({
      store: mine.store,
      attach: [warm.dataDir],
      timeZone: NY,
    }).levels();
    expect(first.ok && first.value.rows.length).toBe(1);

    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const before = process.cpuUsage();
    const cold = await analytics.levels();
    const used = process.cpuUsage(before);
    expect(cold.ok && cold.value.rows.length).toBe(FILES);
    expect(cold.ok && cold.value.unreadable).toEqual([]);
    const perFile = (used.user + used.system) / 1000 / FILES;
    expect(perFile, `CPU ms per file of a cold read`).toBeLessThan(CPU_MS_PER_FILE);
    await Promise.all([theirs, warm, mine].map((w) => w.store.close()));
  });
});
