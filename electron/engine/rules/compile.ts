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
} from '../../../shared/rules.ts';
import { createExplainer } from './explain.ts';
import { validateFacts } from './facts.ts';
import { createFiller } from './fill.ts';
import { createPartialEvaluator } from './partial.ts';
import { buildProgram, type Program } from './program.ts';
import type { TableProgram } from './tables.ts';

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
};

/** The deciding table and row, encoded: override ? OVERRIDE : 0 + table * ROWS + row; -1 for none. */
const ROWS = 1 << 12;
const OVERRIDE = ROWS * (1 << 12);
const NO_LEVEL = 99;

/**
 * Which table and row decide depends only on the discrete facts and the truth of the
 * rules' other comparisons: a key of those, or null when there are too many cases.
 */
const createScanKey = (p: Program): (() => number) | null => {
  const { num } = p.slots;
  const discrete = [...p.facts.values()].filter(
    (f) => f.usedByRules && (f.type === 'ordinal' || f.type === 'level'),
  );
  const discreteSlots = Int32Array.from(discrete.map((f) => f.slot));
  const radices = Int32Array.from(discrete.map((f) => f.values.length + 1));
  const atoms = p.ruleAtoms.map((c) => c.holds);
  const keySpace = discrete.reduce((n, f) => n * (f.values.length + 1), 2 ** atoms.length);
  const memoizable =
    keySpace <= 2 ** 24 &&
    p.overrides.length < 4096 &&
    p.tables.length < 4096 &&
    [...p.overrides, ...p.tables].every((t) => t.rows.length < ROWS);
  if (!memoizable) return null;
  return () => {
    let key = 0;
    for (let k = 0; k < discreteSlots.length; k++) {
      const x = num[discreteSlots[k]!]!;
      key = key * radices[k]! + (Number.isNaN(x) ? 0 : x + 1);
    }
    for (let k = 0; k < atoms.length; k++) key = key * 2 + (atoms[k]!() ? 1 : 0);
    return key;
  };
};

/** Compiles a checked rule set (from parseRules). Throws when the set has errors that checkRules reports. */
export const compileRules = (ruleSet: RuleSet, version: number | null): CompiledRules => {
  const p = buildProgram(ruleSet);
  const firstError = p.problems.find((x) => x.severity === 'error');
  if (firstError) throw new Error(`rule set has errors (run checkRules): ${firstError.message}`);
  const { num } = p.slots;
  const { overrides, tables } = p;
  const firstApplicable = p.combine === 'first-applicable';
  const fill = createFiller(p);
  const explain = createExplainer(p);
  const derivedInfos = [...p.ages.map((a) => a.info), ...p.ordinals.map((o) => o.info)].sort(
    (a, b) => a.slot - b.slot,
  );

  /** First row of `t` that holds, or -1. */
  const firstRow = (t: TableProgram): number => {
    const rows = t.rows;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      if (r.level < 0 && Number.isNaN(num[r.levelSlot]!)) continue;
      if (r.cond === null || r.cond.holds()) return j;
    }
    return -1;
  };

  // "G3: impact high, change large, freshness real-time → CRITICAL" depends only on
  // the values of ordered facts for most rows: those texts are built once and kept.
  const ownText = tables.map((t) =>
    t.rows.map((_, j) => {
      const build = () => explain.rowText(t, j);
      const deps = explain.rowFacts(t, j);
      if (!deps.every((d) => (d.type === 'ordinal' || d.type === 'level') && d.values.length < 15))
        return build;
      const depSlots = Int32Array.from(deps.map((d) => d.slot));
      const memo = new Map<number, string>();
      return () => {
        let key = t.rows[j]!.level < 0 ? num[t.rows[j]!.levelSlot]! + 1 : 0;
        for (let k = 0; k < depSlots.length; k++) {
          const x = num[depSlots[k]!]!;
          key = key * 16 + (Number.isNaN(x) ? 0 : x + 1);
        }
        let text = memo.get(key);
        if (text === undefined) memo.set(key, (text = build()));
        return text;
      };
    }),
  );

  const scan = (): number => {
    for (let i = 0; i < overrides.length; i++) {
      const j = firstRow(overrides[i]!);
      if (j >= 0) return OVERRIDE + i * ROWS + j;
    }
    let best = -1;
    let bestLevel = NO_LEVEL;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i]!;
      const j = firstRow(t);
      if (j < 0) continue;
      let level = explain.rowLevel(t, j);
      const adjusters = t.adjusters;
      for (let k = 0; k < adjusters.length; k++) {
        const a = adjusters[k]!;
        if (a.cond.holds()) level = Math.min(3, Math.max(0, level + a.steps));
      }
      if (level < bestLevel) {
        bestLevel = level;
        best = i * ROWS + j;
      }
      if (firstApplicable) break;
    }
    return best;
  };
  const scanKey = createScanKey(p);
  const scanMemo = new Map<number, number>();

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

    const key = scanKey ? scanKey() : -1;
    let code = key >= 0 ? scanMemo.get(key) : undefined;
    if (code === undefined) {
      code = scan();
      if (key >= 0) scanMemo.set(key, code);
    }
    if (code < 0)
      return err('RULES_INVALID', 'no rule of the rule set gives a level for these facts');
    const override = code >= OVERRIDE;
    const c = code % OVERRIDE;
    const index = Math.floor(c / ROWS);
    const row = c % ROWS;
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
  };
};
