// The evaluator of a checked rule set: fills the program's fact slots from one
// request's facts, derives the rule file's facts, runs the tables and returns the
// level, the deciding rule and a one-line explanation. Built once per rule-set
// version; a decision allocates only its result.
import { PRIORITY_LEVELS, type Decision, type PriorityLevel } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import {
  parseIsoMs,
  parsedTimestamp,
  type DerivedFacts,
  type Facts,
  type LevelTargets,
  type RuleSet,
} from '../../../shared/rules.ts';
import { validateFacts } from './facts.ts';
import {
  buildProgram,
  displayName,
  type FactInfo,
  type Program,
  type TableProgram,
} from './program.ts';

export type DecisionWithFacts = Decision & { derived: DerivedFacts; facts: Facts };

export type CompiledRules = {
  version: number | null;
  /** Per level: the target from submission to data available, and what happens to a late job. */
  targets: LevelTargets;
  /** Validates `facts` (an object with the fields of GUIDELINES.md) and decides. `now` is used when the facts carry none. */
  decide: (facts: unknown, now?: Date) => Result<DecisionWithFacts>;
  /** Decides on facts already validated by FactsInput (the fast path). */
  decideValid: (facts: Facts, now?: Date) => Result<DecisionWithFacts>;
  /** The names of the derived facts, in the order the rule file declares them. */
  derivedFacts: readonly string[];
};

const invalidFact = (fact: string, message: string) => err('INVALID_FACT', message, { fact });

const NO_LEVEL = 99;

/** Compiles a checked rule set (from parseRules). Throws when the set has errors that checkRules reports. */
export const compileRules = (ruleSet: RuleSet, version: number | null): CompiledRules => {
  const p: Program = buildProgram(ruleSet);
  const firstError = p.problems.find((x) => x.severity === 'error');
  if (firstError) throw new Error(`rule set has errors (run checkRules): ${firstError.message}`);
  const { num, str, rawStr, facts, ages, ordinals, overrides, tables } = p;
  const slot = (name: string) => facts.get(name)!.slot;
  const sVolume = slot('total_volume');
  const sOi = slot('total_open_interest');
  const sChange = slot('gex_change');
  const sReliability = slot('source_reliability');
  const sRequested = slot('requested_priority');
  const sUnderlying = slot('underlying');
  const sJustification = slot('justification');
  // Strings are lower-cased for comparison only when a condition looks at them.
  const useUnderlying = facts.get('underlying')!.used;
  const useJustification = facts.get('justification')!.used;
  const firstApplicable = p.combine === 'first-applicable';
  const ageFrom = ages.map((a) => a.from === 'now');
  const ageTo = ages.map((a) => a.to === 'now');
  const derivedInfos = [...ages.map((a) => a.info), ...ordinals.map((o) => o.info)].sort(
    (a, b) => a.slot - b.slot,
  );
  const derivedNames = derivedInfos.map((i) => i.name);

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
  const rowLevel = (t: TableProgram, j: number): number => {
    const r = t.rows[j]!;
    return r.level >= 0 ? r.level : num[r.levelSlot]!;
  };
  const adjust = (level: number, steps: number): number => Math.min(3, Math.max(0, level + steps));

  const valueOf = (info: FactInfo): string | number | null => {
    const x = num[info.slot]!;
    if (Number.isNaN(x)) return null;
    return info.type === 'ordinal' || info.type === 'level' ? info.values[x]! : x;
  };

  // What a row's explanation depends on: its own condition's facts, or for a
  // catch-all row, the facts the earlier rows looked at.
  const rowFacts = (t: TableProgram, j: number): FactInfo[] => {
    const r = t.rows[j]!;
    const names = new Set<string>(r.cond?.facts ?? []);
    if (r.cond === null)
      for (const e of t.rows.slice(0, j)) for (const f of e.cond?.facts ?? []) names.add(f);
    return [...names].map((n) => facts.get(n)!);
  };
  const explainRow = (t: TableProgram, j: number): string => {
    const r = t.rows[j]!;
    if (r.cond !== null) return r.cond.explain();
    const values = rowFacts(t, j).map((info) => {
      const v = info.type === 'string' ? JSON.stringify(rawStr[info.slot]) : valueOf(info);
      return `${displayName(info.name)} ${v}`;
    });
    const what = r.note ?? (values.length ? 'no earlier row holds' : 'anything else');
    return values.length ? `${what} (${values.join(', ')})` : what;
  };

  // "G3: impact high, change large, freshness real-time → CRITICAL" depends only on
  // the values of ordered facts for most rows: those texts are built once and kept.
  const ownText = tables.map((t) =>
    t.rows.map((_, j) => {
      const build = () => `${t.id}: ${explainRow(t, j)} → ${PRIORITY_LEVELS[rowLevel(t, j)]}`;
      const deps = rowFacts(t, j);
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

  const explainTable = (
    ti: number,
    j: number,
  ): { rule: string; explanation: string; level: number } => {
    const t = tables[ti]!;
    const own = ownText[ti]![j]!();
    let level = rowLevel(t, j);
    if (t.adjusters.length === 0) return { rule: t.id, explanation: own, level };
    let rule = t.id;
    let steps = '';
    let noEffect = '';
    for (const a of t.adjusters) {
      if (!a.cond.holds()) continue;
      const next = adjust(level, a.steps);
      const verb = a.steps > 0 ? 'demotes' : 'escalates';
      if (next !== level) {
        steps = `${a.id}: ${a.cond.explain()} ${verb} ${PRIORITY_LEVELS[level]} → ${PRIORITY_LEVELS[next]}${steps ? '; ' + steps : ''}`;
        rule = a.id;
      } else
        noEffect += `; ${a.id}: ${a.cond.explain()}, ${PRIORITY_LEVELS[level]} stays ${PRIORITY_LEVELS[level]}`;
      level = next;
    }
    return { rule, explanation: steps ? `${steps} (${own})${noEffect}` : own + noEffect, level };
  };

  const ROWS = 1 << 12;
  const OVERRIDE = ROWS * (1 << 12);
  /** The deciding table and row, encoded: override ? OVERRIDE : 0 + table * ROWS + row; -1 for none. */
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
      let level = rowLevel(t, j);
      const adjusters = t.adjusters;
      for (let k = 0; k < adjusters.length; k++) {
        const a = adjusters[k]!;
        if (a.cond.holds()) level = adjust(level, a.steps);
      }
      if (level < bestLevel) {
        bestLevel = level;
        best = i * ROWS + j;
      }
      if (firstApplicable) break;
    }
    return best;
  };
  const discrete = [...facts.values()].filter(
    (f) => f.usedByRules && (f.type === 'ordinal' || f.type === 'level'),
  );
  const discreteSlots = Int32Array.from(discrete.map((f) => f.slot));
  const radices = Int32Array.from(discrete.map((f) => f.values.length + 1));
  const atoms = p.ruleAtoms.map((c) => c.holds);
  const keySpace = discrete.reduce((n, f) => n * (f.values.length + 1), 2 ** atoms.length);
  const memoizable =
    keySpace <= 2 ** 24 &&
    overrides.length < 4096 &&
    tables.length < 4096 &&
    [...overrides, ...tables].every((t) => t.rows.length < ROWS);
  const scanMemo = new Map<number, number>();
  const memoKey = (): number => {
    if (!memoizable) return -1;
    let key = 0;
    for (let k = 0; k < discreteSlots.length; k++) {
      const x = num[discreteSlots[k]!]!;
      key = key * radices[k]! + (Number.isNaN(x) ? 0 : x + 1);
    }
    for (let k = 0; k < atoms.length; k++) key = key * 2 + (atoms[k]!() ? 1 : 0);
    return key;
  };

  const decideValid = (f: Facts, now?: Date): Result<DecisionWithFacts> => {
    // given facts → slots
    num[sVolume] = f.total_volume;
    num[sOi] = f.total_open_interest;
    num[sChange] = f.gex_change === null ? NaN : f.gex_change;
    num[sReliability] = f.source_reliability;
    num[sRequested] =
      f.requested_priority === null ? NaN : PRIORITY_LEVELS.indexOf(f.requested_priority);
    rawStr[sUnderlying] = f.underlying;
    if (useUnderlying) str[sUnderlying] = f.underlying.toLowerCase();
    rawStr[sJustification] = f.justification;
    if (useJustification)
      str[sJustification] = f.justification === null ? null : f.justification.trim().toLowerCase();

    let facts = f;
    let nowMs: number;
    let nowSub = 0;
    if (f.now !== undefined) {
      nowMs = parseIsoMs(f.now);
      nowSub = parsedTimestamp.subMs;
    } else {
      nowMs = now ? now.getTime() : Date.now();
      facts = { ...f, now: new Date(nowMs).toISOString() };
    }
    const asOfMs = parseIsoMs(f.as_of);
    const asOfSub = parsedTimestamp.subMs;

    for (let i = 0; i < ages.length; i++) {
      const a = ages[i]!;
      const fromMs = ageFrom[i] ? nowMs : asOfMs;
      const fromSub = ageFrom[i] ? nowSub : asOfSub;
      const toMs = ageTo[i] ? nowMs : asOfMs;
      const toSub = ageTo[i] ? nowSub : asOfSub;
      let ms = toMs - fromMs + (toSub - fromSub);
      if (ms < -a.futureLimitMs) {
        const fact = ageFrom[i] ? a.to : a.from;
        return invalidFact(
          fact,
          `${fact} is ${(-ms / 1000).toFixed(3).replace(/\.?0+$/, '')} s in the future; more than ${a.futureLimitMs / 1000} s is invalid`,
        );
      }
      if (ms < 0 && ms >= -a.skewMs) ms = 0;
      num[a.info.slot] = ms / 1000;
    }
    for (let i = 0; i < ordinals.length; i++) {
      const o = ordinals[i]!;
      const rows = o.rows;
      let v = NaN;
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j]!;
        if (r.cond === null || r.cond.holds()) {
          v = r.rank;
          break;
        }
      }
      num[o.info.slot] = v;
    }

    let bestTable: TableProgram | null = null;
    let bestIndex = -1;
    let bestRow = -1;
    let override = false;
    // Which table and row decide depends only on the discrete facts and the truth of
    // the rules' other comparisons: look that up before scanning the tables.
    const key = memoKey();
    let code = key >= 0 ? scanMemo.get(key) : undefined;
    if (code === undefined) {
      code = scan();
      if (key >= 0) scanMemo.set(key, code);
    }
    if (code >= 0) {
      override = code >= OVERRIDE;
      const c = code % OVERRIDE;
      bestIndex = Math.floor(c / ROWS);
      bestRow = c % ROWS;
      bestTable = override ? overrides[bestIndex]! : tables[bestIndex]!;
    }
    if (bestTable === null)
      return err('RULES_INVALID', 'no rule of the rule set gives a level for these facts');

    let decision: { rule: string; explanation: string; level: number };
    if (override) {
      const level = rowLevel(bestTable, bestRow);
      const why =
        f.justification !== null && bestTable.rows[bestRow]!.level < 0
          ? ` (justification ${JSON.stringify(f.justification.trim())})`
          : '';
      decision = {
        rule: bestTable.id,
        explanation: `${bestTable.id}: ${explainRow(bestTable, bestRow)}${why} → ${PRIORITY_LEVELS[level]}`,
        level,
      };
    } else decision = explainTable(bestIndex, bestRow);

    const derived: DerivedFacts = {};
    for (let i = 0; i < derivedInfos.length; i++)
      derived[derivedInfos[i]!.name] = valueOf(derivedInfos[i]!);
    return ok({
      priority: PRIORITY_LEVELS[decision.level] as PriorityLevel,
      rule: decision.rule,
      explanation: decision.explanation,
      rule_version: version,
      derived,
      facts,
    });
  };

  return {
    version,
    targets: p.targets,
    derivedFacts: derivedNames,
    decideValid,
    decide: (input: unknown, now?: Date) => {
      const v = validateFacts(input);
      return v.ok ? decideValid(v.value, now) : v;
    },
  };
};
