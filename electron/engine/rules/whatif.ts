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
// outcome is the `from` — the levels it could give when it depends on facts never read
// (then whether the edit moves the request is not known: never counted as a move from
// its arrival's level, which an earlier version decided); when the baseline refuses
// the facts, the arrival's level is the `from` of a request the edit decides.
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

type Outcome = WhatIfChange['from'];

/** The one level an outcome gives: its own, or the only one its range holds; else null. */
const single = (o: Outcome) =>
  'unknown' in o ? (o.unknown.upper === o.unknown.lower ? o.unknown.upper : null) : o.priority;

/**
 * Whether `to` leaves the request as `from` has it: the same level and rule, or the same
 * one level whatever the facts never read (its rule then may not be known).
 */
const stays = (from: Outcome, to: Outcome): boolean => {
  if (!('unknown' in from) && !('unknown' in to))
    return from.priority === to.priority && from.rule === to.rule;
  const level = single(to);
  return level !== null && level === single(from);
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
    let from: Outcome = record.from;
    if (baseline) {
      const b = replay(baseline, record);
      if (sameReplay(b, d)) continue;
      if (b.ok) from = b.value;
    }
    let to: WhatIfChange['to'];
    let toLevel: WhatIfGroup['to'];
    if (!d.ok) {
      to = { error: d.error };
      toLevel = 'INVALID';
    } else {
      if (stays(from, d.value)) continue;
      to = d.value;
      toLevel = 'unknown' in d.value ? 'UNKNOWN' : d.value.priority;
    }
    changes.push({
      request_id: record.request_id,
      file: record.file,
      underlying: record.underlying,
      from,
      to,
      ...(record.missing && ('unknown' in from || 'unknown' in to)
        ? { missing: record.missing }
        : {}),
    });
    const fromLevel = 'unknown' in from ? 'UNKNOWN' : from.priority;
    const key = `${fromLevel} ${toLevel}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { from: fromLevel, to: toLevel, count: 1 });
  }
  const summary = [...groups.values()].sort(
    (a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to),
  );
  return { replayed: records.length, changes, summary };
};
