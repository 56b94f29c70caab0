// The snapshots of the Queue's rows on screen (their quality badges), whatever their age:
// the store's list holds only the newest 200 and those made since, and a desk's completed
// jobs soon pass that. Asked by id (`snapshots:many`) for the rows shown, asks made in the
// same moment going out as one call, so that 10,000 jobs cost the rows seen, not the list.
// A snapshot never changes once stored; one removed leaves the cache.
import { create } from 'zustand';
import type { GEXSnapshot } from '../../../shared/domain.ts';
import type { GexClient } from '../api/client.ts';

interface SnapshotCacheState {
  records: Map<string, GEXSnapshot>;
  /** Bumped when records arrive or leave, for selectors. */
  version: number;
  want(client: GexClient, ids: Iterable<string>): void;
  forget(ids: Iterable<string>): void;
}

const MAX_BATCH = 1000;

export const useSnapshotCache = create<SnapshotCacheState>((set, get) => {
  const asked = new Set<string>();
  const queue: string[] = [];
  let timer = 0;

  const flush = async (client: GexClient) => {
    timer = 0;
    const ids = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) timer = window.setTimeout(() => void flush(client), 0);
    if (ids.length === 0) return;
    const res = await client.call('snapshots:many', { ids });
    if (!res.ok) {
      for (const id of ids) asked.delete(id); // ask again next time
      return;
    }
    const records = get().records;
    for (const s of res.value) records.set(s.id, s);
    set({ version: get().version + 1 });
  };

  return {
    records: new Map(),
    version: 0,
    want(client, ids) {
      for (const id of ids) {
        if (asked.has(id)) continue;
        asked.add(id);
        queue.push(id);
      }
      if (queue.length > 0 && !timer) timer = window.setTimeout(() => void flush(client), 30);
    },
    forget(ids) {
      const records = get().records;
      let gone = 0;
      for (const id of ids) if (records.delete(id)) gone++;
      if (gone > 0) set({ version: get().version + 1 });
    },
  };
});
