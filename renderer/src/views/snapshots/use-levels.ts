// The underlyings on the levels board, each with its latest snapshot: what the History
// and Compare views offer to choose from. Loaded when shown, and again when a snapshot
// is removed or arrives (at most once a second: use-arrivals.ts), so that the first
// snapshot of an underlying is offered without a reload.
import { useEffect, useState } from 'react';
import type { LevelsRow } from '../../../../shared/api.ts';
import { useArrivals } from '../../state/use-arrivals.ts';
import { useApp } from '../../state/store.ts';

/** The board's rows; null until first loaded (an empty list is a desk with no snapshot). */
export function useLevels(): LevelsRow[] | null {
  const client = useApp((s) => s.client);
  const arrivals = useArrivals();
  const removals = useApp((s) => s.removals);
  const [rows, setRows] = useState<LevelsRow[] | null>(null);
  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('snapshots:levels', {}).then((r) => live && r.ok && setRows(r.value));
    return () => {
      live = false;
    };
  }, [client, arrivals, removals]);
  return rows;
}
