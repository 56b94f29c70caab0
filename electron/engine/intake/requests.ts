// The `requests` table: one row per submission, written at arrival with the facts known
// then, completed with the file's facts when they are read (and its total GEX, which the
// next request of the same underlying compares with).
import type { SubmitRequest } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { jobAudit } from '../jobs/job-audit.ts';
import { endWaiting } from '../jobs/repository.ts';
import type { AuditWriter } from '../store/audit.ts';
import { num, type Store, type Tx } from '../store/db.ts';
import { recordOutcome } from '../store/sources.ts';
import { values } from '../store/values.ts';
import type { Staged } from './staging.ts';

export interface NewRequest {
  id: string;
  request: SubmitRequest & { file: string };
  arrivedMs: number;
  /** Its place among requests arriving in the same millisecond (Arrival.order). */
  arrivalOrder: number;
  staged: Staged | null;
  underlying: string | null;
  knownSource: boolean;
  facts: Record<string, unknown> | null;
  total_gex: number | null;
}

/**
 * Stores requests in one statement each for the table and their new sources. A new
 * source is created at the arrival of the first of these requests that names it, not when
 * the batch is written (the database's now(), up to seconds later under a burst): a
 * source is never created after its first request arrived (`created_at` no later than
 * `last_ingest_at`). A source created meanwhile by another batch keeps the earlier time.
 */
export async function storeRequests(tx: Tx, rs: readonly NewRequest[]): Promise<void> {
  if (rs.length === 0) return;
  const firstArrival = new Map<string, number>();
  for (const r of rs) {
    if (r.knownSource) continue;
    const at = firstArrival.get(r.request.source);
    if (at === undefined || r.arrivedMs < at) firstArrival.set(r.request.source, r.arrivedMs);
  }
  if (firstArrival.size > 0) {
    const s = values(
      [...firstArrival].map(([id, ms]) => [id, id, new Date(ms).toISOString()]),
      [null, null, 'TIMESTAMPTZ'],
    );
    await tx.run(
      `INSERT INTO sources (id, name, created_at) ${s.sql}
         ON CONFLICT (id) DO UPDATE SET created_at = least(sources.created_at, excluded.created_at)`,
      s.params,
    );
  }
  const v = values(
    rs.map((r) => {
      const q = r.request;
      return [
        r.id,
        q.file,
        q.source,
        q.requested_priority ?? null,
        q.justification ?? null,
        q.author ?? null,
        new Date(r.arrivedMs).toISOString(),
        r.staged?.hash ?? null,
        r.facts === null ? null : JSON.stringify(r.facts),
        r.underlying,
        r.total_gex,
        r.staged?.size ?? null,
        r.arrivalOrder,
      ];
    }),
    [null, null, null, null, null, null, 'TIMESTAMPTZ', null, 'JSON'],
  );
  await tx.run(
    `INSERT INTO requests (id, file, source, requested_priority, justification, author, submitted_at, content_hash, facts,
       underlying, total_gex, size, arrival_order) ${v.sql}`,
    v.params,
  );
}

/** What was stored of a request at its arrival. */
export interface StoredRequest {
  id: string;
  file: string;
  source: string;
  author: string | null;
  arrived_at: string;
  facts: { given: Record<string, unknown> } | null;
}

export async function getRequest(db: Store | Tx, id: string): Promise<StoredRequest | undefined> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT id, file, source, author, epoch_ms(submitted_at) AS arrived, facts FROM requests WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id as string,
    file: r.file as string,
    source: r.source as string,
    author: (r.author as string | null) ?? null,
    arrived_at: new Date(num(r.arrived)).toISOString(),
    facts: r.facts === null ? null : JSON.parse(r.facts as string),
  };
}

/**
 * Where a request's bytes wait while its job is queued or running (its staged content, the
 * file as given, its arrival); undefined when its job has ended or holds no staged bytes.
 */
export async function stagedOf(
  db: Store | Tx,
  requestId: string,
): Promise<{ hash: string; file: string; arrivedMs: number } | undefined> {
  const rows = await db.all<{ hash: string | null; file: string; arrived: unknown }>(
    `SELECT j.content_hash AS hash, j.file, epoch_ms(j.submitted_at) AS arrived FROM jobs j
     WHERE j.request_id = $1 AND j.status IN ('queued', 'running')`,
    [requestId],
  );
  const r = rows[0];
  return r?.hash ? { hash: r.hash, file: r.file, arrivedMs: num(r.arrived) } : undefined;
}

/** The file's facts, once read (or once its snapshot is stored). */
export async function recordFileFacts(
  tx: Tx,
  id: string,
  f: { facts?: Record<string, unknown>; underlying: string | null; total_gex: number },
): Promise<void> {
  await tx.run(
    `UPDATE requests SET facts = coalesce($2::JSON, facts), underlying = coalesce($3, underlying), total_gex = $4 WHERE id = $1`,
    [id, f.facts ? JSON.stringify(f.facts) : null, f.underlying, f.total_gex],
  );
}

/**
 * A job whose content is already a snapshot ends as its duplicate, before it runs, at
 * `nowMs`: when it was found to be one (its file hashed and its level decided), never its
 * arrival, so that its latency is submission → answer and its trail stays in time order.
 */
export async function endDuplicate(
  tx: Tx,
  audit: AuditWriter,
  job: ProcessingJob,
  snapshotId: string,
  nowMs: number,
  decided?: Pick<ProcessingJob, 'priority' | 'rule' | 'rule_version'>,
): Promise<ProcessingJob> {
  const decision = decided
    ? { priority: decided.priority, rule: decided.rule, rule_version: decided.rule_version }
    : undefined;
  const ended = (await endWaiting(
    tx,
    job.id,
    'duplicate',
    { snapshot_id: snapshotId, decision },
    nowMs,
  ))!;
  await audit(
    jobAudit(ended, 'completed', `duplicate: the same content is snapshot ${snapshotId}`, {
      at: new Date(nowMs),
    }),
  );
  await recordOutcome(tx, ended);
  return ended;
}

/**
 * A job whose file cannot be read (missing, empty, not a chain…) fails before it runs, at
 * `nowMs`: when that was found. A `failed` entry (its job was stored, and counts as failed
 * in `jobs` and in its source's record), not `rejected` (nothing queued): by the analyst who
 * sent it, with the rule set active at its arrival and the error (its file, a line if known).
 */
export async function endUnreadable(
  tx: Tx,
  audit: AuditWriter,
  job: ProcessingJob,
  end: UnreadableEnd,
  nowMs: number,
): Promise<ProcessingJob> {
  const { error } = end;
  const ended = (await endWaiting(tx, job.id, 'failed', { error }, nowMs))!;
  await audit({
    ...jobAudit(ended, 'failed', `failed: ${error.code}: ${error.message}`, {
      actor: end.actor,
      at: new Date(nowMs),
      facts: { error },
    }),
    rule_version: end.rule_version,
  });
  await recordOutcome(tx, ended);
  return ended;
}

/** How a file that cannot be read ends: its error, who sent it, the rule set active at its arrival. */
export interface UnreadableEnd {
  error: AppError;
  actor: string | null;
  rule_version: number | null;
}
