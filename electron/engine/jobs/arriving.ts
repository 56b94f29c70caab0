// Requests on their way in: acknowledged by nobody yet, their bytes still being captured
// or their rows still being written, but their arrival — the clock of every wait — is
// already taken. The dispatcher asks here before it starts lower work: a worker that
// falls free while a HIGH file is being captured waits for it rather than start a LOW
// job, so the level order holds from the arrival, not from the moment the row exists.
// A hold is bounded (`holdMs` from the arrival): a capture stalled on a network share
// must not idle the workers. An arrival whose level is not known yet (the rules decide
// it from the file) holds as CRITICAL until its level or upper bound is known.
import { levelRank, type PriorityLevel } from '../../../shared/domain.ts';

/** How long a worker may wait for a higher-level arrival before it starts lower work. */
export const ARRIVAL_HOLD_MS = 3000;

export interface ArrivalTicket {
  /** The arrival's level became known (decided, or the highest it could still get). */
  level(level: PriorityLevel): void;
  /** The arrival is written (its job is with the scheduler) or ended; nothing to wait for. */
  done(): void;
}

interface Entry {
  rank: number;
  atMs: number;
}

export class Arriving {
  #entries = new Set<Entry>();
  #holdMs: number;
  #changed: () => void;

  constructor(opts: { holdMs?: number; changed: () => void }) {
    this.#holdMs = opts.holdMs ?? ARRIVAL_HOLD_MS;
    this.#changed = opts.changed;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** An arrival at `atMs`; its `level` if the request says it (otherwise unknown). */
  add(atMs: number, level: PriorityLevel | null): ArrivalTicket {
    const e: Entry = { rank: level ? levelRank(level) : 0, atMs };
    this.#entries.add(e);
    return {
      level: (l) => {
        const before = e.rank;
        e.rank = levelRank(l);
        if (e.rank > before) this.#changed();
      },
      done: () => {
        if (this.#entries.delete(e)) this.#changed();
      },
    };
  }

  /** The best (lowest) rank still on its way in and within its hold at `nowMs`, or Infinity. */
  bestRank(nowMs: number): number {
    let best = Infinity;
    for (const e of this.#entries) if (nowMs - e.atMs < this.#holdMs && e.rank < best) best = e.rank;
    return best;
  }

  /** When the earliest hold still running ends, or Infinity. */
  holdEnds(nowMs: number): number {
    let earliest = Infinity;
    for (const e of this.#entries) {
      const end = e.atMs + this.#holdMs;
      if (end > nowMs && end < earliest) earliest = end;
    }
    return earliest;
  }
}
