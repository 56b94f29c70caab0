// The underlying History and Compare open on when the address names none (a reload, a
// bookmark, a new tab, the pane tab with nothing in view): that of the newest snapshot
// stored here, else the first on the board (a desk whose own store is empty may have
// attached snapshots). One rule for both panes, and one answer whatever order the list of
// stored snapshots and the board arrive in: none is given until the list has answered,
// since before it only the board is known and its first row (alphabetical) would be
// written into the address in place, for good.
import type { LevelsRow } from '../../../../shared/api.ts';
import { useApp } from '../../state/store.ts';

/**
 * The underlying to start on; undefined while it is not known yet (the list of stored
 * snapshots not answered, or none stored and the board not loaded) or on a desk with none.
 */
export function useStartUnderlying(rows: LevelsRow[] | null): string | undefined {
  const listed = useApp((s) => s.snapshotsListed);
  const newest = useApp((s) => s.snapshots[0]?.underlying);
  if (!listed) return undefined;
  return newest ?? rows?.[0]?.underlying;
}
