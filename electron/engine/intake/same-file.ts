// The same file given twice (one `ingest` naming it twice, a manifest, two drops) is taken
// in the order it was submitted: a request's capture and write wait for those of the
// earlier submissions of the same path. Captured at once, the later copy could be written
// (and run) first — both arrive in the same millisecond, and `seq`, the tie-break of the
// scheduler's order, is the order of the writes — and the request submitted first was then
// reported the duplicate of a snapshot made by the one after it. A later submission of a
// HIGHER level than an earlier one does not wait for it (docs/scheduler.md, "The same
// content twice"): it is captured and run at once, and the lower one becomes its duplicate.
import { levelRank, type PriorityLevel } from '../../../shared/domain.ts';

interface Entry {
  /** The level known before the capture (requested, or the rules' bound); null until known. */
  level: PriorityLevel | null;
  /** Resolves when `level` is known, or the submission ended before it was. */
  known: Promise<void>;
  setKnown: () => void;
  /** Resolves when the submission ended (written, refused, or failed). */
  ended: Promise<void>;
  setEnded: () => void;
}

export interface SameFileTurn {
  /** The level this request is captured at, once known. */
  level(level: PriorityLevel): void;
  /** Waits for the earlier submissions of the same path at this level or higher. */
  wait(): Promise<void>;
  /** The submission ended: later ones of the same path go on. */
  done(): void;
}

export class SameFileTurns {
  #byPath = new Map<string, Entry[]>();

  /** Takes a request's place among the submissions of `path`, at its submission (synchronously). */
  enter(path: string): SameFileTurn {
    const e = newEntry();
    const list = this.#byPath.get(path) ?? [];
    const earlier = [...list];
    list.push(e);
    this.#byPath.set(path, list);
    return {
      level: (level) => {
        e.level = level;
        e.setKnown();
      },
      wait: async () => {
        const mine = e.level === null ? Infinity : levelRank(e.level);
        for (const before of earlier) {
          await before.known;
          // An earlier one of a lower level does not hold this one back.
          if (before.level !== null && levelRank(before.level) > mine) continue;
          await before.ended;
        }
      },
      done: () => {
        e.setKnown();
        e.setEnded();
        const now = this.#byPath.get(path);
        if (!now) return;
        const rest = now.filter((x) => x !== e);
        if (rest.length > 0) this.#byPath.set(path, rest);
        else this.#byPath.delete(path);
      },
    };
  }
}

function newEntry(): Entry {
  let setKnown!: () => void;
  let setEnded!: () => void;
  const known = new Promise<void>((r) => (setKnown = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  return { level: null, known, setKnown, ended, setEnded };
}
