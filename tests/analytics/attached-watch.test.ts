// The engine's look at attached export folders for the open views (attached-watch.ts), on
// a real export folder written by the pipeline and changed by its desk's own removal:
// nothing changed is said so without listing any directory again (a folder of hundreds
// of snapshots costs one stat per directory); a new underlying, a new snapshot and a
// removal are changes, the removed id named; a folder that vanishes is a change that
// names no snapshot gone (a share unmounted does not close what is open), and its return
// another.
import { renameSync, utimesSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AttachedWatch } from '../../electron/engine/attached-watch.ts';
import { removalIntentsOf } from '../../electron/engine/store/removal-intents.ts';
import { removeSnapshots } from '../../electron/engine/store/snapshot-remove.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

afterAll(cleanupDirs);

describe('the look at attached folders', () => {
  it('says what changed, and lists again only directories whose time moved', async () => {
    const theirs = await workstation();
    const spx = await ingestTiny(theirs, 'SPX', '2024-03-11');
    await ingestTiny(theirs, 'SPX', '2024-03-15');
    // Clock: 10 s after the files were written, so that their times are trusted.
    let now = Date.now() + 10_000;
    const watch = new AttachedWatch(() => now);
    const folders = [theirs.dataDir];

    const first = await watch.look(folders);
    expect(first).toMatchObject({ changed: false, gone: [] });
    // snapshots/, underlying=SPX, two date folders.
    expect(first.dirs).toBe(4);
    expect(await watch.look(folders)).toEqual({ changed: false, gone: [], dirs: 4, listed: 0 });

    const ndx = await ingestTiny(theirs, 'NDX', '2024-03-15');
    now = Date.now() + 10_000;
    const came = await watch.look(folders);
    expect(came).toMatchObject({ changed: true, gone: [] });
    // snapshots/ (a new underlying), and NDX's two folders: the SPX ones are not listed.
    expect(came.listed).toBe(3);

    await removeSnapshots(
      theirs.store,
      theirs.dataDir,
      removalIntentsOf(theirs),
      () => undefined,
      { id: spx.id },
      { justification: 'test', author: null, atMs: Date.now() },
    );
    now = Date.now() + 10_000;
    expect(await watch.look(folders)).toMatchObject({ changed: true, gone: [spx.id] });
    expect(await watch.look(folders)).toMatchObject({ changed: false, gone: [], listed: 0 });

    // A directory's time just written is listed again at the next look (a coarse clock).
    const ndxDate = ndx.output.snapshotParquet.replace(/\/[^/]+$/, '');
    const t = new Date();
    utimesSync(ndxDate, t, t);
    now = t.getTime() + 500;
    expect(await watch.look(folders)).toMatchObject({ changed: false, listed: 1 });

    // The folder vanishes (a share unmounted), then comes back.
    renameSync(theirs.dataDir, `${theirs.dataDir}-away`);
    expect(await watch.look(folders)).toMatchObject({ changed: true, gone: [], dirs: 0 });
    renameSync(`${theirs.dataDir}-away`, theirs.dataDir);
    expect(await watch.look(folders)).toMatchObject({ changed: true, gone: [] });
    expect(await watch.look(folders)).toMatchObject({ changed: false });

    // Another folder configured: a change.
    expect(await watch.look([])).toMatchObject({ changed: true, gone: [], dirs: 0 });
    await theirs.store.close();
  });

  it('runs one look at a time: callers meanwhile share it (a stalled share holds one I/O thread)', async () => {
    const theirs = await workstation();
    await ingestTiny(theirs, 'SPX', '2024-03-11');
    const watch = new AttachedWatch(() => Date.now() + 10_000);
    const folders = [theirs.dataDir];
    const [a, b] = await Promise.all([watch.look(folders), watch.look(folders)]);
    expect(b).toBe(a);
    expect(a.dirs).toBe(3);
    // The next, once it has ended, is a look of its own.
    const c = await watch.look(folders);
    expect(c).not.toBe(a);
    expect(c).toMatchObject({ changed: false, listed: 0 });
    await theirs.store.close();
  });
});
