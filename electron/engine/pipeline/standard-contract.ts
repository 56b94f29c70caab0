// The one definition of a standard contract, which every figure assumes (docs/formats.md,
// "What the pipeline computes": `contract_multiplier` shares a contract): a contract
// whose root is a stock's adjusted options' (AAPL1 and AAPL7 beside AAPL, after a split,
// a merger or for a mini), or whose file says it delivers another number of shares (a
// long file's `multiplier`/`contract_size`/`deliverable` column), is not one. Both the
// CBOE readers (their OCC roots) and the long format (its root, option symbol and size
// columns) mark such contracts, and a run drops them under one reason (gex.ts).
import { err, type Err } from '../../../shared/result.ts';
import { quoted, type Chain } from './chain.ts';
import { parentOfAdjusted, underlyingOfRoot } from './occ.ts';

/** The reason a non-standard contract is dropped with (quality.dropped). */
export const DROP_ADJUSTED = 'adjusted option (deliverable not 100 shares)';

/** Whether option root `root` is of a stock's adjusted options (AAPL1 of AAPL). */
export const isAdjustedRoot = (root: string, underlying: string): boolean =>
  parentOfAdjusted(underlyingOfRoot(root), underlying) === underlying;

/**
 * Whether a contract's size cell (its multiplier or its deliverable shares; NaN: the
 * file gives none) says it is not of `standard` shares, the conventions' multiplier.
 */
export const isOtherSize = (size: number, standard: number): boolean =>
  !Number.isNaN(size) && size !== standard;

/**
 * NO_ROWS for a CBOE file (OCC symbols: US options, whose tickers have no digits) whose
 * every root ends in a digit (AAPL1 alone): OCC's adjusted options of a stock whose own
 * chain is not in the file. Beside the stock's root they are dropped (isAdjustedRoot);
 * alone they were read as an underlying `AAPL1` of standard contracts. A long file's
 * underlying is not judged so (the firm's own tickers, N225, may end in a digit): its
 * `multiplier`/`deliverable` columns say it. Null when the file has a standard root.
 */
export function adjustedOnly(file: string, chain: Chain): Err | null {
  if (chain.format !== 'cboe-csv' && chain.format !== 'cboe-json') return null;
  const { roots } = chain.contracts;
  const endsInDigit = (r: string): boolean => /[A-Z.][0-9]$/.test(r);
  if (roots.length === 0 || !roots.every(endsInDigit) || !endsInDigit(chain.underlying))
    return null;
  const stock = chain.underlying.slice(0, -1);
  const named = roots.map((r) => quoted(r)).join(', ');
  return err(
    'NO_ROWS',
    `${file}: none of its ${chain.contracts.n} option rows can be used (${chain.contracts.n}: ${DROP_ADJUSTED}): every option symbol's root (${named}) ends in a digit, as OCC names the adjusted options of ${stock} after a split, a merger or a special dividend, and the file has no symbol of ${stock}'s own standard contracts; download ${stock}'s chain (its adjusted options are dropped from it)`,
    { file },
  );
}
