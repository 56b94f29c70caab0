// One underlying, however it is written: an option root names its underlying's ticker
// (weekly and PM-settled roots trade on the same index as their parent), and vendors write
// an index with a prefix (`^SPX` in CBOE DataShop and Yahoo, `$SPX` at Schwab), and a
// class share with a separator (`BRK.B`, `BRK-B`, `BRK/B` for CBOE's `BRKB`). The
// readers map every file's underlying through it, and the store's calls an analyst's
// argument (`gex-desk history ^SPX`), so that one index has one history.
import { hiddenIn } from './visible.ts';

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
 * A class share as vendors write it: `BRK.B` (most feeds), `BRK-B` (Yahoo), `BRK/B`
 * (Bloomberg): a ticker of letters, one `.`, `-` or `/`, and one letter, the class. The
 * OCC root, which CBOE's files write and its symbols carry, joins them: `BRKB`, `BFB`.
 */
const CLASS_SHARE = /^([A-Z]{1,6})[./-]([A-Z])$/;

/**
 * A ticker as written, without a vendor's index prefix and in the OCC root's spelling of a
 * class share: `^spx ` → SPX, `BRK.B`/`BRK-B`/`BRK/B` → BRKB, `SPXW` stays SPXW.
 */
export const tickerOf = (text: string): string =>
  text
    .trim()
    .toUpperCase()
    .replace(/^[_^$.]/, '')
    .replace(CLASS_SHARE, '$1$2');

/**
 * The vendor spellings a class share's OCC root may have been stored under before they were
 * joined (2026-12-07): `BRKB` → `BRK.B`, `BRK-B`, `BRK/B`; none for a ticker that cannot be
 * one (a single letter, a digit). An attached folder exported then keeps those names.
 */
export function classSpellings(ticker: string): string[] {
  if (!/^[A-Z]{2,7}$/.test(ticker)) return [];
  const base = ticker.slice(0, -1);
  const cls = ticker.slice(-1);
  return ['.', '-', '/'].map((sep) => `${base}${sep}${cls}`);
}

/** The underlying's ticker for an option root: SPXW → SPX; equities keep their root. */
export function underlyingOfRoot(root: string): string {
  const r = tickerOf(root);
  return ROOT_ALIASES[r] ?? r;
}

/** The longest underlying taken (a ticker, not a sentence): in a file, a request, an attached folder. */
export const UNDERLYING_MAX = 32;

/**
 * Why a ticker's text cannot be an underlying: it holds a character no name may
 * (shared/visible.ts HIDDEN: U+202E shows `A‮B` as "AB" reversed, a zero-width space or
 * U+034F makes a look-alike of SPX, an escape sequence acts on a terminal), named escaped;
 * null when it holds none. The one check of a file's, a request's and an attached folder's
 * underlying, so that no channel adds a second "SPX".
 */
export function hiddenInUnderlying(text: string): string | null {
  const c = hiddenIn(text);
  return c === null
    ? null
    : `holds ${c}, a control, format or invisible filler character: a ticker is letters, digits and . - _ ^ $ only`;
}

/** White space a ticker copied from a terminal or a mail brings around it (not U+2028/U+2029). */
const EDGE_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/**
 * Why a text given as an underlying (a request's, an address's, an attached folder's row)
 * names none; null when it may. Spaces, tabs and line ends around it are taken off, as
 * the text is trimmed; any other character no name may hold is refused also at its ends,
 * which trimming would have dropped unseen (`%E2%80%A9%E2%80%A9Token expired` set a line
 * of its own in the app's error panel).
 */
export function underlyingProblem(text: string): string | null {
  const t = text.replace(EDGE_SPACE, '');
  return (
    hiddenInUnderlying(t) ??
    ([...t].length > UNDERLYING_MAX ? `is longer than ${UNDERLYING_MAX} characters` : null)
  );
}
