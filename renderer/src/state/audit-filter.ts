// Opening the audit trail already filtered, from another view (the Sources view: "its
// changes in the audit trail" opens it on kind `source`, and a source's "N changes ›" on
// that source's); the kinds chosen are in the store's route (with a source, in the address
// too: route.ts). Here too the kinds the whole log has shown, so that their chips stay
// while some are chosen (the entries loaded then are of those kinds only).
import { create } from 'zustand';
import { useApp } from './store.ts';

interface AuditFilter {
  /** Kinds seen in the unfiltered log this session: their chips are offered. */
  offered: ReadonlySet<string>;
  offer(kinds: Iterable<string>): void;
  /** The filter box's text another view asked for, taken once by the view when it shows. */
  query: string | null;
  takeQuery(): string | null;
}

export const useAuditFilter = create<AuditFilter>((set, get) => ({
  offered: new Set(),
  offer(kinds) {
    const had = get().offered;
    const more = [...kinds].filter((k) => !had.has(k));
    if (more.length) set({ offered: new Set([...had, ...more]) });
  },
  query: null,
  takeQuery() {
    const q = get().query;
    if (q !== null) set({ query: null });
    return q;
  },
}));

/** Opens the audit trail showing only entries of these kinds. */
export function openAuditOfKinds(...kinds: string[]): void {
  useAuditFilter.setState({ query: null });
  useApp.getState().setAuditKinds(kinds);
  useApp.getState().openAudit('');
}

/**
 * Opens the audit trail on one source's changes: kind `source`, and that source only (its
 * id exactly, in the route: a chip says so and removes it), the filter box empty: one step
 * for Back, its address `#/audit?kind=source&source=ID`.
 */
export function openAuditOfSource(id: string): void {
  useAuditFilter.setState({ query: null });
  useApp.getState().showSource(id, { view: 'audit', kinds: ['source'] });
}
