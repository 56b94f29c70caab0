// The one order of an underlying's snapshots, whatever their origin (the store, an attached
// export folder): by the instant of as_of, then by when the snapshot was created (a file
// re-sent with corrected figures for the same as_of is the later one), then by id, so that
// two snapshots never compare equal and every origin picks the same "latest" on a tie. The
// store's SQL and the comparator below are the same rule; keep them side by side.
// created_at is recorded in the snapshot's export row (created_at_ms, snapshot-row.ts) and
// kept by the store as the same value (saveSnapshot), a refresh of the row keeping it
// (snapshot-refresh.ts), so both agree to the ms whatever happens to the file's time. A
// row file written before 2026-12-06 has no such column: its modification time stands in.

/** Oldest first, for ORDER BY over gex_snapshots. */
export const OLDEST_FIRST_SQL = 'as_of, created_at, id';
/** Latest first, for ORDER BY over gex_snapshots. */
export const LATEST_FIRST_SQL = 'as_of DESC, created_at DESC, id DESC';

export type Ordered = { as_of_ms: number; created_ms: number; id: string };

/** Oldest first (as OLDEST_FIRST_SQL): negative when `a` comes before `b`. */
export function compareSnapshots(a: Ordered, b: Ordered): number {
  if (a.as_of_ms !== b.as_of_ms) return a.as_of_ms - b.as_of_ms;
  if (a.created_ms !== b.created_ms) return a.created_ms - b.created_ms;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether `a` is the later of the two (the one a levels board shows). */
export const isLater = (a: Ordered, b: Ordered): boolean => compareSnapshots(a, b) > 0;

/** A file's time as a creation time (whole milliseconds, as the store keeps it): an older row file's. */
export const createdMs = (mtimeMs: number): number => Math.floor(mtimeMs);
