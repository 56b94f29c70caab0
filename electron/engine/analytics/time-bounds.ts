// History's --from/--to (and prune's --before): an ISO-8601 timestamp with offset is that
// instant, one without is exchange time (as in the files: `2024-01-08T09:30`); a date
// (YYYY-MM-DD) is that whole day in the exchange's time zone (from its first to its last
// millisecond). Bounds are inclusive, in epoch milliseconds.
import { notATimeBound } from '../../../shared/api/snapshots.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { parseTimestamp, zonedIso } from '../pipeline/time.ts';

export type Bounds = { fromMs: number; toMs: number };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(date: string, timeZone: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return Date.parse(zonedIso({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone));
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function instant(value: string, timeZone: string): number | null {
  const iso = parseTimestamp(value, timeZone);
  return iso === null ? null : Date.parse(iso);
}

export function resolveBounds(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): Result<Bounds> {
  const one = (value: string | undefined, field: 'from' | 'to'): Result<number> => {
    if (value === undefined) return ok(field === 'from' ? -8.64e15 : 8.64e15);
    const start = dayStart(value, timeZone);
    const ms = DATE_RE.test(value)
      ? field === 'from'
        ? start
        : start === null
          ? null
          : dayStart(nextDay(value), timeZone)! - 1
      : instant(value, timeZone);
    if (ms === null || Number.isNaN(ms))
      return err('VALIDATION', `${field}: ${notATimeBound(value)}`, { field });
    return ok(ms);
  };
  const fromMs = one(from, 'from');
  if (!fromMs.ok) return fromMs;
  const toMs = one(to, 'to');
  if (!toMs.ok) return toMs;
  if (fromMs.value > toMs.value)
    return err('VALIDATION', `from (${from}) is after to (${to})`, { field: 'from' });
  return ok({ fromMs: fromMs.value, toMs: toMs.value });
}
