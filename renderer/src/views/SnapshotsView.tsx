// Recent snapshots, sorted by as-of (newest first) unless the analyst sorts by
// another column, with their key figures in one GEX scale and their data quality
// against the threshold set here; the open snapshot's figures and charts below.
// A filter that hides the open snapshot closes it.
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../state/store.ts';
import { useSettings } from '../state/settings.ts';
import { gexScale } from '../text/scale.ts';
import { plural } from '../text/words.ts';
import { ErrorLine } from '../components/common.tsx';
import { Cells, TableHead } from '../components/table/TableHead.tsx';
import { tableStyle, useTable } from '../components/table/use-table.ts';
import { useRoving } from '../components/table/roving.ts';
import { SnapshotPanel } from './snapshots/SnapshotPanel.tsx';
import { snapshotColumns } from './snapshots/snapshot-columns.tsx';

function ThresholdSetting() {
  const threshold = useSettings((s) => s.qualityThreshold);
  const set = useSettings((s) => s.setQualityThreshold);
  const [text, setText] = useState(String(Math.round(threshold * 100)));
  return (
    <label
      className="threshold"
      title="Snapshots computed from a smaller share of their rows are marked “low quality” everywhere"
    >
      Mark quality below
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        value={text}
        data-testid="quality-threshold"
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v) && v >= 0 && v <= 100) set(v / 100);
        }}
      />
      %
    </label>
  );
}

export function SnapshotsView() {
  const snapshots = useApp((s) => s.snapshots);
  const selected = useApp((s) => s.snapshotId);
  const open = useApp((s) => s.openSnapshot);
  const loadError = useApp((s) => s.loadError);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toUpperCase();
    return q ? snapshots.filter((s) => s.underlying.toUpperCase().includes(q)) : snapshots;
  }, [snapshots, filter]);
  const openOne = selected ? snapshots.find((s) => s.id === selected) : undefined;
  const scale = gexScale(
    [...shown, ...(openOne ? [openOne] : [])].flatMap((s) => [s.total_gex, s.call_gex, s.put_gex]),
  );
  const columns = useMemo(() => snapshotColumns(scale), [scale]);
  const [table, setFrame] = useTable('snapshots', columns, shown, { id: 'asof', dir: 'desc' });
  const roving = useRoving({
    count: table.rows.length,
    onOpen: (i) => table.rows[i] && open(table.rows[i].id),
  });

  // A deep link to a snapshot that is not among the recent ones loads it.
  useEffect(() => {
    if (selected) void useApp.getState().ensureSnapshot(selected);
  }, [selected]);

  const changeFilter = (value: string) => {
    const q = value.trim().toUpperCase();
    if (openOne && q && !openOne.underlying.toUpperCase().includes(q)) open(null);
    setFilter(value);
  };

  return (
    <div
      className={`view snapshots-view${selected ? ' has-detail' : ''}`}
      data-testid="snapshots-view"
    >
      <h1 className="sr-only">Snapshots</h1>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          aria-label="Filter snapshots by underlying"
          placeholder="Filter by underlying"
          value={filter}
          onChange={(e) => changeFilter(e.target.value)}
          spellCheck={false}
        />
        <ThresholdSetting />
        <span className="spacer" />
        <span className="row-count">
          {shown.length === snapshots.length
            ? plural(snapshots.length, 'snapshot')
            : `${shown.length} of ${plural(snapshots.length, 'snapshot')}`}
        </span>
      </div>
      <div
        ref={setFrame}
        className="table snap-table"
        role="table"
        aria-label="Snapshots"
        aria-rowcount={table.rows.length + 1}
        style={tableStyle(table)}
      >
        <div className="tscroll" onKeyDown={roving.onKeyDown}>
          <div role="rowgroup" className="thead-group">
            <TableHead table={table} />
          </div>
          <div role="rowgroup">
            {table.rows.length === 0 && (
              <div className="empty" role="row">
                <span role="cell">
                  {loadError ? (
                    <ErrorLine error={loadError} />
                  ) : snapshots.length ? (
                    'No snapshot matches.'
                  ) : (
                    'No snapshots yet. A finished ingest appears here.'
                  )}
                </span>
              </div>
            )}
            {table.rows.map((s, i) => (
              <div
                key={s.id}
                role="row"
                className={`row snap-row ${selected === s.id ? 'selected' : ''}`}
                onClick={() => open(s.id)}
                data-testid="snapshot-row"
                {...roving.rowProps(i)}
              >
                <Cells table={table} row={s} ctx={undefined} />
              </div>
            ))}
          </div>
        </div>
      </div>
      {selected && <SnapshotPanel id={selected} scale={scale} />}
    </div>
  );
}
