// Rule what-if: which past requests an edited rule set would decide otherwise. Each
// request's given facts, as stored at arrival with its `now`, are decided again by
// the edited rules; a request whose level or rule changes is listed, and the
// changes are counted per from → to level pair. A request decided at its arrival
// kept only the facts known then: it is replayed by partial evaluation over the facts
// it never had, and when its new outcome depends on them it is listed as `unknown`
// with the levels it could get, never decided on a guess. Pure: the caller reads the
// records from the store (or anywhere) and shows the result.
//
// By default a request is compared with the level it got at arrival (under whatever
// version was active then). With a `baseline` rule set (the active one, for the Rules
// view) it is compared with what the baseline decides on the same stored facts now, so
// that only the edit's own effect shows, not that of activations since: the baseline's
// outcome is the `from`; when the baseline cannot decide it either (facts never read,
// or refused) the two outcomes are compared as they are, and the arrival's level is the
// `from` of a request they decide otherwise.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { Result } from '../../../shared/result.ts';
import type {
  GivenFactName,
  RuleOutcome,
  WhatIfChange,
  WhatIfGroup,
  WhatIfRecord,
  WhatIfResult,
} from '../../../shared/rules.ts';
import type { CompiledRules } from './compile.ts';

const rank = (level: WhatIfGroup['to']): number =>
  level === 'INVALID'
    ? PRIORITY_LEVELS.length
    : level === 'UNKNOWN'
      ? PRIORITY_LEVELS.length + 1
      : PRIORITY_LEVELS.indexOf(level);

type Replayed = Result<
  RuleOutcome | { unknown: { upper: RuleOutcome['priority']; lower: RuleOutcome['priority'] } }
>;

/** The record's outcome under `rules`: decided, invalid, or unknown without the facts never read. */
const replay = (rules: CompiledRules, r: WhatIfRecord): Replayed => {
  if (!r.unknown || r.unknown.length === 0) {
    const d = rules.decide(r.facts);
    return d.ok ? { ok: true, value: { priority: d.value.priority, rule: d.value.rule } } : d;
  }
  const p = rules.decidePartial(r.facts, r.unknown as GivenFactName[]);
  if (!p.ok) return p;
  if (p.value.kind === 'decided') {
    const d = p.value.decision;
    return { ok: true, value: { priority: d.priority, rule: d.rule } };
  }
  return { ok: true, value: { unknown: { upper: p.value.upper, lower: p.value.lower } } };
};

/** Whether two replays come out the same: one outcome, one range, or one refusal. */
const sameReplay = (a: Replayed, b: Replayed): boolean => {
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.error.code === b.error.code;
  if ('unknown' in a.value || 'unknown' in b.value)
    return (
      'unknown' in a.value &&
      'unknown' in b.value &&
      a.value.unknown.upper === b.value.unknown.upper &&
      a.value.unknown.lower === b.value.unknown.lower
    );
  return a.value.priority === b.value.priority && a.value.rule === b.value.rule;
};

/**
 * The records `rules` decides otherwise than they were (or than `baseline` decides them
 * now, when given), and how many move per level pair.
 */
export const whatIf = (
  rules: CompiledRules,
  records: readonly WhatIfRecord[],
  baseline?: CompiledRules,
): WhatIfResult => {
  const changes: WhatIfChange[] = [];
  const groups = new Map<string, WhatIfGroup>();
  for (const record of records) {
    const d = replay(rules, record);
    let r = record;
    if (baseline) {
      const b = replay(baseline, record);
      if (sameReplay(b, d)) continue;
      if (b.ok && !('unknown' in b.value)) r = { ...record, from: b.value };
    }
    let to: WhatIfChange['to'];
    let toLevel: WhatIfGroup['to'];
    if (!d.ok) {
      to = { error: d.error };
      toLevel = 'INVALID';
    } else if ('unknown' in d.value) {
      const { upper, lower } = d.value.unknown;
      // Every level it could get is the one it got: its level stays (its rule may not be known).
      if (upper === r.from.priority && lower === r.from.priority) continue;
      to = d.value;
      toLevel = 'UNKNOWN';
    } else {
      if (d.value.priority === r.from.priority && d.value.rule === r.from.rule) continue;
      to = d.value;
      toLevel = d.value.priority;
    }
    changes.push({
      request_id: r.request_id,
      file: r.file,
      underlying: r.underlying,
      from: r.from,
      to,
    });
    const key = `${r.from.priority} ${toLevel}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { from: r.from.priority, to: toLevel, count: 1 });
  }
  const summary = [...groups.values()].sort(
    (a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to),
  );
  return { replayed: records.length, changes, summary };
};
