// When a view that reads figures across snapshots hears of arrivals (use-arrivals.ts):
// on the first at once, then at most once every `everyMs`, and an urgent one at once
// whatever the pace. Apart from React, so that the pace can be tested on a replaced clock.
export const ARRIVALS_EVERY_MS = 1000;

/**
 * When to tell of arrivals: on the first at once, then at most once every `everyMs`, the
 * last arrival always included; an urgent arrival at once, whatever the pace.
 */
export class ArrivalPace {
  readonly #everyMs: number;
  readonly #tell: () => void;
  #last = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(everyMs: number, tell: () => void) {
    this.#everyMs = everyMs;
    this.#tell = tell;
  }

  arrived(urgent: boolean): void {
    if (urgent) {
      this.close();
      this.#fire();
      return;
    }
    if (this.#timer !== null) return; // the one scheduled tells of the newest
    const wait = this.#last + this.#everyMs - Date.now();
    if (wait <= 0) this.#fire();
    else
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#fire();
      }, wait);
  }

  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(): void {
    this.#last = Date.now();
    this.#tell();
  }
}
