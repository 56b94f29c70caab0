// Which rules a source's reliability sets off under a rule set, read from the rule set
// itself (never a threshold copied elsewhere): every row and adjustment whose condition
// depends on `source_reliability` (directly or through a derived fact) is evaluated in
// three-valued logic with that value known and every other fact unknown. A condition
// that holds whatever the others are is `certain`; one that can hold with this value but
// never with a fully reliable source's (1, also what a source with no history gets) is
// set off together with other facts. Used by the sources view (`sources:list`).
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import {
  GIVEN_FACTS,
  type Facts,
  type GivenFactName,
  type RuleTrigger,
} from '../../../shared/rules.ts';
import { FALSE, TRUE, UNKNOWN, type Cond, type Tri } from './cond.ts';
import { setAllKnown, setUnknown } from './fact-table.ts';
import type { Filler } from './fill.ts';
import { PLACEHOLDER as KNOWN_PLACEHOLDER } from './known-facts.ts';
import type { Program } from './program.ts';

const FACT: GivenFactName = 'source_reliability';
/** A source with no history counts as fully reliable. */
const NEUTRAL = 1;

/** Valid values for the facts that are marked unknown (their slots are overwritten). */
const PLACEHOLDER = KNOWN_PLACEHOLDER as Facts;

interface Candidate {
  cond: Cond;
  trigger: Omit<RuleTrigger, 'certain'>;
}

const plural = (n: number) => `${n} level${n === 1 ? '' : 's'}`;

export const createReliabilityTriggers = (p: Program, fill: Filler) => {
  // The facts whose value depends on the reliability: itself, then derived ones in order.
  const dependent = new Set<string>([FACT]);
  for (const o of p.ordinals)
    if (o.rows.some((r) => r.cond && [...r.cond.facts].some((f) => dependent.has(f))))
      dependent.add(o.info.name);
  const depends = (c: Cond | null): c is Cond =>
    c !== null && [...c.facts].some((f) => dependent.has(f));

  const candidates: Candidate[] = [];
  for (const t of [...p.overrides, ...p.tables]) {
    for (const row of t.rows) {
      if (!depends(row.cond)) continue;
      const level = row.level >= 0 ? PRIORITY_LEVELS[row.level]! : 'the level its fact names';
      candidates.push({
        cond: row.cond,
        trigger: {
          rule: t.id,
          row: row.id ?? null,
          effect: `gives ${level}`,
          condition: row.cond.text,
        },
      });
    }
    for (const a of t.adjusters) {
      if (!depends(a.cond)) continue;
      const effect =
        a.steps > 0
          ? `demotes ${t.id} by ${plural(a.steps)}`
          : `escalates ${t.id} by ${plural(-a.steps)}`;
      candidates.push({
        cond: a.cond,
        trigger: { rule: a.id, row: null, effect, condition: a.cond.text },
      });
    }
  }
  const others = (Object.keys(GIVEN_FACTS) as GivenFactName[])
    .filter((n) => n !== FACT)
    .map((n) => p.facts.get(n)!)
    .filter((f) => f.type !== 'timestamp');

  /** Each candidate's condition, three-valued, with only the reliability known. */
  const evaluate = (value: number): Tri[] => {
    const facts: Facts = { ...PLACEHOLDER, source_reliability: value };
    try {
      fill.given(facts);
      for (const info of others) setUnknown(p.slots, info);
      fill.ages(fill.times(facts), false, false);
      fill.ordinalsPartial();
      return candidates.map((c) => c.cond.tri());
    } finally {
      setAllKnown(p.slots);
    }
  };
  const neutral = candidates.length > 0 ? evaluate(NEUTRAL) : [];

  /** The rules a source of this reliability sets off (0..1). */
  return (reliability: number): RuleTrigger[] => {
    if (candidates.length === 0) return [];
    const at = evaluate(reliability);
    const out: RuleTrigger[] = [];
    candidates.forEach((c, i) => {
      if (at[i] === TRUE) out.push({ ...c.trigger, certain: true });
      else if (at[i] === UNKNOWN && neutral[i] === FALSE)
        out.push({ ...c.trigger, certain: false });
    });
    return out;
  };
};
