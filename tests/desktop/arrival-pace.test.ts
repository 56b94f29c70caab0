// The pace at which the levels board, History and Compare hear of snapshots arriving
// (renderer/src/state/arrival-pace.ts): at most once a second during a burst, so their
// reloads do not take the store's time from the burst, but a CRITICAL job's snapshot at
// once — the once-a-second pace added up to a second to CRITICAL figures on screen
// (`npm run bench -- board`). The clock is replaced: time is what this is about.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArrivalPace } from '../../renderer/src/state/arrival-pace.ts';

describe('ArrivalPace', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  const paced = () => {
    const told: number[] = [];
    return { told, pace: new ArrivalPace(1000, () => told.push(Date.now() - 1_000_000)) };
  };

  it('tells of the first arrival at once, then of the rest at most once a second, the last included', () => {
    const { told, pace } = paced();
    pace.arrived(false);
    expect(told).toEqual([0]);
    vi.advanceTimersByTime(100);
    pace.arrived(false);
    vi.advanceTimersByTime(300);
    pace.arrived(false);
    expect(told).toEqual([0]);
    vi.advanceTimersByTime(600);
    expect(told).toEqual([0, 1000]);
    vi.advanceTimersByTime(5000);
    expect(told).toEqual([0, 1000]); // nothing arrived since
    pace.arrived(false);
    expect(told).toEqual([0, 1000, 6000]); // after a quiet second, at once again
  });

  it('tells of an urgent arrival at once, in the middle of the pace, and restarts the pace from it', () => {
    const { told, pace } = paced();
    pace.arrived(false);
    vi.advanceTimersByTime(200);
    pace.arrived(false); // waits for 1000
    vi.advanceTimersByTime(100);
    pace.arrived(true);
    expect(told).toEqual([0, 300]); // the urgent one, which also tells of the one waiting
    vi.advanceTimersByTime(2000);
    expect(told).toEqual([0, 300]); // the waiting one is not told of twice
    pace.arrived(false);
    vi.advanceTimersByTime(0);
    expect(told).toEqual([0, 300, 2300]);
    vi.advanceTimersByTime(100);
    pace.arrived(false);
    vi.advanceTimersByTime(899);
    expect(told).toEqual([0, 300, 2300]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([0, 300, 2300, 3300]);
  });

  it('tells nothing once closed', () => {
    const { told, pace } = paced();
    pace.arrived(false);
    pace.arrived(false);
    pace.close();
    vi.advanceTimersByTime(5000);
    expect(told).toEqual([0]);
  });
});
