// The gap rule of time-series charts (gaps.ts): the nights and weekends of an intraday or a
// daily series stay one line; a hole of days with no snapshot breaks it.
import { describe, expect, it } from 'vitest';
import { breaksOf, gapOver } from '../../renderer/src/components/plot/gaps.ts';

const H = 3_600_000;
const D = 24 * H;
const at = (iso: string) => Date.parse(iso);

/** Weekdays from `from` to `to` (inclusive, UTC dates), at the given hours. */
function weekdays(from: string, to: string, hours: number[], skip: string[] = []): number[] {
  const out: number[] = [];
  for (let d = at(from); d <= at(to); d += D) {
    const wd = new Date(d).getUTCDay();
    if (wd === 0 || wd === 6 || skip.includes(new Date(d).toISOString().slice(0, 10))) continue;
    for (const h of hours) out.push(d + h * H);
  }
  return out;
}

describe('breaksOf', () => {
  it('a daily series: weekends and a long weekend stay one line', () => {
    // Monday 2024-09-02 (Labor Day) left out: Friday to Tuesday, four days.
    const x = weekdays('2024-08-26', '2024-10-31', [14], ['2024-09-02']);
    expect(breaksOf(x)).toEqual([]);
  });

  it('an intraday series (every 15 minutes, 09:30–16:00): nights and weekends stay one line', () => {
    const hours = Array.from({ length: 27 }, (_, i) => 13.5 + i / 4);
    expect(breaksOf(weekdays('2024-10-01', '2024-10-31', hours))).toEqual([]);
  });

  it('two weeks with no snapshot break the line there, and only there', () => {
    const x = weekdays('2024-09-02', '2024-11-29', [14]).filter(
      (v) => v < at('2024-10-14') || v >= at('2024-10-26'),
    );
    const breaks = breaksOf(x);
    expect(breaks).toHaveLength(1);
    const i = breaks[0]!;
    expect(new Date(x[i - 1]!).toISOString().slice(0, 10)).toBe('2024-10-11');
    expect(new Date(x[i]!).toISOString().slice(0, 10)).toBe('2024-10-28');
  });

  it('a sparse series (weekly): a few days is its spacing, not a hole', () => {
    const x = Array.from({ length: 10 }, (_, i) => at('2024-01-01') + i * 7 * D);
    expect(breaksOf(x)).toEqual([]);
    expect(gapOver(x)).toBe(35 * D);
    // A missing month (five weeks' spacing plus) is.
    expect(breaksOf([...x, x.at(-1)! + 40 * D])).toEqual([10]);
  });

  it('a hole shows with few points: it does not set the spacing it is measured against (QA wb F2)', () => {
    // 01-07 10:52, 01-07 14:15, 03-11 10:05: the hole pulled the median to about 32 days,
    // and 5 × that let the two-month hole be drawn as a trend.
    const x = [at('2024-01-07T10:52:00Z'), at('2024-01-07T14:15:00Z'), at('2024-03-11T10:05:00Z')];
    expect(breaksOf(x)).toEqual([2]);
    // One a day, then two months: a hole too.
    expect(breaksOf([0, D, D + 60 * D])).toEqual([2]);
    // Monthly points: a month is their spacing, not a hole.
    expect(breaksOf([0, 30 * D, 61 * D])).toEqual([]);
    // Many points: the longest spacing left out changes nothing (weekly, as above).
    const weekly = Array.from({ length: 10 }, (_, i) => i * 7 * D);
    expect(breaksOf([...weekly, weekly.at(-1)! + D])).toEqual([]);
  });

  it('one or two points: nothing to break', () => {
    expect(breaksOf([])).toEqual([]);
    expect(breaksOf([1])).toEqual([]);
    expect(breaksOf([0, 30 * D])).toEqual([]);
  });
});
