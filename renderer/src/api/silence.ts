// Whether the engine answers at all. A call into a network share that stopped answering
// can hold the engine's thread for minutes: nothing fails and nothing answers, and the
// page kept its last figures under a green "engine ok" (QA sv F1). The renderer's calls
// are watched here, on both transports (client.ts wraps them): once a call has waited
// SILENT_AFTER_MS with no call answered since it was sent, the engine is silent since the
// oldest such call, until any call is answered. No call is failed or timed out for it:
// an export, a dry run or a rules check may take long while the engine answers the
// health poll beside it (engine:health touches no database: it answers within the event
// loop's lag, under 0.6 s in the intake's bursts, docs/bursts.md).

/** How long a call may wait, nothing answered meanwhile, before the engine is "not answering". */
export const SILENT_AFTER_MS = 5000;

export class CallWatch {
  /** The calls waiting for their answer: when each was sent. */
  readonly #pending = new Map<number, number>();
  #next = 0;
  #answeredAt: number | null = null;

  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** A call goes out: its ticket, for `answered`. */
  sent(): number {
    const ticket = ++this.#next;
    this.#pending.set(ticket, this.#clock());
    return ticket;
  }

  /** Its answer came (a result, an error or a failed transport: something answered). */
  answered(ticket: number): void {
    this.#pending.delete(ticket);
    this.#answeredAt = this.#clock();
  }

  /** When a call was last answered (null: none yet). */
  get answeredAt(): number | null {
    return this.#answeredAt;
  }

  /**
   * Since when the engine has been asked and has answered nothing: the oldest call still
   * waiting that was sent after the last answer, once it has waited SILENT_AFTER_MS;
   * null while the engine answers (or is asked nothing).
   */
  silentSince(now = this.#clock()): number | null {
    let oldest: number | null = null;
    for (const at of this.#pending.values()) {
      if (this.#answeredAt !== null && at < this.#answeredAt) continue;
      if (oldest === null || at < oldest) oldest = at;
    }
    return oldest !== null && now - oldest >= SILENT_AFTER_MS ? oldest : null;
  }
}

/** The watch of this page's client (client.ts). */
export const engineWatch = new CallWatch();
