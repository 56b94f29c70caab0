// A table's columns: full header names (with a tooltip for the unit or the
// abbreviation), widths the analyst can drag and that persist, sorting by a header
// click (ascending, descending, back to the view's own order), and, when the window
// is too narrow for all of them, the optional columns left out (least needed first)
// rather than numbers cut or a sideways scroll.
import type { ReactNode } from 'react';

export interface Column<T, C = undefined> {
  id: string;
  /** The full header text. */
  label: string;
  /**
   * A second header line (the zone a time column is in: "GMT+11"), so that the label and it
   * fit a narrow column; read after the label, with a comma ("Submitted, GMT+11").
   */
  sub?: string;
  /** Tooltip: what the column holds, with its unit or zone. */
  title?: string;
  /** Default width in pixels; a `flex` column grows from it. */
  width: number;
  min?: number;
  flex?: boolean;
  align?: 'left' | 'right';
  sort?: (a: T, b: T) => number;
  /** Left out when the table is too narrow; the higher, the sooner. */
  optional?: number;
  /** The cell's class (beside `num` for right-aligned columns). */
  className?: string;
  cell(row: T, ctx: C): ReactNode;
  /** The cell's tooltip. */
  title_of?(row: T, ctx: C): string | undefined;
  /**
   * Set by `fitColumns` on the last column shown when the flexible one is left out: it takes
   * the room left, from its width (the analyst's too) up, so that no empty cell stays.
   */
  fills?: boolean;
}

const GAP = 10;
const PADDING = 20;

/** The width the columns need at their (minimum) widths, with the gaps and the row's padding. */
export function tableWidth<T, C>(
  columns: Column<T, C>[],
  widths: Record<string, number> = {},
): number {
  // A flexible column the analyst has not sized can shrink to its minimum.
  const least = (c: Column<T, C>) => widths[c.id] ?? (c.flex ? (c.min ?? c.width) : c.width);
  return (
    columns.reduce((n, c) => n + Math.max(c.min ?? MIN, least(c)), 0) +
    GAP * (columns.length - 1) +
    PADDING
  );
}

/** The columns that fit in `width` pixels: optional ones left out, the highest `optional` first. */
export function fitColumns<T, C>(
  columns: Column<T, C>[],
  width: number,
  widths: Record<string, number> = {},
): Column<T, C>[] {
  let shown = columns;
  const need = (cols: Column<T, C>[]) => tableWidth(cols, widths);
  while (width > 0 && need(shown) > width) {
    const drop = shown
      .filter((c) => c.optional !== undefined)
      .sort((a, b) => b.optional! - a.optional!)[0];
    if (!drop) break;
    shown = shown.filter((c) => c !== drop);
  }
  // The flexible column left out, the last one shown takes the room it filled: no empty
  // band after the last column (the levels board at 1024 px without its As-of column),
  // even when the analyst gave that column a width (Age dragged wider: its width is then
  // its least).
  if (shown.length < columns.length && columns.some((c) => c.flex) && !shown.some((c) => c.flex))
    shown = shown.map((c, i) => (i === shown.length - 1 ? { ...c, flex: true, fills: true } : c));
  return shown;
}

export type SortDir = 'asc' | 'desc';
export interface SortState {
  id: string;
  dir: SortDir;
}

const MIN = 36;

/** The CSS grid template of the columns at their widths. */
export function gridTemplate<T, C>(
  columns: Column<T, C>[],
  widths: Record<string, number> = {},
): string {
  return columns
    .map((c) => {
      const sized = widths[c.id];
      if (c.fills && sized !== undefined)
        return `minmax(${Math.max(c.min ?? MIN, sized)}px, ${Math.max(c.min ?? MIN, sized)}fr)`;
      if (sized !== undefined || !c.flex) return `${Math.max(c.min ?? MIN, sized ?? c.width)}px`;
      // A flexible column takes a share of the room left in proportion to its width, down to its minimum.
      return `minmax(${Math.max(MIN, c.min ?? c.width)}px, ${c.width}fr)`;
    })
    .join(' ');
}

/** Rows sorted by a column (a stable sort), or as given when there is none. */
export function sortRows<T, C>(rows: T[], columns: Column<T, C>[], sort: SortState | null): T[] {
  if (!sort) return rows;
  const col = columns.find((c) => c.id === sort.id);
  if (!col?.sort) return rows;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => sign * col.sort!(a.row, b.row) || a.i - b.i)
    .map((x) => x.row);
}

/** The next sort state of a header click: asc → desc → none (or desc → asc → none for defaults). */
export function nextSort(
  current: SortState | null,
  id: string,
  first: SortDir = 'asc',
): SortState | null {
  if (!current || current.id !== id) return { id, dir: first };
  if (current.dir === first) return { id, dir: first === 'asc' ? 'desc' : 'asc' };
  return null;
}

/** Compares two nullable values, nulls last whatever the direction of the caller. */
export const compareBy =
  <T, V extends string | number>(get: (row: T) => V | null | undefined) =>
  (a: T, b: T): number => {
    const x = get(a);
    const y = get(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x < y ? -1 : 1;
  };
