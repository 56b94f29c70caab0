// Partial evaluation of a rule program: decide from the facts known when a file
// arrives (the request's, and what its first bytes tell) whenever no value of the
// facts still unread can change the outcome, and otherwise bound the level those
// values can lead to. Works on any rule set, by three-valued evaluation of the same
// compiled conditions decide() runs: an unknown given fact lies in its type's range,
// a derived fact of unknown inputs in a range (ages) or a set (ordinals); each table
// yields the set of (level, rule) outcomes it can give, and the combination rules
// (overrides, highest level or first applicable, adjustments) run over those sets.
//
// Sound for every rule set: a completion of the unknown facts always gets one of
// the outcomes in the set. The set can hold outcomes no completion reaches when one
// fact feeds two conditions that are evaluated apart (both rows of a table on the
// same unknown, or two tables on one unknown ordinal), which makes `upper` and
// `lower` over-approximations; for the default rules each unknown feeds one ordinal
// and the bounds are attained (tests/rules/partial.test.ts checks both claims).
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import {
  GIVEN_FACTS,
  type DerivedFacts,
  type Facts,
  type GivenFactName,
  type PartialDecision,
} from '../../../shared/rules.ts';
import type { Explainer } from './explain.ts';
import { setAllKnown, setUnknown } from './fact-table.ts';
import { validateFacts } from './facts.ts';
import type { Filler, Times } from './fill.ts';
import { createKnownFacts } from './known-facts.ts';
import { displayName } from './ops.ts';
import { createOutcomeKey, createOutcomeSpace, type Outcomes } from './outcomes.ts';
import type { Program } from './program.ts';
import { blank } from '../../../shared/visible.ts';

const GIVEN = Object.keys(GIVEN_FACTS) as GivenFactName[];

type Evaluate = (
  facts: Record<string, unknown>,
  unknown: readonly GivenFactName[],
  now?: Date,
) => Result<PartialDecision>;

export const createPartialEvaluator = (
  p: Program,
  version: number | null,
  fill: Filler,
  explain: Explainer,
): Evaluate => {
  const { slots } = p;
  const { numKnown } = slots;
  const space = createOutcomeSpace(p);
  const { tables: all, nOverrides, ruleIds, ruleTable } = space;
  // The outcomes depend on few things (outcomeKey): each case is worked out once.
  const outcomeKey = createOutcomeKey(p);
  const memo = new Map<number, Outcomes>();
  const outcomesNow = (): Outcomes => {
    const key = outcomeKey ? outcomeKey() : -1;
    let o = key >= 0 ? memo.get(key) : undefined;
    if (o === undefined) {
      o = space.outcomes();
      if (key >= 0) memo.set(key, o);
    }
    return o;
  };

  /** The facts a table's conditions look at. */
  const tableFacts = all.map((t) => {
    const names = new Set<string>();
    for (const r of t.rows) for (const f of r.cond?.facts ?? []) names.add(f);
    for (const a of t.adjusters) for (const f of a.cond.facts) names.add(f);
    return [...names].map((n) => p.facts.get(n)!);
  });

  /** When no single row surely decides: the known facts the table looks at, and the rest by name. */
  const explainWhatever = (ti: number, rule: string, level: number): string => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (const info of tableFacts[ti]!) {
      if (!explain.isKnown(info)) unknown.push(displayName(info.name));
      else if (info.type !== 'string')
        known.push(`${displayName(info.name)} ${explain.valueOf(info)}`);
      else known.push(`${displayName(info.name)} ${JSON.stringify(slots.rawStr[info.slot])}`);
    }
    const whatever = `whatever ${unknown.length ? unknown.join(', ') : 'the facts not known yet'}`;
    return `${rule}: ${known.length ? known.join(', ') + '; ' : ''}${whatever} → ${PRIORITY_LEVELS[level]}`;
  };

  const explainDecided = (o: Outcomes, justification: string | null): string => {
    const code = o.codes[0]!;
    const rule = ruleIds[code >> 2]!;
    const level = code & 3;
    const ti = ruleTable[code >> 2]!;
    const t = all[ti]!;
    const j = o.sureRow[ti]!;
    if (j >= 0) {
      const e =
        ti < nOverrides
          ? explain.override(t, j, justification)
          : explain.table(t, j, explain.rowText(t, j));
      if (e.rule === rule && e.level === level) return e.explanation;
    }
    return explainWhatever(ti, rule, level);
  };

  const derivedInfos = [...p.ages.map((a) => a.info), ...p.ordinals.map((o) => o.info)].sort(
    (a, b) => a.slot - b.slot,
  );
  const knownDerived = (): DerivedFacts => {
    const derived: DerivedFacts = {};
    for (const info of derivedInfos)
      if (numKnown[info.slot] === 1) derived[info.name] = explain.valueOf(info);
    return derived;
  };
  const known = createKnownFacts();
  /** Given facts with a slot (not timestamps), for marking the unknown ones. */
  const slotted = GIVEN.map((n) => p.facts.get(n)!).filter((f) => f.type !== 'timestamp');

  /** The decision every completion gets, from what is known. */
  const decided = (o: Outcomes, f: Facts, times: Times): PartialDecision => {
    const code = o.codes[0]!;
    return {
      kind: 'decided',
      decision: {
        priority: PRIORITY_LEVELS[code & 3] as PriorityLevel,
        rule: ruleIds[code >> 2]!,
        explanation: explainDecided(o, known.isUnknown('justification') ? null : f.justification),
        rule_version: version,
        derived: knownDerived(),
        facts: known.only(times.facts),
      },
    };
  };

  const evaluate: Evaluate = (facts, unknown, now) => {
    if (facts === null || typeof facts !== 'object' || Array.isArray(facts))
      return validateFacts(facts) as Result<never>;
    const bad = known.mark(unknown);
    if (bad) return bad;
    const v = known.validate(facts);
    if (!v.ok) return v;
    const f = v.value;
    // Without a justification the only valid override is none: requested_priority is known.
    if (
      known.isUnknown('requested_priority') &&
      !known.isUnknown('justification') &&
      blank(f.justification)
    )
      known.markKnown('requested_priority');
    try {
      fill.given(f);
      for (const info of slotted)
        if (known.isUnknown(info.name as GivenFactName)) setUnknown(slots, info);
      const times = fill.times(f, now);
      const invalid = fill.ages(times, !known.isUnknown('now'), !known.isUnknown('as_of'));
      if (invalid) return invalid;
      fill.ordinalsPartial();
      const o = outcomesNow();
      if (o.codes.length === 0)
        return err('RULES_INVALID', 'no rule of the rule set gives a level for these facts');
      if (o.codes.length === 1 && !o.none) return ok(decided(o, f, times));
      // Never promise a level some completion does not get.
      return ok({
        kind: 'pending',
        upper: o.upper,
        lower: o.lower,
        ...(o.none ? { no_level: true as const } : {}),
      });
    } finally {
      setAllKnown(slots);
    }
  };
  return evaluate;
};
