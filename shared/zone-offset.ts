// A time zone's offset from UTC at an instant, as Intl reads the zone's clock: one
// implementation for the engine (a file's wall-clock times made instants) and the app
// (data times on the exchange's clock). Building an Intl.DateTimeFormat costs about a
// millisecond, so one is kept per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's clock (throws a RangeError for a name that is not a time zone). */
export function zoneClock(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC of `timeZone` at the UTC instant `utcMs` (throws for an unknown zone). */
export function zoneOffsetAt(timeZone: string, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of zoneClock(timeZone).formatToParts(new Date(utcMs)))
    p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}
