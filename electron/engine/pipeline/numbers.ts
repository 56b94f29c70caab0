// The one place a file's numbers are judged, whatever the format: parsing a CSV cell
// straight from its bytes, and the sane range of every numeric field. The ranges refuse
// absurd but finite values (an open interest of 1e300) at read time, with the line and
// field, so that no sum over a snapshot can overflow to Infinity (docs/formats.md).

/** Markers parseNumberAt returns besides a number. */
export const EMPTY = -Infinity;
export const NOT_A_NUMBER = NaN;
/** A well-formed literal too large for a double (1e400). */
export const TOO_BIG = Infinity;

const COMMA = 0x2c;
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * The number in bytes[start, end): optional spaces, sign, digits with thousands
 * separators, fraction, exponent. EMPTY for a blank cell or a no-value marker (`N/A`,
 * `NaN`, `null`, `-`, `—`), NOT_A_NUMBER for other text, TOO_BIG for a literal beyond a double.
 */
export function parseNumberAt(bytes: Buffer, start: number, end: number): number {
  while (start < end && bytes[start] === 0x20) start++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  if (start === end) return EMPTY;
  let i = start;
  let neg = false;
  if (bytes[i] === 0x2d) {
    neg = true;
    i++;
  } else if (bytes[i] === 0x2b) i++;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  // Thousands separators only where they group thousands: `1,234,567`, never `0,0012` or
  // `3,5` (a decimal comma, which read as a separator would make 0.0012 into 12).
  let group = 0;
  let grouped = false;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x30 && b <= 0x39) {
      mant = mant * 10 + (b - 0x30);
      digits++;
      group++;
      any = true;
    } else if (b === COMMA && any) {
      if (grouped ? group !== 3 : group > 3 || mant === 0) return NOT_A_NUMBER;
      grouped = true;
      group = 0;
    } else break;
  }
  if (grouped && group !== 3) return NOT_A_NUMBER;
  if (i < end && bytes[i] === 0x2e) {
    for (i++; i < end; i++) {
      const b = bytes[i]!;
      if (b < 0x30 || b > 0x39) break;
      mant = mant * 10 + (b - 0x30);
      digits++;
      scale++;
      any = true;
    }
  }
  if (!any || digits > 15 || (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45))) {
    // UTF-8, so that a no-value marker beyond ASCII (an em dash) reads as such.
    return parseNumberText(bytes.toString('utf8', start, end));
  }
  if (i < end) return NOT_A_NUMBER;
  const v = scale === 0 ? mant : mant / POW10[scale]!;
  return neg ? -v : v;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** An integer part with thousands separators, each group of three digits. */
const GROUPED_RE = /^[+-]?[1-9]\d{0,2}(,\d{3})+(\.|[eE]|$)/;
/**
 * What spreadsheets and vendors write for "no value": read as a blank cell. Dashes are
 * hyphens and their typographic kin (figure, en and em dashes, the horizontal bar: `—`,
 * as a web table or a word processor's autocorrect writes an empty cell).
 */
const NO_VALUE = /^(n\/?a|#n\/a|nan|null|none|[-\u2012-\u2015]+)$/i;

/**
 * A text cell that holds no value: blank, or one of the markers a number cell counts as
 * empty (`N/A`, `#N/A`, `NaN`, `null`, `none`, dashes), so that a required text field
 * (an expiry, an option type, a timestamp) is "missing" whichever is written.
 */
export function isNoValueText(text: string): boolean {
  const t = text.trim();
  return t === '' || NO_VALUE.test(t);
}

/**
 * isNoValueText for a ticker or an option root: `NA` and `NaN` are tickers there (Nano
 * Labs, a Nuveen fund), read as such.
 */
export const isNoTicker = (text: string): boolean =>
  isNoValueText(text) && !/^\s*nan?\s*$/i.test(text);

/** The same grammar over text (Parquet string columns, the slow path of parseNumberAt). */
export function parseNumberText(text: string): number {
  const t = text.trim();
  if (t.includes(',') && !GROUPED_RE.test(t)) return NOT_A_NUMBER;
  const s = t.replace(/,/g, '');
  if (s === '' || NO_VALUE.test(s)) return EMPTY;
  if (!NUMBER_RE.test(s)) return NOT_A_NUMBER;
  const v = Number(s);
  return Number.isFinite(v) ? v : TOO_BIG;
}

/**
 * A percentage's value as a decimal: `13.12%` → 0.1312 (as the text `13.12e-2` reads, so the
 * same double as `0.1312`), NOT_A_NUMBER for any other text. Excel writes an IV so once its
 * cells are formatted as percentages; the sign says the unit, so nothing is guessed.
 */
export function percentText(text: string): number {
  const t = text.trim();
  if (!t.endsWith('%')) return NOT_A_NUMBER;
  const s = t.slice(0, -1).trimEnd();
  if (/[eE]/.test(s) || !Number.isFinite(parseNumberText(s))) return NOT_A_NUMBER;
  const v = parseNumberText(`${s.replace(/,/g, '')}e-2`);
  return Number.isFinite(v) ? v : NOT_A_NUMBER;
}

/** An IV cell's number: the grammar above, or a percentage (`13.12%`). */
export function ivNumberText(text: string): number {
  const v = parseNumberText(text);
  return Number.isNaN(v) ? percentText(text) : v;
}

/**
 * Accepted values of a field: [min, max], min excluded where `above` is set; where
 * `smallest` is set, a value nearer 0 than it is refused unless it is 0 itself.
 */
export type Range = {
  min: number;
  max: number;
  above?: boolean;
  smallest?: number;
  /** What a value below a `min` of 0 is told, when the field's own reason helps more. */
  negative?: string;
  /** A cell may be a percentage (`13.12%`), read as its decimal (an IV). */
  percent?: boolean;
};

/**
 * The sane range of every numeric field (documented in docs/formats.md). Besides the
 * absurdly large, the absurdly small: a spot, a strike or an IV of 1e-320 would make a
 * Black-Scholes gamma infinite. OCC strikes are in thousandths, hence 0.001.
 */
export const RANGES = {
  spot: { min: 0, max: 1e7, above: true, smallest: 0.001 },
  strike: { min: 0, max: 1e7, above: true, smallest: 0.001 },
  open_interest: { min: 0, max: 1e9 },
  volume: { min: 0, max: 1e9 },
  iv: { min: 0, max: 100, smallest: 1e-4, percent: true },
  // An option's gamma is never negative: a negative one is a file that signs it (a put's, the
  // dealer's side) or a corrupt cell, and taken as given it would turn a put's GEX around.
  gamma: {
    min: 0,
    max: 1e4,
    negative:
      "must not be negative: an option's gamma never is (give puts' gamma unsigned, as exchanges write it)",
  },
  delta: { min: -1.5, max: 1.5 },
  bid: { min: -1e9, max: 1e9 },
  ask: { min: -1e9, max: 1e9 },
  // Shares a contract is of (a long file's multiplier, contract size or deliverable).
  multiplier: { min: 0, max: 1e7, above: true },
  deliverable: { min: 0, max: 1e7, above: true },
} as const satisfies Record<string, Range>;
export type NumericField = keyof typeof RANGES;

export type NumberRule = Range & { required: boolean };

export const rule = (field: NumericField, required: boolean): NumberRule => ({
  ...RANGES[field],
  required,
});

const fmt = (v: number): string => (Math.abs(v) >= 1e6 ? v.toExponential() : String(v));

/**
 * Why `v` (a parsed number or one of the markers) is not acceptable under `r`, or null.
 * The reasons read after a field name: `"Strike" must be greater than 0`.
 */
export function numberProblem(v: number, r: NumberRule): string | null {
  if (v === EMPTY) return r.required ? 'is missing' : null;
  if (Number.isNaN(v)) return 'is not a number';
  if (r.above ? !(v > r.min) : v < r.min) {
    if (r.min === 0)
      return r.above ? 'must be greater than 0' : (r.negative ?? 'must not be negative');
    return outOfRange(r);
  }
  if (v === TOO_BIG || v > r.max) return outOfRange(r);
  if (r.smallest !== undefined && v !== 0 && Math.abs(v) < r.smallest) return outOfRange(r);
  return null;
}

function outOfRange(r: NumberRule): string {
  const low =
    r.smallest === undefined
      ? fmt(r.min)
      : r.above
        ? fmt(r.smallest)
        : `${fmt(r.min)}, or ${fmt(r.smallest)}`;
  return `is out of range (${low} to ${fmt(r.max)})`;
}
