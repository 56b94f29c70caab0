// A configured attached folder that cannot be read (a network share not mounted, a folder
// renamed) failed every analytics read: the board, History, Compare, a diff of two of this
// desk's own snapshots, an id given by its start — FILE_NOT_FOUND and nothing else. Such a
// folder is now named beside what the store and the other folders give (`not_exports`,
// `cannot_read`; `unread_folders` beside one snapshot or a diff), and an id that could only
// be there is "not found", said to perhaps be in that folder. Real stores, real exports.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { cleanError } from '../../renderer/src/text/clean-error.ts';
import { cleanupDirs, ingestTiny, tempDir, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

describe('an attached folder that cannot be read', () => {
  it('hides only what it holds, and every answer names it by its whole path', async () => {
    const mine = await workstation();
    const a = await ingestTiny(mine, 'SPX', '2024-03-14');
    const b = await ingestTiny(mine, 'SPX', '2024-03-15');
    const deskB = await workstation();
    const rut = await ingestTiny(deskB, 'RUT', '2024-03-15');
    const deskC = await workstation();
    const ndx = await ingestTiny(deskC, 'NDX', '2024-03-15');
    const share = deskC.dataDir;
    const analytics = new Analytics({
      store: mine.store,
      attach: [share, deskB.dataDir],
      timeZone: NY,
    });

    // Before: all three read.
    const before = await analytics.levels();
    expect(before.ok && before.value.rows.map((r) => r.underlying)).toEqual(['NDX', 'RUT', 'SPX']);

    renameSync(share, `${share}.away`);
    const named = {
      path: share,
      message: expect.stringMatching(
        /^could not be read: it does not exist \(a network share not mounted, or the folder renamed or removed\); what it holds is not in this answer \(what was looked for may be there\)/,
      ),
    };

    const levels = await analytics.levels();
    expect(levels.ok ? levels.value : levels.error).toEqual({
      rows: [
        expect.objectContaining({ underlying: 'RUT', id: rut.id, origin: deskB.dataDir }),
        expect.objectContaining({ underlying: 'SPX', id: b.id, origin: 'local' }),
      ],
      unreadable: [],
      not_exports: [{ ...named, cannot_read: true }],
      // Every folder attached, the one not read too: what the app tells labels apart among.
      attached: [share, deskB.dataDir],
    });

    const history = await analytics.history({ underlying: 'SPX' });
    expect(history.ok ? history.value : history.error).toEqual({
      rows: [expect.objectContaining({ id: a.id }), expect.objectContaining({ id: b.id })],
      unreadable: [],
      not_exports: [{ ...named, cannot_read: true }],
      attached: [share, deskB.dataDir],
    });

    // A diff of this desk's own snapshots, by full id and by their starts.
    for (const [from, to] of [
      [a.id, b.id],
      [a.id.slice(0, 8), b.id.slice(0, 8)],
    ]) {
      const diff = await analytics.diff(from!, to!);
      expect(
        diff.ok ? [diff.value.from, diff.value.to, diff.value.unread_folders] : diff.error,
      ).toEqual([a.id, b.id, [named]]);
    }
    // One snapshot by its start, and by its full id: the same answer, the folder named.
    for (const id of [b.id.slice(0, 8), b.id]) {
      const one = await analytics.snapshot(id);
      expect(
        one.ok ? [one.value.snapshot.id, one.value.origin, one.value.unread_folders] : one.error,
      ).toEqual([b.id, 'local', [named]]);
    }
    // The other attached folder is read as before.
    const theirs = await analytics.snapshot(rut.id.slice(0, 8));
    expect(theirs.ok && theirs.value.origin).toBe(deskB.dataDir);

    // What only the unread folder holds: not found here, and it may be there.
    for (const id of [ndx.id, ndx.id.slice(0, 8)]) {
      const gone = await analytics.snapshot(id);
      expect(gone.ok ? gone.value : gone.error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining(
          `. The attached folder ${share} could not be read: it does not exist (a network share not mounted, or the folder renamed or removed); what it holds is not in this answer (what was looked for may be there)`,
        ),
      });
    }
    // The app shows that folder whole too (its base name, data, would name no desk).
    const gone = await analytics.snapshot(ndx.id.slice(0, 8));
    expect(gone.ok ? null : cleanError(gone.error).message).toContain(
      `The attached folder ${share} could not be read`,
    );
    const ndxHistory = await analytics.history({ underlying: 'NDX' });
    expect(ndxHistory.ok ? ndxHistory.value : ndxHistory.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`${share} could not be read`),
    });

    // Back in place (the share mounted again): read again, nothing named.
    renameSync(`${share}.away`, share);
    const again = await analytics.levels();
    expect(again.ok && [again.value.rows.map((r) => r.id), again.value.not_exports]).toEqual([
      [ndx.id, rut.id, b.id],
      [],
    ]);
    const whole = await analytics.snapshot(b.id);
    expect(whole.ok && 'unread_folders' in whole.value).toBe(false);
    for (const ws of [mine, deskB, deskC]) await ws.store.close();
  });

  it('a file where the folder was is said to be a file', async () => {
    const mine = await workstation();
    const spx = await ingestTiny(mine, 'SPX');
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'not a folder\n');
    const levels = await new Analytics({
      store: mine.store,
      attach: [file],
      timeZone: NY,
    }).levels();
    expect(levels.ok ? levels.value : levels.error).toEqual({
      rows: [expect.objectContaining({ id: spx.id })],
      unreadable: [],
      not_exports: [
        {
          path: file,
          message: expect.stringMatching(/^could not be read: it is a file, not a folder; /),
          cannot_read: true,
        },
      ],
      attached: [file],
    });
    await mine.store.close();
  });
});
