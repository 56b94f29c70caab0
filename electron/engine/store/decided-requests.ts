// The history rule what-if replays (rules:whatif): the last N decided requests, newest
// first, each with its given facts as stored when it was decided (`now` = its arrival)
// and the level and rule it got. A request decided after its facts read has every fact.
// One decided at its arrival kept only the facts known then, and names the others
// `unknown`; its file's own totals (volume, open interest, and underlying and as_of when
// its first bytes could not tell them) are completed from its snapshot, which the same
// computation produced, so they are exact. `gex_change` is not: it compared with what
// was stored at that moment, which later requests may have changed, so it stays unknown
// and the replay says when the outcome depends on it (`missing`: gex_change). A request
// without a snapshot lacks its file's totals too, and says why (its file failed, its
// snapshot was removed, or it was not read yet). Its file is named where it is now, as
// `jobs` names it (an inbox file in done/ or failed/, never processing/).
// "The last N" are the N latest arrivals: the files of one command share their arrival to
// the millisecond and are placed by `arrival_order` (the order they were submitted in),
// not by their jobs' `seq` (the order their captures ended); a request stored before
// migration 10 has none (older than any that has one) and keeps its job's `seq`.
import type { GivenFactName, WhatIfMissing, WhatIfRecord } from '../../../shared/rules.ts';
import { num, type Store } from './db.ts';

/** Facts a snapshot gives exactly: the file's own (never what it was compared with). */
const FROM_SNAPSHOT = ['underlying', 'as_of', 'total_volume', 'total_open_interest'] as const;

const QUERY = `SELECT r.id, j.file, j.status, coalesce(r.underlying, j.underlying, s.underlying) AS underlying, r.facts,
    j.priority, j.rule, j.rule_version, s.underlying AS s_underlying, s.as_of_text AS s_as_of,
    s.total_volume AS s_volume, s.total_open_interest AS s_oi
  FROM requests r JOIN jobs j ON j.request_id = r.id
  LEFT JOIN gex_snapshots s ON s.id = j.snapshot_id
  WHERE r.facts IS NOT NULL AND j.rule NOT IN ('deciding', 'unreadable')
  ORDER BY r.submitted_at DESC, coalesce(r.arrival_order, -1) DESC, j.seq DESC LIMIT $1`;

interface StoredFacts {
  given?: Record<string, unknown>;
  unknown?: string[];
}

/** Why facts are missing: only gex_change (its file read and stored), or its file's own. */
function missingOf(unknown: ReadonlySet<string>, status: string): WhatIfMissing {
  if ([...unknown].every((n) => n === 'gex_change')) return 'gex_change';
  if (status === 'failed') return 'failed';
  // Ended with a snapshot that is no longer there.
  if (status === 'completed' || status === 'duplicate') return 'removed';
  return 'unread';
}

export async function decidedRequests(store: Store, last: number): Promise<WhatIfRecord[]> {
  const rows = await store.all<Record<string, unknown>>(QUERY, [last]);
  const records: WhatIfRecord[] = [];
  for (const r of rows) {
    const stored = JSON.parse(r.facts as string) as StoredFacts;
    if (!stored.given) continue;
    const facts: Record<string, unknown> = { ...stored.given };
    const unknown = new Set(stored.unknown ?? []);
    if (unknown.size > 0 && r.s_volume !== null && r.s_volume !== undefined) {
      const fromSnapshot: Record<(typeof FROM_SNAPSHOT)[number], unknown> = {
        underlying: r.s_underlying,
        as_of: r.s_as_of,
        total_volume: Math.round(num(r.s_volume)),
        total_open_interest: Math.round(num(r.s_oi)),
      };
      for (const name of FROM_SNAPSHOT) {
        if (!unknown.has(name)) continue;
        facts[name] = fromSnapshot[name];
        unknown.delete(name);
      }
    }
    records.push({
      request_id: r.id as string,
      file: r.file as string,
      underlying: (r.underlying as string | null) ?? '',
      facts,
      ...(unknown.size > 0
        ? {
            unknown: [...unknown] as GivenFactName[],
            missing: missingOf(unknown, r.status as string),
          }
        : {}),
      from: { priority: r.priority as WhatIfRecord['from']['priority'], rule: r.rule as string },
      rule_version:
        r.rule_version === null || r.rule_version === undefined ? null : num(r.rule_version),
    });
  }
  return records;
}
