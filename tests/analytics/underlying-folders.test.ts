// The underlying's partition folder of the exports round-trips: DuckDB's Hive read of the
// documented globs gives back every underlying as stored (`BRK/WS`, `BRK\WS` and `BRK_WS`
// are three folders, not one; a class share's `BRK/B` is BRKB since, shared/underlyings.ts), on real DuckDB and files the real pipeline wrote; the
// folder names are valid on Windows too. Exports laid out the older way (`_` for each
// character outside [A-Za-z0-9._-]) keep working: the store's own snapshots, removing one,
// and attaching such a folder, also beside snapshots written the new way.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import {
  exportFilesOf,
  EXPIRIES_DATASET,
  partitionValue,
  SNAPSHOTS_DATASET,
} from '../../electron/engine/export-layout.ts';
import { removalIntentsOf } from '../../electron/engine/store/removal-intents.ts';
import { removeSnapshots } from '../../electron/engine/store/snapshot-remove.ts';
import { asOldLayout, cleanupDirs, ingestTiny, tempDir, workstation } from './helpers.ts';

afterAll(cleanupDirs);

const NY = 'America/New_York';
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Underlyings a file may name, with the characters the older names lost or Windows refuses. */
const UNDERLYINGS = [
  'BRK/WS',
  'BRK\\WS',
  'BRK_WS',
  'BRK.WS',
  'A,B',
  'A"B',
  '100%',
  'A%2FB',
  'A=B',
  'A B',
  'A:B',
  'A*B',
  'A?B',
  'A<B',
  'A>B',
  'A|B',
  "A'B",
  'A#B',
  'A.',
  '=1+1',
  'ÄB',
];
/** What Windows refuses in a file or folder name, and a name's last character it drops. */
const windowsRefuses = (name: string): boolean =>
  /[\\/:*?"<>|]|[. ]$/.test(name) || [...name].some((c) => c.charCodeAt(0) < 32);

async function duckdb() {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  return {
    rows: async (sql: string) =>
      (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
    run: (sql: string) => con.run(sql),
    close: () => {
      con.closeSync();
      db.closeSync();
    },
  };
}

describe("the underlying's partition folder", () => {
  it('encodes every character so that DuckDB reads the value back from the folder name alone', async () => {
    // Every printable ASCII character, alone and inside a ticker, and a few beyond ASCII.
    const values = [
      ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
      ...Array.from({ length: 95 }, (_, i) => `A${String.fromCharCode(32 + i)}B`),
      '..',
      'A..',
      'Ä',
      '€',
      '日本',
      '😀',
    ].filter((v) => v.trim() === v);
    const dir = tempDir();
    const d = await duckdb();
    for (const [i, v] of values.entries()) {
      const name = `underlying=${partitionValue(v)}`;
      expect(windowsRefuses(name), JSON.stringify(v)).toBe(false);
      mkdirSync(join(dir, name));
      // The file holds only the value's index: the underlying comes from the folder.
      await d.run(`COPY (SELECT ${i} AS i) TO ${q(join(dir, name, 'x.parquet'))} (FORMAT parquet)`);
    }
    expect(readdirSync(dir)).toHaveLength(values.length); // no two values share a folder
    const back = await d.rows(
      `SELECT i, underlying FROM read_parquet(${q(`${dir}/underlying=*/*.parquet`)}) ORDER BY i`,
    );
    d.close();
    expect(back.map((r) => r.underlying)).toEqual(values);
  });

  it("the exports' documented globs give each snapshot its own underlying", async () => {
    const ws = await workstation();
    const ids = new Map<string, string>();
    for (const u of UNDERLYINGS) ids.set((await ingestTiny(ws, u)).id, u.toUpperCase());
    const d = await duckdb();
    for (const root of [
      ws.dataDir,
      join(ws.dataDir, EXPIRIES_DATASET),
      join(ws.dataDir, SNAPSHOTS_DATASET),
    ]) {
      const glob = q(`${root}/underlying=*/date=*/*.parquet`);
      const rows = await d.rows(
        `SELECT DISTINCT snapshot_id, underlying, CAST(date AS VARCHAR) AS date FROM read_parquet(${glob})`,
      );
      expect(new Map(rows.map((r) => [String(r.snapshot_id), String(r.underlying)])), root).toEqual(
        ids,
      );
      expect(rows.every((r) => r.date === '2024-03-15')).toBe(true);
      const brk = await d.rows(
        `SELECT DISTINCT snapshot_id FROM read_parquet(${glob}) WHERE underlying = 'BRK/WS'`,
      );
      expect(brk.map((r) => ids.get(String(r.snapshot_id)))).toEqual(['BRK/WS']);
      const folders = readdirSync(root).filter((n) => n.startsWith('underlying='));
      expect(folders).toHaveLength(UNDERLYINGS.length);
      for (const f of folders) expect(windowsRefuses(f), f).toBe(false);
    }
    expect(readdirSync(ws.dataDir)).toContain('underlying=BRK%2FWS');
    d.close();
    await ws.store.close();
  });

  it('exports laid out the older way keep working: the store, removal, and attached', async () => {
    const theirs = await workstation();
    const slash = await ingestTiny(theirs, 'BRK/WS');
    const back = await ingestTiny(theirs, 'BRK\\WS');
    const under = await ingestTiny(theirs, 'BRK_WS');
    await asOldLayout(theirs);
    expect(readdirSync(join(theirs.dataDir, SNAPSHOTS_DATASET))).toEqual(['underlying=BRK_WS']);

    // The store's own snapshots, as it always read them.
    const own = new Analytics({ store: theirs.store, timeZone: NY });
    const ownHistory = await own.history({ underlying: 'BRK/WS' });
    expect(ownHistory.ok && ownHistory.value.rows.map((p) => p.id)).toEqual([slash.id]);

    // Another workstation attaches the folder: each underlying is its own.
    const mine = await workstation();
    const attached = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    for (const [u, id] of [
      ['BRK/WS', slash.id],
      ['brk\\ws', back.id],
      ['BRK_WS', under.id],
    ] as const) {
      const h = await attached.history({ underlying: u });
      expect(h.ok && h.value.rows.map((p) => [p.id, p.origin]), u).toEqual([[id, theirs.dataDir]]);
    }
    const detail = await attached.snapshot(back.id);
    expect(detail.ok && detail.value.snapshot.underlying).toBe('BRK\\WS');
    expect(detail.ok && detail.value.expiries.map((e) => e.expiry)).toEqual(['2024-03-22']);

    // A snapshot of BRK/WS written now goes to its own folder; history reads both.
    const later = await ingestTiny(theirs, 'BRK/WS', '2024-03-18');
    expect(later.output.snapshotParquet).toContain(`${SNAPSHOTS_DATASET}/underlying=BRK%2FWS/`);
    const both = await attached.history({ underlying: 'BRK/WS' });
    expect(both.ok && both.value.rows.map((p) => p.id)).toEqual([slash.id, later.id]);

    // Removing one in the older layout removes its three files, and only those.
    const files = Object.values(exportFilesOf(slash.output.strikesParquet));
    const stored = await theirs.store.one<{ parquet: string }>(
      'SELECT parquet FROM gex_snapshots WHERE id = $1',
      [slash.id],
    );
    expect(stored!.parquet).toContain('underlying=BRK_WS');
    const oldFiles = Object.values(exportFilesOf(stored!.parquet));
    expect(oldFiles.every((f) => existsSync(f))).toBe(true);
    expect(files.some((f) => existsSync(f))).toBe(false); // they were moved to the old names
    const removed = await removeSnapshots(
      theirs.store,
      theirs.dataDir,
      removalIntentsOf({ dataDir: theirs.dataDir, dbPath: theirs.store.path }),
      () => undefined,
      { id: slash.id },
      { justification: 'test', author: null, atMs: Date.now() },
    );
    expect(removed.files.sort()).toEqual(oldFiles.sort());
    expect(oldFiles.some((f) => existsSync(f))).toBe(false);
    const after = await attached.history({ underlying: 'BRK/WS' });
    expect(after.ok && after.value.rows.map((p) => p.id)).toEqual([later.id]);
    const still = await attached.history({ underlying: 'BRK_WS' });
    expect(still.ok && still.value.rows.map((p) => p.id)).toEqual([under.id]);
    await mine.store.close();
    await theirs.store.close();
  });

  for (const layout of ['older', 'new'] as const)
    it(`levels over an attached folder lists each underlying the folder holds (${layout} layout)`, async () => {
      // BRK/WS, BRK\WS and BRK_WS on the 15th, then BRK_WS alone on later days: in the older
      // layout one folder whose latest dates hold only BRK_WS.
      const theirs = await workstation();
      for (const u of ['BRK/WS', 'BRK\\WS', 'BRK_WS']) await ingestTiny(theirs, u, '2024-03-15');
      for (const day of ['2024-03-18', '2024-03-19', '2024-03-20'])
        await ingestTiny(theirs, 'BRK_WS', day);
      if (layout === 'older') await asOldLayout(theirs);
      const now = () => Date.parse('2024-03-21T00:00:00Z');
      const own = await new Analytics({ store: theirs.store, timeZone: NY, now }).levels();
      const mine = await workstation();
      const attached = await new Analytics({
        store: mine.store,
        attach: [theirs.dataDir],
        timeZone: NY,
        now,
      }).levels();
      if (!own.ok || !attached.ok) throw new Error('levels');
      expect(own.value.rows.map((r) => r.underlying)).toEqual(['BRK/WS', 'BRK\\WS', 'BRK_WS']);
      expect(attached.value).toEqual({
        rows: own.value.rows.map((r) => ({ ...r, origin: theirs.dataDir })),
        unreadable: [],
        not_exports: [],
        attached: [theirs.dataDir],
      });
      await mine.store.close();
      await theirs.store.close();
    });

  for (const layout of ['older', 'new'] as const)
    it(`an underlying an attached folder does not hold is NOT_FOUND, whatever folder its name shares (${layout} layout)`, async () => {
      const theirs = await workstation();
      await ingestTiny(theirs, 'BRK_WS', '2024-03-15');
      if (layout === 'older') await asOldLayout(theirs);
      const mine = await workstation();
      const attached = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
      for (const u of ['BRK/WS', 'BRK\\WS', 'NOPE']) {
        const h = await attached.history({ underlying: u });
        expect(h.ok ? h.value : h.error, u).toMatchObject({
          code: 'NOT_FOUND',
          message: `There is no snapshot of ${u} (in the store or the attached folders ${theirs.dataDir}).`,
        });
      }
      // Known, with nothing in the range: an empty answer, as for the store.
      const empty = await attached.history({ underlying: 'BRK_WS', from: '2025-01-01' });
      expect(empty).toEqual({
        ok: true,
        value: { rows: [], unreadable: [], not_exports: [], attached: [theirs.dataDir] },
      });
      await mine.store.close();
      await theirs.store.close();
    });
});
