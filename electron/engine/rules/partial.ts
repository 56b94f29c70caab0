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
import { FALSE, TRUE, UNKNOWN, type Tri } from './cond.ts';
import { adjust, type Explainer } from './explain.ts';
import { NULL_BIT, setAllKnown, setUnknown, type FactInfo } from './fact-table.ts';
import { validateFacts } from './facts.ts';
import type { Filler } from './fill.ts';
import { displayName } from './ops.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

const GIVEN = Object.keys(GIVEN_FACTS) as GivenFactName[];

/** A valid value of each given fact, put in place of an unknown one so that the known ones validate as decide() validates them. */
const PLACEHOLDER: Record<GivenFactName, unknown> = {
  underlying: 'X',
  as_of: '2000-01-01T00:00:00Z',
  now: '2000-01-01T00:00:00Z',
  total_volume: 0,
  total_open_interest: 0,
  gex_change: null,
  source_reliability: 1,
  requested_priority: null,
  justification: null,
};

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
  const { num, numKnown, mask } = slots;
  const all: TableProgram[] = [...p.overrides, ...p.tables];
  const nOverrides = p.overrides.length;
  const firstApplicable = p.combine === 'first-applicable';

  // Every outcome is a rule (a table, or an adjustment of it) and a level: code = rule * 4 + level.
  const ruleIds: string[] = [];
  const ruleTable: number[] = [];
  const ruleBase = all.map((t, ti) => {
    const base = ruleIds.length;
    for (const id of [t.id, ...t.adjusters.map((a) => a.id)]) {
      ruleIds.push(id);
      ruleTable.push(ti);
    }
    return base;
  });
  const seen = new Uint8Array(ruleIds.length * 4);
  const outcomes = new Int32Array(ruleIds.length * 4);
  let count = 0;
  let none = false;

  // Per table: grid[r] = the levels it can give with rule state r (0: its own id,
  // k + 1: adjustment k changed the level last); whether no row may hold; the only
  // possible row and whether it surely holds (for the explanation).
  const grid = all.map((t) => new Int32Array(t.adjusters.length + 1));
  const scratch = new Int32Array(Math.max(1, ...all.map((t) => t.adjusters.length + 1)));
  const levels = new Int32Array(all.length);
  const mayMiss = new Uint8Array(all.length);
  const onlyRow = new Int32Array(all.length);
  const onlySure = new Uint8Array(all.length);

  const evalTable = (ti: number): void => {
    const t = all[ti]!;
    const g = grid[ti]!;
    g.fill(0);
    let lv = 0;
    let sure = false;
    let rows = 0;
    onlyRow[ti] = -1;
    onlySure[ti] = 0;
    for (let j = 0; j < t.rows.length; j++) {
      const r = t.rows[j]!;
      let tr: Tri = r.cond === null ? TRUE : r.cond.tri();
      if (tr === FALSE) continue;
      let lm: number;
      if (r.level >= 0) lm = 1 << r.level;
      else if (numKnown[r.levelSlot] === 1) {
        const x = num[r.levelSlot]!;
        if (Number.isNaN(x)) continue; // a null level fact skips the row, as in decide()
        lm = 1 << x;
      } else {
        const m = mask[r.levelSlot]!;
        lm = m & 15;
        if (lm === 0) continue;
        if ((m & NULL_BIT) !== 0) tr = UNKNOWN;
      }
      lv |= lm;
      if (++rows === 1) {
        onlyRow[ti] = j;
        onlySure[ti] = tr === TRUE && (lm & (lm - 1)) === 0 ? 1 : 0;
      } else onlySure[ti] = 0;
      if (tr === TRUE) {
        sure = true;
        break;
      }
    }
    g[0] = lv;
    mayMiss[ti] = sure ? 0 : 1;
    for (let k = 0; k < t.adjusters.length; k++) {
      const a = t.adjusters[k]!;
      const ta = a.cond.tri();
      if (ta === FALSE) continue;
      if (ta === UNKNOWN) onlySure[ti] = 0;
      scratch.fill(0);
      for (let r = 0; r < g.length; r++) {
        for (let l = 0; l < 4; l++) {
          if ((g[r]! & (1 << l)) === 0) continue;
          const next = adjust(l, a.steps);
          if (next !== l) scratch[k + 1]! |= 1 << next;
          else scratch[r]! |= 1 << l;
        }
      }
      for (let r = 0; r < g.length; r++) g[r] = ta === TRUE ? scratch[r]! : g[r]! | scratch[r]!;
    }
    let any = 0;
    for (let r = 0; r < g.length; r++) any |= g[r]!;
    levels[ti] = any;
  };

  const add = (ti: number, r: number, levelMask: number): void => {
    for (let l = 0; l < 4; l++) {
      if ((levelMask & (1 << l)) === 0) continue;
      const code = (ruleBase[ti]! + r) * 4 + l;
      if (seen[code] === 0) {
        seen[code] = 1;
        outcomes[count++] = code;
      }
    }
  };
  const addTable = (ti: number): void => {
    const g = grid[ti]!;
    for (let r = 0; r < g.length; r++) add(ti, r, g[r]!);
  };

  /** Whether table k can leave level `l` of another table the winner: it may not apply, or give a lower level (strictly, when it comes first). */
  const canLoseTo = (k: number, l: number, strict: boolean): boolean =>
    mayMiss[k] === 1 || levels[k]! >> (strict ? l + 1 : l) !== 0;

  const combineHighest = (): void => {
    let allMayMiss = true;
    for (let i = nOverrides; i < all.length; i++) {
      evalTable(i);
      if (mayMiss[i] === 0) allMayMiss = false;
    }
    none ||= allMayMiss;
    for (let i = nOverrides; i < all.length; i++) {
      const g = grid[i]!;
      for (let r = 0; r < g.length; r++) {
        for (let l = 0; l < 4; l++) {
          if ((g[r]! & (1 << l)) === 0) continue;
          let wins = true;
          for (let k = nOverrides; k < all.length && wins; k++)
            if (k !== i) wins = canLoseTo(k, l, k < i);
          if (wins) add(i, r, 1 << l);
        }
      }
    }
  };

  /** Tables from `from` on, the first one that applies deciding (overrides, or every table with first-applicable). */
  const firstOf = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) {
      evalTable(i);
      addTable(i);
      if (mayMiss[i] === 0) return false;
    }
    return true;
  };

  const outcomeSet = (): void => {
    for (let i = 0; i < count; i++) seen[outcomes[i]!] = 0;
    count = 0;
    none = false;
    if (!firstOf(0, nOverrides)) return;
    if (firstApplicable) none = firstOf(nOverrides, all.length);
    else combineHighest();
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

  const explainDecided = (code: number, justification: string | null): string => {
    const rule = ruleIds[code >> 2]!;
    const level = code & 3;
    const ti = ruleTable[code >> 2]!;
    const t = all[ti]!;
    if (onlySure[ti] === 1) {
      const j = onlyRow[ti]!;
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
  const infoOf = GIVEN.map((n) => p.facts.get(n)) as (FactInfo | undefined)[];
  const isUnknown = new Uint8Array(GIVEN.length);

  const evaluate: Evaluate = (facts, unknown, now) => {
    isUnknown.fill(0);
    const input: Record<string, unknown> = { ...facts };
    for (const name of unknown) {
      const i = GIVEN.indexOf(name);
      if (i < 0) return err('INVALID_REQUEST', `"${name}" is not a fact a request gives`);
      isUnknown[i] = 1;
      input[name] = PLACEHOLDER[name];
    }
    const iRequested = GIVEN.indexOf('requested_priority');
    const iJustification = GIVEN.indexOf('justification');
    // An override needs a justification: with a known one, any override is possible.
    if (isUnknown[iJustification] === 1 && input.requested_priority != null)
      input.justification = 'x';
    const v = validateFacts(input);
    if (!v.ok) return v;
    const f = v.value;
    // Without a justification the only valid override is none: requested_priority is known.
    if (isUnknown[iRequested] === 1 && (f.justification ?? '').trim() === '')
      isUnknown[iRequested] = 0;
    try {
      fill.given(f);
      for (let i = 0; i < GIVEN.length; i++)
        if (isUnknown[i] === 1 && infoOf[i]!.type !== 'timestamp') setUnknown(slots, infoOf[i]!);
      const times = fill.times(f, now);
      const invalid = fill.ages(
        times,
        isUnknown[GIVEN.indexOf('now')] === 0,
        isUnknown[GIVEN.indexOf('as_of')] === 0,
      );
      if (invalid) return invalid;
      fill.ordinalsPartial();
      outcomeSet();
      if (count === 0) {
        return err('RULES_INVALID', 'no rule of the rule set gives a level for these facts');
      }
      if (count === 1 && !none) {
        const code = outcomes[0]!;
        const known: Partial<Facts> = { ...times.facts };
        for (let i = 0; i < GIVEN.length; i++)
          if (isUnknown[i] === 1) delete (known as Record<string, unknown>)[GIVEN[i]!];
        return ok({
          kind: 'decided',
          decision: {
            priority: PRIORITY_LEVELS[code & 3] as PriorityLevel,
            rule: ruleIds[code >> 2]!,
            explanation: explainDecided(
              code,
              isUnknown[iJustification] === 1 ? null : f.justification,
            ),
            rule_version: version,
            derived: knownDerived(),
            facts: known,
          },
        });
      }
      let upper = 3;
      let lower = 0;
      for (let i = 0; i < count; i++) {
        const l = outcomes[i]! & 3;
        if (l < upper) upper = l;
        if (l > lower) lower = l;
      }
      return ok({
        kind: 'pending',
        upper: PRIORITY_LEVELS[upper] as PriorityLevel,
        lower: PRIORITY_LEVELS[lower] as PriorityLevel,
      });
    } finally {
      setAllKnown(slots);
    }
  };
  return evaluate;
};
