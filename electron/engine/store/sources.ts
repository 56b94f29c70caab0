// Data sources and their reliability: the share of a source's ingests that succeeded,
// which rule G4 reads. A source is created the first time a request names it; a source
// with no history counts as fully reliable.
import type { DataSource } from '../../../shared/domain.ts';
import { iso, num, type Store, type Tx } from './db.ts';

export async function ensureSource(db: Store | Tx, id: string): Promise<void> {
  await db.run('INSERT INTO sources (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [id]);
}

export async function recordIngest(db: Store | Tx, id: string, success: boolean): Promise<void> {
  await ensureSource(db, id);
  await db.run(
    success
      ? 'UPDATE sources SET ingests_ok = ingests_ok + 1 WHERE id = $1'
      : 'UPDATE sources SET ingests_failed = ingests_failed + 1 WHERE id = $1',
    [id],
  );
}

/** GUIDELINES: the source's share of successful ingests; a source with no history counts as 1. */
export const reliabilityOf = (ok: number, failed: number): number => (ok + failed === 0 ? 1 : ok / (ok + failed));

export async function getSource(store: Store, id: string): Promise<DataSource | undefined> {
  const r = await store.one<Record<string, unknown>>(
    'SELECT id, name, ingests_ok, ingests_failed, epoch_ms(created_at) AS created_at FROM sources WHERE id = $1',
    [id],
  );
  if (!r) return undefined;
  const okCount = num(r.ingests_ok);
  const failed = num(r.ingests_failed);
  return {
    id: r.id as string,
    name: r.name as string,
    ingests_ok: okCount,
    ingests_failed: failed,
    reliability: reliabilityOf(okCount, failed),
    created_at: iso(r.created_at)!,
  };
}
