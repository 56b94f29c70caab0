// Snapshots, in panes an analyst moves between (each has an address, route.ts): the
// levels board (first: every underlying's latest levels), the list of every snapshot,
// an underlying's history, and the comparison of two snapshots. A snapshot opened from
// the board or the list shows below it with its workbench of charts.
import { useEffect, useRef, useState } from 'react';
import type { GEXSnapshot } from '../../../shared/domain.ts';
import { leftExportsText, type LeftExports } from '../../../shared/left-exports.ts';
import { snapshotById, useApp } from '../state/store.ts';
import { paneFrom, paneOf, showPane, type InView } from '../state/workbench.ts';
import { SnapshotPanel } from './snapshots/SnapshotPanel.tsx';
import { NotAnId } from '../components/NotAnId.tsx';
import { idShaped } from '../text/ids.ts';
import { notAnUnderlying, notAnUnderlyingText } from '../text/underlyings.ts';
import { LevelsBoard } from './snapshots/LevelsBoard.tsx';
import { SnapshotList } from './snapshots/SnapshotList.tsx';
import { HistoryView } from './snapshots/HistoryView.tsx';
import { CompareView } from './snapshots/CompareView.tsx';
import { asOfStamp } from '../text/time.ts';
import { useAttachedWatch } from '../state/use-attached-watch.ts';
import { NotCurrent } from '../components/NotCurrent.tsx';

const PANES = [
  { kind: '', label: 'Levels', hint: 'Every underlying’s latest levels' },
  { kind: 'list', label: 'All snapshots', hint: 'Every stored snapshot' },
  { kind: 'history', label: 'History', hint: 'An underlying’s levels and exposures over time' },
  { kind: 'compare', label: 'Compare', hint: 'What changed between two snapshots' },
];

export function SnapshotsView() {
  const selected = useApp((s) => s.snapshotId);
  const pane = useApp((s) => s.snapshotsPane);
  const { kind, args } = paneOf(pane);
  const showDetail = !!selected && (kind === '' || kind === 'list');
  // Its views read attached folders, which other desks change: looked at while open.
  useAttachedWatch();
  const client = useApp((s) => s.client);
  const snapshots = useApp((s) => s.snapshots);
  // The snapshot a pane shows: the open one, or B of a comparison.
  const shownId = showDetail ? selected : kind === 'compare' ? (args[1] ?? args[0]) : undefined;
  const shown = snapshotById(snapshots, shownId);
  // An address's underlying that cannot be one (a zero-width space, U+202E): said, never asked.
  const historyRefused = kind === 'history' && args[0] ? notAnUnderlying(args[0]) : null;
  const inView: InView | null =
    kind === 'history' && args[0] && !historyRefused
      ? { underlying: args[0] }
      : shown
        ? { underlying: shown.underlying, id: shown.id }
        : null;

  // A snapshot removed here: the focus goes to the title of the pane it was open under
  // (its Remove… button went with it), and a status line says what went while the analyst
  // stays on that pane with nothing open.
  const root = useRef<HTMLDivElement>(null);
  const [removed, setRemoved] = useState<{ text: string; pane: string; left: boolean } | null>(
    null,
  );
  const removedText = removed && removed.pane === (pane ?? '') && !selected ? removed.text : '';
  const onRemoved = (s: GEXSnapshot, left: LeftExports[]) => {
    // The latest removal is the one said: this one, not one made elsewhere before it.
    useApp.setState({ removedElsewhere: null });
    setRemoved({
      text: `Removed the ${s.underlying} snapshot of ${asOfStamp(s.as_of)}.${left.length ? ` ${leftExportsText(left)}` : ''}`,
      pane: pane ?? '',
      left: left.length > 0,
    });
  };
  const landing = () => root.current?.querySelector<HTMLElement>('.pane-title')?.focus();

  // The open snapshot removed elsewhere (another tab or window, the command line): the
  // same status says which and that it was not removed here, instead of the snapshot
  // vanishing without a word; the focus, if it went with it, lands as after a removal here.
  const elsewhere = useApp((s) => s.removedElsewhere);
  const elsewhereText =
    elsewhere && elsewhere.pane === (pane ?? '') && !selected
      ? removedElsewhereText(elsewhere)
      : '';
  useEffect(() => {
    if (elsewhere && (!document.activeElement || document.activeElement === document.body))
      landing();
  }, [elsewhere]);

  // A deep link to a snapshot that is not among the recent ones loads it (and B of a
  // comparison, whose underlying the History tab follows).
  // An address whose "id" is no id's shape is not sent to the engine (NotAnId says so).
  useEffect(() => {
    if (shownId && idShaped(shownId)) void useApp.getState().ensureSnapshot(shownId);
  }, [shownId]);

  const openPane = async (target: string) => {
    if (target === kind) return; // the pane in view stays as it is
    const latestOf = async (underlying: string) => {
      const r = await client?.call('snapshots:levels', {});
      return r?.ok ? r.value.rows.find((l) => l.underlying === underlying)?.id : undefined;
    };
    const from = useApp.getState().snapshotsPane;
    const next = await paneFrom(target, inView, latestOf);
    // Moved elsewhere meanwhile (a link, the address): that move stands.
    if (useApp.getState().snapshotsPane === from) showPane(next);
  };

  return (
    <div
      ref={root}
      className={`view snapshots-view${showDetail ? ' has-detail' : ''}`}
      data-testid="snapshots-view"
    >
      <h1 className="sr-only" tabIndex={-1}>
        Snapshots
      </h1>
      <nav className="pane-tabs" aria-label="Snapshots panes">
        {PANES.map((p) => (
          <a
            key={p.kind}
            href={`#/snapshots${p.kind ? `/${p.kind}` : ''}`}
            className={`pane-tab ${kind === p.kind ? 'active' : ''}`}
            aria-current={kind === p.kind ? 'page' : undefined}
            title={p.hint}
            data-pane={p.kind || 'levels'}
            onClick={(e) => {
              e.preventDefault();
              void openPane(p.kind);
            }}
          >
            {p.label}
          </a>
        ))}
      </nav>
      <NotCurrent />
      {/* Always in the page, so that what is written into it is read out. */}
      <div
        role="status"
        className={
          elsewhereText
            ? 'banner paused'
            : removedText
              ? `banner ${removed?.left ? 'paused' : 'ok'}`
              : 'sr-only'
        }
        data-testid="snapshot-removed-status"
      >
        {elsewhereText || removedText}
      </div>
      {kind === '' && <LevelsBoard compact={showDetail} />}
      {kind === 'list' && <SnapshotList />}
      {kind === 'history' &&
        (historyRefused ? (
          <NotAnId
            text={args[0]!}
            said={notAnUnderlyingText(args[0]!, historyRefused)}
            label="Not an underlying"
            className="history-view"
            closeLabel="History"
            onClose={() => showPane('history')}
          />
        ) : (
          <HistoryView key={args[0] ?? ''} underlying={args[0] ?? ''} replayed={args[1]} />
        ))}
      {kind === 'compare' && <CompareView ids={args} />}
      {showDetail &&
        (idShaped(selected) ? (
          <SnapshotPanel id={selected} onRemoved={onRemoved} landing={landing} />
        ) : (
          <NotAnId text={selected} onClose={() => useApp.getState().openSnapshot(null)} />
        ))}
    </div>
  );
}

/** What the status says of an open snapshot removed elsewhere. */
function removedElsewhereText({
  id,
  snapshot,
  attached,
}: {
  id: string;
  snapshot: GEXSnapshot | null;
  attached?: boolean;
}) {
  const which = snapshot
    ? `The ${snapshot.underlying} snapshot of ${asOfStamp(snapshot.as_of)}`
    : `Snapshot ${id}`;
  return attached
    ? `${which}, open here, was removed from its attached export folder (by the desk that exports there).`
    : `${which}, open here, was removed elsewhere (another window or the command line).`;
}
