// A chart's cursor names a position on x (a strike, a time, an expiry), not an index into
// x. A chart's x can change in place (another expiry filter, another A or B in Compare, a
// snapshot arriving in History): an index kept across that named an unrelated position,
// and the first arrow key jumped there and panned the chart far from spot (QA wb F2). The
// position is kept while it is on the axis; when it is not, there is no cursor, and the
// keys start again at the x nearest the window's centre. Free of the DOM (node tests).
import { lowerBound, nearest, type PlotSpec, type Window } from './layout.ts';

export interface Cursor {
  /** The position (on a category axis its index, which names nothing by itself). */
  x: number;
  /** Its label: what a position on a category axis is (an expiry and its bucket). */
  label: string;
}

/** The cursor at index `i` of x. */
export function cursorOf(spec: PlotSpec, i: number): Cursor {
  const x = spec.x[i]!;
  return { x, label: spec.xFormat(x) };
}

/** The index of the cursor's position in x as it is now; null when it is not there. */
export function cursorIndex(spec: PlotSpec, c: Cursor | null): number | null {
  if (!c) return null;
  const n = spec.x.length;
  if (spec.xKind === 'category') {
    for (let i = 0; i < n; i++) if (spec.xFormat(spec.x[i]!) === c.label) return i;
    return null;
  }
  const i = lowerBound(spec.x, c.x);
  return i < n && spec.x[i] === c.x ? i : null;
}

/** Where the keys start from: the cursor, else the x nearest the window's centre. */
export function keyStart(spec: PlotSpec, c: Cursor | null, win: Window): number {
  return cursorIndex(spec, c) ?? nearest(spec.x, (win.lo + win.hi) / 2);
}

/** The cursor kept when a new starting window applies: only when it lies inside it. */
export function keptIn(spec: PlotSpec, c: Cursor | null, win: Window): Cursor | null {
  const i = cursorIndex(spec, c);
  if (i === null) return null;
  const x = spec.x[i]!;
  return x >= win.lo && x <= win.hi ? c : null;
}

export const sameCursor = (a: Cursor | null, b: Cursor | null): boolean =>
  a === b || (!!a && !!b && a.x === b.x && a.label === b.label);
