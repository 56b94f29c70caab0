// Axis tick labels. Number axes: every step ticks() picks (1, 2, 2.5 or 5 × 10^k) is written
// with the decimals it needs, so that distinct ticks read distinct, exact values. Time axes:
// the date where the day changes in the data's offset, the time alone between, so that a
// day of snapshots reads "2024-01-07 10:00, 11:00, …".
import { describe, expect, it } from 'vitest';
import { ticks, timeTickFormat, timeTicks } from '../../renderer/src/components/plot/ticks.ts';
import {
  exchangeZoneOf,
  inExchangeTime,
  wallClock as wallClockIn,
  wallClockX as wallClockXIn,
  zoneOffsetMinutes,
  zoneTitle,
} from '../../renderer/src/components/plot/exchange-time.ts';
import { DEFAULT_CONVENTIONS } from '../../shared/domain.ts';
import { stepDigits, tickNumber } from '../../renderer/src/text/numbers.ts';
import { BN, M, gexTick } from '../../renderer/src/text/scale.ts';

const at = (iso: string) => Date.parse(iso);
const NY = 'America/New_York';
const wallClock = (iso: string) => wallClockIn(iso, NY);
const wallClockX = (isos: string[]) => wallClockXIn(isos, NY);

describe('timeTickFormat', () => {
  const label = timeTickFormat(-300); // New York in winter

  it('gives the date on the first tick and where the day changes in the offset, else the time', () => {
    expect(label(at('2024-01-07T15:00:00Z'), null)).toBe('2024-01-07 10:00');
    expect(label(at('2024-01-07T16:00:00Z'), at('2024-01-07T15:00:00Z'))).toBe('11:00');
    // 04:00 UTC on the 8th is still the 7th at −05:00: no date.
    expect(label(at('2024-01-08T04:00:00Z'), at('2024-01-07T23:00:00Z'))).toBe('23:00');
    // Midnight is the date alone, however far the previous tick.
    expect(label(at('2024-01-08T05:00:00Z'), at('2024-01-08T04:00:00Z'))).toBe('2024-01-08');
    expect(label(at('2024-01-09T05:00:00Z'), at('2024-01-08T05:00:00Z'))).toBe('2024-01-09');
    expect(label(at('2024-01-08T06:00:00Z'), at('2024-01-08T05:00:00Z'))).toBe('01:00');
  });

  it('counts days in the offset east of UTC too', () => {
    const tokyo = timeTickFormat(540);
    expect(tokyo(at('2024-01-07T15:00:00Z'), at('2024-01-07T14:00:00Z'))).toBe('2024-01-08');
    expect(tokyo(at('2024-01-07T15:30:00Z'), null)).toBe('2024-01-08 00:30');
    expect(tokyo(at('2024-01-07T16:00:00Z'), at('2024-01-07T15:00:00Z'))).toBe('01:00');
  });
});

describe('a time axis across a change of daylight saving time (New York, 2024-11-03)', () => {
  // A history from October (−04:00) into November (−05:00): each point at its exchange
  // wall-clock time, the axis read at offset 0.
  const asOf = [
    '2024-10-11T09:45:00-04:00',
    '2024-10-31T15:00:00-04:00',
    '2024-11-01T09:45:00-04:00',
    '2024-11-04T09:45:00-05:00',
    '2024-11-05T15:00:00-05:00',
  ];
  const x = wallClockX(asOf);
  const label = timeTickFormat(0);

  it('places every point at its own wall-clock time, before the change and after it', () => {
    for (const [i, iso] of asOf.entries()) {
      const day = iso.slice(0, 10);
      // Its day's midnight tick, then the hours and minutes the exchange's clock read.
      const midnight = timeTicks(x[0]! - 86_400_000, x.at(-1)! + 86_400_000, 40, 0).find(
        (t) => label(t, t - 86_400_000) === day,
      );
      expect(midnight, `a tick named ${day}`).toBeDefined();
      expect((x[i]! - midnight!) / 60_000).toBe(
        Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16)),
      );
    }
    // 09:45 on either side of the change: the same time of day on the axis.
    expect((x[3]! - x[0]!) % 86_400_000).toBe(0);
  });

  it('ticks each day at its midnight in the exchange’s time: "2024-11-04" is 00:00, not 01:00 or 23:00', () => {
    const t = timeTicks(x[2]!, x[4]!, 6, 0);
    const days = t.filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(label(v, v - 1)));
    expect(days.map((v) => label(v, v - 1))).toEqual([
      '2024-11-02',
      '2024-11-03',
      '2024-11-04',
      '2024-11-05',
    ]);
    // The tick named 2024-11-04 is the instant 2024-11-04T00:00−05:00 on the clock.
    expect(days[2]).toBe(wallClock('2024-11-04T00:00:00-05:00'));
  });

  it('keeps positions ascending through the hour the clocks repeat', () => {
    const back = wallClockX(['2024-11-03T01:30:00-04:00', '2024-11-03T01:10:00-05:00']);
    expect(back[1]).toBeGreaterThan(back[0]!);
  });
});

describe('long time axes tick on the calendar', () => {
  const day = (v: number) => new Date(v).toISOString().slice(0, 10);

  it('three months: the first of each month, never 30-day steps from 1970', () => {
    const t = timeTicks(Date.UTC(2024, 8, 3), Date.UTC(2024, 11, 6), 4, 0);
    expect(t.map(day)).toEqual(['2024-10-01', '2024-11-01', '2024-12-01']);
  });

  it('weeks start on Mondays', () => {
    const t = timeTicks(Date.UTC(2024, 9, 1), Date.UTC(2024, 10, 20), 8, 0);
    expect(t.length).toBeGreaterThan(3);
    for (const v of t) expect(new Date(v).getUTCDay()).toBe(1);
  });

  it('a year or more: quarters, then years', () => {
    expect(timeTicks(Date.UTC(2023, 10, 5), Date.UTC(2024, 10, 5), 5, 0).map(day)).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-07-01',
      '2024-10-01',
    ]);
    expect(timeTicks(Date.UTC(2020, 5, 1), Date.UTC(2024, 5, 1), 4, 0).map(day)).toEqual([
      '2021-01-01',
      '2022-01-01',
      '2023-01-01',
      '2024-01-01',
    ]);
  });

  // QA wb F7: snapshots on 01-07 to 01-09, then one on 03-11; month ticks on the 1st left
  // the January cluster with no date under it.
  const first = at('2024-01-07T15:52:00Z');
  const lo = first - 6.4 * 86_400_000;
  const hi = at('2024-03-11T14:05:00Z') + 6.4 * 86_400_000;

  it('dates the leading data: a tick at the midnight of its first day, before the first month tick', () => {
    expect(timeTicks(lo, hi, 4, -300).map(day)).toEqual(['2024-02-01', '2024-03-01']);
    const t = timeTicks(lo, hi, 4, -300, first);
    expect(t[0]).toBe(at('2024-01-07T05:00:00Z'));
    expect(timeTickFormat(-300)(t[0]!, null)).toBe('2024-01-07');
    expect(t.slice(1).map(day)).toEqual(['2024-02-01', '2024-03-01']);
  });

  it('on weeks and days too, and at the first point itself when its midnight is off the axis', () => {
    // A Thursday to the next month, ticked on Mondays: the Thursday gets its date.
    const thu = at('2024-10-03T14:00:00Z');
    const w = timeTicks(thu - 86_400_000 / 4, Date.UTC(2024, 10, 20), 8, 0, thu);
    expect(day(w[0]!)).toBe('2024-10-03');
    expect(new Date(w[1]!).getUTCDay()).toBe(1);
    // Days, the window starting after the first day's midnight: the point itself.
    const d = timeTicks(thu - 3_600_000, thu + 5 * 86_400_000, 5, 0, thu);
    expect(d[0]).toBe(thu);
    expect(timeTickFormat(0)(d[0]!, null)).toBe('2024-10-03 14:00');
  });

  it('adds nothing when a tick already dates the first point, or on an axis of hours', () => {
    const mon = at('2024-10-07T00:00:00Z');
    const plain = timeTicks(mon - 3_600_000, Date.UTC(2024, 10, 20), 8, 0);
    expect(timeTicks(mon - 3_600_000, Date.UTC(2024, 10, 20), 8, 0, mon)).toEqual(plain);
    // Hours: the first tick's label carries its date.
    const h = at('2024-10-03T14:10:00Z');
    expect(timeTicks(h, h + 8 * 3_600_000, 8, 0, h)).toEqual(timeTicks(h, h + 8 * 3_600_000, 8, 0));
  });
});

describe('number tick labels', () => {
  // What drawPlot does: ticks over a range, the step as two ticks' difference.
  const axis = (lo: number, hi: number) => {
    const t = ticks(lo, hi, 8);
    return { t, step: t[1]! - t[0]! };
  };
  const parse = (label: string) => Number(label.replace(/,/g, ''));
  const decimals = (label: string) => label.split('.')[1]?.length ?? 0;

  for (const scale of [BN, M]) {
    for (const m of [1, 2, 2.5, 5]) {
      for (let k = -3; k <= 12; k++) {
        const step = m * 10 ** k;
        // The decimals of the step's significant digits, in the axis's scale.
        const e = k - Math.log10(scale.div);
        const want = Math.max(0, -e) + (m === 2.5 && e <= 0 ? 1 : 0);
        it(`step ${m}e${k} in ${scale.unit}: ${want} decimals, labels distinct and exact`, () => {
          // About zero, and far from it (1,234 steps up: thousands separators, long figures).
          for (const base of [0, 1234 * step]) {
            const { t, step: got } = axis(base - 3.7 * step, base + 4.1 * step);
            expect(got / step).toBeCloseTo(1, 9);
            const labels = t.map((v) => gexTick(v, scale, got));
            expect(new Set(labels).size).toBe(t.length);
            for (const [i, label] of labels.entries()) {
              expect(decimals(label)).toBe(want);
              expect(Math.abs(parse(label) - t[i]! / scale.div)).toBeLessThan(
                (step / scale.div) * 1e-6,
              );
            }
          }
        });
      }
    }
  }

  it("reads the QA report's axes: -0.25 … 1 by 0.25, 0 … -7.5 by 2.5", () => {
    expect([-0.25e6, 0, 0.25e6, 0.5e6, 0.75e6, 1e6].map((v) => gexTick(v, M, 0.25e6))).toEqual([
      '-0.25',
      '0.00',
      '0.25',
      '0.50',
      '0.75',
      '1.00',
    ]);
    expect([0, -2.5e6, -5e6, -7.5e6].map((v) => gexTick(v, M, 2.5e6))).toEqual([
      '0.0',
      '-2.5',
      '-5.0',
      '-7.5',
    ]);
  });

  it('writes prices and contracts by their step too, and one lone tick as 0', () => {
    expect([4700, 4702.5, 4705].map((v) => tickNumber(v, 2.5))).toEqual([
      '4,700.0',
      '4,702.5',
      '4,705.0',
    ]);
    expect([0, 0.5, 1].map((v) => tickNumber(v, 0.5))).toEqual(['0.0', '0.5', '1.0']);
    expect([stepDigits(0), stepDigits(1e-3 * 3), stepDigits(0.30000000000000004)]).toEqual([
      0, 3, 1,
    ]);
  });
});

describe('points at their instant on the exchange clock, whatever offset the file wrote', () => {
  // One series (15:00 … 20:00 New York, 2024-02-01) as five files wrote it.
  const asOf = [
    '2024-02-01T15:00:00-05:00',
    '2024-02-01T21:00:00Z',
    '2024-02-01T17:00:00-05:00',
    '2024-02-02T09:00:00+09:00',
    '2024-02-01T20:00:00-05:00',
  ];

  it('places them in order, on New York’s clock: 15:00, 16:00, 17:00, 19:00, 20:00', () => {
    const x = wallClockX(asOf);
    expect(x.map((v) => new Date(v).toISOString().slice(0, 16))).toEqual([
      '2024-02-01T15:00',
      '2024-02-01T16:00',
      '2024-02-01T17:00',
      '2024-02-01T19:00',
      '2024-02-01T20:00',
    ]);
    // Five hours of data span five hours of axis, not eighteen.
    expect((x.at(-1)! - x[0]!) / 3_600_000).toBe(5);
  });

  it('reads them in the exchange’s offset of their date (summer −04:00, winter −05:00)', () => {
    expect(inExchangeTime('2024-02-02T09:00:00+09:00', NY)).toBe('2024-02-01T19:00:00-05:00');
    expect(inExchangeTime('2024-07-01T13:45:00Z', NY)).toBe('2024-07-01T09:45:00-04:00');
    expect(inExchangeTime('2024-07-01T13:45:00.250Z', 'Asia/Kolkata')).toBe(
      '2024-07-01T19:15:00.250+05:30',
    );
    // Around the change (2024-11-03 06:00Z): the instant's own offset on either side.
    expect(zoneOffsetMinutes(at('2024-11-03T05:59:59Z'), NY)).toBe(-240);
    expect(zoneOffsetMinutes(at('2024-11-03T06:00:00Z'), NY)).toBe(-300);
    expect(zoneOffsetMinutes(at('2024-03-10T06:59:00Z'), NY)).toBe(-300);
    expect(zoneOffsetMinutes(at('2024-03-10T07:00:00Z'), NY)).toBe(-240);
    // A zone the browser does not know: the string as written.
    expect(inExchangeTime('2024-02-01T21:00:00Z', 'Nowhere/Atlantis')).toBe('2024-02-01T21:00:00Z');
  });

  it('places UTC-written points across a change of daylight saving time at their New York clock', () => {
    const x = wallClockX(['2024-11-01T13:45:00Z', '2024-11-04T14:45:00Z']);
    // 09:45 both days: whole days apart on the axis.
    expect((x[1]! - x[0]!) % 86_400_000).toBe(0);
  });

  it('takes the zone of the newest recorded conventions, else the engine’s, and names it', () => {
    const tokyo = { ...DEFAULT_CONVENTIONS, exchange_time_zone: 'Asia/Tokyo' };
    expect(exchangeZoneOf([{ conventions: tokyo }, { conventions: null }], NY)).toBe('Asia/Tokyo');
    expect(exchangeZoneOf([{ conventions: null }], 'Europe/London')).toBe('Europe/London');
    expect(exchangeZoneOf([], undefined)).toBe(NY);
    expect(zoneTitle(NY)).toBe('New York time');
    expect(zoneTitle('America/Argentina/Buenos_Aires')).toBe('Buenos Aires time');
    expect(zoneTitle('UTC')).toBe('UTC time');
  });
});
