// The one-call-at-a-time runner the levels board, History and Compare reload through
// (renderer/src/state/use-latest-call.ts): a reload asked for while a call is in flight
// waits for it, and its answer is shown, not dropped (dropping it at each reload left the
// board empty through a burst whose levels took over a second to answer).
import { describe, expect, it } from 'vitest';
import { LatestCall } from '../../renderer/src/state/use-latest-call.ts';

/** Calls answered when the test says, in the order made. */
function engine() {
  const pending: { n: number; answer: (v: number) => void }[] = [];
  let made = 0;
  return {
    pending,
    call: () => new Promise<number>((answer) => pending.push({ n: ++made, answer })),
    /** Answers the oldest call with its number, and lets the answers' work run. */
    async answer() {
      const p = pending.shift()!;
      p.answer(p.n);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('LatestCall', () => {
  it('asked during a call: one more call when it returns, every answer applied in order', async () => {
    const e = engine();
    const applied: number[] = [];
    const run = new LatestCall(e.call, (v) => applied.push(v));
    run.request();
    run.request();
    run.request();
    expect(e.pending.length).toBe(1);
    await e.answer();
    expect(applied).toEqual([1]);
    expect(e.pending.length).toBe(1);
    await e.answer();
    expect(applied).toEqual([1, 2]);
    expect(e.pending.length).toBe(0);
    run.request();
    await e.answer();
    expect(applied).toEqual([1, 2, 3]);
  });

  it('closed: the answer in flight is dropped and nothing more is asked', async () => {
    const e = engine();
    const applied: number[] = [];
    const run = new LatestCall(e.call, (v) => applied.push(v));
    run.request();
    run.request();
    run.close();
    await e.answer();
    run.request();
    expect(applied).toEqual([]);
    expect(e.pending.length).toBe(0);
  });

  it('a call with nothing to ask (null) leaves it free for the next request', async () => {
    const e = engine();
    let skip = true;
    const applied: number[] = [];
    const run = new LatestCall(
      () => (skip ? null : e.call()),
      (v) => applied.push(v),
    );
    run.request();
    expect(e.pending.length).toBe(0);
    skip = false;
    run.request();
    await e.answer();
    expect(applied).toEqual([1]);
  });
});
