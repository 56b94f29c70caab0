// A table's state in a view: the analyst's widths (kept in the settings), the sort
// chosen by a header click, and the columns that fit the table's own width.
import { useLayoutEffect, useMemo, useState, type CSSProperties } from 'react';
import { useSettings } from '../../state/settings.ts';
import {
  fitColumns,
  gridTemplate,
  sortRows,
  tableWidth,
  type Column,
  type SortState,
} from './columns.ts';

export interface TableModel<T, C = undefined> {
  id: string;
  /** The columns shown (those that fit). */
  columns: Column<T, C>[];
  template: string;
  /** The width all rows share (`--minw`), so that they line up whatever their content. */
  minWidth: number;
  widths: Record<string, number>;
  sort: SortState | null;
  setSort(sort: SortState | null): void;
  setWidth(column: string, px: number): void;
  rows: T[];
}

export function useTable<T, C = undefined>(
  id: string,
  columns: Column<T, C>[],
  rows: T[],
  initialSort: SortState | null = null,
): [TableModel<T, C>, (el: HTMLDivElement | null) => void] {
  const widths = useSettings((s) => s.widths[id]) ?? EMPTY;
  const setStoredWidth = useSettings((s) => s.setWidth);
  const [sort, setSort] = useState<SortState | null>(initialSort);
  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  const [el, frame] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!el) return;
    const ro = new ResizeObserver(
      ([entry]) => entry && setWidth(Math.floor(entry.contentRect.width)),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  const shown = fitColumns(columns, width, widths);
  const table: TableModel<T, C> = {
    id,
    columns: shown,
    template: gridTemplate(shown, widths),
    minWidth: tableWidth(shown, widths),
    widths,
    sort,
    setSort,
    setWidth: (column, px) => setStoredWidth(id, column, px),
    rows: sorted,
  };
  // The second item is the ref callback of the element whose width the columns must fit.
  return [table, frame];
}

const EMPTY: Record<string, number> = {};

/** The table element's style: its grid template and the width all its rows share. */
export const tableStyle = <T, C>(table: TableModel<T, C>): CSSProperties =>
  ({ '--cols': table.template, '--minw': `${table.minWidth}px` }) as CSSProperties;
