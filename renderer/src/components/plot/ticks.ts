// Axis ticks: round numbers for prices and GEX, round instants (minutes, hours, days)
// for time, and the time labels in the data's own offset (the exchange's), never the
// machine's zone.
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const STEPS = [
  MIN,
  5 * MIN,
  15 * MIN,
  30 * MIN,
  H,
  3 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  30 * D,
  91 * D,
  365 * D,
];

/**
 * About `count` round instants in [lo, hi] (epoch ms). `first`: the first data point in
 * the window; on an axis of days or longer, where it lies before the first tick on
 * another day, a tick dates it (leading).
 */
export function timeTicks(
  lo: number,
  hi: number,
  count: number,
  offsetMin = 0,
  first?: number,
): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const step = STEPS.find((s) => s >= raw) ?? STEPS[STEPS.length - 1]!;
  const shift = offsetMin * MIN;
  // Weeks and longer fall on the calendar: Mondays, the 1st of a month, of a quarter, of a
  // year (never every 30 days from 1970, which lands on any weekday of any month).
  const out =
    step >= 30 * D
      ? calendarTicks(lo, hi, step >= 365 * D ? 12 : step >= 91 * D ? 3 : 1, shift)
      : stepTicks(lo, hi, step, shift);
  return step >= D && first !== undefined ? leading(out, lo, hi, first, shift) : out;
}

/**
 * A tick under the leading data: snapshots from 01-07 to 01-09 before a tick on 02-01 read
 * no date (QA wb F7). Their first day's midnight (a date alone), or the first point itself
 * where that midnight is left of the axis; none when a tick on its day comes first.
 */
function leading(out: number[], lo: number, hi: number, first: number, shift: number): number[] {
  if (first < lo || first > hi) return out;
  const day = (v: number) => Math.floor((v + shift) / D);
  if (out.length > 0 && (out[0]! <= first || day(out[0]!) === day(first))) return out;
  const midnight = day(first) * D - shift;
  return [midnight >= lo ? midnight : first, ...out];
}

function stepTicks(lo: number, hi: number, step: number, shift: number): number[] {
  // 1970-01-05, a Monday: weeks counted from it start on Mondays.
  const anchor = step === 7 * D ? 4 * D : 0;
  const out: number[] = [];
  for (let v = Math.ceil((lo + shift - anchor) / step) * step + anchor - shift; v <= hi; v += step)
    out.push(v);
  return out;
}

/** The first of every `months`-th month (counted from January) in [lo, hi], in an offset. */
function calendarTicks(lo: number, hi: number, months: number, shift: number): number[] {
  const d = new Date(lo + shift);
  let y = d.getUTCFullYear();
  let m = Math.floor(d.getUTCMonth() / months) * months;
  const out: number[] = [];
  for (;;) {
    const v = Date.UTC(y, m, 1) - shift;
    if (v > hi) return out;
    if (v >= lo) out.push(v);
    m += months;
    if (m >= 12) [y, m] = [y + 1, m - 12];
  }
}

/** Minutes east of UTC of an ISO timestamp's offset ("-05:00" → -300). */
export function offsetMinutes(iso: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Time-axis tick labels in an offset: midnight as its date alone, the date and time where
 * the day changes otherwise (and on the first tick), the time alone between —
 * "2024-01-07 10:00", "11:00", …, "23:00", "2024-01-08", "01:00".
 */
export function timeTickFormat(offsetMin: number): (v: number, previous: number | null) => string {
  const day = (ms: number) => Math.floor((ms + offsetMin * MIN) / D);
  return (v, previous) => {
    const label = stamp(v, offsetMin, previous === null || day(previous) !== day(v));
    return (v + offsetMin * MIN) % D === 0 ? stamp(v, offsetMin).slice(0, 10) : label;
  };
}

/** "2024-01-07 10:52" of an instant in an offset (minutes east of UTC). */
export function stamp(ms: number, offsetMin: number, withDate = true): string {
  const d = new Date(ms + offsetMin * MIN);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (!withDate) return time;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}`;
}

/**
 * An instant as ISO 8601 in an offset, to the second: "2024-01-05T15:00:00-05:00", as the
 * exchange's files, the levels CSV and the command line write a data time.
 */
export function isoInOffset(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * MIN);
  const a = Math.abs(offsetMin);
  const zone = `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  const frac = d.getUTCMilliseconds() ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : '';
  return `${d.toISOString().slice(0, 19)}${frac}${zone}`;
}
