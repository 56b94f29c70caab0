// Implied volatility is read as a decimal (0.153 for 15.3 %). Some vendors export it in
// percent (15.3), which every range check accepts (an IV of 15 is 1,500 %, possible for a
// single far contract) but which turns the gamma profile, the zero-gamma level and every
// gamma computed from IV into nonsense, silently. No real chain has most of its IVs above
// 500 %, so such a chain is refused, naming the first such contract and the fix.
import { err, type Err } from '../../../shared/result.ts';
import type { Chain } from './chain.ts';
import { contractAt } from './contract-place.ts';

/** Above this an IV is read as a percentage when most of the chain's are. */
const PERCENT_LIKE = 5;

export function ivInPercent(file: string, chain: Chain): Err | null {
  const { iv, line, n } = chain.contracts;
  let known = 0;
  let high = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const v = iv[i]!;
    if (!(v > 0)) continue;
    known++;
    if (v > PERCENT_LIKE) {
      high++;
      if (first < 0) first = i;
    }
  }
  if (known === 0 || high * 2 <= known) return null;
  const v = iv[first]!;
  const { place, where } = contractAt(chain, line[first]!, 'iv');
  return err(
    'BAD_VALUE',
    `${file}, ${place} (${v}): ${high} of ${known} implied volatilities are above ${PERCENT_LIKE} (${PERCENT_LIKE * 100} %), so they look like percentages; GEX Desk reads IV as a decimal (${+(v / 100).toPrecision(8)} for ${v} %): divide the column by 100`,
    { file, ...where },
  );
}
