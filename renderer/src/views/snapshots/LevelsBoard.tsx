// The levels board, the first screen of Snapshots: one row per underlying with its
// latest snapshot's spot, zero gamma, walls, absolute-gamma strike, total GEX (one
// scale, named in the header), its age, and a sparkline of total GEX over its history.
// A click or Enter opens the snapshot; the board exports as CSV (every ticker's levels).
import { useEffect, useMemo, useRef } from 'react';
import type { LevelsRow } from '../../../../shared/api.ts';
import { useApp } from '../../state/store.ts';
import { useLevels } from './use-levels.ts';
import { dataNow, useDataNow } from '../../state/reach.ts';
import { ErrorLine } from '../../components/common.tsx';
import { Cells, TableHead } from '../../components/table/TableHead.tsx';
import { tableStyle, useTable } from '../../components/table/use-table.ts';
import { useRoving } from '../../components/table/roving.ts';
import { compareBy, type Column } from '../../components/table/columns.ts';
import { csvText, download } from '../../components/plot/chart-export.ts';
import { price, spotPrice } from '../../text/numbers.ts';
import { GEX_UNIT, gex, gexScale, inScale, type GexScale } from '../../text/scale.ts';
import { GexCell } from '../../components/GexCell.tsx';
import { originLabel, shortFolder } from '../../text/origin.ts';
import { asOfStamp, localClock } from '../../text/time.ts';
import { age } from '../../../../shared/age.ts';
import { REINGEST } from './snapshot-data.ts';
import { plural } from '../../text/words.ts';
import { useSparklines, type Spark } from './use-sparklines.ts';
import { breaksOf } from '../../components/plot/gaps.ts';
import { sparkSummary } from '../../components/plot/chart-summary.ts';
import { UnreadableNotice } from './UnreadableNotice.tsx';
import { ConventionsNote } from './ConventionsNote.tsx';
import { levelsConventionsNotes } from '../../../../shared/conventions-compare.ts';
import { visibleName } from '../../../../shared/visible.ts';

type Sparks = ReadonlyMap<string, Spark>;

/** The board's rows before the first load (one list: the table and sparklines key on it). */
const NO_ROWS: LevelsRow[] = [];

/** Seconds from a data time to `nowMs`. */
const ageAt = (asOf: string, nowMs: number) => (nowMs - Date.parse(asOf)) / 1000;

/**
 * A row's age, counted on screen (the board is read again only when snapshots arrive or
 * go, so the engine's age_s of that read would stand still); as of the last contact while
 * the engine cannot be reached.
 */
function Age({ asOf }: { asOf: string }) {
  return <>{age(ageAt(asOf, useDataNow(1000)))}</>;
}

/**
 * Total GEX against time, as History draws it: spaced by each snapshot's time, and broken
 * across a hole of days with none (gaps.ts), a point alone between holes a dot; so a
 * two-week hole reads as one, not as a slope. A screen reader hears its first and last
 * figure and the move ("from -8.98 Bn to 3.02 Bn over 5 snapshots, up 12.00 Bn").
 */
function Sparkline({
  values,
  at,
  label,
}: {
  values: number[] | null | undefined;
  at: number[] | undefined;
  label: string;
}) {
  if (values === null)
    return (
      <span className="muted" title="Its history could not be read: History shows why">
        —
      </span>
    );
  if (!values || values.length < 2 || !at || at.length !== values.length)
    return <span className="muted">{values ? 'one snapshot' : '…'}</span>;
  const w = 110;
  const h = 22;
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (lo === hi) [lo, hi] = [-1, 1];
  const span = at[at.length - 1]! - at[0]! || 1;
  const x = (i: number) => ((at[i]! - at[0]!) / span) * (w - 2) + 1;
  const y = (v: number) => 1 + ((hi - v) / (hi - lo)) * (h - 2);
  const breaks = new Set(breaksOf(at));
  const d = values
    .map((v, i) => `${i && !breaks.has(i) ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`)
    .join('');
  const alone = values
    .map((_, i) => i)
    .filter((i) => (i === 0 || breaks.has(i)) && (i === values.length - 1 || breaks.has(i + 1)));
  const last = values[values.length - 1]!;
  const holes = breaks.size;
  const scale = gexScale(values);
  const says = `${label}, ${GEX_UNIT}: ${sparkSummary(values, (v) => gex(v, scale))}`;
  return (
    <svg
      width={w}
      height={h}
      className="spark"
      role="img"
      aria-label={holes ? `${says}; ${plural(holes, 'hole')} of days with none` : says}
      data-holes={holes}
    >
      <title>
        {`Total GEX against time${holes ? `; ${plural(holes, 'hole')} of days with no snapshot, where the line breaks` : ''}`}
      </title>
      <line x1={0} x2={w} y1={y(0)} y2={y(0)} className="spark-zero" />
      <path d={d} className="spark-line" />
      {alone.map((i) => (
        <circle key={i} cx={x(i)} cy={y(values[i]!)} r={1.2} className="spark-dot" />
      ))}
      <circle cx={x(values.length - 1)} cy={y(last)} r={2} className={last < 0 ? 'neg' : 'pos'} />
    </svg>
  );
}

/**
 * Where a row's snapshot comes from: this desk, or the attached folder (shortened, told
 * apart from the board's other attached folders, `among`; whole in the tooltip).
 */
function Origin({ origin, among }: { origin: string; among: readonly string[] }) {
  // The column says "attached from": the folder alone, shortened, fits it at 1024 px.
  return originLabel(origin) ? (
    <span
      className="origin-attached"
      title={`Read-only, from the attached export folder ${origin}`}
    >
      {shortFolder(origin, among)}
    </span>
  ) : (
    <span className="muted" title="This desk’s own store">
      this desk
    </span>
  );
}

function columns(
  scale: GexScale,
  spark: Sparks,
  folders: readonly string[],
): Column<LevelsRow, undefined>[] {
  const lvl = (v: number | null, r: LevelsRow) =>
    v === null && r.note ? (
      <span className="muted" title={r.note}>
        {REINGEST}
      </span>
    ) : (
      price(v)
    );
  return [
    {
      id: 'underlying',
      label: 'Underlying',
      width: 84,
      className: 'underlying',
      sort: compareBy((r) => r.underlying),
      // Escaped (and a mixed-script look-alike flagged) as names are: a second line of defence
      // behind the engine's refusal of such underlyings (shared/visible.ts visibleName).
      cell: (r) => visibleName(r.underlying),
    },
    {
      id: 'spot',
      label: 'Spot',
      width: 84,
      align: 'right',
      sort: compareBy((r) => r.spot),
      cell: (r) => spotPrice(r.spot),
    },
    {
      id: 'zero',
      label: 'Zero gamma',
      title: 'The spot level where total GEX changes sign (the flip)',
      width: 86,
      align: 'right',
      sort: compareBy((r) => r.zero_gamma),
      cell: (r) => price(r.zero_gamma),
    },
    {
      id: 'call',
      label: 'Call wall',
      title: 'Strike with the largest call GEX',
      width: 76,
      align: 'right',
      className: 'pos',
      sort: compareBy((r) => r.call_wall),
      cell: (r) => price(r.call_wall),
    },
    {
      id: 'put',
      label: 'Put wall',
      title: 'Strike with the largest put GEX',
      width: 76,
      align: 'right',
      className: 'neg',
      sort: compareBy((r) => r.put_wall),
      cell: (r) => price(r.put_wall),
    },
    {
      id: 'abs',
      label: 'Abs. γ strike',
      title: 'Strike with the largest call GEX + |put GEX|',
      width: 108,
      align: 'right',
      sort: compareBy((r) => r.absolute_gamma_strike),
      cell: (r) => lvl(r.absolute_gamma_strike, r),
    },
    {
      id: 'total',
      label: inScale('Total GEX', scale),
      title: `Net gamma exposure, ${GEX_UNIT}, in ${scale.words}`,
      width: 100,
      align: 'right',
      sort: compareBy((r) => r.total_gex),
      cell: (r) => (
        <GexCell
          value={r.total_gex}
          scale={scale}
          className={r.total_gex < 0 ? 'neg' : 'pos'}
          testId="levels-total"
          bold
        />
      ),
    },
    {
      id: 'spark',
      label: 'Total GEX over time',
      title:
        'Total GEX of every stored snapshot against time; a hole of days with none breaks the line',
      width: 124,
      optional: 1,
      cell: (r) => {
        const values = spark.get(r.underlying)?.values;
        return (
          <Sparkline
            values={values}
            at={spark.get(r.underlying)?.at}
            label={`Total GEX of ${r.underlying}`}
          />
        );
      },
    },
    {
      id: 'age',
      label: 'Age',
      title: 'Time since the data’s as-of',
      // Its longest usual text whole ("47 h 59 min": 79 px at 74 read "38 h 32 m…").
      width: 92,
      align: 'right',
      sort: compareBy((r) => -Date.parse(r.as_of)),
      cell: (r) => <Age asOf={r.as_of} />,
    },
    {
      id: 'asof',
      label: 'As of',
      title: 'When the data was observed, in the offset the exchange wrote it',
      width: 170,
      min: 120,
      flex: true,
      optional: 2,
      className: 'num-left',
      sort: compareBy((r) => Date.parse(r.as_of)),
      cell: (r) => asOfStamp(r.as_of),
    },
    // Only on a desk that attaches export folders: where each row's snapshot comes from.
    ...(folders.length > 0
      ? [
          {
            id: 'origin',
            label: 'Attached from',
            title:
              'The attached export folder the snapshot is read from (read-only), or this desk’s own store',
            width: 210,
            min: 210,
            className: 'origin-cell',
            sort: compareBy((r: LevelsRow) => r.origin),
            cell: (r: LevelsRow) => <Origin origin={r.origin} among={folders} />,
          } satisfies Column<LevelsRow, undefined>,
        ]
      : []),
  ];
}

/** Scrolls the board's box so that its selected row shows below the header; false without one. */
function revealSelected(board: HTMLElement | null): boolean {
  const scroller = board?.querySelector<HTMLElement>('.tscroll');
  const row = scroller?.querySelector<HTMLElement>('.levels-row.selected');
  if (!scroller || !row) return false;
  const box = scroller.getBoundingClientRect();
  const r = row.getBoundingClientRect();
  const head = scroller.querySelector('.thead-group')?.getBoundingClientRect().height ?? 0;
  if (r.top < box.top + head) scroller.scrollTop -= box.top + head - r.top;
  else if (r.bottom > box.bottom) scroller.scrollTop += r.bottom - box.bottom;
  return true;
}

export function LevelsBoard({ compact }: { compact: boolean }) {
  const selected = useApp((s) => s.snapshotId);
  // Loaded when shown, and again when a snapshot is removed or arrives (at most once a
  // second during a burst, one call at a time: use-levels.ts); the sparklines of the rows
  // on screen with them. Rows loaded before stay while a later load fails: said above
  // them, with when they were loaded, until a load answers (QA F4: they were kept with no
  // word, an attached folder gone, and hid this desk's newer snapshots).
  const levels = useLevels();
  const rows = levels.rows ?? NO_ROWS;
  const { error, unreadable, not_exports: notExports } = levels;
  const loaded = levels.rows !== null || error !== null;
  const stale = error !== null && rows.length > 0;

  const board = useRef<HTMLElement>(null);
  const spark = useSparklines(rows, board);
  const scale = gexScale(rows.map((r) => r.total_gex));
  // Every attached folder, read or not (levels' `attached`): each origin is told apart from
  // all of them, so that a row keeps its label while another folder does not answer.
  const folderKey = levels.attached.join('\n');
  const folders = useMemo(() => (folderKey ? folderKey.split('\n') : []), [folderKey]);
  const cols = useMemo(() => columns(scale, spark, folders), [scale, spark, folders]);
  const [table, setFrame] = useTable('levels', cols, rows, { id: 'underlying', dir: 'asc' });

  // The open snapshot's row is kept in the board's own box (the compact board above an
  // open snapshot shows a few rows): scrolled there when it opens and when the box changes
  // size, never on new data (an analyst may be looking at other rows), never the page.
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    if (shownFor.current !== selected && revealSelected(board.current)) shownFor.current = selected;
  }, [selected, table.rows, compact]);
  useEffect(() => {
    const scroller = board.current?.querySelector('.tscroll');
    if (!scroller) return;
    const watch = new ResizeObserver(() => revealSelected(board.current));
    watch.observe(scroller);
    return () => watch.disconnect();
  }, []);
  const open = (r: LevelsRow | undefined) => r && useApp.getState().openSnapshot(r.id);
  const roving = useRoving({ count: table.rows.length, onOpen: (i) => open(table.rows[i]) });
  const exportCsv = () => {
    const now = dataNow();
    download(
      new Blob(
        [
          csvText(
            [
              'underlying',
              'id',
              'as_of',
              'spot',
              'zero_gamma',
              'call_wall',
              'put_wall',
              'absolute_gamma_strike',
              `total_gex (USD, ${GEX_UNIT})`,
              'age_s',
              'origin',
            ],
            table.rows.map((r) => [
              r.underlying,
              r.id,
              r.as_of,
              r.spot,
              r.zero_gamma,
              r.call_wall,
              r.put_wall,
              r.absolute_gamma_strike,
              r.total_gex,
              Math.round(ageAt(r.as_of, now)),
              r.origin,
            ]),
          ),
        ],
        { type: 'text/csv' },
      ),
      'levels.csv',
    );
  };

  // Latest snapshots computed under more than one set of conventions: said above the rows.
  const conventionNotes = useMemo(() => levelsConventionsNotes(rows), [rows]);

  return (
    <section
      ref={board}
      className={`levels-board${compact ? ' compact' : ''}`}
      aria-label="Levels board"
      data-testid="levels-board"
    >
      <div className="toolbar">
        <h2 className="pane-title" tabIndex={-1}>
          Latest levels per underlying
        </h2>
        <span className="spacer" />
        <button
          className="btn small ghost"
          onClick={exportCsv}
          data-testid="levels-csv"
          disabled={rows.length === 0}
        >
          Export CSV
        </button>
      </div>
      <div
        role="status"
        className={stale ? 'banner paused levels-stale' : 'sr-only'}
        data-testid="levels-stale"
      >
        {stale && error && (
          <>
            <p className="unreadable-title">
              The rows below are as of{' '}
              {levels.loadedAt === null
                ? 'an earlier load'
                : localClock(new Date(levels.loadedAt).toISOString())}{' '}
              and could not be refreshed: they may be out of date. The board tries again every few
              seconds.
            </p>
            <ErrorLine error={error} />
          </>
        )}
      </div>
      <UnreadableNotice files={unreadable} folders={notExports} />
      <ConventionsNote notes={conventionNotes} testId="levels-conventions" />
      <div
        ref={setFrame}
        className={`table levels-table${stale ? ' stale' : ''}`}
        role="table"
        aria-label="Levels per underlying"
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
                  {error ? (
                    <ErrorLine error={error} />
                  ) : loaded && unreadable.length > 0 ? (
                    'No snapshot could be read (the files named above).'
                  ) : loaded && notExports.length > 0 ? (
                    'No snapshot stored here, and none read from the folder named above.'
                  ) : loaded ? (
                    'No snapshots yet. A finished ingest appears here.'
                  ) : (
                    'Loading the levels…'
                  )}
                </span>
              </div>
            )}
            {table.rows.map((r, i) => (
              <div
                key={r.underlying}
                role="row"
                className={`row levels-row ${selected === r.id ? 'selected' : ''}`}
                onClick={() => open(r)}
                data-testid="levels-row"
                data-underlying={r.underlying}
                {...roving.rowProps(i)}
              >
                <Cells table={table} row={r} ctx={undefined} />
              </div>
            ))}
          </div>
        </div>
      </div>
      {!compact && rows.length > 0 && (
        <p className="muted board-hint">
          Click a row or press Enter to open its latest snapshot. History and Compare follow an
          underlying over time.
        </p>
      )}
    </section>
  );
}
