// The header row of a table: each column's full name (a tooltip says its unit, zone
// or what an abbreviation stands for), a click or Enter sorts by it, and the handle
// on its right edge resizes it by dragging or with the arrow keys. Those are two Tab
// stops a column (20 on the levels board) before the first row: a "Skip to rows" button,
// the header's first stop and shown only while it has the focus, takes the keyboard to
// the table's row (its Tab stop, roving.ts) at once.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { nextSort, type Column } from './columns.ts';
import type { TableModel } from './use-table.ts';

const STEP = 16;

function ResizeHandle<T, C>({ table, column }: { table: TableModel<T, C>; column: Column<T, C> }) {
  const drag = useRef<{ x: number; w: number } | null>(null);
  const cell = useRef<HTMLSpanElement>(null);
  const current = () =>
    table.widths[column.id] ??
    cell.current?.parentElement?.getBoundingClientRect().width ??
    column.width;
  const min = column.min ?? 36;
  const onPointerDown = (e: PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, w: current() };
  };
  const onPointerMove = (e: PointerEvent<HTMLSpanElement>) => {
    if (!drag.current) return;
    table.setWidth(column.id, Math.max(min, drag.current.w + e.clientX - drag.current.x));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    table.setWidth(column.id, Math.max(min, current() + (e.key === 'ArrowRight' ? STEP : -STEP)));
  };
  const width = Math.round(table.widths[column.id] ?? column.width);
  return (
    <span
      ref={cell}
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of ${column.label}`}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={1200}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onKeyDown={onKeyDown}
      onClick={(e) => e.stopPropagation()}
    />
  );
}

/** Focuses the table's Tab stop row (the first drawn when it is scrolled out of the page). */
function toRows(from: HTMLElement): void {
  const t = from.closest('[role=table]');
  const row =
    t?.querySelector<HTMLElement>('[data-row-index][tabindex="0"]') ??
    t?.querySelector<HTMLElement>('[data-row-index]');
  row?.focus();
}

export function TableHead<T, C>({ table }: { table: TableModel<T, C> }) {
  const skip = table.rows.length > 0;
  return (
    <div className="thead row" role="row">
      {table.columns.map((c, i) => {
        const sorted = table.sort?.id === c.id ? table.sort.dir : null;
        const ariaSort =
          sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
        return (
          <span
            key={c.id}
            role="columnheader"
            aria-sort={ariaSort}
            className={`th th-${c.id}${c.align === 'right' ? ' num' : ''}`}
            title={c.title ?? c.label}
            // The header's name is its column's alone, not "Skip to rows" with it.
            aria-label={i === 0 && skip ? (c.sub ? `${c.label}, ${c.sub}` : c.label) : undefined}
          >
            {i === 0 && skip && (
              <button
                type="button"
                className="skip-rows"
                data-testid="skip-to-rows"
                // Its words are drawn by CSS (tables.css), so that the header's text stays
                // its column's: a copy of the header, or its textContent, has none of them.
                aria-label="Skip to rows"
                data-label="Skip to rows"
                onClick={(e) => toRows(e.currentTarget)}
              />
            )}
            {c.sort ? (
              <button
                className="th-sort"
                onClick={() =>
                  table.setSort(nextSort(table.sort, c.id, c.align === 'right' ? 'desc' : 'asc'))
                }
              >
                <HeadLabel column={c} />
                <span className="th-arrow" aria-hidden>
                  {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                </span>
              </button>
            ) : (
              <HeadLabel column={c} />
            )}
            <ResizeHandle table={table} column={c} />
          </span>
        );
      })}
    </div>
  );
}

/** One row's cells, in the columns shown. */
export function Cells<T, C>({ table, row, ctx }: { table: TableModel<T, C>; row: T; ctx: C }) {
  return (
    <>
      {table.columns.map((c) => (
        <span
          key={c.id}
          role="cell"
          className={`td-${c.id}${c.align === 'right' ? ' num' : ''}${c.className ? ` ${c.className}` : ''}`}
          title={c.title_of?.(row, ctx)}
        >
          {c.cell(row, ctx)}
        </span>
      ))}
    </>
  );
}

/** A header's label, and its second line when it has one (the zone of a time column). */
function HeadLabel<T, C>({ column }: { column: Column<T, C> }) {
  if (!column.sub) return <span className="th-label">{column.label}</span>;
  return (
    <span className="th-label th-two">
      <span className="th-main">
        {column.label}
        <span className="sr-only">, </span>
      </span>
      <span className="th-sub">{column.sub}</span>
    </span>
  );
}
