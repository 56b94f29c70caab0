// What the store knows that a request is decided from, read in one statement (requests
// come in bursts): whether its content is already a snapshot (and that snapshot's
// totals, which are this file's too), the total GEX it is compared with (GUIDELINES v2:
// the latest EARLIER request of the same underlying whose file was read, else the latest
// stored snapshot of it), and its source's record (for reliability: an analyst's
// override when one is set, else the share of successful ingests).
import { num, type Store } from '../store/db.ts';
import { reliabilityOf } from '../store/sources.ts';

export interface RequestContext {
  duplicate: { id: string; total_volume: number; total_open_interest: number; total_gex: number } | null;
  /** The total GEX `gex_change` compares with; null when there is none (a first snapshot is news). */
  previous_total_gex: number | null;
  source_reliability: number;
  source_known: boolean;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

export async function requestContext(
  store: Store,
  q: { content_hash: string; underlying: string | null; source: string; arrived_at: string; request_id: string },
): Promise<RequestContext> {
  const row = await store.one<Record<string, unknown>>(
    `SELECT
       d.id AS dup_id, d.total_volume AS dup_volume, d.total_open_interest AS dup_oi, d.total_gex AS dup_gex,
       (SELECT r.total_gex FROM requests r JOIN jobs j ON j.request_id = r.id
          WHERE $2 IS NOT NULL AND upper(r.underlying) = upper($2) AND r.total_gex IS NOT NULL
            AND r.id <> $5 AND r.submitted_at < $4::TIMESTAMPTZ AND j.status NOT IN ('failed', 'cancelled')
          ORDER BY r.submitted_at DESC LIMIT 1) AS previous_request_gex,
       (SELECT total_gex FROM gex_snapshots WHERE $2 IS NOT NULL AND upper(underlying) = upper($2)
          ORDER BY as_of DESC, created_at DESC LIMIT 1) AS previous_snapshot_gex,
       (SELECT ingests_ok FROM sources WHERE id = $3) AS source_ok,
       (SELECT ingests_failed FROM sources WHERE id = $3) AS source_failed,
       (SELECT reliability_override FROM sources WHERE id = $3) AS source_override
     FROM (SELECT 1) LEFT JOIN gex_snapshots d ON d.content_hash = $1`,
    [q.content_hash, q.underlying, q.source, q.arrived_at, q.request_id],
  );
  const ok = n(row?.source_ok);
  return {
    duplicate: row?.dup_id
      ? { id: row.dup_id as string, total_volume: num(row.dup_volume), total_open_interest: num(row.dup_oi), total_gex: num(row.dup_gex) }
      : null,
    previous_total_gex: n(row?.previous_request_gex) ?? n(row?.previous_snapshot_gex),
    // An analyst's override (sources:set) wins over the record until it is cleared.
    source_reliability: n(row?.source_override) ?? reliabilityOf(ok ?? 0, n(row?.source_failed) ?? 0),
    source_known: ok !== null,
  };
}

/** GUIDELINES: |total − previous| ÷ |previous|; null when there is no previous total or it was 0. */
export const gexChange = (total: number, previous: number | null): number | null =>
  previous === null || previous === 0 ? null : Math.abs(total - previous) / Math.abs(previous);
