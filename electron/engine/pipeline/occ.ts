// OCC option symbols (ROOT + YYMMDD + C/P + strike×1000 in 8 digits, the root padded to
// six characters or not) and the mapping from a symbol's root to the underlying's ticker:
// weekly and PM-settled roots trade on the same index as their parent.

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

/** Roots that are another name for the same underlying (weeklies, PM-settled, quarterlies). */
const ROOT_ALIASES: Record<string, string> = {
  SPXW: 'SPX',
  SPXQ: 'SPX',
  SPXPM: 'SPX',
  NDXP: 'NDX',
  NDXW: 'NDX',
  RUTW: 'RUT',
  VIXW: 'VIX',
  XSPW: 'XSP',
  DJXW: 'DJX',
  MXEF: 'MXEF',
};

/**
 * An adjusted option's root: its parent's and a digit (AAPL1, after a split, a merger or a
 * special dividend). It trades on the same underlying, but its deliverable is not 100
 * shares, so its figures are not comparable: a run counts it as dropped (gex.ts).
 */
const ADJUSTED_ROOT = /^([A-Z]{1,5})\d$/;

const cleanRoot = (root: string): string =>
  root
    .trim()
    .toUpperCase()
    .replace(/^[_^$]/, '');

/** Whether a root is an adjusted option's (AAPL1), not its parent's (AAPL). */
export const isAdjustedRoot = (root: string): boolean => ADJUSTED_ROOT.test(cleanRoot(root));

/** The underlying's ticker for an option root: SPXW → SPX, AAPL1 → AAPL; equities keep their root. */
export function underlyingOfRoot(root: string): string {
  const r = cleanRoot(root);
  const parent = ADJUSTED_ROOT.exec(r)?.[1] ?? r;
  return ROOT_ALIASES[parent] ?? parent;
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

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
