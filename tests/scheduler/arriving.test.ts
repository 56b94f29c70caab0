// Requests on their way in hold lower work back, for a bounded time, and stop holding
// once their level is known to be lower or they are written.
import { describe, expect, it } from 'vitest';
import { Arriving } from '../../electron/engine/jobs/arriving.ts';

describe('arrivals on their way in', () => {
  it('hold lower work until written, as their requested level, within the hold', () => {
    let changes = 0;
    const a = new Arriving({ holdMs: 1000, changed: () => changes++ });
    expect(a.bestRank(0)).toBe(Infinity);
    const high = a.add(0, 'HIGH');
    expect(a.bestRank(10)).toBe(1);
    expect(a.holdEnds(10)).toBe(1000);
    // Past its hold it no longer holds anything back (a stalled capture idles no worker).
    expect(a.bestRank(1000)).toBe(Infinity);
    high.done();
    expect(changes).toBe(1);
    expect(a.size).toBe(0);
  });

  it('holds as CRITICAL while the rules have not seen the file, then as its level', () => {
    let changes = 0;
    const a = new Arriving({ holdMs: 1000, changed: () => changes++ });
    const t = a.add(0, null);
    expect(a.bestRank(5)).toBe(0);
    t.level('LOW');
    expect(a.bestRank(5)).toBe(3);
    expect(changes).toBe(1); // lower work may start now
    t.done();
    t.done();
    expect(changes).toBe(2);
  });
});
