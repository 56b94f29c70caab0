// A CBOE download's option symbols against their line. An OCC symbol (root, YYMMDD, C/P,
// strike × 1000) names its contract's expiry, type and strike, which the line says too
// (Expiration Date, the Calls or Puts side, Strike): a symbol that disagrees is refused at
// its line and field, never stored under the columns' contract. A Strike column that is the
// symbol's strike rounded or cut short at the decimals it prints (7.13 or 7.12 for
// ACMG260327C00007125) gives way to the symbol's exact strike, so that a chain read as CSV and as CBOE JSON (whose
// only strike is the symbol's) stores the same contracts (docs/formats.md).
import { err, type Err } from '../../../shared/result.ts';
import { quoted, type Contracts } from './chain.ts';
import { cellIndex, cellText, textAt, type CsvTable } from './csv-scan.ts';

const SPACE = 0x20;
const TAB = 0x09;
const DOT = 0x2e;
const LOWER_C = 0x63;
const LOWER_P = 0x70;

/**
 * Checks the OCC symbol in kept cell `cell` (row `row`, the `side` 0 calls, 1 puts) against
 * contract `slot`, whose expiry and strike were read from the line's columns; sets the
 * slot's strike to the symbol's. The error of a symbol that disagrees, or null.
 */
export type SymbolCheck = (row: number, cell: number, slot: number, side: 0 | 1) => Err | null;

/** The number in the 6 ASCII digits from `at`, or -1 when one is not a digit (unrolled: hot). */
function sixDigits(b: Buffer, at: number): number {
  const d0 = b[at]! - 0x30;
  const d1 = b[at + 1]! - 0x30;
  const d2 = b[at + 2]! - 0x30;
  const d3 = b[at + 3]! - 0x30;
  const d4 = b[at + 4]! - 0x30;
  const d5 = b[at + 5]! - 0x30;
  if (d0 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9 || d3 >>> 0 > 9 || d4 >>> 0 > 9 || d5 >>> 0 > 9)
    return -1;
  return ((((d0 * 10 + d1) * 10 + d2) * 10 + d3) * 10 + d4) * 10 + d5;
}

/** The number in the 8 ASCII digits from `at`, or -1. */
function eightDigits(b: Buffer, at: number): number {
  const hi = sixDigits(b, at);
  const d6 = b[at + 6]! - 0x30;
  const d7 = b[at + 7]! - 0x30;
  return hi < 0 || d6 >>> 0 > 9 || d7 >>> 0 > 9 ? -1 : (hi * 10 + d6) * 10 + d7;
}

/** A unit of a number's last printed digit, in thousandths, by its decimals (0 past 3). */
const UNIT = [1000, 100, 10, 0];

/** The first day OCC symbols of standard monthlies carry the Friday, not the Saturday after it. */
const FRIDAY_SYMBOLS_FROM = '2015-02-20';

/** An ISO date as OCC's YYMMDD number (2026-03-27 → 260327); -1 outside 2000–2099. */
function yymmddOf(iso: string): number {
  const year = Number(iso.slice(0, 4));
  if (!(year >= 2000 && year <= 2099)) return -1;
  return (year - 2000) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/**
 * The decimals a number cell prints (`7.13` 2, `4700` 0, `7.125e1` 2): the precision it
 * was rounded at. Bytes after the number (spaces) are ignored.
 */
export function printedDecimals(bytes: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && bytes[i] !== DOT && (bytes[i]! | 0x20) !== 0x65) i++;
  let decimals = 0;
  if (bytes[i] === DOT)
    for (i++; i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++) decimals++;
  if (i < end && (bytes[i]! | 0x20) === 0x65) {
    const exponent = Number(bytes.toString('latin1', i + 1, end).trim());
    if (Number.isInteger(exponent)) decimals -= exponent;
  }
  return decimals;
}

export function symbolFields(
  file: string,
  t: CsvTable,
  strikeCol: number,
  c: Contracts,
): SymbolCheck {
  const bytes = t.bytes;
  const yymmdd = Int32Array.from(c.expiries, yymmddOf);
  // Before 2015-02-20 a standard monthly's OCC symbol carried the Saturday after its last
  // trading Friday, which the line's Expiration Date may give: the Saturday is that expiry too.
  const saturday = Int32Array.from(c.expiries, (iso) => {
    const day = new Date(`${iso}T00:00:00Z`);
    if (iso >= FRIDAY_SYMBOLS_FROM || day.getUTCDay() !== 5) return -1;
    return yymmddOf(new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10));
  });
  // Both sides of a line share its Strike cell: its decimals are found once.
  let decimalsRow = -1;
  let unit = 0;
  const refuse = (row: number, cell: number, side: 0 | 1, what: string): Err => {
    const line = t.lines[row]!;
    const field = side === 0 ? 'Calls' : 'Puts';
    const symbol = textAt(bytes, t.starts[cell]!, t.ends[cell]!, t.escaped[cell]!).trim();
    return err(
      'BAD_VALUE',
      `${file}, line ${line}, field "${field}": the symbol ${quoted(symbol)} ${what}: a symbol and its line name one contract; correct the line (its symbol, Expiration Date or Strike) or download the chain again`,
      { file, line, field },
    );
  };
  return (row, cell, slot, side) => {
    let end = t.ends[cell]!;
    while (end > t.starts[cell]! && (bytes[end - 1] === SPACE || bytes[end - 1] === TAB)) end--;
    const at = end - 15;
    const date = sixDigits(bytes, at);
    const type = bytes[at + 6]! | 0x20;
    const thousandths = eightDigits(bytes, at + 7);
    // Not an OCC tail (a cell whose root was seen on a symbol that is): nothing to check.
    if (date < 0 || thousandths < 0 || (type !== LOWER_C && type !== LOWER_P)) return null;
    const expiry = c.expiry[slot]!;
    if (date !== yymmdd[expiry] && date !== saturday[expiry]) {
      const d = String(date).padStart(6, '0');
      return refuse(
        row,
        cell,
        side,
        `expires 20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4)}, not ${c.expiries[expiry]} as the line's Expiration Date`,
      );
    }
    if ((type === LOWER_C ? 0 : 1) !== side)
      return refuse(
        row,
        cell,
        side,
        `is a ${type === LOWER_C ? 'call' : 'put'}, in the ${side === 0 ? 'Calls' : 'Puts'} column`,
      );
    if (row !== decimalsRow) {
      const i = cellIndex(t, row, strikeCol);
      const decimals = printedDecimals(bytes, t.starts[i]!, t.ends[i]!);
      // In thousandths: a unit of the last digit printed (none past the symbol's 3).
      unit = decimals >= 0 ? (UNIT[decimals] ?? 0) : 1000 * 10 ** -decimals;
      decimalsRow = row;
    }
    const column = c.strike[slot]!;
    // The symbol's strike rounded (within half a unit either way) or cut short (up to a unit
    // below it) at the decimals printed, beyond a double's error in column × 1000 (1e-6 of a
    // thousandth at a strike of 1e4).
    const off = thousandths - column * 1000;
    const eps = 1e-6 + column * 1e-10;
    const agrees = unit === 0 ? Math.abs(off) <= eps : off >= -unit / 2 - eps && off < unit - eps;
    if (!agrees)
      return refuse(
        row,
        cell,
        side,
        `is of strike ${thousandths / 1000}, not ${cellText(t, row, strikeCol).trim()} as the line's Strike`,
      );
    c.strike[slot] = thousandths / 1000;
    return null;
  };
}
