// A reload of `sources:list` (at most once a second while jobs end) gives every record
// anew, though a burst of jobs moves the counts of a few sources: each record equal to
// the one listed before is kept as it was (the same object), so that the table's
// memoised rows (SourcesView's SourceRow) draw only the sources that changed — 1,200
// rows drawn again on every reload were 50–74 long tasks in a burst, and typing lagged.
import type { SourceRecord } from '../../../../shared/api.ts';

/** `next`, each record equal (by value) to `prev`'s of the same id replaced by that one. */
export function keepUnchanged(
  prev: readonly SourceRecord[] | null,
  next: SourceRecord[],
): SourceRecord[] {
  if (!prev || prev.length === 0) return next;
  const before = new Map(prev.map((s) => [s.id, s]));
  let same = prev.length === next.length;
  const out = next.map((s, i) => {
    const old = before.get(s.id);
    const kept = old && JSON.stringify(old) === JSON.stringify(s) ? old : s;
    if (kept !== prev[i]) same = false;
    return kept;
  });
  // Nothing changed: the list itself is kept (the view's order and filter are not redone).
  return same ? (prev as SourceRecord[]) : out;
}
