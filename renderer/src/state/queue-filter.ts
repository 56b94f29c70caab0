// Opens the Queue on one source's jobs, asked for by another view: the Sources view's
// failed count opens the Queue on that source's failed jobs. The tab and the source are
// in the route (route.ts), so a reload, Back / Forward and a bookmark keep them.
import { useApp } from './store.ts';
import type { QueueTab } from './route.ts';

export type { QueueTab } from './route.ts';

/**
 * Opens the Queue on one tab showing one source's jobs only (its id exactly, as
 * `gex-desk jobs --source ID` lists them; a chip says so and removes it), and no job's
 * drawer (a job left open there would win over the filter): one step for Back.
 */
export function openQueueOfSource(tab: QueueTab, source: string): void {
  useApp.getState().showSource(source, { view: 'queue', tab });
}
