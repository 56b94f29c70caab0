// Which bucket an expiry belongs to (ANALYTICS.md): `0dte` when it is the snapshot's date
// in the exchange's time zone, `monthly` when it is the third Friday of its month,
// `weekly` otherwise. 0DTE wins when a third Friday is also the snapshot's date.
import type { ExpiryBucket } from '../../../shared/domain.ts';

/** Bucket codes, in the order buckets are reported. */
export const BUCKETS: readonly ExpiryBucket[] = ['0dte', 'weekly', 'monthly'];
export const BUCKET_0DTE = 0;
export const BUCKET_WEEKLY = 1;
export const BUCKET_MONTHLY = 2;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an ISO-8601 instant in `timeZone`. */
export function dateInZone(isoInstant: string, timeZone: string): string {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (dateFormatters.size < 64) dateFormatters.set(timeZone, f);
  }
  return f.format(new Date(isoInstant));
}

/** The third Friday of its month: a Friday on the 15th to the 21st. */
export function isThirdFriday(date: string): boolean {
  const day = Number(date.slice(8, 10));
  if (day < 15 || day > 21) return false;
  return new Date(`${date.slice(0, 10)}T00:00:00Z`).getUTCDay() === 5;
}

export function bucketCode(expiry: string, exchangeDate: string): number {
  if (expiry === exchangeDate) return BUCKET_0DTE;
  return isThirdFriday(expiry) ? BUCKET_MONTHLY : BUCKET_WEEKLY;
}
