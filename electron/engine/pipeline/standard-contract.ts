// The one definition of a standard contract, which every figure assumes (docs/formats.md,
// "What the pipeline computes": `contract_multiplier` shares a contract): a contract
// whose root is a stock's adjusted options' (AAPL1 and AAPL7 beside AAPL, after a split,
// a merger or for a mini), or whose file says it delivers another number of shares (a
// long file's `multiplier`/`contract_size`/`deliverable` column), is not one. Both the
// CBOE readers (their OCC roots) and the long format (its root, option symbol and size
// columns) mark such contracts, and a run drops them under one reason (gex.ts).
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
