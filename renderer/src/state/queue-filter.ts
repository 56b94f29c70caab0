// The Queue view's filter, asked for by another view: the Sources view's failed count opens
// the Queue on that source's failed jobs (the source itself is in the route: route.ts). Kept apart from the view (as the Audit view's
// kinds are, audit-filter.ts), which takes the request once when it shows.
import { create } from 'zustand';
import { useApp } from './store.ts';

export type QueueTab = 'active' | 'all' | 'completed' | 'failed' | 'cancelled';

interface QueueFilterRequest {
  tab: QueueTab;
  query: string;
}

interface QueueFilter {
  requested: QueueFilterRequest | null;
  take(): QueueFilterRequest | null;
}

export const useQueueFilter = create<QueueFilter>((set, get) => ({
  requested: null,
  take() {
    const r = get().requested;
    if (r) set({ requested: null });
    return r;
  },
}));

/**
 * Opens the Queue on one tab showing one source's jobs only (its id exactly, as
 * `gex-desk jobs --source ID` lists them; a chip says so and removes it), its filter box
 * empty, and no job's drawer (a job left open there would win over the filter).
 */
export function openQueueOfSource(tab: QueueTab, source: string): void {
  useQueueFilter.setState({ requested: { tab, query: '' } });
  useApp.getState().openJob(null);
  useApp.getState().filterBySource(source);
}
