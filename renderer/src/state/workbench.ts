// Moving between the Snapshots panes (route.ts keeps them in the address): the levels
// board, the list of every snapshot, an underlying's history, a comparison.
import { useCallback } from 'react';
import { useApp } from './store.ts';
import { panePath, showsPane } from './route.ts';
import { inPlace } from './in-place.ts';

export { paneOf, panePath } from './route.ts';

/**
 * '' (levels board), 'list', 'history/SPX', 'compare/A/B' or 'compare/B' (B against the one
 * before), its arguments encoded: built with `panePath`.
 */
export function showPane(pane: string): void {
  const keepOpen = pane === '' || pane === 'list';
  useApp.setState((s) => ({
    view: 'snapshots',
    snapshotsPane: pane,
    snapshotId: keepOpen ? s.snapshotId : null,
  }));
}

/**
 * The app completing the address of the pane it shows (Compare's A filled in, History's
 * underlying chosen, an id's first characters written in full): in place, and only while
 * `from` is still the pane shown. An effect of the pane may run after the analyst left it
 * (React runs a commit's pending effects before the next change, here the address read
 * from a link or Back): without that check it wrote its pane back over the one chosen.
 */
export function completePane(from: string, to: string): void {
  if (showsPane(useApp.getState(), from)) inPlace(() => showPane(to));
}

/** `completePane` from the pane this component was rendered for. */
export function useCompletePane(): (to: string) => void {
  const pane = useApp((s) => (s.view === 'snapshots' ? (s.snapshotsPane ?? '') : null));
  return useCallback(
    (to: string) => {
      if (pane !== null) completePane(pane, to);
    },
    [pane],
  );
}

/** The underlying a pane is about, and the snapshot in view of it (open, or B of a comparison). */
export interface InView {
  underlying: string;
  id?: string;
}

/**
 * Where a pane tab leads from what is in view, so that History and Compare follow the
 * snapshot or underlying the analyst is looking at: History shows its underlying; Compare
 * puts the snapshot in view against the one before it (an underlying's latest, when only
 * the underlying is known: `latestOf`). Without anything in view, the pane's own default.
 */
export async function paneFrom(
  kind: string,
  inView: InView | null,
  latestOf: (underlying: string) => Promise<string | undefined>,
): Promise<string> {
  if (!inView) return kind;
  if (kind === 'history') return panePath('history', inView.underlying);
  if (kind === 'compare') {
    const id = inView.id ?? (await latestOf(inView.underlying));
    return id ? panePath('compare', id) : kind;
  }
  return kind;
}
