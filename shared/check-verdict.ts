// What a rule set's check concluded, said the same in the Rules view's header and by
// `rules check`: a set the analysis stopped short on (ANALYSIS_LIMIT) is valid — warnings
// never block — but not wholly checked, and "valid" in green overstated it (QA rl F5).
import type { Diagnostic } from './rules.ts';

/** How many parts of the set the analysis did not check (its ANALYSIS_LIMIT warnings). */
export const limitsOf = (diagnostics: readonly Pick<Diagnostic, 'code'>[]): number =>
  diagnostics.filter((d) => d.code === 'ANALYSIS_LIMIT').length;

/** "valid", or "valid — partly checked (1 limit)" when the analysis stopped short somewhere. */
export const validText = (diagnostics: readonly Pick<Diagnostic, 'code'>[]): string => {
  const n = limitsOf(diagnostics);
  return n ? `valid — partly checked (${n} ${n === 1 ? 'limit' : 'limits'})` : 'valid';
};

/** The longer sentence for a screen reader and a tooltip. */
export const partlyCheckedWhy = (n: number): string =>
  `valid, but only partly checked: the analysis stopped short of ${n === 1 ? 'one part' : `${n} parts`} of the rule set (the ANALYSIS_LIMIT ${n === 1 ? 'warning says' : 'warnings say'} which and what to do); errors there, such as rows never reached or conflicts, are not reported`;
