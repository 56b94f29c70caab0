// The underlyings on the levels board, each with its latest snapshot: the board's rows,
// and what the History and Compare views offer to choose from. Loaded when shown, and again when a snapshot
// is removed or arrives (at most once a second: use-arrivals.ts), so that the first
// snapshot of an underlying is offered without a reload. One levels call at a time: a
// snapshot arriving meanwhile asks for one more when it returns (use-latest-call.ts).
import { useState } from 'react';
import type { LevelsRow, UnreadableFile } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useArrivals } from '../../state/use-arrivals.ts';
import { useApp } from '../../state/store.ts';
import { useLatestCall } from '../../state/use-latest-call.ts';

export interface Levels {
  /** The board's rows; null until loaded (an empty list is a desk with no snapshot). */
  rows: LevelsRow[] | null;
  /** Why they could not be loaded (an attached folder that is gone). */
  error: AppError | null;
  /** Files of attached folders that could not be read: their snapshots are not among the rows. */
  unreadable: UnreadableFile[];
  /** Attached folders that hold no export (not_exports). */
  not_exports: UnreadableFile[];
}

export function useLevels(): Levels {
  const client = useApp((s) => s.client);
  const arrivals = useArrivals();
  const removals = useApp((s) => s.removals);
  const [levels, setLevels] = useState<Levels>({
    rows: null,
    error: null,
    unreadable: [],
    not_exports: [],
  });
  useLatestCall(
    () => client?.call('snapshots:levels', {}) ?? null,
    (r) =>
      // Rows loaded before stay on offer while a later load fails.
      setLevels((was) =>
        r.ok
          ? { ...r.value, error: null }
          : { ...was, error: r.error, unreadable: [], not_exports: [] },
      ),
    [client],
    [arrivals, removals],
  );
  return levels;
}
