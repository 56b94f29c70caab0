// Attaching the wrong folder — the per-user folder (the data folder's parent), the data
// folder's snapshots/ dataset, an underlying's folder — read nothing and answered an empty
// board (exit 0) with no word. The answers of levels and history now name such a folder
// (`not_exports`) with the folder likely meant, and "no snapshot" says it too; a real
// data folder, even one with nothing exported yet, reads as before.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { cleanupDirs, ingestTiny, tempDir, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

describe('an attached folder that holds no export', () => {
  it('is named, with the folder likely meant, beside what the others gave', async () => {
    const theirs = await workstation();
    const spx = await ingestTiny(theirs, 'SPX', '2024-03-15');
    const mine = await workstation();
    const levels = async (dir: string) => {
      const r = await new Analytics({ store: mine.store, attach: [dir], timeZone: NY }).levels();
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };

    const right = await levels(theirs.dataDir);
    expect(right.rows.map((r) => r.id)).toEqual([spx.id]);
    expect(right.not_exports).toEqual([]);

    const home = await levels(theirs.dir);
    expect(home.rows).toEqual([]);
    expect(home.not_exports).toEqual([
      {
        path: theirs.dir,
        message: expect.stringContaining(
          `holds none of an export folder's three datasets (snapshots/, expiries/, the strikes' underlying=…/ folders), so no snapshot is read from it; attach ${theirs.dataDir} instead, which holds them`,
        ),
      },
    ]);
    const dataset = join(theirs.dataDir, 'snapshots');
    expect((await levels(dataset)).not_exports[0]?.message).toBe(
      `is the snapshots dataset of an export folder, not the folder: attach ${theirs.dataDir} instead`,
    );
    const underlying = join(theirs.dataDir, 'underlying=SPX');
    expect((await levels(underlying)).not_exports[0]?.message).toContain(
      `; attach ${theirs.dataDir} instead, the export folder it lies in`,
    );
    // A data folder with nothing exported yet is said too, without a folder to suggest.
    const fresh = join(tempDir(), 'data');
    mkdirSync(join(fresh, 'logs'), { recursive: true });
    expect((await levels(fresh)).not_exports[0]?.message).toContain(
      '(a data folder with nothing exported yet holds none either)',
    );

    // History's "no snapshot" says why.
    const history = await new Analytics({
      store: mine.store,
      attach: [theirs.dir],
      timeZone: NY,
    }).history({ underlying: 'SPX' });
    expect(history.ok ? 'answered' : history.error.message).toContain(
      `There is no snapshot of SPX (in the store or the attached folders ${theirs.dir}). The attached folder ${theirs.dir} holds none of`,
    );
  });
});
