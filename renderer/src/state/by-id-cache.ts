// Records fetched by id for what views show (the Queue's requests and snapshots): asks made
// in the same moment go out as one call (at most 1,000 ids), an id is asked once (again
// only when told it changed), and an ask that failed is asked again the next time.
import { create } from 'zustand';
import type { Result } from '../../../shared/result.ts';
import type { GexClient } from '../api/client.ts';

export interface ByIdCache<T> {
  records: Map<string, T>;
  /** Bumped when records arrive or leave, for selectors. */
  version: number;
  want(client: GexClient, ids: Iterable<string>): void;
  /** These records changed since: those already asked for are fetched again, the others when wanted. */
  changed(client: GexClient, ids: Iterable<string>): void;
  /** These records are gone (not asked for again). */
  forget(ids: Iterable<string>): void;
}

const MAX_BATCH = 1000;

export function byIdCache<T extends { id: string }>(
  fetch: (client: GexClient, ids: string[]) => Promise<Result<T[]>>,
) {
  return create<ByIdCache<T>>((set, get) => {
    const asked = new Set<string>();
    const queue: string[] = [];
    let timer = 0;

    const flush = async (client: GexClient) => {
      timer = 0;
      const ids = queue.splice(0, MAX_BATCH);
      if (queue.length > 0) timer = window.setTimeout(() => void flush(client), 0);
      if (ids.length === 0) return;
      const res = await fetch(client, ids);
      if (!res.ok) {
        for (const id of ids) asked.delete(id); // ask again next time
        return;
      }
      const records = get().records;
      for (const r of res.value) records.set(r.id, r);
      set({ version: get().version + 1 });
    };

    const enqueue = (client: GexClient, id: string) => {
      asked.add(id);
      queue.push(id);
      if (!timer) timer = window.setTimeout(() => void flush(client), 30);
    };

    return {
      records: new Map(),
      version: 0,
      want(client, ids) {
        for (const id of ids) if (!asked.has(id)) enqueue(client, id);
      },
      changed(client, ids) {
        for (const id of ids) if (asked.has(id) && !queue.includes(id)) enqueue(client, id);
      },
      forget(ids) {
        const records = get().records;
        let gone = 0;
        for (const id of ids) if (records.delete(id)) gone++;
        if (gone > 0) set({ version: get().version + 1 });
      },
    };
  });
}
