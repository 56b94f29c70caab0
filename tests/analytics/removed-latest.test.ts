// An underlying whose latest snapshots its desk removed still stands on an attaching desk's
// levels board, at the snapshot that is now its latest. Levels read an attached folder's
// latest dates only; a removal left the emptied date folder, and the latest "date" held
// nothing — the underlying vanished from the board (and the History and Compare lists built
// from it), with no message. A date folder whose only file is still being written (its
// temporary file) is no latest date either.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { removalIntentsOf } from '../../electron/engine/store/removal-intents.ts';
import { removeSnapshots } from '../../electron/engine/store/snapshot-remove.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

describe('levels over an attached folder whose desk removed snapshots', () => {
  it("shows the underlying at its latest remaining snapshot, and the desk's folders stay tidy", async () => {
    const theirs = await workstation();
    const older = await ingestTiny(theirs, 'SPX', '2024-03-11');
    const latest = await ingestTiny(theirs, 'SPX', '2024-03-15');
    const other = await ingestTiny(theirs, 'NDX', '2024-03-15');
    const mine = await workstation();
    const analytics = () =>
      new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const board = async () => {
      const r = await analytics().levels();
      if (!r.ok) throw new Error(r.error.message);
      return r.value.rows.map((l) => [l.underlying, l.id]);
    };
    expect(await board()).toEqual([
      ['NDX', other.id],
      ['SPX', latest.id],
    ]);

    const removed = await removeSnapshots(
      theirs.store,
      theirs.dataDir,
      removalIntentsOf(theirs),
      () => undefined,
      { id: latest.id },
      { justification: 'wrong file', author: null, atMs: Date.now() },
    );
    expect(removed.files).toHaveLength(3);
    expect(await board()).toEqual([
      ['NDX', other.id],
      ['SPX', older.id],
    ]);
    // The removal took its emptied date folders with it; the other underlying's stay.
    const gone = exportFilesOf(latest.output.strikesParquet);
    expect(Object.values(gone).filter((f) => existsSync(dirname(f)))).toEqual([]);
    expect(existsSync(dirname(other.output.snapshotParquet))).toBe(true);

    // A later date whose first file is still being written, and one emptied by hand.
    const writing = join(
      dirname(dirname(exportFilesOf(older.output.strikesParquet).snapshot)),
      'date=2024-03-18',
    );
    mkdirSync(writing);
    writeFileSync(join(writing, `.${latest.id}.parquet.1.2.x.tmp`), 'PAR1');
    mkdirSync(join(dirname(writing), 'date=2024-03-19'));
    expect(await board()).toEqual([
      ['NDX', other.id],
      ['SPX', older.id],
    ]);
    await mine.store.close();
    await theirs.store.close();
  });
});
