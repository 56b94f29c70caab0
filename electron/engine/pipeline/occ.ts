// OCC option symbols (ROOT + YYMMDD + C/P + strike×1000 in 8 digits, the root padded to
// six characters or not), and which roots are a stock's adjusted options. The mapping from
// a root to its underlying's ticker (SPXW → SPX) is shared/underlyings.ts.

export type OccSymbol = { root: string; expiry: string; option_type: 'C' | 'P'; strike: number };

const TAIL = /^(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/** Parses an OCC symbol such as META250912C00300000 or "SPXW  240105P04700000"; null if not one. */
export function parseOcc(symbol: string): OccSymbol | null {
  const s = symbol.trim().toUpperCase();
  if (s.length < 16) return null;
  const m = TAIL.exec(s.slice(-15));
  if (!m) return null;
  const root = s.slice(0, -15).trim();
  if (!/^[A-Z0-9.\-_/]{1,6}$/.test(root)) return null;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return null;
  const d = new Date(Date.UTC(2000 + yy, mm - 1, dd));
  if (d.getUTCDate() !== dd) return null;
  return {
    root,
    expiry: `20${m[1]}-${m[2]}-${m[3]}`,
    option_type: m[4] as 'C' | 'P',
    strike: Number(m[5]) / 1000,
  };
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The underlying a file's first symbol gives, when its ends are all that was read: null
 * when it ends in a digit, which may be an adjusted option's (AAPL1) whose stock's rows
 * come later (parentOfAdjusted): the whole read decides then, never another value.
 */
export const underlyingFromHead = (u: string | null): string | null =>
  u !== null && isDigitCode(u.charCodeAt(u.length - 1)) ? null : u;

/**
 * The underlyings the whole read may give a file whose first name `u` ends in a digit
 * (underlyingFromHead null): the name itself (NEW1, a ticker of its own), else a stock
 * its rows are the adjusted options of, by parentOfAdjusted one digit at a time (PO01
 * beside PO0 is PO0's, and PO0 beside PO is PO's): the name less one or more of its last
 * digits — PO01 → PO01, PO0, PO. Null when the name tells the underlying (or is none).
 */
export function underlyingsFromHead(u: string | null): string[] | null {
  if (u === null || underlyingFromHead(u) !== null) return null;
  const names = [u];
  for (let n = u.length - 1; n > 0 && isDigitCode(u.charCodeAt(n)); n--) names.push(u.slice(0, n));
  return names;
}

export { tickerOf, underlyingOfRoot } from '../../../shared/underlyings.ts';

/**
 * When two underlyings of one file are a stock's and its adjusted options' (AAPL and
 * AAPL1, after a split, a merger or a special dividend): the stock's; else null. Only
 * such a pair is told apart, so that a ticker that ends in a digit is never taken for an
 * adjusted one. An adjusted option's deliverable is not 100 shares: a run counts its rows
 * as dropped (gex.ts).
 */
export function parentOfAdjusted(a: string, b: string): string | null {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.length === short.length + 1 &&
    long.startsWith(short) &&
    isDigitCode(long.charCodeAt(short.length))
    ? short
    : null;
}

/**
 * parseOcc for a whole chain: its symbols differ mostly in the strike, so everything
 * before the 8 strike digits is parsed once per distinct prefix. Gives exactly what
 * parseOcc gives (the strike digits never change whether a symbol is valid).
 */
export function occParser(): (symbol: string) => OccSymbol | null {
  const heads = new Map<string, Omit<OccSymbol, 'strike'> | null>();
  return (symbol) => {
    const n = symbol.length;
    if (n < 16) return parseOcc(symbol);
    for (let k = n - 8; k < n; k++) if (!isDigitCode(symbol.charCodeAt(k))) return parseOcc(symbol);
    const head = symbol.slice(0, n - 8);
    let h = heads.get(head);
    if (h === undefined) {
      const parsed = parseOcc(`${head}00000000`);
      h = parsed && { root: parsed.root, expiry: parsed.expiry, option_type: parsed.option_type };
      heads.set(head, h);
    }
    return h && { ...h, strike: Number(symbol.slice(n - 8)) / 1000 };
  };
}
