// The long format reads a slash date (`01/08/2024`) in US order, month/day/year
// (docs/formats.md). A file saved on a day/month desk (Excel in the UK) whose every day is
// at most 12 reads so without an error, as another chain months away (QA fmt2 F7): this
// finds such a file where the US reading is implausible for an option chain (an expiry
// before the as_of date, or on a weekend) and the day/month reading is not, so that the
// reader refuses it, naming the ambiguity and the fix, instead of guessing either way.

import { parseExpiry } from './dates.ts';
import { MONTH_NAMES } from '../../../shared/iso-forms.ts';

const SLASH = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?=\s|$)/;

/** The date of the first Friday-expiry standard (before it, OCC dated expiries the Saturday after). */
const SATURDAY_EXPIRIES_END = '2015-02-20';

const pad = (n: number): string => String(n).padStart(2, '0');

type Parts = { a: number; b: number; y: number };

const partsOf = (cell: string): Parts | null => {
  const m = SLASH.exec(cell);
  return m ? { a: Number(m[1]), b: Number(m[2]), y: Number(m[3]) } : null;
};

/** YYYY-MM-DD of month `m`, day `d`, or null when there is no such day. */
function isoOf(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCDate() === d ? `${y}-${pad(m)}-${pad(d)}` : null;
}

const DAY_NAMES = [
  'a Sunday',
  'a Monday',
  'a Tuesday',
  'a Wednesday',
  'a Thursday',
  'a Friday',
  'a Saturday',
];
const spoken = (iso: string): string =>
  `${Number(iso.slice(8, 10))} ${MONTH_NAMES[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** What makes a reading implausible for an option chain, or null when nothing does. */
function implausible(
  asOf: string,
  expiries: { cell: string; iso: string }[],
): { cell: string; why: string } | null {
  for (const e of expiries) {
    if (e.iso < asOf)
      return {
        cell: e.cell,
        why: `an expiry ${e.cell} (${spoken(e.iso)}) before the as_of date (${spoken(asOf)}): its rows would be dropped as expired`,
      };
    const day = new Date(`${e.iso}T00:00:00Z`).getUTCDay();
    if (day === 0 || (day === 6 && e.iso >= SATURDAY_EXPIRIES_END))
      return {
        cell: e.cell,
        why: `an expiry ${e.cell} on ${DAY_NAMES[day]} (${spoken(e.iso)})`,
      };
  }
  return null;
}

/**
 * Why a file's slash dates cannot be read in US order without a guess, or null: every
 * slash date in it (as_of's and the expiries') could be either order (no part above 12, and
 * one with two different parts), read month/day they give an expiry before the as_of date
 * or on a weekend, and read day/month they give none. `asOfDate` is as_of's date as read
 * (US order when it is a slash date); `expiryCells` the expiry column's distinct texts.
 */
export function dayMonthAmbiguity(
  asOfCell: string,
  asOfDate: string,
  expiryCells: Iterable<string>,
): string | null {
  const asOfParts = partsOf(asOfCell);
  const slashed: { cell: string; p: Parts }[] = [];
  const others: { cell: string; iso: string }[] = [];
  for (const cell of expiryCells) {
    const p = partsOf(cell);
    if (p) slashed.push({ cell: cell.trim(), p });
    else {
      const iso = parseExpiry(cell);
      if (iso !== null) others.push({ cell: cell.trim(), iso });
    }
  }
  const all = [...(asOfParts ? [asOfParts] : []), ...slashed.map((s) => s.p)];
  if (slashed.length === 0 || all.some((p) => p.a > 12 || p.b > 12)) return null;
  if (all.every((p) => p.a === p.b)) return null;
  const read = (dayFirst: boolean) => {
    const iso = (p: Parts) => (dayFirst ? isoOf(p.y, p.b, p.a) : isoOf(p.y, p.a, p.b));
    const asOf = asOfParts && dayFirst ? iso(asOfParts) : asOfDate;
    const expiries = slashed.map((s) => ({ cell: s.cell, iso: iso(s.p) }));
    if (asOf === null || expiries.some((e) => e.iso === null)) return null;
    return { asOf, expiries: [...(expiries as { cell: string; iso: string }[]), ...others] };
  };
  const us = read(false);
  const dm = read(true);
  if (us === null || dm === null) return null;
  const wrong = implausible(us.asOf, us.expiries);
  if (wrong === null || implausible(dm.asOf, dm.expiries) !== null) return null;
  const example = slashed.find((s) => s.p.a !== s.p.b) ?? {
    cell: asOfCell.trim().split(/\s+/)[0]!,
    p: asOfParts!,
  };
  const dmIso = isoOf(example.p.y, example.p.b, example.p.a)!;
  return `could be month/day or day/month, as every slash date in the file could: read in US order (month/day/year, as the long format reads them) the file has ${wrong.why}, and read day/month none. Write its dates as ISO, YYYY-MM-DD (read day/month, ${example.cell} is ${dmIso}), or in US order`;
}

/**
 * What to add to "is not a date" for a slash date that reads only day/month (`16/01/2024`):
 * the order and the fix; '' for any other text.
 */
export function dayFirstHint(cell: string): string {
  const p = partsOf(cell);
  if (!p || p.a <= 12 || p.b > 12) return '';
  const iso = isoOf(p.y, p.b, p.a);
  return iso === null
    ? ''
    : ` in US order (month/day/year, as the long format reads slash dates); it reads as day/month, ${iso}: write dates as ISO, YYYY-MM-DD, or in US order`;
}
