// Every stored snapshot (up to 10,000, the API's limit: beyond it the newest stored, and
// the count says how many there are), newest as-of first unless the analyst sorts by
// another column, virtualised so that the whole list scrolls without long tasks; the ones
// that arrive meanwhile join at the top. A filter narrows it by
// underlying (and closes the open snapshot when it hides its row); the quality
// threshold is set here.
import { memo, useEffect, useMemo, useState } from 'react';
import type { GEXSnapshot } from '../../../../shared/domain.ts';
import { LOCAL_ORIGIN } from '../../../../shared/api.ts';
import { useLevels } from './use-levels.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { inPlace } from '../../state/in-place.ts';
import { readThresholdPercent, useSettings } from '../../state/settings.ts';
import { gexScale } from '../../text/scale.ts';
import { int } from '../../text/numbers.ts';
import { plural } from '../../text/words.ts';
import { ErrorLine } from '../../components/common.tsx';
import { Cells } from '../../components/table/TableHead.tsx';
import { useTable, type TableModel } from '../../components/table/use-table.ts';
import type { Roving } from '../../components/table/roving.ts';
import { VirtualTable } from '../../components/table/VirtualTable.tsx';
import { snapshotColumns } from './snapshot-columns.tsx';

/** The threshold's error under its field (and what it describes). */
const THRESHOLD_ERROR = 'quality-threshold-error';

/**
 * The quality threshold, in percent. A value outside 0–100 (or none) is not applied: the
 * field is marked invalid, and an error beside it, which describes it, gives the allowed
 * range and the threshold still applied (before, 150 or −5 were kept without a word).
 */
function ThresholdSetting() {
  const threshold = useSettings((s) => s.qualityThreshold);
  const set = useSettings((s) => s.setQualityThreshold);
  const [text, setText] = useState(String(Math.round(threshold * 100)));
  const read = readThresholdPercent(text);
  const applied = `${+(threshold * 100).toFixed(2)} %`;
  const error = read.ok
    ? ''
    : read.why === 'range'
      ? `From 0 to 100 %: ${text.trim()} is not applied; snapshots stay marked below ${applied}.`
      : `A percentage from 0 to 100: snapshots stay marked below ${applied} until one is given.`;
  return (
    <>
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
          aria-invalid={!read.ok || undefined}
          aria-describedby={read.ok ? undefined : THRESHOLD_ERROR}
          onChange={(e) => {
            setText(e.target.value);
            const typed = readThresholdPercent(e.target.value);
            if (typed.ok) set(typed.share);
          }}
        />
        %
      </label>
      {/* Always in the page, so that what is written into it is read out. */}
      <span
        id={THRESHOLD_ERROR}
        role="status"
        className={error ? 'field-error threshold-error' : 'sr-only'}
        data-testid="quality-threshold-error"
      >
        {error}
      </span>
    </>
  );
}

interface RowProps {
  s: GEXSnapshot;
  index: number;
  top: number;
  selected: boolean;
  table: TableModel<GEXSnapshot, undefined>;
  rowProps: ReturnType<Roving['rowProps']>;
}

/**
 * One row, rendered again only when what it shows changes: while scrolling, only the
 * rows that come into view render (the handlers' closures do the same on every render).
 */
const SnapRow = memo(
  function SnapRow({ s, index, top, selected, table, rowProps }: RowProps) {
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        className={`row snap-row vrow ${selected ? 'selected' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
        onClick={() => useApp.getState().openSnapshot(s.id)}
        data-testid="snapshot-row"
        {...rowProps}
      >
        <Cells table={table} row={s} ctx={undefined} />
      </div>
    );
  },
  (a, b) =>
    a.s === b.s &&
    a.index === b.index &&
    a.top === b.top &&
    a.selected === b.selected &&
    a.rowProps.tabIndex === b.rowProps.tabIndex &&
    a.table.template === b.table.template &&
    a.table.columns.length === b.table.columns.length &&
    a.table.columns.every((c, i) => c === b.table.columns[i]),
);

/** The most snapshots the list loads (the API's limit). */
const LIST_LIMIT = 10_000;

/**
 * Every snapshot: the full list once (the newest LIST_LIMIT stored), then the store's live
 * ones merged in front; `stored` is how many exist, which is more than `all` holds when
 * the list stopped at its limit.
 */
function useAllSnapshots(): {
  all: GEXSnapshot[];
  stored: number;
  error: AppError | null;
  /** False until the list has answered. */
  listed: boolean;
} {
  const client = useApp((s) => s.client);
  const live = useApp((s) => s.snapshots);
  const removals = useApp((s) => s.removals);
  const [loaded, setLoaded] = useState<GEXSnapshot[]>([]);
  const [counted, setCounted] = useState(0);
  const [error, setError] = useState<AppError | null>(null);
  const [listed, setListed] = useState(false);
  useEffect(() => {
    if (!client) return;
    let on = true;
    void Promise.all([
      client.call('snapshots:list', { limit: LIST_LIMIT }),
      client.call('snapshots:count', {}),
    ]).then(([list, count]) => {
      if (!on) return;
      setListed(true);
      if (list.ok) setLoaded(list.value);
      else setError(list.error);
      if (count.ok) setCounted(count.value.total);
    });
    return () => {
      on = false;
    };
  }, [client, removals]);
  return useMemo(() => {
    const ids = new Set(loaded.map((s) => s.id));
    const fresh = live.filter((s) => !ids.has(s.id));
    const all = fresh.length ? [...fresh, ...loaded] : loaded;
    return { all, stored: Math.max(all.length, counted + fresh.length), error, listed };
  }, [loaded, live, counted, error, listed]);
}

/** "12 snapshots", "3 of 12 snapshots", or — past the list's limit — which part it shows. */
function countText(shown: number, listed: number, stored: number): string {
  const all = plural(stored, 'snapshot');
  if (listed === stored) return shown === listed ? all : `${int(shown)} of ${all}`;
  const newest = `the newest ${int(listed)}`;
  return shown === listed ? `${newest} of ${all}` : `${int(shown)} of ${newest} (${all} stored)`;
}

/**
 * The list holds this desk's store only (snapshots:list). Empty on a desk that reads
 * other desks' exports, it says where those are rather than "none yet" (QA F6: a desk
 * showing 1,120 attached snapshots elsewhere said it had none). The board's levels are
 * asked only while the list is empty.
 */
function NoneStored() {
  const { rows } = useLevels();
  const attached = rows?.some((r) => r.origin !== LOCAL_ORIGIN);
  return attached ? (
    <span data-testid="none-stored">
      No snapshot is stored on this desk: this list holds its own. Those read from its attached
      export folders are on the Levels board and in History.
    </span>
  ) : (
    'No snapshots yet. A finished ingest appears here.'
  );
}

export function SnapshotList() {
  const { all, stored, error, listed } = useAllSnapshots();
  const selected = useApp((s) => s.snapshotId);
  const open = useApp((s) => s.openSnapshot);
  const loadError = useApp((s) => s.loadError) ?? error;
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toUpperCase();
    return q ? all.filter((s) => s.underlying.toUpperCase().includes(q)) : all;
  }, [all, filter]);
  const openOne = selected ? all.find((s) => s.id === selected) : undefined;
  const scale = useMemo(() => {
    const values: number[] = [];
    for (const s of shown) values.push(s.total_gex, s.call_gex, s.put_gex);
    if (openOne) values.push(openOne.total_gex, openOne.call_gex, openOne.put_gex);
    return gexScale(values);
  }, [shown, openOne]);
  const columns = useMemo(() => snapshotColumns(scale), [scale]);
  const [table, setFrame] = useTable('snapshots', columns, shown, { id: 'asof', dir: 'desc' });

  const changeFilter = (value: string) => {
    const q = value.trim().toUpperCase();
    if (openOne && q && !openOne.underlying.toUpperCase().includes(q)) inPlace(() => open(null));
    setFilter(value);
  };

  return (
    <>
      <div className="toolbar">
        <h2 className="pane-title" tabIndex={-1}>
          Every stored snapshot
        </h2>
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
        <span
          className="row-count"
          data-testid="snapshot-count"
          title={
            stored > all.length
              ? `The list holds the newest ${LIST_LIMIT.toLocaleString('en-US')} snapshots stored; History shows every snapshot of an underlying, and gex-desk history UNDERLYING lists them.`
              : undefined
          }
        >
          {listed ? countText(shown.length, all.length, stored) : ''}
        </span>
      </div>
      <VirtualTable
        table={table}
        frame={setFrame}
        className="snap-table"
        label="Snapshots"
        scrollTestId="snapshot-scroll"
        onOpen={(s) => open(s.id)}
        selectedId={selected}
        overscan={6}
        // Rows follow the scroll on the next frame, one render per frame (not one per event).
        useFlushSync={false}
        empty={
          loadError ? (
            <ErrorLine error={loadError} />
          ) : all.length ? (
            'No snapshot matches.'
          ) : !listed ? (
            'Loading the snapshots…'
          ) : (
            <NoneStored />
          )
        }
        renderRow={({ row: s, index, key, top, rowProps }) => (
          <SnapRow
            key={key}
            s={s}
            index={index}
            top={top}
            selected={selected === s.id}
            table={table}
            rowProps={rowProps}
          />
        )}
      />
    </>
  );
}
