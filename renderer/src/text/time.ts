// Times as an analyst must read them: always with their zone. Data times (a chain's
// as-of) keep the offset the exchange wrote them in ("2024-01-07 10:52:00 UTC−5");
// the app's own events (submitted, started, audit entries) are shown in the local
// zone, named ("14:03:27 CET").
import { DASH } from './numbers.ts';

const MINUS = '−';

/** "UTC", "UTC−5", "UTC+5:30" for an ISO offset ("Z", "-05:00", "+05:30"). */
export function offsetLabel(offset: string): string {
  if (offset === 'Z' || offset === '+00:00' || offset === '-00:00') return 'UTC';
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return offset;
  const hours = String(Number(m[2]));
  return `UTC${m[1] === '-' ? MINUS : '+'}${hours}${m[3] === '00' ? '' : `:${m[3]}`}`;
}

/** A data time in its own offset: "2024-01-07 10:52:00 UTC−5". */
export function asOfStamp(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  return m ? `${m[1]} ${m[2]} ${offsetLabel(m[3]!)}` : iso;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = zoneFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
    zoneFormats.set(key, f);
  }
  return f;
}

function localParts(iso: string, timeZone?: string): Record<string, string> | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of partsFormat(timeZone).formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** The local zone's short name now ("CET", "GMT+1", "UTC"), for column headers. */
export function localZone(timeZone?: string): string {
  return localParts(new Date().toISOString(), timeZone)?.timeZoneName ?? '';
}

/** An instant in the local zone with its date: "2025-12-02 14:03:27 CET". */
export function localStamp(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return DASH;
  const p = localParts(iso, timeZone);
  if (!p) return iso;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** An instant's local clock time, without the zone (for table cells whose header names it). */
export function localClock(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return DASH;
  const p = localParts(iso, timeZone);
  return p ? `${p.hour}:${p.minute}:${p.second}` : iso;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant's local time for a cell whose header names the zone, with its date when that
 * is not today's (`now`'s, in the same zone): "14:02:11" today, "Dec 5 14:02:11" another
 * day of the year, "2024-12-05 14:02:11" another year. So that jobs of different days,
 * listed together, never read alike.
 */
export function localWhen(iso: string | null | undefined, now: number, timeZone?: string): string {
  if (!iso) return DASH;
  const p = localParts(iso, timeZone);
  if (!p) return iso;
  const today = localParts(new Date(now).toISOString(), timeZone);
  const time = `${p.hour}:${p.minute}:${p.second}`;
  if (today && today.year === p.year && today.month === p.month && today.day === p.day) return time;
  if (today?.year === p.year) return `${MONTHS[Number(p.month) - 1]} ${Number(p.day)} ${time}`;
  return `${p.year}-${p.month}-${p.day} ${time}`;
}

/** An instant's local date and time without the zone (for cells whose header names it). */
export function localDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return DASH;
  const p = localParts(iso, timeZone);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` : iso;
}

/**
 * An instant's zone when it is not `headerZone`: a column's header names the zone of now
 * ("CEST"), and an entry from the other side of a daylight-saving change (09:54:40 in
 * December, CET) would read an hour off under it; such a cell names its own ("CET").
 * Empty when the zones are the same.
 */
/**
 * Whether any of these instants is in another zone than `headerZone`: the audit's At
 * column widens for the zone it then names. Read once per UTC minute (a burst of 5,000
 * entries spans a few), as the zone changes on a minute at the finest.
 */
export function anyOtherZone(isos: Iterable<string>, headerZone: string): boolean {
  const seen = new Set<string>();
  for (const iso of isos) {
    const minute = iso.endsWith('Z') ? iso.slice(0, 16) : iso;
    if (seen.has(minute)) continue;
    seen.add(minute);
    if (zoneIfOther(iso, headerZone)) return true;
  }
  return false;
}

export function zoneIfOther(
  iso: string | null | undefined,
  headerZone: string,
  timeZone?: string,
): string {
  if (!iso) return '';
  const zone = localParts(iso, timeZone)?.timeZoneName ?? '';
  return zone && zone !== headerZone ? zone : '';
}
