// Requests on their way in hold lower work back while they make progress: however long
// they wait for a capture slot or the store (up to the longest hold), but a read of the
// analyst's file holds only for a while (a stalled share idles nobody for long). They stop
// holding once their level is known to be lower, or once they are written.
import { describe, expect, it } from 'vitest';
import { Arriving } from '../../electron/engine/jobs/arriving.ts';

function arriving(o: { readHoldMs: number; maxHoldMs: number }) {
  let now = 0;
  let changes = 0;
  const a = new Arriving({ ...o, clock: () => now, changed: () => changes++ });
  return { a, at: (ms: number) => (now = ms), changes: () => changes };
}

describe('arrivals on their way in', () => {
  it('hold lower work as their requested level while they wait, until written', () => {
    const { a, changes } = arriving({ readHoldMs: 1000, maxHoldMs: 30_000 });
    expect(a.bestRank(0)).toBe(Infinity);
    const high = a.add(0, 'HIGH');
    // Waiting for a capture slot behind a burst: still holding long after a read's bound.
    expect(a.bestRank(10)).toBe(1);
    expect(a.bestRank(20_000)).toBe(1);
    expect(a.holdEnds(10)).toBe(30_000);
    // Never past the longest hold.
    expect(a.bestRank(30_000)).toBe(Infinity);
    high.done();
    expect(changes()).toBe(1);
    expect(a.size).toBe(0);
  });

  it('a read of the file holds only for its bound from the read’s start', () => {
    const { a, at } = arriving({ readHoldMs: 1000, maxHoldMs: 30_000 });
    const t = a.add(0, 'CRITICAL');
    at(5000);
    t.reading();
    expect(a.bestRank(5500)).toBe(0);
    expect(a.holdEnds(5500)).toBe(6000);
    // A read stalled past its bound no longer holds anything back.
    expect(a.bestRank(6000)).toBe(Infinity);
    // Once the read is over, the arrival (now being written) holds again.
    t.read();
    expect(a.bestRank(6000)).toBe(0);
  });

  it('keeps its defaults for options passed through as undefined (the scheduler’s unset options)', () => {
    let now = 0;
    const a = new Arriving({
      clock: () => now,
      readHoldMs: undefined,
      maxHoldMs: undefined,
      changed: () => undefined,
    });
    const t = a.add(0, 'HIGH');
    now = 100;
    t.reading();
    expect(a.bestRank(2_000)).toBe(1);
    expect(a.holdEnds(2_000)).toBe(3_100);
    expect(a.bestRank(3_100)).toBe(Infinity);
  });

  it('holds as CRITICAL while the rules have not seen the file, then as its level', () => {
    const { a, changes } = arriving({ readHoldMs: 1000, maxHoldMs: 30_000 });
    const t = a.add(0, null);
    expect(a.bestRank(5)).toBe(0);
    t.level('LOW');
    expect(a.bestRank(5)).toBe(3);
    expect(changes()).toBe(1); // lower work may start now
    t.done();
    t.done();
    expect(changes()).toBe(2);
  });
});
