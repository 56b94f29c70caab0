// Charts stacked over one x axis (History's levels and totals, sharing their window and
// cursor; Compare's GEX and open-interest changes) draw it at the same pixels: each
// reports the left margin its y tick labels need (layout.ts plotLeft), and all take the
// widest. A margin of its own let "-100,000" shift the open-interest chart's strikes
// 9 px right of the GEX chart's above it.
import { useCallback, useMemo, useState } from 'react';
import { MARGIN } from './layout.ts';

export interface AlignedLeft {
  /** The plot's left edge every chart of the group draws at (at least). */
  minLeft: number;
  /** A chart's own need, by its test id; again on each draw. */
  report(id: string, need: number): void;
}

export function useAlignedLeft(): AlignedLeft {
  const [needs, setNeeds] = useState<Record<string, number>>({});
  const report = useCallback(
    (id: string, need: number) => setNeeds((n) => (n[id] === need ? n : { ...n, [id]: need })),
    [],
  );
  const minLeft = Math.max(MARGIN.left, ...Object.values(needs));
  return useMemo(() => ({ minLeft, report }), [minLeft, report]);
}
