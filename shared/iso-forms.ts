// The forms of an ISO-8601 timestamp with an offset that GEX Desk reads, beyond the one
// it writes (`2024-01-07T10:52:00.25-05:00`), and what is wrong with one it cannot read.
// `rules eval` refused `…+0530` (basic offset), `…+05` (hour only), `…,5Z` (ISO's comma
// decimal), lower-case `t`/`z` (RFC 3339) and `20261207T150000Z` (basic format), all
// saying "must be … with an offset" of a value that had one; and `2026-02-30`, `24:00:00`
// and `…:60` got the same words, not what was wrong (QA gd F4). These forms are rewritten
// to the extended one (isoExtended), which the rules (shared/rules.ts) and the readers
// (pipeline/time.ts) then take alike; one neither takes is said precisely (timestampProblem).
import { MAX_OFFSET_MINUTES, validDateTime } from './timestamp.ts';

// Date extended (2026-12-07) or basic (20261207); `T`, `t` or a space (RFC 3339, and as
// files write it); time extended (15:00[:00]) or basic (1500[00]); a decimal fraction of
// the second with `.` or `,`; `Z`/`z`, or an offset ±HH:MM, ±HHMM or ±HH.
const FORM =
  /^(\d{4})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2}))[Tt ](?:(\d{2}):(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})(\d{2})?)(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

type Parts = {
  date: string;
  year: number;
  month: number;
  day: number;
  hour: string;
  minute: string;
  second: string | undefined;
  fraction: string | undefined;
  zone: string | null;
  offsetHours: number;
  offsetMinutes: number;
};

const parts = (text: string): Parts | null => {
  const m = FORM.exec(text);
  if (!m) return null;
  const month = m[2] ?? m[4]!;
  const day = m[3] ?? m[5]!;
  const second = m[8] ?? m[11];
  // A fraction belongs to the seconds (ISO lets it end the minutes too: not taken).
  if (m[12] !== undefined && second === undefined) return null;
  const sign = m[14];
  return {
    date: `${m[1]}-${month}-${day}`,
    year: Number(m[1]),
    month: Number(month),
    day: Number(day),
    hour: m[6] ?? m[9]!,
    minute: m[7] ?? m[10]!,
    second,
    fraction: m[12],
    zone: m[13] ? 'Z' : sign ? `${sign}${m[15]}:${m[16] ?? '00'}` : null,
    offsetHours: sign ? Number(m[15]) : 0,
    offsetMinutes: sign ? Number(m[16] ?? '0') : 0,
  };
};

/**
 * The extended form of an ISO-8601 date and time with an offset or Z, written as its
 * parts were (seconds only if given): `2026-12-07T20:30:00+05:30` from
 * `2026-12-07T20:30:00+0530`, `…+05` → `…+05:00`, `…,5Z` → `….5Z`, `…t…z` → `…T…Z`,
 * `20261207T150000Z` → `2026-12-07T15:00:00Z`; one already so is returned unchanged.
 * Null when it is no such form or has no offset (validity of the date is not checked here).
 */
export function isoExtended(text: string): string | null {
  const p = parts(text);
  if (!p || p.zone === null) return null;
  const sec = p.second === undefined ? '' : `:${p.second}`;
  const frac = p.fraction === undefined ? '' : `.${p.fraction}`;
  return `${p.date}T${p.hour}:${p.minute}${sec}${frac}${p.zone}`;
}

/** The months' English names, January first. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * What is wrong with a date and time in one of these forms that GEX Desk cannot read, in
 * words that name the part: "2026-02-30 is not a date (February 2026 has 28 days)", "24:00
 * is not a time of day (write 00:00 of the next day)", "it has no offset (…)". Null when it
 * is readable, or no such form at all (nothing more precise to say than what one is).
 */
export function timestampProblem(text: string): string | null {
  const p = parts(text);
  if (!p) return null;
  const { year, month, day } = p;
  const [hour, minute, second] = [p.hour, p.minute, p.second ?? '00'].map(Number) as [
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return `${p.date} is not a date (there is no month ${month})`;
  if (!validDateTime(year, month, day, 0, 0, 0)) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${p.date} is not a date (${MONTH_NAMES[month - 1]} ${year} has ${days} days)`;
  }
  const time = `${p.hour}:${p.minute}${p.second === undefined ? '' : `:${p.second}`}`;
  if (hour === 24 && minute === 0 && second === 0)
    return `${time} is not a time of day (write 00:00 of the next day)`;
  if (hour > 23) return `${time} is not a time of day (hour ${hour}; hours run 00–23)`;
  if (minute > 59) return `${time} is not a time of day (minute ${minute}; minutes run 00–59)`;
  if (second === 60)
    return `${time} is a leap second, which an instant here cannot be (write :59.999 or the next minute)`;
  if (second > 59) return `${time} is not a time of day (second ${second}; seconds run 00–59)`;
  if (p.zone === null)
    return 'it has no offset (add Z for UTC, or the offset it was written in, such as -05:00)';
  if (p.offsetMinutes > 59)
    return `offset ${p.zone} is not an offset (minute ${p.offsetMinutes}; minutes run 00–59)`;
  if (p.offsetHours * 60 + p.offsetMinutes > MAX_OFFSET_MINUTES)
    return `offset ${p.zone} is beyond ±14:00, further from UTC than any zone`;
  return null;
}
