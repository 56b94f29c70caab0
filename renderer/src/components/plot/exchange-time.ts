// Data times in the exchange's time: a file may write its as-of in any offset (the same
// instant as 15:00 −05:00, 20:00Z or 05:00 +09:00 the next day), but a history is read on
// the exchange's clock — `conventions.exchange_time_zone`, America/New_York by default
// (docs/formats.md, Time zones). The chart positions, the time axis and the export file
// names all read an as-of through here, never through the offset its file happened to use.
import { DEFAULT_CONVENTIONS, type GexConventions } from '../../../../shared/domain.ts';
import { zoneOffsetAt, zoneClock } from '../../../../shared/zone-offset.ts';
import { isoInOffset, offsetMinutes } from './ticks.ts';
import { asOfStamp } from '../../text/time.ts';

const MIN = 60_000;
const DAY = 86_400_000;

/** The default exchange time zone (no conventions recorded, none from the engine). */
export const DEFAULT_EXCHANGE_ZONE = DEFAULT_CONVENTIONS.exchange_time_zone;

/** Per zone: UTC day → the zone's offset all that day, or null when it changes during it. */
const zones = new Map<string, Map<number, number | null> | null>();

function daysOf(zone: string): Map<number, number | null> | null {
  let days = zones.get(zone);
  if (days === undefined) {
    try {
      zoneClock(zone);
      days = new Map();
    } catch {
      days = null; // not a time zone this browser knows
    }
    zones.set(zone, days);
  }
  return days;
}

/**
 * Minutes east of UTC of `zone` at the instant `ms` (New York: −300 in January, −240 in
 * July); null for a zone the browser does not know. Read once per UTC day when the offset
 * is the same at both its ends (a history of 1,000 intraday points costs a few Intl calls,
 * not 1,000), at the instant itself on a day the clocks change.
 */
export function zoneOffsetMinutes(ms: number, zone: string): number | null {
  const days = daysOf(zone);
  if (!days || !Number.isFinite(ms)) return null;
  const day = Math.floor(ms / DAY);
  let whole = days.get(day);
  if (whole === undefined) {
    const a = zoneOffsetAt(zone, day * DAY);
    const b = zoneOffsetAt(zone, (day + 1) * DAY - 1000);
    whole = a === b ? a : null;
    days.set(day, whole);
  }
  return whole ?? zoneOffsetAt(zone, ms);
}

/**
 * An as-of as the exchange's clock read it, in ISO 8601 with that offset:
 * "2024-02-02T09:00:00+09:00" in New York → "2024-02-01T19:00:00-05:00". The string as
 * it is when it cannot be read or the zone is unknown.
 */
export function inExchangeTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const off = zoneOffsetMinutes(ms, zone);
  return off === null ? iso : isoInOffset(ms, off);
}

/**
 * An as-of as an analyst reads it beside a history: on the exchange's clock, with that
 * offset named ("2024-02-02T09:00:00+09:00" in New York → "2024-02-01 19:00:00 UTC−5").
 * History's slider, readouts and replayed chart and Compare's choices and heading all say
 * a snapshot's time so, that one snapshot is never given two dates a day apart.
 */
export const exchangeStamp = (iso: string, zone: string): string =>
  asOfStamp(inExchangeTime(iso, zone));

/**
 * An as-of as a position on a time axis: the exchange's wall-clock reading of the instant
 * taken as if it were UTC (2024-02-01T20:00Z in New York → 2024-02-01T15:00Z). A history
 * across a change of daylight saving time is placed, and ticked, in each point's own
 * exchange offset: 09:45 before the change and 09:45 after it fall at the same hour of
 * their days. Read the axis with offset 0.
 */
export function wallClock(iso: string, zone: string): number {
  const ms = Date.parse(iso);
  return ms + (zoneOffsetMinutes(ms, zone) ?? offsetMinutes(iso)) * MIN;
}

/**
 * Wall-clock positions of ascending instants, kept ascending: the hour repeated when the
 * clocks go back (01:30 −04:00, then 01:10 −05:00) is placed a millisecond after the last.
 */
export function wallClockX(isos: readonly string[], zone: string): number[] {
  const out: number[] = [];
  for (const iso of isos) {
    const v = wallClock(iso, zone);
    out.push(out.length && v <= out[out.length - 1]! ? out[out.length - 1]! + 1 : v);
  }
  return out;
}

/**
 * The exchange time zone of snapshots: that their newest recorded conventions name, else
 * `fallback` (the engine's conventions: snapshots stored before conventions were recorded).
 */
export function exchangeZoneOf(
  snapshots: readonly { conventions?: GexConventions | null }[],
  fallback: string | undefined,
): string {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const z = snapshots[i]!.conventions?.exchange_time_zone;
    if (z) return z;
  }
  return fallback ?? DEFAULT_EXCHANGE_ZONE;
}

/**
 * A zone as an axis names it: "America/New_York" → "New York time"; one with no place
 * ("UTC", "Etc/GMT+5") by its short name now ("UTC", "GMT-5").
 */
export function zoneTitle(zone: string): string {
  const place = /^(?!Etc\/)[A-Za-z]+\/(?:[A-Za-z_-]+\/)?([A-Za-z_-]+)$/.exec(zone)?.[1];
  if (place) return `${place.replace(/_/g, ' ')} time`;
  try {
    const short = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return short ? `${short} time` : zone;
  } catch {
    return zone;
  }
}
