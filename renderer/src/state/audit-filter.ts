// The Audit view's kind filter, kept apart from the view so that another view can open
// the audit trail already filtered (the Sources view: "its changes in the audit trail"
// opens it on kind `source`, and a source's "N changes ›" on that source's). It also
// keeps the kinds the whole log has shown, so that their chips stay while some are chosen
// (the entries loaded then are of those kinds only).
import { create } from 'zustand';
import { useApp } from './store.ts';

interface AuditFilter {
  kinds: ReadonlySet<string>;
  setKinds(kinds: ReadonlySet<string>): void;
  /** Kinds seen in the unfiltered log this session: their chips are offered. */
  offered: ReadonlySet<string>;
  offer(kinds: Iterable<string>): void;
  /** The filter box's text another view asked for, taken once by the view when it shows. */
  query: string | null;
  takeQuery(): string | null;
}

export const useAuditFilter = create<AuditFilter>((set, get) => ({
  kinds: new Set(),
  setKinds: (kinds) => set({ kinds }),
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
  useAuditFilter.setState({ kinds: new Set(kinds), query: null });
  useApp.getState().openAudit('');
}

/**
 * Opens the audit trail on one source's changes: kind `source`, and that source only (its
 * id exactly, in the route: a chip says so and removes it), the filter box empty.
 */
export function openAuditOfSource(id: string): void {
  useAuditFilter.setState({ kinds: new Set(['source']), query: null });
  useApp.getState().openAudit('');
  useApp.getState().filterBySource(id);
}
