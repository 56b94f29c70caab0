// The underlyings on the levels board, each with its latest snapshot: the board's rows,
// and what the History and Compare views offer to choose from. Loaded when shown, and again when a snapshot
// is removed or arrives (at most once a second: use-arrivals.ts), so that the first
// snapshot of an underlying is offered without a reload, and when an attached export
// folder changed (another desk's snapshots came or went, the folder vanished:
// use-attached-watch.ts). One levels call at a time: a snapshot arriving meanwhile asks
// for one more when it returns (use-latest-call.ts). A load that fails keeps the rows
// loaded before, with the error and when they were loaded (the board says they are
// stale), and is tried again every few seconds until one answers.
import { useEffect, useState } from 'react';
import type { AttachedFolderProblem, LevelsRow, UnreadableFile } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useArrivals } from '../../state/use-arrivals.ts';
import { useApp } from '../../state/store.ts';
import { useLatestCall } from '../../state/use-latest-call.ts';
import { ATTACHED_CHECK_MS } from '../../state/use-attached-watch.ts';
import { showFolders } from '../../state/shown-folders.ts';

export interface Levels {
  /** The board's rows; null until loaded (an empty list is a desk with no snapshot). */
  rows: LevelsRow[] | null;
  /** Why the last load failed (an attached folder that is gone); the rows, if any, are older. */
  error: AppError | null;
  /** When the rows were loaded (ms since the epoch); null before the first load answered. */
  loadedAt: number | null;
  /** Files of attached folders that could not be read: their snapshots are not among the rows. */
  unreadable: UnreadableFile[];
  /** Attached folders nothing is read from (not_exports): unreadable, or holding no export. */
  not_exports: AttachedFolderProblem[];
  /** Every attached folder, read or not: what their labels are told apart among. */
  attached: string[];
}

export function useLevels(): Levels {
  const client = useApp((s) => s.client);
  const arrivals = useArrivals();
  const removals = useApp((s) => s.removals);
  const attachedChanges = useApp((s) => s.attachedChanges);
  const [retries, setRetries] = useState(0);
  const [levels, setLevels] = useState<Levels>({
    rows: null,
    error: null,
    loadedAt: null,
    unreadable: [],
    not_exports: [],
    attached: [],
  });
  useLatestCall(
    () => client?.call('snapshots:levels', {}) ?? null,
    (r) => {
      // Every attached folder, read or not (one that does not answer too): one folder keeps
      // one label whichever answer, where the folders of the rows alone changed it (QA sv F3).
      if (r.ok) showFolders(r.value.attached);
      // Rows loaded before stay on offer while a later load fails.
      setLevels((was) =>
        r.ok
          ? { ...r.value, error: null, loadedAt: Date.now() }
          : { ...was, error: r.error, unreadable: [], not_exports: [] },
      );
    },
    [client],
    [arrivals, removals, attachedChanges, retries],
  );
  // A load that failed is tried again every few seconds until one answers: what failed (a
  // config.json edited wrong, a share away) may come right with no snapshot arriving and
  // no listing changing. A failure costs little (it fails before reading snapshots).
  useEffect(() => {
    if (!levels.error) return;
    const t = setTimeout(() => setRetries((n) => n + 1), ATTACHED_CHECK_MS);
    return () => clearTimeout(t);
  }, [levels]);
  return levels;
}
