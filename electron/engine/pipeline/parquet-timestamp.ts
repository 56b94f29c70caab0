// A Parquet timestamp's text as the long-format reader writes it (read-long-parquet.ts
// textColumn): naive, its wall time; in a named zone, that zone's wall time and offset; in
// UTC, the exchange's. Sniff writes the one value a timestamp column's statistics give
// (parquet-meta.ts) so, and the reader's own grammar then reads it (long-table.ts), so a
// timestamp-typed as_of is known at arrival, in the string the whole read gives.
import type { ParquetTimestamp } from './parquet-meta.ts';
import { formatOffset, isValidTimeZone, offsetAt } from './time.ts';

/**
 * A zone that is UTC itself. Parquet's timestamp "with a zone" is only "adjusted to UTC"
 * (DuckDB's TIMESTAMPTZ, Spark, Polars without a zone name): it says the instant, not the
 * zone the vendor meant, and Polars reads it as zone UTC.
 */
export const UTC_ZONE = /^(?:utc|uct|gmt|z|etc\/(?:utc|uct|gmt)|[+-]00:?00)$/i;

/** Seconds since 1970 of years 1000 to 9999: a four-digit year. */
const FIRST = Date.UTC(1000, 0, 1) / 1000;
const LAST = Date.UTC(10000, 0, 1) / 1000 - 1;

/** `YYYY-MM-DD HH:MM:SS` of an instant's UTC fields. */
const wallText = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The text of a stored INT64 timestamp (`raw`, little-endian), as the reader writes it,
 * without its fraction; null where that text is not known here: a fraction of a second
 * (its digits are the unit's of Polars' type), a year outside 1000–9999, or a zone this
 * process does not know (or a fixed offset, which Polars may write otherwise).
 */
export function timestampText(
  raw: Uint8Array,
  ts: ParquetTimestamp,
  exchangeZone: string,
): string | null {
  if (raw.length !== 8) return null;
  const value = Buffer.from(raw).readBigInt64LE(0);
  const per = BigInt(ts.perSecond);
  if (value % per !== 0n) return null;
  const seconds = Number(value / per);
  if (seconds < FIRST || seconds > LAST) return null;
  const ms = seconds * 1000;
  if (ts.zone === null) return wallText(ms);
  const zone = UTC_ZONE.test(ts.zone) ? exchangeZone : ts.zone;
  if (!/^[A-Za-z]/.test(zone) || !isValidTimeZone(zone)) return null;
  const offset = offsetAt(zone, ms);
  return `${wallText(ms + offset * 60_000)}${formatOffset(offset)}`;
}
