// The same contract twice in one file: without this check its open interest would be
// summed twice into the snapshot, silently. A contract is its option root, expiry,
// strike and type (for OCC symbols that is the symbol; in the long format its root is its
// option symbol's, its root column's or its underlying's), and its size where the file
// gives one (a mini beside the standard contract): SPX and SPXW rows sharing an expiry and strike are
// different contracts. Judged over the normalised chain, so it is the same for every format.
import { err, type Err } from '../../../shared/result.ts';
import { quoted, type Chain } from './chain.ts';
import { contractAt, contractPlace } from './contract-place.ts';

/** DUPLICATE_CONTRACT naming both places of the first contract seen twice, or null. */
export function findDuplicateContract(file: string, chain: Chain): Err | null {
  const c = chain.contracts;
  const groups = new Map<number, Map<number, number>>();
  const expiries = Math.max(1, c.expiries.length);
  for (let i = 0; i < c.n; i++) {
    // A contract the file says is of another size (a mini beside the standard one of the
    // same root, told apart by its multiplier) is another contract.
    const group =
      (((c.root[i]! + 1) * expiries + c.expiry[i]!) * 2 + c.call[i]!) * 2 + c.adjusted[i]!;
    let strikes = groups.get(group);
    if (!strikes) {
      strikes = new Map();
      groups.set(group, strikes);
    }
    const strike = c.strike[i]!;
    const first = strikes.get(strike);
    if (first === undefined) {
      strikes.set(strike, i);
      continue;
    }
    const root = c.root[i]! >= 0 ? c.roots[c.root[i]!]! : chain.underlying;
    const what = `${quoted(root)} ${c.expiries[c.expiry[i]!]} ${strike} ${c.call[i] ? 'call' : 'put'}`;
    const [a, b] = [c.line[first]!, c.line[i]!];
    const { where } = contractAt(chain, b);
    return err(
      'DUPLICATE_CONTRACT',
      `${file}: the contract ${what} appears twice, at ${contractPlace(chain, a)} and ${contractPlace(chain, b)}: a file lists each contract once`,
      { file, ...where },
    );
  }
  return null;
}
