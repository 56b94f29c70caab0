// The audit trail: every request from its arrival to its end — decision, override or
// rejection, starts, preemptions, requeues, retries and cancels (with who did them),
// lateness, escalation, completion or failure, a file the inbox set aside in failed/ of its
// own accord (`inbox`: changed after it was taken, or refused at its door) — each naming the
// file and underlying,
// with the rule set's version and the facts a decision was made from, so that any level
// and any outcome can be explained afterwards. Rows are only ever appended.
import type { AuditEntry } from '../../../shared/api.ts';
import { iso, num, type Store, type Tx } from './db.ts';
import { Filters } from './filters.ts';
import { values } from './values.ts';
import { idKey } from './id-start.ts';

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'file' | 'underlying'> & {
  at?: Date;
  file?: string | null;
  underlying?: string | null;
};

const COLUMNS = `recorded_at, kind, request_id, job_id, rule_version, rule, priority, facts, explanation, actor, file, underlying`;
const CASTS = ['TIMESTAMPTZ', null, null, null, null, null, null, 'JSON'];

const row = (entry: AuditInput) => [
  (entry.at ?? new Date()).toISOString(),
  entry.kind,
  entry.request_id,
  entry.job_id,
  entry.rule_version,
  entry.rule,
  entry.priority,
  entry.facts === null ? null : JSON.stringify(entry.facts),
  entry.explanation,
  entry.actor,
  entry.file ?? null,
  entry.underlying ?? null,
];

/** Appends entries (inside the caller's transaction when given one), in one statement, and returns them as stored. */
export async function appendAudits(
  db: Store | Tx,
  entries: readonly AuditInput[],
): Promise<AuditEntry[]> {
  if (entries.length === 0) return [];
  const v = values(entries.map(row), CASTS);
  const rows = await db.all<{ id: bigint; at: bigint }>(
    `INSERT INTO audit_log (${COLUMNS}) ${v.sql} RETURNING id, epoch_ms(recorded_at) AS at`,
    v.params,
  );
  return entries.map((entry, i) => {
    const { at: _at, ...rest } = entry;
    return {
      ...rest,
      file: entry.file ?? null,
      underlying: entry.underlying ?? null,
      id: num(rows[i]!.id),
      at: iso(rows[i]!.at)!,
    };
  });
}

/** Appends one entry (inside the caller's transaction when given one) and returns it as stored. */
export async function appendAudit(db: Store | Tx, entry: AuditInput): Promise<AuditEntry> {
  return (await appendAudits(db, [entry]))[0]!;
}

/**
 * In time order — newest first by default; `oldest` first for a request's timeline (its
 * first `limit` entries) — by when each thing happened (`at`), not by when its entry was
 * written: an arrival is written with its decision and dated at its arrival, which may be
 * before entries written earlier (as the Audit view sorts). Entries of one moment keep
 * their write order (id). `after` is the id of the previous page's last entry: the list
 * goes on from its place in that order, with no gap or repeat. `kinds`, `text` and `source`
 * are the Audit view's filters, asked of the whole log (its entries past the newest pages too).
 */
export async function listAudit(
  store: Store,
  opts: {
    request_id?: string;
    limit: number;
    order?: 'newest' | 'oldest';
    after?: number;
    kind?: AuditEntry['kind'];
    kinds?: readonly AuditEntry['kind'][];
    text?: string;
    source?: string;
  },
): Promise<AuditEntry[]> {
  const oldest = opts.order === 'oldest';
  const f = new Filters(opts.limit);
  if (opts.request_id) f.add('a.request_id = ?', idKey(opts.request_id));
  if (opts.kind) f.add('a.kind = ?', opts.kind);
  if (opts.kinds?.length)
    f.add(`a.kind IN (${opts.kinds.map(() => '?').join(', ')})`, ...opts.kinds);
  const text = opts.text?.trim().toLowerCase();
  // What the Audit view's filter box looks in: the entry's file and underlying, else its
  // job's (entries written before they were kept on the entry), its request, analyst and words.
  if (text)
    f.add(
      `strpos(lower(concat_ws(' ', coalesce(a.file, j.file), coalesce(a.underlying, j.underlying,
         json_extract_string(a.facts, '$.underlying')), a.request_id, a.actor, a.explanation)), ?) > 0`,
      text,
    );
  if (opts.source)
    f.add(
      `(json_extract_string(a.facts, '$.source') = ? OR j.source = ?)`,
      opts.source,
      opts.source,
    );
  if (opts.after !== undefined)
    f.add(
      `(a.recorded_at, a.id) ${oldest ? '>' : '<'} (SELECT (recorded_at, id) FROM audit_log WHERE id = ?)`,
      opts.after,
    );
  const dir = oldest ? 'ASC' : 'DESC';
  const withJob = text || opts.source ? 'LEFT JOIN jobs j ON j.id = a.job_id' : '';
  const rows = await store.all<Record<string, unknown>>(
    `SELECT a.id, epoch_ms(a.recorded_at) AS at, a.kind, a.request_id, a.job_id, a.rule_version, a.rule,
         a.priority, a.facts, a.explanation, a.actor, a.file, a.underlying
       FROM audit_log a ${withJob} ${f.where} ORDER BY a.recorded_at ${dir}, a.id ${dir} LIMIT $1`,
    f.values,
  );
  return rows.map((r) => ({
    id: num(r.id),
    at: iso(r.at)!,
    kind: r.kind as AuditEntry['kind'],
    request_id: (r.request_id as string | null) ?? null,
    job_id: (r.job_id as string | null) ?? null,
    file: (r.file as string | null) ?? null,
    underlying: (r.underlying as string | null) ?? null,
    rule_version: r.rule_version === null ? null : num(r.rule_version),
    rule: (r.rule as string | null) ?? null,
    priority: (r.priority as AuditEntry['priority']) ?? null,
    facts: r.facts === null ? null : (JSON.parse(r.facts as string) as Record<string, unknown>),
    explanation: r.explanation as string,
    actor: (r.actor as string | null) ?? null,
  }));
}

/** Appends audit entries inside the transaction it is given: one, or many in one statement. */
export type AuditWriter = ((entry: AuditInput) => Promise<AuditEntry>) & {
  many(entries: readonly AuditInput[]): Promise<AuditEntry[]>;
};

/**
 * Runs `work` in one transaction with an audit writer, and hands the entries it wrote to
 * `announce` only after the commit: written, then announced. The work may run more than
 * once (a shared commit that failed for another transaction's sake), so entries are
 * collected afresh each time.
 */
export async function auditedTransaction<T>(
  store: Store,
  announce: (entry: AuditEntry) => void,
  work: (tx: Tx, audit: AuditWriter) => Promise<T>,
): Promise<T> {
  let entries: AuditEntry[] = [];
  const value = await store.transaction(async (tx) => {
    entries = [];
    const many = async (inputs: readonly AuditInput[]) => {
      const written = await appendAudits(tx, inputs);
      entries.push(...written);
      return written;
    };
    const one = async (input: AuditInput) => (await many([input]))[0]!;
    return work(tx, Object.assign(one, { many }));
  });
  for (const e of entries) announce(e);
  return value;
}
