// The open snapshot: its key figures (GEX in the view's scale, $ per 1 % move; the
// exposures beyond gamma, or "re-ingest to see" on a snapshot stored before them), its
// data quality with the reasons, the way to its history and to a comparison, and the
// workbench of charts (SnapshotCharts).
import type { LeftExports } from '../../../../shared/left-exports.ts';
import { useEffect, useRef, useState } from 'react';
import { LOCAL_ORIGIN, type SnapshotDetail } from '../../../../shared/api.ts';
import type { GEXSnapshot } from '../../../../shared/domain.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { inPlace } from '../../state/in-place.ts';
import { useUnreachable } from '../../state/reach.ts';
import { int, price, spotPrice, shownName } from '../../text/numbers.ts';
import { GEX_UNIT, gex, snapshotScale } from '../../text/scale.ts';
import { originLabel } from '../../text/origin.ts';
import { useShownFolders } from '../../state/shown-folders.ts';
import { conventionsLine } from '../../../../shared/conventions-text.ts';
import { asOfStamp } from '../../text/time.ts';
import { ErrorLine } from '../../components/common.tsx';
import { QualityBadge } from '../../components/QualityBadge.tsx';
import { panePath, showPane } from '../../state/workbench.ts';
import { RemoveSnapshotDialog } from './RemoveSnapshotDialog.tsx';
import { SnapshotCharts } from './SnapshotCharts.tsx';
import { DEFAULT_WINDOW } from './StrikeChart.tsx';
import { measured, REINGEST } from './snapshot-data.ts';
import { useCells } from './use-cells.ts';

function Figure({
  label,
  value,
  tone,
  title,
}: {
  label: string;
  value: string;
  tone?: 'pos' | 'neg';
  title?: string;
}) {
  return (
    <div className="kf" title={title}>
      <div className="kf-label">{label}</div>
      <div className={`kf-value num ${tone ?? ''}`}>{value}</div>
    </div>
  );
}

export function SnapshotPanel({
  id,
  onRemoved,
  landing,
}: {
  id: string;
  /** It was removed here (the panel closes with it); `left`: its export files still on disk. */
  onRemoved(snapshot: GEXSnapshot, left: LeftExports[]): void;
  /** Focuses what is left in the view once it is removed. */
  landing(): void;
}) {
  const client = useApp((s) => s.client);
  const [detail, setDetail] = useState<SnapshotDetail | null>(null);
  // The board's attached folders: its label reads as the board's row does (text/origin.ts).
  const shownFolders = useShownFolders((f) => f.folders);
  const [error, setError] = useState<AppError | null>(null);
  const [removing, setRemoving] = useState(false);
  const off = useUnreachable();
  // The charts' window around spot (0: all strikes): the cells asked for are its own,
  // asked beside the figures (relative to spot, they need not wait for them).
  const [windowShare, setWindowShare] = useState(DEFAULT_WINDOW);
  // `snapshot:data` once both the figures and the cells of this id are in (and again
  // when the cells of another window arrive), before they are drawn.
  const arrived = useRef({ id: '', detail: false, cells: false });
  const landed = (what: 'detail' | 'cells', of: string) => {
    if (arrived.current.id !== of) arrived.current = { id: of, detail: false, cells: false };
    arrived.current[what] = true;
    if (arrived.current.detail && arrived.current.cells)
      performance.mark('snapshot:data', { detail: of });
  };
  const cells = useCells(id, windowShare, (of) => landed('cells', of));

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('snapshots:get', { id }).then((res) => {
      if (!live) return;
      // A link with the id's first characters (as the engine and the command line take
      // them): the address is written with the whole id, in place, which reads it again.
      if (res.ok && res.value.snapshot.id !== id)
        return inPlace(() => useApp.getState().openSnapshot(res.value.snapshot.id));
      if (res.ok) {
        landed('detail', id);
        setDetail(res.value);
        setError(null);
      } else setError(res.error);
    });
    return () => {
      live = false;
    };
  }, [client, id]);

  const close = () => useApp.getState().openSnapshot(null);
  if (error)
    return (
      <section className="snapshot-panel" aria-label="Snapshot">
        <ErrorLine error={error} />
        <button className="btn small ghost" onClick={close}>
          Close
        </button>
      </section>
    );
  if (!detail || detail.snapshot.id !== id)
    return <div className="snapshot-panel empty">Loading the snapshot…</div>;
  const s = detail.snapshot;
  const origin = originLabel(detail.origin, shownFolders);
  // Its own scale, as its charts have: the list's (Bn beside SPX) read a small underlying's
  // -67.53 M as -0.07 Bn above a chart in M.
  const scale = snapshotScale(s);
  const unitTitle = `${GEX_UNIT}`;

  return (
    <section
      className="snapshot-panel"
      data-testid="snapshot-detail"
      aria-labelledby="snapshot-title"
    >
      <div className="snapshot-head">
        <h2 id="snapshot-title" tabIndex={-1}>
          {s.underlying} <span className="muted">{asOfStamp(s.as_of)}</span>
        </h2>
        <QualityBadge quality={s.quality} reasons="inline" />
        <span
          className="muted snapshot-source"
          title={`${int(s.quality.rows_used)} of ${int(s.quality.rows_total)} rows used`}
        >
          {s.format} · {shownName(s.source_file)} · {int(s.quality.rows_used)} of{' '}
          {int(s.quality.rows_total)} rows used
        </span>
        {origin && (
          <span
            className="snapshot-origin"
            data-testid="snapshot-origin"
            title={`Read from the attached export folder ${detail.origin}, which GEX Desk only reads: it can be removed only on the workstation that exports there`}
          >
            {origin} · read-only
          </span>
        )}
        <span className="snapshot-actions">
          <button
            className="btn small ghost"
            onClick={() => showPane(panePath('history', s.underlying))}
            data-testid="open-history"
          >
            History of {s.underlying}
          </button>
          <button
            className="btn small ghost"
            onClick={() => showPane(panePath('compare', s.id))}
            data-testid="open-compare"
            title="This snapshot against the one before it (or the next one, when it is the first); either side can be changed"
          >
            Compare
          </button>
          {detail.origin === LOCAL_ORIGIN && (
            <button
              className="btn small ghost"
              onClick={() => setRemoving(true)}
              disabled={off}
              data-testid="remove-snapshot"
              title="Remove this snapshot (ingested by mistake): its figures and export files"
            >
              Remove…
            </button>
          )}
          <button className="btn small ghost" onClick={close}>
            Close
          </button>
        </span>
      </div>
      {removing && (
        <RemoveSnapshotDialog
          snapshot={s}
          onClose={() => setRemoving(false)}
          onDone={(removed) => {
            useApp.getState().onSnapshotsRemoved([removed.snapshot.id]);
            onRemoved(removed.snapshot, removed.left);
          }}
          fallbackFocus={landing}
        />
      )}
      <div className="key-figures">
        <Figure label="Spot" value={spotPrice(s.spot)} />
        <Figure
          label="Total GEX"
          title={unitTitle}
          value={gex(s.total_gex, scale)}
          tone={s.total_gex < 0 ? 'neg' : 'pos'}
        />
        <Figure label="Call GEX" title={unitTitle} value={gex(s.call_gex, scale)} tone="pos" />
        <Figure label="Put GEX" title={unitTitle} value={gex(s.put_gex, scale)} tone="neg" />
        <Figure label="Zero gamma" value={price(s.zero_gamma)} />
        <Figure
          label="Call wall"
          title="Strike with the largest call GEX"
          value={price(s.call_wall)}
        />
        <Figure
          label="Put wall"
          title="Strike with the largest put GEX"
          value={price(s.put_wall)}
        />
        <Figure label="Max pain" value={price(s.max_pain)} />
        <Figure label="Open interest" title="Contracts" value={int(s.total_open_interest)} />
        <Figure label="Volume" title="Contracts" value={int(s.total_volume)} />
        <Figure
          label="Abs. gamma strike"
          title="Strike with the largest call GEX + |put GEX|"
          value={measured(detail) ? price(detail.absolute_gamma_strike) : REINGEST}
        />
        <Figure
          label="DEX"
          title="Delta exposure, $ of delta"
          value={detail.exposures ? `${gex(detail.exposures.dex, scale)}` : REINGEST}
        />
        <Figure
          label="VEX"
          title="Vanna exposure, $ of delta per vol point"
          value={detail.exposures ? `${gex(detail.exposures.vex, scale)}` : REINGEST}
        />
        <Figure
          label="CEX"
          title="Charm exposure, $ of delta per day"
          value={detail.exposures ? `${gex(detail.exposures.cex, scale)}` : REINGEST}
        />
      </div>
      <p className="unit-note muted">
        GEX figures are {GEX_UNIT} of the underlying, in {scale.words}; DEX in $ of delta, VEX in $
        of delta per vol point, CEX in $ of delta per day.
        {detail.note && <span data-testid="snapshot-note"> {detail.note}</span>}
      </p>
      <p
        className="conventions-note muted"
        data-testid="snapshot-conventions"
        title={
          s.conventions
            ? `Computed under these GEX conventions (config "conventions"): ${JSON.stringify(s.conventions)}`
            : 'The conventions of a snapshot stored before GEX Desk recorded them are not known'
        }
      >
        Conventions: {conventionsLine(s.conventions)}
      </p>
      <SnapshotCharts
        detail={detail}
        cells={cells}
        windowShare={windowShare}
        onWindowShare={setWindowShare}
      />
    </section>
  );
}
