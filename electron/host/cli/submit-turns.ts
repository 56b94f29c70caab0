// The order a command's requests reach the engine that takes over when the first went
// away mid-submission. Each request looks itself up there on its own (was it stored
// before the engine went?), and those lookups end in any order: resubmitted as each ended,
// a later file could be taken first — its arrival the same as the earlier one's, it was
// placed before it, and the earlier file compared with it (`gex_change`). A request
// resubmits only once every earlier file of the command has been taken by an engine (its
// submission answered), found stored there, or has no submission left to make.
export interface SubmitTurn {
  /** The request's place in the command's order (0 for the first). */
  readonly place: number;
  /** Resolves once every earlier request of the command has had its turn. */
  earlier(): Promise<void>;
  /** This request's submission was answered, or none is needed any more (idempotent). */
  taken(): void;
}

export class SubmitTurns {
  readonly #taken: Promise<void>[] = [];
  readonly #release: (() => void)[] = [];

  constructor(count: number) {
    for (let i = 0; i < count; i++)
      this.#taken.push(new Promise<void>((r) => this.#release.push(r)));
  }

  /** The turn of the command's `index`-th request (in submission order). */
  turn(index: number): SubmitTurn {
    const before = this.#taken.slice(0, index);
    return {
      place: index,
      earlier: () => Promise.all(before).then(() => undefined),
      taken: () => this.#release[index]?.(),
    };
  }
}

/** A request alone (a retry, a test): no earlier request to wait for. */
export const ALONE: SubmitTurn = {
  place: 0,
  earlier: () => Promise.resolve(),
  taken: () => undefined,
};
