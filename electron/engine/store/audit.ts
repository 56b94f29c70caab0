// The audit trail: every priority decision, override, rejection, lateness flag and
// escalation, with the rule set's version and the facts it was made from, so that any
// level can be explained afterwards. Rows are only ever appended.
import type { AuditEntry } from '../../../shared/api.ts';
import { iso, num, type Store, type Tx } from './db.ts';

export type AuditInput = Omit<AuditEntry, 'id' | 'at'> & { at?: Date };

const INSERT = `INSERT INTO audit_log (recorded_at, kind, request_id, job_id, rule_version, rule, priority, facts, explanation, actor)
  VALUES ($1::TIMESTAMPTZ, $2, $3, $4, $5, $6, $7, $8::JSON, $9, $10) RETURNING id, epoch_ms(recorded_at) AS at`;

/** Appends one entry (inside the caller's transaction when given one) and returns it as stored. */
export async function appendAudit(db: Store | Tx, entry: AuditInput): Promise<AuditEntry> {
  const at = (entry.at ?? new Date()).toISOString();
  const rows = await db.all<{ id: bigint; at: bigint }>(INSERT, [
    at,
    entry.kind,
    entry.request_id,
    entry.job_id,
    entry.rule_version,
    entry.rule,
    entry.priority,
    entry.facts === null ? null : JSON.stringify(entry.facts),
    entry.explanation,
    entry.actor,
  ]);
  const { at: _at, ...rest } = entry;
  return { ...rest, id: num(rows[0]!.id), at: iso(rows[0]!.at)! };
}

export async function listAudit(store: Store, opts: { request_id?: string; limit: number }): Promise<AuditEntry[]> {
  const where = opts.request_id ? 'WHERE request_id = $2' : '';
  const params = opts.request_id ? [opts.limit, opts.request_id] : [opts.limit];
  const rows = await store.all<Record<string, unknown>>(
    `SELECT id, epoch_ms(recorded_at) AS at, kind, request_id, job_id, rule_version, rule, priority, facts, explanation, actor
       FROM audit_log ${where} ORDER BY id DESC LIMIT $1`,
    params,
  );
  return rows.map((r) => ({
    id: num(r.id),
    at: iso(r.at)!,
    kind: r.kind as AuditEntry['kind'],
    request_id: (r.request_id as string | null) ?? null,
    job_id: (r.job_id as string | null) ?? null,
    rule_version: r.rule_version === null ? null : num(r.rule_version),
    rule: (r.rule as string | null) ?? null,
    priority: (r.priority as AuditEntry['priority']) ?? null,
    facts: r.facts === null ? null : (JSON.parse(r.facts as string) as Record<string, unknown>),
    explanation: r.explanation as string,
    actor: (r.actor as string | null) ?? null,
  }));
}
