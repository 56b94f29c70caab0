// One engine call at a time for a view that loads again on a tick (snapshots arriving,
// use-arrivals.ts; one removed): a tick while a call is in flight asks for one more call
// when it returns, and every answer is shown. The views used to drop the call in flight at
// each tick and start another: an answer slower than the tick (a levels query over a
// second during a burst) was thrown away although newer than what was on screen, and the
// calls stacked on the engine — the levels board stayed empty through a 30 s burst.
import { useEffect, useLayoutEffect, useRef, type DependencyList } from 'react';

/**
 * Runs `call` when asked, never two at once. Asked while one is in flight, it runs once
 * more when that one returns (however many times it was asked meanwhile). Each answer is
 * given to `apply` unless closed; one at a time, answers come in the order asked, so none
 * applied is older than one applied before. `call` may answer null: nothing to ask now.
 */
export class LatestCall<T> {
  readonly #call: () => Promise<T> | null;
  readonly #apply: (answer: T) => void;
  #busy = false;
  #again = false;
  #closed = false;

  constructor(call: () => Promise<T> | null, apply: (answer: T) => void) {
    this.#call = call;
    this.#apply = apply;
  }

  request(): void {
    if (this.#closed) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    const asked = this.#call();
    if (!asked) return;
    this.#busy = true;
    this.#again = false;
    void asked.then(
      (answer) => {
        this.#busy = false;
        if (this.#closed) return;
        this.#apply(answer);
        if (this.#again) this.request();
      },
      (e: unknown) => {
        this.#busy = false;
        throw e;
      },
    );
  }

  /** No answer is applied from now on, no call starts (the view is gone, or shows other things). */
  close(): void {
    this.#closed = true;
  }
}

/**
 * Calls when shown, when `scope` changes (the answer in flight for the scope before is
 * dropped) and when `reloads` change (one call at a time, as LatestCall). `call` and
 * `apply` are those of the latest render. Both lists keep their length across renders.
 */
export function useLatestCall<T>(
  call: () => Promise<T> | null,
  apply: (answer: T) => void,
  scope: DependencyList,
  reloads: DependencyList,
): void {
  const latest = useRef({ call, apply });
  useLayoutEffect(() => {
    latest.current = { call, apply };
  });
  const runner = useRef<LatestCall<T> | null>(null);
  useEffect(() => {
    const r = new LatestCall(
      () => latest.current.call(),
      (answer: T) => latest.current.apply(answer),
    );
    runner.current = r;
    return () => r.close();
    // The scope is the caller's list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, scope);
  useEffect(
    () => runner.current?.request(),
    // The caller's lists: a change of either asks for a call.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...scope, ...reloads],
  );
}
