// Removing a snapshot an analyst ingested by mistake (the wrong file, a vendor's broken
// chain), which would otherwise stay its underlying's latest levels for good. Its row and
// its figures in every table go in one transaction with an audit entry (kind `removed`:
// who, why, and what the snapshot was), then its export files. The request and job that
// made it keep their trail (the audit log is only ever appended to), and the same file
// may be ingested again: it is no longer a duplicate of anything.
import { existsSync, rmSync } from 'node:fs';
import type { AuditEntry, RemovedSnapshot } from '../../../shared/api.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { exportFilesOf } from '../export-layout.ts';
import { auditedTransaction } from './audit.ts';
import type { Store } from './db.ts';
import { snapshotIn } from './snapshots.ts';

/** The tables that hold a snapshot's figures, by its id. */
const DETAIL_TABLES = ['gex_strikes', 'gex_expiries', 'gex_buckets', 'gamma_profiles'] as const;

export interface Removal {
  id: string;
  justification: string;
  author: string | null;
  atMs: number;
}

export async function removeSnapshot(
  store: Store,
  announce: (entry: AuditEntry) => void,
  r: Removal,
): Promise<Result<RemovedSnapshot>> {
  const removed = await auditedTransaction(store, announce, async (tx, audit) => {
    const s = await snapshotIn(tx, r.id);
    if (!s) return null;
    for (const table of DETAIL_TABLES)
      await tx.run(`DELETE FROM ${table} WHERE snapshot_id = $1`, [s.id]);
    await tx.run('DELETE FROM gex_snapshots WHERE id = $1', [s.id]);
    await audit({
      kind: 'removed',
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
        justification: r.justification,
      },
      explanation: `snapshot ${s.id} of ${s.underlying} as of ${s.as_of} removed: ${r.justification}`,
      actor: r.author,
      file: s.source_file,
      underlying: s.underlying,
      at: new Date(r.atMs),
    });
    return s;
  });
  if (!removed) return err('NOT_FOUND', `There is no snapshot ${r.id} in this store.`);
  // After the commit: the store is the truth, and a file left behind (one another program
  // holds open on Windows) is only an export that no snapshot names any more.
  const files = Object.values(exportFilesOf(removed.parquet)).filter((f) => existsSync(f));
  for (const f of files)
    try {
      rmSync(f, { force: true });
    } catch {
      // Said by its absence from `files` below.
    }
  return ok({ snapshot: removed, files: files.filter((f) => !existsSync(f)) });
}
