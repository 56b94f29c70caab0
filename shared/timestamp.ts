// Reading ISO-8601 timestamps exactly and fast: every priority decision parses two
// (as_of and now), so this runs on the engine's event loop for every request. Kept
// apart from the rule file's shapes (shared/rules.ts), which re-exports it.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Longer is no timestamp: a fraction of 70 digits (what a writer may print) still fits. */
const MAX_LENGTH = 100;

/** No zone is further from UTC than 14 hours (Kiribati's +14:00). */
export const MAX_OFFSET_MINUTES = 14 * 60;

const leapYear = (year: number): boolean =>
  (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * Whether a calendar date and a time of day exist: month 1–12, a day the month has (29
 * February in a leap year only), hour 0–23, minute and second 0–59 (no leap second: an
 * instant in epoch milliseconds has none). The one check of every timestamp GEX Desk reads,
 * the readers' (pipeline/time.ts) and the rules' (parseIsoMs).
 */
export const validDateTime = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean =>
  Number.isInteger(year) &&
  month >= 1 &&
  month <= 12 &&
  day >= 1 &&
  day <= (month === 2 && leapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!) &&
  hour >= 0 &&
  hour <= 23 &&
  minute >= 0 &&
  minute <= 59 &&
  second >= 0 &&
  second <= 59;

/** Whether an offset of `hours`:`minutes` (unsigned) is one a zone can have: ≤ 14:00, minutes < 60. */
export const validOffset = (hours: number, minutes: number): boolean =>
  hours >= 0 && minutes >= 0 && minutes <= 59 && hours * 60 + minutes <= MAX_OFFSET_MINUTES;

/** `subMs`: the sub-millisecond part (0 ≤ x < 1) of the last timestamp parseIsoMs accepted. */
export const parsedTimestamp = { subMs: 0 };

/** Two ASCII digits at `i` as a number, or -1. */
const d2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * Milliseconds since the epoch of an ISO-8601 timestamp that carries an offset or Z
 * (`2024-01-07T10:52:00.25-05:00`), or NaN when it is not one (no offset, impossible
 * date or time, an offset beyond ±14:00). The whole milliseconds are returned exactly; the finer fraction, to the
 * nanosecond (digits beyond are read and ignored), is left in `parsedTimestamp.subMs`, so
 * that an age of whole milliseconds and nanoseconds stays exact in a double (a picosecond
 * beside 300,000 ms would not: 299999.999999999999 rounds to 300000).
 * Shape checked by hand, no Date or RegExp, no allocation: it runs for every decision.
 */
export const parseIsoMs = (s: string): number => {
  const n = s.length;
  if (n < 17 || n > MAX_LENGTH) return NaN;
  const c1 = d2(s, 0),
    c2 = d2(s, 2),
    month = d2(s, 5),
    day = d2(s, 8),
    hour = d2(s, 11),
    minute = d2(s, 14);
  if ((c1 | c2 | month | day | hour | minute) < 0) return NaN;
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58
  )
    return NaN;
  const year = c1 * 100 + c2;
  let i = 16,
    second = 0,
    ms = 0,
    sub = 0;
  if (s.charCodeAt(16) === 58) {
    second = d2(s, 17);
    if (second < 0) return NaN;
    i = 19;
    if (s.charCodeAt(19) === 46) {
      i = 20;
      // Digits 1–3 are milliseconds; 4–9 the nanoseconds beyond them, kept as an integer
      // (exact) and scaled once.
      let digits = 0,
        ns = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (digits < 3) ms = ms * 10 + c;
        else if (digits < 9) ns = ns * 10 + c;
        digits++;
      }
      if (digits < 3) ms *= digits === 1 ? 100 : 10;
      else if (digits < 9) ns *= 10 ** (9 - digits);
      sub = ns / 1e6;
      if (i === 20) return NaN;
    }
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90) {
    if (i + 1 !== n) return NaN;
  } else {
    if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return NaN;
    const oh = d2(s, i + 1),
      om = d2(s, i + 4);
    if (!validOffset(oh, om)) return NaN;
    offsetMin = z === 45 ? -(oh * 60 + om) : oh * 60 + om;
  }
  if (!validDateTime(year, month, day, hour, minute, second)) return NaN;
  // Days from 1970-01-01 to the civil date (H. Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = (((153 * mp + 2) / 5) | 0) + day - 1;
  const doe = yoe * 365 + (yoe >> 2) - ((yoe / 100) | 0) + doy;
  const days = era * 146097 + doe - 719468;
  parsedTimestamp.subMs = sub;
  return ((days * 24 + hour) * 60 + minute - offsetMin) * 60_000 + second * 1000 + ms;
};
