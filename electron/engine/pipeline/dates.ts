// Expiry dates as files write them ("Fri Jan 05 2024", "2024-01-05", "01/05/2024",
// "20240105", "Jan 5, 2024", "05-Jan-24") turned into YYYY-MM-DD.
import { monthNumber } from './time.ts';

/** What an expiry cell that is not a date is told: how to write one. */
export const NOT_A_DATE = 'is not a date: write it as YYYY-MM-DD (2024-01-19)';

const pad = (n: number): string => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): string | null {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1900 && y <= 2200)) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** YYYY-MM-DD of an expiry written in one of the usual forms; null when it is not a date. */
export function parseExpiry(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return ymd(Number(m[3]), Number(m[1]), Number(m[2]));
  // "Fri Jan 05 2024", "Jan 5, 2024", "Friday, January 5, 2024"
  m = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m && monthNumber(m[1]!) > 0) return ymd(Number(m[3]), monthNumber(m[1]!), Number(m[2]));
  // "05 Jan 2024", "5-Jan-2024"; "05-Jan-24", as Excel shows a date by default in many
  // locales: the month by name, so day and month cannot be mistaken, and a two-digit year
  // is 20YY (an expiry, never last century's).
  m = /^(\d{1,2})[\s-]([A-Za-z]{3,})[\s-](\d{4}|\d{2})$/.exec(s);
  if (m && monthNumber(m[2]!) > 0)
    return ymd(
      m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]),
      monthNumber(m[2]!),
      Number(m[1]),
    );
  return null;
}
