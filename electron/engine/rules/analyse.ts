// Proves things about a rule set by trying every case that matters (cases.ts): each
// numeric fact's thresholds cut its number line into finitely many intervals, and
// ordered facts have finitely many values, so one representative point per interval
// (and each threshold itself) covers every input. Facts that feed the same derived
// fact are enumerated together and the results deduplicated (analyse-derived.ts),
// which keeps the product the rules are then tried on small (analyse-rules.ts).
// Finds: derived facts with no value for some input, rows that are never reached,
// conflicting rows/rules, and inputs no rule gives a level for.
import { enumerateCases } from './analyse-derived.ts';
import { analyseRules } from './analyse-rules.ts';
import { componentsOf } from './cases.ts';
import { checkCoverageUnlisted } from './coverage.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';

export const analyse = (p: Program): Problem[] => {
  const problems: Problem[] = [];
  const comps = componentsOf(p);
  const lists = enumerateCases(p, comps, problems);
  if (lists) analyseRules(p, lists, comps.ruleFacts, problems);
  // Cases past the limit of one component: a level for every request must still be shown.
  else if (!problems.some((pr) => pr.severity === 'error')) checkCoverageUnlisted(p, problems);
  return problems;
};
