// Stored requests, read back for the UI: what was asked (file, source, override,
// author, arrival) and the facts the decision was made from, as they were at
// arrival. The job drawer and the Queue's as-of column read them; nothing here writes.
import type { GexChangeBase, RequestRecord } from '../../../shared/api.ts';
import type { PriorityLevel } from '../../../shared/domain.ts';
import { iso, type Store } from './db.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The stored facts as given and derived, and the facts still unknown when the level was
 * decided; a flat object (no `given` key) is all given.
 */
export function splitFacts(stored: unknown): {
  facts: Json | null;
  derived: Json | null;
  unknown: string[] | null;
  gex_change_compared_with?: GexChangeBase | null;
} {
  const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  if (!isObject(value)) return { facts: null, derived: null, unknown: null };
  if (isObject(value.given))
    return {
      facts: value.given,
      derived: isObject(value.derived) ? value.derived : null,
      unknown: Array.isArray(value.unknown)
        ? value.unknown.filter((x): x is string => typeof x === 'string')
        : null,
      // What gex_change was computed against; absent from facts stored before 2026-12-07.
      ...('gex_change_compared_with' in value
        ? { gex_change_compared_with: value.gex_change_compared_with as GexChangeBase | null }
        : {}),
    };
  return { facts: value, derived: null, unknown: null };
}

/** The requests with these ids that exist, in no particular order. */
export async function getRequests(store: Store, ids: string[]): Promise<RequestRecord[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const placeholders = unique.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await store.all<Json>(
    `SELECT id, file, source, requested_priority, justification, author, epoch_ms(submitted_at) AS submitted_at, facts
       FROM requests WHERE id IN (${placeholders})`,
    unique,
  );
  return rows.map((r) => ({
    id: r.id as string,
    file: r.file as string,
    source: r.source as string,
    requested_priority: (r.requested_priority as PriorityLevel | null) ?? null,
    justification: (r.justification as string | null) ?? null,
    author: (r.author as string | null) ?? null,
    submitted_at: iso(r.submitted_at)!,
    ...splitFacts(r.facts ?? null),
  }));
}
