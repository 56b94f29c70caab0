// A class share exported under a vendor's spelling before the spellings were joined
// (`underlying=BRK.B/…`, rows saying BRK.B; QA fmt2 F8) and attached by a workstation that
// reads BRKB: its snapshots are BRKB's, in BRKB's history (asked as BRK.B, BRK/B or BRKB)
// and on one row of the levels board, beside the BRKB snapshots of the folder.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { SNAPSHOTS_DATASET, underlyingFolder } from '../../electron/engine/export-layout.ts';
import { underlyingOfRoot } from '../../shared/underlyings.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

afterAll(cleanupDirs);

const NY = 'America/New_York';

describe('an attached folder exported under a class share spelling', () => {
  it("is BRKB's: one history and one row on the board", async () => {
    const theirs = await workstation();
    const old = [
      await ingestTiny(theirs, 'BRKB', '2024-03-15'),
      await ingestTiny(theirs, 'BRKB', '2024-03-18'),
    ];
    const spelt = ['BRK.B', 'BRK/B'];
    // As a version before 2026-12-07 exported them: folder and rows in the file's spelling.
    for (const [i, run] of old.entries()) {
      const file = run.output.snapshotParquet;
      const rows = pl.readParquet(file).withColumns(pl.lit(spelt[i]!).alias('underlying'));
      const date = dirname(file).split('/').at(-1)!;
      const folder = join(theirs.dataDir, SNAPSHOTS_DATASET, underlyingFolder(spelt[i]!), date);
      mkdirSync(folder, { recursive: true });
      rows.writeParquet(join(folder, file.split('/').at(-1)!));
      rmSync(file);
    }
    expect(readdirSync(join(theirs.dataDir, SNAPSHOTS_DATASET)).sort()).toEqual([
      'underlying=BRK%2FB',
      'underlying=BRK.B',
      'underlying=BRKB',
    ]);
    const later = await ingestTiny(theirs, 'BRKB', '2024-03-19');
    await theirs.store.close();

    const mine = await workstation();
    const now = () => Date.parse('2024-03-21T00:00:00Z');
    const attached = new Analytics({
      store: mine.store,
      attach: [theirs.dataDir],
      timeZone: NY,
      now,
    });
    for (const u of ['BRKB', 'BRK.B', 'BRK/B']) {
      // As the engine's snapshots:history and `gex-desk history` read the argument.
      const h = await attached.history({ underlying: underlyingOfRoot(u) });
      if (!h.ok) throw new Error(`${u}: ${h.error.message}`);
      expect(
        h.value.rows.map((r) => r.id),
        u,
      ).toEqual([old[0]!.id, old[1]!.id, later.id]);
      expect(h.value.unreadable, u).toEqual([]);
    }
    const levels = await attached.levels();
    if (!levels.ok) throw new Error(levels.error.message);
    expect(levels.value.rows.map((r) => [r.underlying, r.id])).toEqual([['BRKB', later.id]]);
    await mine.store.close();
  });
});
