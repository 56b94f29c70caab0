// Migration 14 on a database written by version 13 (QA fmt2 F8): a class share stored
// under a vendor's spelling (`BRK.B`, `BRK-B`, `BRK/B`) is renamed to the OCC root CBOE's
// files write (`BRKB`) in the snapshots, the jobs and the requests, so that one stock has one
// history with the snapshots ingested since (which the readers now name BRKB); other names
// are untouched, and the audit trail keeps what it recorded.
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { listSnapshots } from '../../electron/engine/store/snapshots.ts';
import { underlyingOfRoot } from '../../shared/underlyings.ts';
import { cleanupDirs, ingestTiny, workstation } from '../analytics/helpers.ts';

afterAll(cleanupDirs);

/** Names as an older version stored them (its readers kept a file's spelling). */
const STORED = ['BRK.B', 'BRK-B', 'BRK/B', 'BRKB', 'BF.B', 'BRK_B', 'SPX', 'AB.CD', 'BRK.B1'];
const AFTER = ['BRKB', 'BRKB', 'BRKB', 'BRKB', 'BFB', 'BRK_B', 'SPX', 'AB.CD', 'BRK.B1'];

describe('migration 14 from a version-13 database', () => {
  it('renames class shares to their OCC root in snapshots, jobs and requests; the audit keeps its words', async () => {
    const old = await workstation(MIGRATIONS.filter((m) => m.version <= 13));
    expect(await old.store.schemaVersion()).toBe(13);
    const ids: string[] = [];
    for (const [i, name] of STORED.entries()) {
      const { id } = await ingestTiny(old, 'META', `2024-03-${String(11 + i).padStart(2, '0')}`);
      ids.push(id);
      // As an older version stored it: the file's spelling.
      await old.store.run(`UPDATE gex_snapshots SET underlying = $1 WHERE id = $2`, [name, id]);
      await old.store.run(
        `INSERT INTO requests (id, file, source, submitted_at, underlying) VALUES ($1, 'f.csv', 'desk', now(), $2)`,
        [`r${i}`, name],
      );
      await old.store.run(
        `INSERT INTO jobs (id, request_id, file, source, underlying, priority, effective_priority, rule, status, submitted_at, queued_at, snapshot_id)
         VALUES ($1, $2, 'f.csv', 'desk', $3, 'LOW', 'LOW', 'G2', 'completed', now(), now(), $4)`,
        [`j${i}`, `r${i}`, name, id],
      );
      await old.store.run(
        `INSERT INTO audit_log (recorded_at, kind, request_id, job_id, explanation, underlying) VALUES (now(), 'completed', $1, $2, 'done', $3)`,
        [`r${i}`, `j${i}`, name],
      );
    }
    await old.store.close();

    const opened = await Store.open(old.dbPath);
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    expect(await store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION);
    const names = async (table: string, key: string, order: string[]) => {
      const rows = await store.all<{ k: string; underlying: string }>(
        `SELECT ${key} AS k, underlying FROM ${table}`,
      );
      const by = new Map(rows.map((r) => [r.k, r.underlying]));
      return order.map((k) => by.get(k));
    };
    expect(await names('gex_snapshots', 'id', ids)).toEqual(AFTER);
    expect(
      await names(
        'jobs',
        'id',
        ids.map((_, i) => `j${i}`),
      ),
    ).toEqual(AFTER);
    expect(
      await names(
        'requests',
        'id',
        ids.map((_, i) => `r${i}`),
      ),
    ).toEqual(AFTER);
    expect(
      await names(
        'audit_log',
        'job_id',
        ids.map((_, i) => `j${i}`),
      ),
    ).toEqual(STORED);
    // What the readers now make of each stored name is the migrated one.
    expect(STORED.map(underlyingOfRoot)).toEqual(AFTER);

    // One history, however an analyst writes the stock, with a snapshot ingested since.
    const since = await ingestTiny({ ...old, store }, 'BRK-B', '2024-03-21');
    expect(since.output.snapshot.underlying).toBe('BRKB');
    const history = await listSnapshots(store, {
      underlying: underlyingOfRoot('BRK/B'),
      limit: 10,
    });
    expect(history.map((s) => s.id).sort()).toEqual(
      [ids[0], ids[1], ids[2], ids[3], since.id].sort(),
    );
    await store.close();
  });
});
