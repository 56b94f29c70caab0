// The frame the long tables share (audit entries, snapshots): a sticky header row,
// rows virtualised so that 10,000 of them scroll smoothly, one Tab stop with the arrow
// keys moving between rows (roving.ts), and a message in place of the rows when there
// are none. Each view keeps what is its own: its columns, filters and how a row looks
// (`renderRow`); the ARIA table structure and the scrolling are written here once.
// The row with the focus is always drawn, however far the list is scrolled from it, so
// that the focus never falls to the page while the row exists; the Tab stop follows its
// row when rows are added above it. A live list (`keepPlace`: the Audit) keeps the
// analyst's place while newer rows arrive on top (QA qv F10): scrolled away from the top,
// a row focused or open, the rows in view stay where they are; at the top and idle, the
// new rows show on top.
// The Queue (views/QueueView.tsx) still draws its own frame: moved onto this one, its
// p95 frame at 10,000 jobs came out late in `npx vitest run tests/e2e/scale.e2e.test.ts`
// (7 of 8 windows, against 0 of 8 with its own), for a reason not found yet.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FocusEvent,
  type ReactNode,
} from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { KEYS_HINT_ROOM } from '../common.tsx';
import { TableHead } from './TableHead.tsx';
import { tableStyle, type TableModel } from './use-table.ts';
import { useRoving } from './roving.ts';
import { revealIn } from './reveal.ts';

/** The height of a row (and of the header row, which sits in the same scroller). */
export const ROW_HEIGHT = 30;

/** What a view needs to draw one row of the table. */
export interface VirtualRow<T> {
  row: T;
  index: number;
  key: string | number | bigint;
  /** The row's offset under the header (a `translateY`). */
  top: number;
  /** The keyboard's props for the element with role="row" (tab stop, focus). */
  rowProps: ReturnType<ReturnType<typeof useRoving>['rowProps']>;
  /** For rows whose height varies: the ref that measures the row's outer element. */
  measure: (el: Element | null) => void;
}

export interface VirtualTableProps<T extends { id: string | number }, C> {
  table: TableModel<T, C>;
  /** The ref callback of useTable: the frame whose width the columns fit. */
  frame: (el: HTMLDivElement | null) => void;
  /** Added to `table` on the frame (the view's own styles). */
  className: string;
  label: string;
  /** data-testid of the scrolling element. */
  scrollTestId?: string;
  /** Shown in place of the rows when there are none. */
  empty: ReactNode;
  /** Enter (or Space) on a row. */
  onOpen(row: T): void;
  /** The last row is drawn (scrolled to, End): a list loaded a page at a time loads the next. */
  onEnd?: () => void;
  renderRow(r: VirtualRow<T>): ReactNode;
  /** A row's height before it is measured (default ROW_HEIGHT). */
  estimateSize?(row: T): number;
  overscan?: number;
  /** False: rows follow the scroll on the next frame, one render per frame. */
  useFlushSync?: boolean;
  /**
   * The row open elsewhere on screen (the snapshot below the list): scrolled into view
   * when it changes, or once it is listed (a reload, a bookmark), and left alone after.
   */
  selectedId?: string | number | null;
  /**
   * The row open in place, its details drawn below its cells (an audit entry's facts):
   * brought into view when it opens (reveal.ts).
   */
  openId?: string | number | null;
  /** The table shows a KeysHint over its corner: room is kept for it after the last row. */
  keysHint?: boolean;
  /**
   * Rows arrive on top while the list is read (a live list): scrolled away from the top, or
   * a row focused or open, the rows in view are kept where they are as rows are added
   * above them; at the top with no row focused or open, the new rows show.
   */
  keepPlace?: boolean;
  /**
   * With keepPlace: what the rows added above the view are called ("3 new entries"), on a
   * button over the list that goes back to the top, and said politely to a screen reader.
   */
  newer?: (count: number) => string;
}

export function VirtualTable<T extends { id: string | number }, C>(p: VirtualTableProps<T, C>) {
  const { table } = p;
  const rows = table.rows;
  const scroller = useRef<HTMLDivElement>(null);
  const frameEl = useRef<HTMLDivElement | null>(null);
  const frameRef = p.frame;
  const frame = useCallback(
    (el: HTMLDivElement | null) => {
      frameEl.current = el;
      frameRef(el);
    },
    [frameRef],
  );
  // The row with the focus (its id), drawn wherever the list is scrolled.
  const focusedId = useRef<string | number | null>(null);
  const focusedIndex =
    focusedId.current === null ? -1 : rows.findIndex((r) => r.id === focusedId.current);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const drawn = defaultRangeExtractor(range);
      if (focusedIndex < 0 || drawn.includes(focusedIndex)) return drawn;
      return [...drawn, focusedIndex].sort((a, b) => a - b);
    },
    [focusedIndex],
  );
  // Read now, as the rows change: whether the analyst's place is kept (see keepPlace).
  const el = scroller.current;
  const reading =
    !!p.keepPlace &&
    !!el &&
    (el.scrollTop > 0 || p.openId != null || !!frameEl.current?.contains(document.activeElement));
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (p.estimateSize && rows[i] ? p.estimateSize(rows[i]) : ROW_HEIGHT),
    overscan: p.overscan ?? 8,
    ...(p.useFlushSync === undefined ? {} : { useFlushSync: p.useFlushSync }),
    scrollMargin: ROW_HEIGHT,
    // A row scrolled to from below stops under the sticky header, not behind it.
    scrollPaddingStart: ROW_HEIGHT,
    ...(p.keysHint ? { paddingEnd: KEYS_HINT_ROOM, scrollPaddingEnd: KEYS_HINT_ROOM } : {}),
    getItemKey: (i) => rows[i]!.id,
    rangeExtractor,
    // 'end': when rows are added (or go) at either end, the row at the top of the view
    // stays where it is (the library's anchoring, before the rows are drawn).
    anchorTo: reading ? 'end' : 'start',
  });
  const items = virtualizer.getVirtualItems();
  const lastDrawn = items.filter((i) => i.index !== focusedIndex).at(-1)?.index ?? -1;
  const onEnd = p.onEnd;
  useEffect(() => {
    if (rows.length > 0 && lastDrawn >= rows.length - 1) onEnd?.();
  }, [lastDrawn, rows.length, onEnd]);
  const scrollTo = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  // The selected row, brought into view once it is listed and again when the table's box
  // changes size (the list shrinks above the snapshot opened from it); a scroll of the
  // analyst's own is left alone.
  const selectedIndex = useRef(-1);
  selectedIndex.current = p.selectedId == null ? -1 : rows.findIndex((r) => r.id === p.selectedId);
  const revealed = useRef<string | number | null>(null);
  useEffect(() => {
    const id = p.selectedId ?? null;
    if (id === revealed.current || selectedIndex.current < 0) return;
    revealed.current = id;
    scrollTo(selectedIndex.current);
  }, [p.selectedId, rows, scrollTo]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let height = el.clientHeight;
    const watch = new ResizeObserver(() => {
      if (el.clientHeight === height) return;
      height = el.clientHeight;
      if (selectedIndex.current >= 0) scrollTo(selectedIndex.current);
    });
    watch.observe(el);
    return () => watch.disconnect();
  }, [scrollTo]);
  // What opened is in the page once this render is committed: its height is read there.
  const opened = useRef<string | number | null>(null);
  useLayoutEffect(() => {
    const id = p.openId ?? null;
    if (id === opened.current) return;
    opened.current = id;
    const el = scroller.current;
    const index = id === null ? -1 : rows.findIndex((r) => r.id === id);
    const item = el?.querySelector<HTMLElement>(`.vlist > [data-index="${index}"]`);
    if (el && item) revealIn(el, item, ROW_HEIGHT);
  }, [p.openId, rows]);
  const roving = useRoving({
    count: rows.length,
    onOpen: (i) => rows[i] && p.onOpen(rows[i]),
    scrollTo,
  });
  // Rows added above while the place was kept: counted until the list is back at its top.
  const [newer, setNewer] = useState(0);
  const wasReading = useRef(false);
  wasReading.current = reading;
  const firstId = useRef<string | number | null>(rows[0]?.id ?? null);
  useLayoutEffect(() => {
    const was = firstId.current;
    firstId.current = rows[0]?.id ?? null;
    if (!p.keepPlace || was === null || was === firstId.current) return;
    const above = rows.findIndex((r) => r.id === was);
    if (above < 0)
      setNewer(0); // another list (a filter)
    else if (wasReading.current) setNewer((n) => n + above);
  }, [rows, p.keepPlace]);
  const onScroll = () => {
    if (newer && (scroller.current?.scrollTop ?? 0) <= 0) setNewer(0);
  };
  // The Tab stop is a row, not a place: rows added above it, it moves with its row.
  const stop = useRef<{ rows: readonly T[]; id: string | number | null }>({ rows, id: null });
  const { select } = roving;
  useLayoutEffect(() => {
    const was = stop.current;
    if (was.rows !== rows && was.id !== null) {
      const i = rows.findIndex((r) => r.id === was.id);
      if (i >= 0 && i !== roving.index) {
        stop.current = { rows, id: was.id };
        return select(i);
      }
    }
    stop.current = { rows, id: rows[roving.index]?.id ?? null };
  });
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const i = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]')?.dataset.rowIndex;
    focusedId.current = i === undefined ? null : (rows[Number(i)]?.id ?? null);
  };
  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    // Out of the table (not the row taken out of the page: no element then).
    const to = e.relatedTarget as Node | null;
    if (to && !e.currentTarget.contains(to)) focusedId.current = null;
  };

  const toTop = () => {
    const el = scroller.current;
    if (el) el.scrollTop = 0;
    setNewer(0);
    select(0);
    // The button goes: the focus to the newest row, once it is drawn.
    requestAnimationFrame(() =>
      frameEl.current?.querySelector<HTMLElement>('[data-row-index="0"]')?.focus(),
    );
  };

  return (
    <>
      {p.newer && (
        <>
          {newer > 0 && (
            <button type="button" className="newer-above" data-testid="newer-above" onClick={toTop}>
              {p.newer(newer)} ↑
            </button>
          )}
          <span className="sr-only" role="status" data-testid="newer-said">
            {newer > 0 ? `${p.newer(newer)} above` : ''}
          </span>
        </>
      )}
      <div
        ref={frame}
        className={`table ${p.className}`}
        role="table"
        aria-label={p.label}
        aria-rowcount={rows.length + 1}
        style={tableStyle(table)}
        // Holds the keyboard's focus while the row moved to is drawn (roving.ts).
        tabIndex={-1}
        onKeyDown={roving.onKeyDown}
        onFocus={onFocus}
        onBlur={onBlur}
      >
        <div className="tscroll" ref={scroller} data-testid={p.scrollTestId} onScroll={onScroll}>
          <div role="rowgroup" className="thead-group">
            <TableHead table={table} />
          </div>
          {rows.length === 0 ? (
            <div className="empty" role="row">
              <span role="cell">{p.empty}</span>
            </div>
          ) : (
            <div
              role="rowgroup"
              className="vlist"
              // Every row and the room after the last (the header is the scroll margin, above).
              style={{ height: virtualizer.getTotalSize() }}
            >
              {items.map((item) =>
                p.renderRow({
                  row: rows[item.index]!,
                  index: item.index,
                  key: item.key,
                  top: item.start - ROW_HEIGHT,
                  rowProps: roving.rowProps(item.index),
                  measure: virtualizer.measureElement,
                }),
              )}
            </div>
          )}
        </div>
      </div>
    </>
  );
}
