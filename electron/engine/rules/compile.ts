// The evaluator of a checked rule set: fills the program's fact slots from one
// request's facts, derives the rule file's facts, runs the tables and returns the
// level, the deciding rule and a one-line explanation. Built once per rule-set
// version; a decision allocates only its result. `decidePartial` (partial.ts)
// decides from the facts known so far when no unknown fact can change the outcome.
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type {
  DecisionWithFacts,
  DerivedFacts,
  Facts,
  GivenFactName,
  LevelTargets,
  PartialDecision,
  RuleSet,
  RuleTrigger,
} from '../../../shared/rules.ts';
import { createExplainer, createRowTexts } from './explain.ts';
import { createReliabilityTriggers } from './fact-triggers.ts';
import { validateFacts } from './facts.ts';
import { createFiller } from './fill.ts';
import { createPartialEvaluator } from './partial.ts';
import { buildProgram } from './program.ts';
import { createScanner, decodeScan } from './scan.ts';

export type { DecisionWithFacts } from '../../../shared/rules.ts';

export type CompiledRules = {
  version: number | null;
  /** Per level: the target from arrival to data available, and what happens to a late job. */
  targets: LevelTargets;
  /** Validates `facts` (an object with the fields of GUIDELINES.md) and decides. `now` is used when the facts carry none. */
  decide: (facts: unknown, now?: Date) => Result<DecisionWithFacts>;
  /** Decides on facts already validated by FactsInput (the fast path). */
  decideValid: (facts: Facts, now?: Date) => Result<DecisionWithFacts>;
  /**
   * Decides from the facts known so far: `decided` when every completion of the
   * `unknown` facts gets the same level and rule, else `pending` with the highest
   * and lowest level a completion can get. Known facts are validated as by decide.
   */
  decidePartial: (
    facts: Record<string, unknown>,
    unknown: readonly GivenFactName[],
    now?: Date,
  ) => Result<PartialDecision>;
  /** The rows and adjustments a source of this reliability (0..1) sets off (fact-triggers.ts). */
  reliabilityTriggers: (reliability: number) => RuleTrigger[];
};

/** Compiles a checked rule set (from parseRules). Throws when the set has errors that checkRules reports. */
export const compileRules = (ruleSet: RuleSet, version: number | null): CompiledRules => {
  const p = buildProgram(ruleSet);
  const firstError = p.problems.find((x) => x.severity === 'error');
  if (firstError) throw new Error(`rule set has errors (run checkRules): ${firstError.message}`);
  const { overrides, tables } = p;
  const fill = createFiller(p);
  const explain = createExplainer(p);
  const derivedInfos = [...p.ages.map((a) => a.info), ...p.ordinals.map((o) => o.info)].sort(
    (a, b) => a.slot - b.slot,
  );

  const ownText = createRowTexts(p, explain);
  const scan = createScanner(p, explain);

  const derivedValues = (): DerivedFacts => {
    const derived: DerivedFacts = {};
    for (let i = 0; i < derivedInfos.length; i++)
      derived[derivedInfos[i]!.name] = explain.valueOf(derivedInfos[i]!);
    return derived;
  };

  const decideValid = (f: Facts, now?: Date): Result<DecisionWithFacts> => {
    fill.given(f);
    const times = fill.times(f, now);
    const invalid = fill.ages(times);
    if (invalid) return invalid;
    fill.ordinals();

    const code = scan();
    if (code < 0)
      return err('RULES_INVALID', 'no rule of the rule set gives a level for these facts');
    const { override, index, row } = decodeScan(code);
    const decision = override
      ? explain.override(overrides[index]!, row, f.justification)
      : explain.table(tables[index]!, row, ownText[index]![row]!());
    return ok({
      priority: PRIORITY_LEVELS[decision.level] as PriorityLevel,
      rule: decision.rule,
      explanation: decision.explanation,
      rule_version: version,
      derived: derivedValues(),
      facts: times.facts,
    });
  };

  return {
    version,
    targets: p.targets,
    decideValid,
    decide: (input: unknown, now?: Date) => {
      const v = validateFacts(input);
      return v.ok ? decideValid(v.value, now) : v;
    },
    decidePartial: createPartialEvaluator(p, version, fill, explain),
    reliabilityTriggers: createReliabilityTriggers(p, fill),
  };
};
