// Second step of the analysis: the rules over every combination of the components'
// cases. Finds rows never reached, conflicts (rows of a "unique" table, overrides,
// adjustments in opposite directions), rows whose level fact can be null, inputs no
// rule gives a level for, and rules that never apply.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { Case } from './analyse-derived.ts';
import { caseValues } from './cases.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { reportUnreachable, rowReach, type RowReach } from './row-reach.ts';
import type { TableProgram } from './tables.ts';

const PRODUCT_LIMIT = 1_000_000;

type TableSeen = RowReach & { applied: boolean; adjusted: boolean[] };

const rowName = (t: TableProgram, j: number) =>
  t.rows[j]!.id ? `row ${t.rows[j]!.id}` : `row ${j + 1} of ${t.id}`;

/**
 * Whether the case in the slots is a request the facts' check lets through: GUIDELINES G1
 * refuses a requested level without a justification before any rule runs, so no row needs
 * to cover that case, and a row that only holds there is never reached. Only when the
 * rules look at both facts: a justification they do not look at may be any valid one.
 */
const validRequest = (p: Program, lists: Case[][]): (() => boolean) => {
  const enumerated = new Set(lists.flatMap((l) => l[0]?.infos.map((i) => i.name) ?? []));
  if (!enumerated.has('requested_priority') || !enumerated.has('justification')) return () => true;
  const level = p.facts.get('requested_priority')!.slot;
  const justification = p.facts.get('justification')!.slot;
  const { num, str } = p.slots;
  return () => Number.isNaN(num[level]!) || (str[justification] ?? '').trim() !== '';
};

export const analyseRules = (
  p: Program,
  lists: Case[][],
  ruleFacts: Set<string>,
  problems: Problem[],
): void => {
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (total > PRODUCT_LIMIT) {
    problems.push({
      path: ['rules'],
      code: 'ANALYSIS_LIMIT',
      severity: 'warning',
      message: `too many combinations of cases (${total}) to check every one; conflicts and gaps were not checked`,
    });
    return;
  }
  const { num } = p.slots;
  const values = caseValues(p);
  const all = [...p.overrides, ...p.tables];
  const seenOf = new Map<TableProgram, TableSeen>(
    all.map((t) => [
      t,
      { ...rowReach(t.rows.length), applied: false, adjusted: t.adjusters.map(() => false) },
    ]),
  );
  const reported = new Set<string>();
  const report = (key: string, pr: Omit<Problem, 'severity'>) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ ...pr, severity: 'error' });
  };
  const current: Case[] = lists.map((l) => l[0]!);
  /** The case in the slots, as the rules see it: "impact=low, change=large, …". */
  const describe = () =>
    current
      .flatMap((c) =>
        c.infos
          .map((info, k) => [info, c.values[k] ?? null] as const)
          .filter(([info]) => ruleFacts.has(info.name))
          .map(([info, v]) => values.show(info, v)),
      )
      .join(', ') || 'any facts';
  const levelOf = (t: TableProgram, j: number) => {
    const r = t.rows[j]!;
    return r.level >= 0 ? r.level : num[r.levelSlot]!;
  };

  /** The level `t` gives for the case in the slots (NaN when none), checking its rows. */
  const checkTable = (t: TableProgram): number => {
    const s = seenOf.get(t)!;
    const matching: number[] = [];
    t.rows.forEach((r, j) => {
      if (!(r.cond === null || r.cond.holds())) return;
      s.holds[j] = true;
      if (matching.length === 0) s.first[j] = true;
      matching.push(j);
    });
    if (matching.length === 0) return NaN;
    const first = matching[0]!;
    const level = levelOf(t, first);
    if (Number.isNaN(level)) {
      report(`null-level:${t.id}:${first}`, {
        path: t.rows[first]!.path,
        code: 'NO_LEVEL',
        message: `${rowName(t, first)} takes its level from a fact that can be null here (${describe()}); test it with {"!=": null}`,
      });
      return NaN;
    }
    s.applied = true;
    if (t.hit === 'unique')
      for (const j of matching)
        if (levelOf(t, j) !== level)
          report(`unique:${t.id}:${first}:${j}`, {
            path: t.rows[j]!.path,
            code: 'CONFLICT',
            message: `${rowName(t, first)} and ${rowName(t, j)} both hold and give ${PRIORITY_LEVELS[level]} vs ${PRIORITY_LEVELS[levelOf(t, j)]} when ${describe()}; the table is "unique"`,
          });
    return level;
  };

  /** Adjustments of `t` that hold for the case must all go one way. */
  const checkAdjusters = (t: TableProgram): void => {
    const s = seenOf.get(t)!;
    let direction = 0;
    let directionBy = '';
    t.adjusters.forEach((a, k) => {
      if (!a.cond.holds()) return;
      s.adjusted[k] = true;
      const sign = Math.sign(a.steps);
      if (direction !== 0 && sign !== direction)
        report(`adjust:${directionBy}:${a.id}`, {
          path: a.path,
          code: 'CONFLICT',
          message: `${directionBy} and ${a.id} both adjust ${t.id}, in opposite directions, when ${describe()}`,
        });
      direction = sign;
      directionBy = a.id;
    });
  };

  const valid = validRequest(p, lists);
  for (let n = 0; n < total; n++) {
    let rem = n;
    lists.forEach((list, c) => {
      const tuple = list[rem % list.length]!;
      rem = Math.floor(rem / list.length);
      current[c] = tuple;
      tuple.infos.forEach((info, k) => values.set(info, tuple.values[k]!));
    });
    if (!valid()) continue;
    let decided = false;
    let override: { t: TableProgram; level: number } | null = null;
    for (const t of all) {
      const level = checkTable(t);
      if (Number.isNaN(level)) continue;
      decided = true;
      if (t.override) {
        if (override && override.level !== level)
          report(`override:${override.t.id}:${t.id}`, {
            path: t.path,
            code: 'CONFLICT',
            message: `overrides ${override.t.id} and ${t.id} both apply and give ${PRIORITY_LEVELS[override.level]} vs ${PRIORITY_LEVELS[level]} when ${describe()}`,
          });
        override ??= { t, level };
      }
      checkAdjusters(t);
    }
    if (!decided)
      report('uncovered', {
        path: ['rules'],
        code: 'UNCOVERED',
        message: `no rule gives a level when ${describe()}; add a row without "when" to a table`,
      });
  }

  for (const t of all) {
    const s = seenOf.get(t)!;
    reportUnreachable(problems, t.id, t.rows, s, t.hit === 'unique');
    if (!s.applied && !s.holds.some(Boolean))
      problems.push({
        path: t.path,
        code: 'NEVER_APPLIES',
        severity: 'warning',
        message: `rule ${t.id} never applies`,
      });
    t.adjusters.forEach((a, k) => {
      if (!s.adjusted[k])
        problems.push({
          path: a.path,
          code: 'NEVER_APPLIES',
          severity: 'warning',
          message: `rule ${a.id} never applies`,
        });
    });
  }
};
