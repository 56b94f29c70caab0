// Requests on their way in: acknowledged by nobody yet, their bytes still being captured
// or their rows still being written, but their arrival — the clock of every wait — is
// already taken. The dispatcher asks here before it starts lower work: a worker that
// falls free while a HIGH file is being captured waits for it rather than start a LOW
// job, so the level order holds from the arrival, not from the moment the row exists.
//
// The hold is bounded by progress, not by the arrival's age: under a burst an arrival
// may wait seconds for a capture slot or the store, behind other arrivals that are making
// progress, and a fixed hold from the arrival let lower work start ahead of it (on a
// loaded 2-core machine, HIGH requests waited 5–13 s, their hold long over, while MEDIUM
// and LOW jobs started). What must not idle the workers is a read that makes no progress:
// a file on a stalled share. So a read of the analyst's file (the peek at its ends, the
// capture) holds for `readHoldMs` from its start, and every hold ends at `maxHoldMs` from
// the arrival whatever happens. An arrival whose level is not known yet holds as CRITICAL
// until its level or the highest level the rules could still give it is known.
import { levelRank, type PriorityLevel } from '../../../shared/domain.ts';

/** How long one read of an arriving file may hold lower work (a stalled share idles nothing longer). */
export const ARRIVAL_READ_HOLD_MS = 3000;
/** The longest any arrival holds lower work, from its arrival. */
export const ARRIVAL_MAX_HOLD_MS = 30_000;

export interface ArrivalTicket {
  /** The arrival's level became known (decided, or the highest it could still get). */
  level(level: PriorityLevel): void;
  /** A read of the analyst's file starts (its hold is now bounded by `readHoldMs`). */
  reading(): void;
  /** That read ended. */
  read(): void;
  /** The arrival is written (its job is with the scheduler) or ended; nothing to wait for. */
  done(): void;
}

export interface ArrivingOptions {
  clock: () => number;
  readHoldMs?: number;
  maxHoldMs?: number;
  /** Called when an arrival may hold less than before (lower work may start now). */
  changed: () => void;
}

interface Entry {
  rank: number;
  atMs: number;
  readingSinceMs: number | null;
}

export class Arriving {
  #entries = new Set<Entry>();
  #o: Required<ArrivingOptions>;

  constructor(opts: ArrivingOptions) {
    // `??`, not a spread: an option passed through as undefined keeps its default.
    this.#o = {
      clock: opts.clock,
      changed: opts.changed,
      readHoldMs: opts.readHoldMs ?? ARRIVAL_READ_HOLD_MS,
      maxHoldMs: opts.maxHoldMs ?? ARRIVAL_MAX_HOLD_MS,
    };
  }

  get size(): number {
    return this.#entries.size;
  }

  /** An arrival at `atMs`; its `level` if the request says it (otherwise unknown). */
  add(atMs: number, level: PriorityLevel | null): ArrivalTicket {
    const e: Entry = { rank: level ? levelRank(level) : 0, atMs, readingSinceMs: null };
    this.#entries.add(e);
    return {
      level: (l) => {
        const before = e.rank;
        e.rank = levelRank(l);
        if (e.rank > before) this.#o.changed();
      },
      reading: () => {
        e.readingSinceMs = this.#o.clock();
      },
      read: () => {
        e.readingSinceMs = null;
      },
      done: () => {
        if (this.#entries.delete(e)) this.#o.changed();
      },
    };
  }

  /** The best (lowest) rank still on its way in and holding at `nowMs`, or Infinity. */
  bestRank(nowMs: number): number {
    let best = Infinity;
    for (const e of this.#entries) if (e.rank < best && this.#holdEnd(e) > nowMs) best = e.rank;
    return best;
  }

  /** When the earliest hold still running ends, or Infinity. */
  holdEnds(nowMs: number): number {
    let earliest = Infinity;
    for (const e of this.#entries) {
      const end = this.#holdEnd(e);
      if (end > nowMs && end < earliest) earliest = end;
    }
    return earliest;
  }

  #holdEnd(e: Entry): number {
    const max = e.atMs + this.#o.maxHoldMs;
    return e.readingSinceMs === null ? max : Math.min(max, e.readingSinceMs + this.#o.readHoldMs);
  }
}
