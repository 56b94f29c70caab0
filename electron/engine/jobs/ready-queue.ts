// The scheduler's index of waiting jobs: per effective level, the rows in arrival order
// (first-in first-out by arrival within a level; one command's files, which share their
// arrival, in the order they were submitted). Jobs waiting for their facts read sit here
// too, at the highest level they could still get, so that reading facts and running jobs
// follow one priority order. A cache of the table's `queued` and `deciding` rows, rebuilt
// from it at start.
import {
  PRIORITY_LEVELS,
  arrivalPlace,
  levelRank,
  type PriorityLevel,
} from '../../../shared/domain.ts';
import type { QueuedRow } from './repository.ts';

/** The rank a row is served at: its level, or one a later request lent its read (raise). */
export const servedLevel = (r: QueuedRow): PriorityLevel => r.servedAt ?? r.level;

/** Arrival, then the place in arrival order (one command's files share their arrival), then `seq`. */
const before = (a: QueuedRow, b: QueuedRow) =>
  (a.submittedAtMs - b.submittedAtMs ||
    arrivalPlace(a.job) - arrivalPlace(b.job) ||
    a.seq - b.seq) < 0;

export class ReadyQueue {
  #lists = new Map<PriorityLevel, QueuedRow[]>(PRIORITY_LEVELS.map((l) => [l, []]));
  #ids = new Set<string>();
  /** The rows served above their own level (raise). */
  #lent = new Set<QueuedRow>();
  /** Who lent its rank to which requests' reads, by the lender's job id (raise, dropLend). */
  #lends = new Map<string, { requests: ReadonlySet<string>; level: PriorityLevel }>();

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** The rows served at `level`, in dispatch order. */
  at(level: PriorityLevel): readonly QueuedRow[] {
    return this.#lists.get(level)!;
  }

  /** The rows whose own level is `level`, wherever they are served (what its counts show). */
  ownAt(level: PriorityLevel): readonly QueuedRow[] {
    const list = this.#lists.get(level)!;
    if (this.#lent.size === 0) return list;
    const lent = [...this.#lent];
    return [...list.filter((r) => !this.#lent.has(r)), ...lent.filter((r) => r.level === level)];
  }

  *all(): Iterable<QueuedRow> {
    for (const list of this.#lists.values()) yield* list;
  }

  insert(row: QueuedRow): void {
    if (this.#ids.has(row.id)) return;
    if (row.servedAt !== undefined) this.#lent.add(row);
    const list = this.#lists.get(servedLevel(row))!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(list[mid]!, row)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, row);
    this.#ids.add(row.id);
  }

  remove(id: string): QueuedRow | undefined {
    if (!this.#ids.delete(id)) return undefined;
    for (const list of this.#lists.values()) {
      const i = list.findIndex((r) => r.id === id);
      if (i >= 0) {
        const [row] = list.splice(i, 1);
        this.#lent.delete(row!);
        return row;
      }
    }
    return undefined;
  }

  /**
   * Raises the facts reads of `requests` waiting below `level` to it: a later request whose
   * level waits for their totals (intake/decide.ts) lends them its rank, or it would wait
   * behind every read between their ranks. Only their rank: their level (what the counts
   * show, what their job says) stays. In memory only: at a restart each read is ranked by
   * its own bound again, and the later request, read again, lends it again. `by`: the
   * lender's job id, whose lend ends with it (dropLend).
   */
  raise(requests: readonly string[], level: PriorityLevel, by?: string): void {
    if (requests.length === 0) return;
    const ids = new Set(requests);
    if (by !== undefined) this.#lends.set(by, { requests: ids, level });
    const raised: QueuedRow[] = [];
    for (const [at, list] of this.#lists) {
      if (levelRank(at) <= levelRank(level)) continue;
      for (let i = list.length - 1; i >= 0; i--)
        if (list[i]!.phase === 'decide' && ids.has(list[i]!.request_id))
          raised.push(...list.splice(i, 1));
    }
    for (const r of raised) {
      this.#ids.delete(r.id);
      r.servedAt = level;
      this.insert(r);
    }
  }

  /**
   * The job `by` no longer waits (decided, cancelled, ended): the reads it lent its rank
   * go back to the best rank another lender still gives them, else to their own level.
   * Without this a cancelled CRITICAL request's lend kept an earlier MEDIUM read ahead of
   * every HIGH one for nothing.
   */
  dropLend(by: string): void {
    const lend = this.#lends.get(by);
    if (!lend) return;
    this.#lends.delete(by);
    for (const r of [...this.#lent]) {
      if (!lend.requests.has(r.request_id)) continue;
      let best: PriorityLevel | undefined;
      for (const other of this.#lends.values())
        if (other.requests.has(r.request_id))
          if (levelRank(other.level) < levelRank(best ?? r.level)) best = other.level;
      if (best === r.servedAt) continue;
      this.remove(r.id);
      if (best === undefined) delete r.servedAt;
      else r.servedAt = best;
      this.insert(r);
    }
  }

  /**
   * The first due row of the highest level whose rank is at most `maxRank` (0 = CRITICAL
   * only), passing over the rows `held` says wait (a copy behind a run of its content).
   */
  next(nowMs: number, maxRank: number, held?: (r: QueuedRow) => boolean): QueuedRow | undefined {
    for (const level of PRIORITY_LEVELS) {
      if (levelRank(level) > maxRank) break;
      const row = this.#lists
        .get(level)!
        .find((r) => (r.notBeforeMs === null || r.notBeforeMs <= nowMs) && !held?.(r));
      if (row) return row;
    }
    return undefined;
  }

  /** When the earliest retry backoff ends, or Infinity. */
  earliestNotBefore(nowMs: number): number {
    let earliest = Infinity;
    for (const r of this.all())
      if (r.notBeforeMs !== null && r.notBeforeMs > nowMs)
        earliest = Math.min(earliest, r.notBeforeMs);
    return earliest;
  }
}
