// The decision a request can get at its arrival, from the facts it has then: decided
// (every value the unknown facts could take gives the same level and rule), or pending
// with the highest and lowest level the rules could still give it.
import type { PriorityLevel } from '../../../shared/domain.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { GivenFactName } from '../../../shared/rules.ts';
import type { CompiledRules, DecisionWithFacts } from '../rules/index.ts';

export type ArrivalDecision =
  | { kind: 'decided'; decision: Pick<DecisionWithFacts, 'priority' | 'rule' | 'explanation' | 'derived'> }
  | { kind: 'pending'; upper: PriorityLevel; lower: PriorityLevel };

export function decideAtArrival(
  compiled: CompiledRules,
  facts: Record<string, unknown>,
  unknown: readonly GivenFactName[],
  now: Date,
): Result<ArrivalDecision> {
  if (unknown.length > 0) return ok({ kind: 'pending', upper: 'CRITICAL', lower: 'LOW' });
  const d = compiled.decide(facts, now);
  if (!d.ok) return d;
  return ok({ kind: 'decided', decision: d.value });
}
