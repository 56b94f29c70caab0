// Timestamps in option-chain files come as exchange wall-clock time (CBOE's "ET",
// or no offset at all); this turns them into ISO-8601 with the right UTC offset for
// that date in the exchange's time zone (so January is -05:00, July -04:00 in New York).

import { isoExtended } from '../../../shared/iso-forms.ts';
import { validDateTime, validOffset } from '../../../shared/timestamp.ts';
import { zoneClock, zoneOffsetAt } from '../../../shared/zone-offset.ts';

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

/** Loads what a zone's first offset needs (ICU's data: about 17 ms, once a process). */
export function warmTimeZone(timeZone: string): void {
  try {
    intlOffset(timeZone, Date.now());
  } catch {
    // Not a zone: the conventions' check reports it where it is used.
  }
}

/** Offset in minutes east of UTC of `timeZone` at the UTC instant `utcMs`, asked of Intl. */
export const intlOffset = (timeZone: string, utcMs: number): number =>
  zoneOffsetAt(timeZone, utcMs);

/** A zone's offsets over one UTC year: offsets[i] holds from changes[i - 1] (inclusive). */
type YearOffsets = { changes: number[]; offsets: number[] };
const yearTables = new Map<string, YearOffsets>();
const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/**
 * The year's offsets: sampled weekly, each change then found to the minute by bisection.
 * About 80 Intl calls once per zone and year, instead of two per timestamp (an Intl call
 * costs microseconds, and sniff reads a timestamp in well under a millisecond).
 */
function yearOffsets(timeZone: string, year: number): YearOffsets {
  const key = `${timeZone}|${year}`;
  let table = yearTables.get(key);
  if (table) return table;
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let off = intlOffset(timeZone, t);
  table = { changes: [], offsets: [off] };
  while (t < end) {
    const next = Math.min(t + WEEK, end);
    if (intlOffset(timeZone, next) === off) {
      t = next;
      continue;
    }
    let lo = t;
    let hi = next;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
      if (intlOffset(timeZone, mid) === off) lo = mid;
      else hi = mid;
    }
    off = intlOffset(timeZone, hi);
    table.changes.push(hi);
    table.offsets.push(off);
    t = hi;
  }
  if (yearTables.size < 256) yearTables.set(key, table);
  return table;
}

/** Offset in minutes east of UTC of `timeZone` at the UTC instant `utcMs`. */
export function offsetAt(timeZone: string, utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  if (!(year >= 1900 && year <= 2200)) return intlOffset(timeZone, utcMs);
  const { changes, offsets } = yearOffsets(timeZone, year);
  let i = 0;
  while (i < changes.length && utcMs >= changes[i]!) i++;
  return offsets[i]!;
}

/** Answers per zone name, remembered: building an Intl.DateTimeFormat costs about 1 ms. */
const validZones = new Map<string, boolean>();
export function isValidTimeZone(timeZone: string): boolean {
  let valid = validZones.get(timeZone);
  if (valid === undefined) {
    try {
      zoneClock(timeZone);
      valid = true;
    } catch {
      valid = false;
    }
    if (validZones.size < 256) validZones.set(timeZone, valid);
  }
  return valid;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** ISO-8601 of a wall-clock time in `timeZone`, e.g. 2024-01-07T10:52:00-05:00. */
export function zonedIso(t: WallTime, timeZone: string): string {
  const wallAsUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Two passes settle the offset around DST changes; a time the clocks show twice (the
  // hour they go back) is read as its first, as Temporal's 'compatible' reads it.
  const first = offsetAt(timeZone, wallAsUtc);
  const offset = offsetAt(timeZone, wallAsUtc - first * MINUTE);
  if (offsetAt(timeZone, wallAsUtc - offset * MINUTE) === offset)
    return `${wallIso(t)}${formatOffset(offset)}`;
  // A time the clocks jump over (spring forward) shows on no clock: read it, as Temporal
  // does, with the offset from before the jump, and write it as the clocks then read
  // (02:30 on a New York spring-forward day is 03:30-04:00), not an hour early.
  const instant = wallAsUtc - Math.min(first, offset) * MINUTE;
  const after = offsetAt(timeZone, instant);
  const shown = new Date(instant + after * MINUTE);
  const wall: WallTime = {
    year: shown.getUTCFullYear(),
    month: shown.getUTCMonth() + 1,
    day: shown.getUTCDate(),
    hour: shown.getUTCHours(),
    minute: shown.getUTCMinutes(),
    second: shown.getUTCSeconds(),
  };
  return `${wallIso(wall)}${formatOffset(after)}`;
}

export const wallIso = (t: WallTime): string =>
  `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;

/**
 * Whether a wall time exists, by the check every timestamp gets (shared/timestamp.ts, as
 * the rules read as_of): seconds 0–59, a real date. Years 0–99 are refused, which Date.UTC
 * would read as 1900–1999.
 */
export const validWall = (t: WallTime): boolean =>
  t.year >= 100 && validDateTime(t.year, t.month, t.day, t.hour, t.minute, t.second);

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A US-order date and time as Excel writes it: `1/8/2024 10:30`, `01/08/2024 10:30:00 AM`. */
const US_RE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AP])\.?M\.?)?$/i;

/** The hour on a 24-hour clock from a 12-hour one with its AM or PM (A/P); null if it is not one. */
export function hour24(hour: number, half: string | undefined): number | null {
  if (!half) return hour;
  if (hour < 1 || hour > 12) return null;
  return (hour % 12) + (half.toUpperCase().startsWith('P') ? 12 : 0);
}

/** Exchange time from a US-order date and time (month first, as expiries are read); null if invalid. */
function usTimestamp(m: RegExpExecArray, timeZone: string): string | null {
  const hour = hour24(Number(m[4]), m[7]);
  if (hour === null) return null;
  const t: WallTime = {
    year: Number(m[3]),
    month: Number(m[1]),
    day: Number(m[2]),
    hour,
    minute: Number(m[5]),
    second: m[6] ? Number(m[6]) : 0,
  };
  return validWall(t) ? zonedIso(t, timeZone) : null;
}

/**
 * An ISO-like timestamp: with an offset or Z it is kept (normalised to ±HH:MM; the other
 * ISO-8601 forms of one, `+0530`, `+05`, a comma decimal, the basic format, as the rules
 * take them), without
 * one it is exchange time; a US-order date and time (Excel's) is exchange time too. Null
 * when it is not a valid timestamp.
 */
export function parseTimestamp(text: string, timeZone: string): string | null {
  const trimmed = text.trim();
  const us = US_RE.exec(trimmed);
  if (us) return usTimestamp(us, timeZone);
  // An ISO form with an offset written otherwise (`+05`, `,5`, basic `20240108T103000Z`)
  // in the extended one first, as the rules take it (shared/iso-forms.ts).
  const m = ISO_RE.exec(isoExtended(trimmed) ?? trimmed);
  if (!m) return null;
  const t: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] ? Number(m[6]) : 0,
  };
  if (!validWall(t)) return null;
  const zone = m[8];
  // A fraction of zeros (a Parquet timestamp written as text: ".000000") says nothing.
  const frac = /^\.0*$/.test(m[7] ?? '') ? '' : (m[7] ?? '');
  if (!zone) {
    const iso = zonedIso(t, timeZone);
    return `${iso.slice(0, 19)}${frac}${iso.slice(19)}`;
  }
  if (zone.toUpperCase() === 'Z') return `${wallIso(t)}${frac}Z`;
  const off = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  // No zone is beyond ±14:00 (+25:00 is no offset), as the rules check it.
  if (!validOffset(Number(off.slice(1, 3)), Number(off.slice(4, 6)))) return null;
  return `${wallIso(t)}${frac}${off}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** 1..12 from an English month name or abbreviation; 0 when unknown. */
export const monthNumber = (name: string): number =>
  MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const epochDay = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) /
  86400000;

/** Weekdays (Mon–Fri) in [from, to), negative when to < from (numpy busday_count). */
export function businessDays(fromDay: number, toDay: number): number {
  if (toDay < fromDay) return -businessDays(toDay, fromDay);
  const span = toDay - fromDay;
  const weeks = Math.floor(span / 7);
  let n = weeks * 5;
  // 1970-01-01 was a Thursday: weekday index 0 = Monday.
  let wd = (((fromDay + weeks * 7) % 7) + 7 + 3) % 7;
  for (let d = weeks * 7; d < span; d++) {
    if (wd < 5) n++;
    wd = (wd + 1) % 7;
  }
  return n;
}

/**
 * The timestamp forms a refusal names, so that every reader's says what to write: the long
 * format's as_of and the CBOE JSON's timestamp.
 */
export const TIMESTAMP_FORMS =
  '2024-01-08T10:30:00-05:00, or without the offset (exchange time) 2024-01-08 10:30:00 or 01/08/2024 10:30:00';
