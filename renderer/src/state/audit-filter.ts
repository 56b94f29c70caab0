// The Audit view's kind filter, kept apart from the view so that another view can open
// the audit trail already filtered (the Sources view: "its changes in the audit trail"
// opens it on kind `source`).
import { create } from 'zustand';
import { useApp } from './store.ts';

interface AuditFilter {
  kinds: ReadonlySet<string>;
  setKinds(kinds: ReadonlySet<string>): void;
}

export const useAuditFilter = create<AuditFilter>((set) => ({
  kinds: new Set(),
  setKinds: (kinds) => set({ kinds }),
}));

/** Opens the audit trail showing only entries of these kinds. */
export function openAuditOfKinds(...kinds: string[]): void {
  useAuditFilter.getState().setKinds(new Set(kinds));
  useApp.getState().openAudit('');
}
