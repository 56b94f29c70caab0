// One underlying, however it is written: an option root names its underlying's ticker
// (weekly and PM-settled roots trade on the same index as their parent), and vendors write
// an index with a prefix (`^SPX` in CBOE DataShop and Yahoo, `$SPX` at Schwab). The
// readers map every file's underlying through it, and the store's calls an analyst's
// argument (`gex-desk history ^SPX`), so that one index has one history.

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

/** A ticker as written, without a vendor's index prefix: `^spx ` → SPX, `SPXW` stays SPXW. */
export const tickerOf = (text: string): string =>
  text
    .trim()
    .toUpperCase()
    .replace(/^[_^$.]/, '');

/** The underlying's ticker for an option root: SPXW → SPX; equities keep their root. */
export function underlyingOfRoot(root: string): string {
  const r = tickerOf(root);
  return ROOT_ALIASES[r] ?? r;
}
