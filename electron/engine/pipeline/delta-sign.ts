// A call's delta is positive and a put's negative, and the delta exposure sums the file's
// deltas as they are. A vendor that writes puts' deltas unsigned (0.42 for −0.42), or a
// column of the other side, would turn every such put's DEX around, silently. Such a chain
// is refused, naming the first wrong contract and how many there are. A wrong sign within
// rounding of 0 (|Δ| below DELTA_NOISE) is left as given: it moves nothing.
import { err, type Err } from '../../../shared/result.ts';
import type { Chain } from './chain.ts';
import { contractAt } from './contract-place.ts';

export const DELTA_NOISE = 1e-4;

export function deltaSignWrong(file: string, chain: Chain): Err | null {
  const { delta, call, line, n } = chain.contracts;
  let wrong = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const d = delta[i]!;
    if (!(call[i] === 1 ? d < -DELTA_NOISE : d > DELTA_NOISE)) continue;
    wrong++;
    if (first < 0) first = i;
  }
  if (first < 0) return null;
  const isCall = call[first] === 1;
  const field = chain.format === 'cboe-csv' ? `${isCall ? 'Calls' : 'Puts'} Delta` : 'delta';
  const { place, where } = contractAt(chain, line[first]!, field);
  const side = isCall ? 'call' : 'put';
  const these = `${wrong.toLocaleString('en-US')} contract${wrong === 1 ? '' : 's'}`;
  return err(
    'BAD_VALUE',
    `${file}, ${place} (${delta[first]}): a ${side}'s delta is ${isCall ? 'positive (0 to 1)' : 'negative (−1 to 0)'}, but ${these} here ${wrong === 1 ? 'has' : 'have'} the wrong sign: give puts' deltas signed, as exchanges write them, or leave the column empty to have them computed`,
    { file, ...where },
  );
}
