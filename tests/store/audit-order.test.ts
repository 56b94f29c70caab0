// The audit trail is listed in time order: by when each thing happened (`at`), not by when
// its entry was written — an arrival is dated at its arrival but written with its decision,
// after entries of later moments (`gex-desk audit` showed 9 inversions in 85 entries while
// the Audit view sorts by `at`). Entries of one moment keep their write order, and paging
// with `after` goes on from the previous page's last entry with no gap or repeat. The real
// engine on a real database.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.ts';
import { appendAudits, type AuditInput } from '../../electron/engine/store/audit.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let te: TestEngine;
beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
});
afterAll(async () => {
  await te?.stop();
});

const T0 = Date.parse('2026-03-02T14:00:00Z');
/** Written in this order; dated out of it, with ties. */
const OFFSETS_S = [5, 1, 9, 1, 3, 7, 0, 5, 2, 8, 1, 6];

const entry = (i: number): AuditInput => ({
  kind: 'arrival',
  request_id: `order-${i}`,
  job_id: null,
  rule_version: null,
  rule: null,
  priority: null,
  facts: null,
  explanation: `written ${i}`,
  actor: null,
  at: new Date(T0 + OFFSETS_S[i]! * 1000),
});

async function all(order: 'newest' | 'oldest', page: number): Promise<AuditEntry[]> {
  const seen: AuditEntry[] = [];
  for (let after: number | undefined; ;) {
    const r = await te.engine.handlers['audit:list']({ limit: page, order, after });
    if (!r.ok) throw new Error(r.error.message);
    seen.push(...r.value);
    if (r.value.length < page) return seen;
    after = r.value.at(-1)!.id;
  }
}

it('lists entries by their time, ties in write order, and pages through them with no gap or repeat', async () => {
  const written = await appendAudits(
    te.engine.store,
    OFFSETS_S.map((_, i) => entry(i)),
  );
  const byTime = [...written].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id);
  const ids = (es: AuditEntry[]) =>
    es.filter((e) => e.request_id?.startsWith('order-')).map((e) => e.id);
  for (const page of [1, 2, 5, 500]) {
    expect(ids(await all('oldest', page)), `oldest, pages of ${page}`).toEqual(
      byTime.map((e) => e.id),
    );
    expect(ids(await all('newest', page)), `newest, pages of ${page}`).toEqual(
      byTime.map((e) => e.id).reverse(),
    );
  }
});
