// Stored requests (file, author, the facts at arrival), fetched when a row needs
// them: the Queue asks for the rows on screen (its as-of column) and the job drawer
// for its job. A request is fetched once, and once more when its job's decision lands:
// the read that decides a job writes the request's facts (total volume and open
// interest, the derived age, freshness, impact) after a row may have asked for it.
// Asks made in the same moment go out as one call.
import { create } from 'zustand';
import type { RequestRecord } from '../../../shared/api.ts';
import type { GexClient } from '../api/client.ts';

interface RequestsState {
  records: Map<string, RequestRecord>;
  /** Bumped when records arrive, for selectors. */
  version: number;
  want(client: GexClient, ids: Iterable<string>): void;
  /**
   * These requests' facts were written since (their jobs' decisions landed): those already
   * asked for are fetched again; the others will be when a view wants them.
   */
  changed(client: GexClient, ids: Iterable<string>): void;
}

const MAX_BATCH = 1000;

export const useRequests = create<RequestsState>((set, get) => {
  const asked = new Set<string>();
  const queue: string[] = [];
  let timer = 0;

  const flush = async (client: GexClient) => {
    timer = 0;
    const ids = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) timer = window.setTimeout(() => void flush(client), 0);
    if (ids.length === 0) return;
    const res = await client.call('requests:get', { ids });
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
  };
});

/** The as-of of a request's data, when its facts are known. */
export const asOfOf = (r: RequestRecord | undefined): string | null =>
  typeof r?.facts?.as_of === 'string' ? r.facts.as_of : null;
