// What history and levels read of each snapshot, whatever its origin (the store or an
// attached export folder), and how it becomes a history point or a levels row.
import type { HistoryPoint, LevelsRow } from '../../../shared/api.ts';
import type { GexConventions } from '../../../shared/domain.ts';
import { conventionsOf, STALE_NOTE } from '../store/snapshots.ts';
import { numberOrNull } from './detail-rows.ts';
import type { UnreadableExport } from './export-folder.ts';

export type SnapshotSummary = {
  id: string;
  origin: string;
  underlying: string;
  /** As in the file, with its offset. */
  as_of: string;
  as_of_ms: number;
  /** When it was created, epoch ms: the store's created_at, an attached snapshot's row's (snapshot-order.ts). */
  created_ms: number;
  spot: number;
  total_gex: number;
  zero_gamma: number | null;
  call_wall: number | null;
  put_wall: number | null;
  dex: number | null;
  vex: number | null;
  cex: number | null;
  absolute_gamma_strike: number | null;
  measures_version: number | null;
  content_hash: string;
  /** Null when not recorded (stored, or its row file written, before 2026-12-06). */
  conventions: GexConventions | null;
};

/** The figures of a strike a diff compares. */
export const STRIKE_ROW_FIGURES = ['net_gex', 'call_open_interest', 'put_open_interest'] as const;

/** Strike rows a diff compares. */
export type StrikeRow = { strike: number } & Record<(typeof STRIKE_ROW_FIGURES)[number], number>;

/** What the readable files gave, and the files that could not be read (none in the store). */
export interface Readable<T> {
  rows: T[];
  unreadable: UnreadableExport[];
}

/** Where snapshots come from: the store, or one attached export folder. */
export interface SnapshotOrigin {
  readonly origin: string;
  /** An underlying's snapshots with as_of in [fromMs, toMs], any order. */
  history(underlying: string, fromMs: number, toMs: number): Promise<Readable<SnapshotSummary>>;
  /** Whether it holds any snapshot of the underlying. */
  hasUnderlying(underlying: string): Promise<boolean>;
  /** Each underlying's latest readable snapshot (snapshot-order.ts). */
  latest(): Promise<Readable<SnapshotSummary>>;
  summary(id: string): Promise<SnapshotSummary | undefined>;
  /** Ids that begin with `prefix`, at most `limit` of them. */
  idsStartingWith(prefix: string, limit: number): Promise<string[]>;
  /** Per strike over all expiries. */
  strikes(id: string): Promise<StrikeRow[]>;
}

/** A summary from a query row whose columns carry the summary's names. */
export function toSummary(r: Record<string, unknown>, origin: string): SnapshotSummary {
  return {
    id: String(r.id),
    origin,
    underlying: String(r.underlying),
    as_of: String(r.as_of),
    as_of_ms: Number(r.as_of_ms),
    created_ms: Number(r.created_ms),
    spot: Number(r.spot),
    total_gex: Number(r.total_gex),
    zero_gamma: numberOrNull(r.zero_gamma),
    call_wall: numberOrNull(r.call_wall),
    put_wall: numberOrNull(r.put_wall),
    dex: numberOrNull(r.dex),
    vex: numberOrNull(r.vex),
    cex: numberOrNull(r.cex),
    absolute_gamma_strike: numberOrNull(r.absolute_gamma_strike),
    measures_version: numberOrNull(r.measures_version),
    content_hash: String(r.content_hash),
    conventions: conventionsOf(r.conventions),
  };
}

const noteOf = (s: SnapshotSummary): string | null =>
  s.measures_version === null ? STALE_NOTE : null;

export const historyPoint = (s: SnapshotSummary): HistoryPoint => ({
  id: s.id,
  origin: s.origin,
  as_of: s.as_of,
  spot: s.spot,
  total_gex: s.total_gex,
  zero_gamma: s.zero_gamma,
  call_wall: s.call_wall,
  put_wall: s.put_wall,
  dex: s.dex,
  vex: s.vex,
  cex: s.cex,
  absolute_gamma_strike: s.absolute_gamma_strike,
  note: noteOf(s),
  conventions: s.conventions,
});

export const levelsRow = (s: SnapshotSummary, nowMs: number): LevelsRow => ({
  underlying: s.underlying,
  id: s.id,
  origin: s.origin,
  as_of: s.as_of,
  spot: s.spot,
  total_gex: s.total_gex,
  zero_gamma: s.zero_gamma,
  call_wall: s.call_wall,
  put_wall: s.put_wall,
  absolute_gamma_strike: s.absolute_gamma_strike,
  // Whole seconds gone by, rounded down: 299.6 s is not yet the 300 s of "stale".
  age_s: Math.floor((nowMs - s.as_of_ms) / 1000),
  note: noteOf(s),
  conventions: s.conventions,
});
