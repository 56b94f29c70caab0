// Moving between the Snapshots panes (route.ts keeps them in the address): the levels
// board, the list of every snapshot, an underlying's history, a comparison.
import { useApp } from './store.ts';

/** '' (levels board), 'list', 'history/SPX', 'compare/A/B' or 'compare/B' (B against the one before). */
export function showPane(pane: string): void {
  const keepOpen = pane === '' || pane === 'list';
  useApp.setState((s) => ({
    view: 'snapshots',
    snapshotsPane: pane,
    snapshotId: keepOpen ? s.snapshotId : null,
  }));
}

/** The pane's word and its arguments. */
export function paneOf(pane: string | undefined): { kind: string; args: string[] } {
  const [kind = '', ...args] = (pane ?? '').split('/');
  return { kind, args };
}
