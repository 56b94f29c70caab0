// Removing snapshots: one ingested by mistake (the wrong file, a vendor's broken chain),
// which would otherwise stay its underlying's latest levels for good, or every snapshot
// older than a date (keeping the database and the export folder to what the desk still
// uses). Their rows and their figures in every table go in one transaction with an audit
// entry each (kind `removed`: who, why, and what the snapshot was) in the trail of the
// request that made it, then their export files. The requests and jobs keep their trails
// (the audit log is only ever appended to), and a removed snapshot's file may be ingested
// again: it is no longer a duplicate of anything. The files are noted before the commit
// (removal-intents.ts), so that a process killed before removing them leaves none for good.
import type { AuditEntry } from '../../../shared/api.ts';
import type { GEXSnapshot } from '../../../shared/domain.ts';
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { LeftExports } from '../../../shared/left-exports.ts';
import { exportFilesIn, exportFilesOf, exportRootOf } from '../export-layout.ts';
import { auditedTransaction } from './audit.ts';
import type { Params, Store } from './db.ts';
import { removeFiles, type RemovalIntents } from './removal-intents.ts';
import { snapshotsWhere } from './snapshots.ts';

/** The tables that hold a snapshot's figures, by its id. */
const DETAIL_TABLES = ['gex_strikes', 'gex_expiries', 'gex_buckets', 'gamma_profiles'] as const;

/** Which snapshots: one by its full id, or every one whose as_of is before a time (of one underlying). */
export type Selection = { id: string } | { beforeMs: number; underlying: string | null };

export interface Why {
  justification: string;
  author: string | null;
  atMs: number;
}

export interface Removed {
  /** Oldest first. */
  snapshots: GEXSnapshot[];
  /** The export files deleted. */
  files: string[];
  /**
   * Their export files still on disk, by folder: where the stored paths name another
   * folder than the data folder in use (never deleted: a copied database must not delete
   * another desk's files), or those deleting failed for.
   */
  left: LeftExports[];
}

function where(sel: Selection): { sql: string; params: Params } {
  if ('id' in sel) return { sql: 'id = $1', params: [sel.id] };
  return sel.underlying === null
    ? { sql: 'as_of < make_timestamptz($1::BIGINT * 1000)', params: [sel.beforeMs] }
    : {
        sql: 'as_of < make_timestamptz($1::BIGINT * 1000) AND upper(underlying) = upper($2)',
        params: [sel.beforeMs, sel.underlying],
      };
}

/** The snapshots a selection names, oldest first, without removing anything (a dry run). */
export async function selectedSnapshots(store: Store, sel: Selection): Promise<GEXSnapshot[]> {
  const w = where(sel);
  return store.transaction((tx) => snapshotsWhere(tx, w.sql, w.params));
}

export async function removeSnapshots(
  store: Store,
  dataDir: string,
  intents: RemovalIntents,
  announce: (entry: AuditEntry) => void,
  sel: Selection,
  why: Why,
): Promise<Removed> {
  await intents.settle(store);
  const filesOf = (s: GEXSnapshot) => Object.values(exportFilesIn(dataDir, s.parquet));
  const w = where(sel);
  let note: string | null = null;
  const snapshots = await auditedTransaction(store, announce, async (tx, audit) => {
    const found = await snapshotsWhere(tx, w.sql, w.params);
    if (found.length === 0) return found;
    note = intents.note(found.map((s) => ({ snapshot_id: s.id, files: filesOf(s) })));
    const ids = `SELECT id FROM gex_snapshots WHERE ${w.sql}`;
    for (const table of DETAIL_TABLES)
      await tx.run(`DELETE FROM ${table} WHERE snapshot_id IN (${ids})`, w.params);
    await tx.run(`DELETE FROM gex_snapshots WHERE ${w.sql}`, w.params);
    // A thousand entries a statement: one INSERT of 20,000 took twice as long as twenty.
    for (let i = 0; i < found.length; i += 1000)
      await audit.many(found.slice(i, i + 1000).map((s) => removedEntry(s, why)));
    return found;
  }).catch((e: unknown) => {
    if (note) intents.done(note); // not committed: every file stays
    throw e;
  });
  // After the commit: the store is the truth, and a file left behind (one another program
  // holds open on Windows) is only an export that no snapshot names any more.
  const files = removeFiles(snapshots.flatMap(filesOf));
  if (note) intents.done(note);
  return { snapshots, files, left: leftExports(dataDir, snapshots, files) };
}

/** Of the snapshots' export files (in the data folder in use, and where they were exported), those still on disk. */
function leftExports(dataDir: string, snapshots: GEXSnapshot[], deleted: string[]): LeftExports[] {
  const gone = new Set(deleted);
  const inUse = resolve(dataDir);
  const byFolder = new Map<string, LeftExports & { files: string[] }>();
  for (const s of snapshots) {
    const candidates = new Set([
      ...Object.values(exportFilesIn(dataDir, s.parquet)),
      ...Object.values(exportFilesOf(s.parquet)),
    ]);
    for (const f of candidates) {
      if (gone.has(f) || !existsSync(f)) continue;
      const rel = relative(inUse, f);
      const root =
        rel && !rel.startsWith('..') && !isAbsolute(rel) ? inUse : resolve(exportRootOf(s.parquet));
      const entry = byFolder.get(root) ?? {
        folder: root,
        reason: root === inUse ? ('not_deleted' as const) : ('outside' as const),
        files: [],
        count: 0,
      };
      entry.files.push(f);
      entry.count += 1;
      byFolder.set(root, entry);
    }
  }
  return [...byFolder.values()];
}

const removedEntry = (s: GEXSnapshot, why: Why) => ({
  kind: 'removed' as const,
  request_id: s.request_id,
  job_id: s.job_id,
  rule_version: null,
  rule: null,
  priority: null,
  facts: {
    snapshot_id: s.id,
    underlying: s.underlying,
    as_of: s.as_of,
    spot: s.spot,
    total_gex: s.total_gex,
    content_hash: s.content_hash,
    source_file: s.source_file,
    justification: why.justification,
  },
  explanation: `snapshot ${s.id} of ${s.underlying} as of ${s.as_of} removed: ${why.justification}`,
  actor: why.author,
  file: s.source_file,
  underlying: s.underlying,
  at: new Date(why.atMs),
});
