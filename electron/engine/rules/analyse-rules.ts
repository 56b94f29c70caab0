// Second step of the analysis: the rules over the components' cases. Each table (with
// its adjustments) is tried over only the components it reads, row by row where its rows
// are apart (table-cases.ts), which finds its rows never reached, its conflicts (rows of
// a "unique" table, adjustments in opposite directions) and rows whose level fact can be
// null; adjustments on components the rows do not read are tried apart. Each pair of
// overrides over the components either reads. Whether some valid request gets no level
// at all is a search (coverage.ts) that stops early where a table surely applies. What
// is past the limits is named: a warning for what was left unchecked, an error when a
// level for every valid request could not be shown.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { Case } from './analyse-derived.ts';
import { caseSpace } from './case-space.ts';
import { checkCoverage } from './coverage.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { reportUnreachable, rowReach, type RowReach } from './row-reach.ts';
import { eachLiveCase } from './table-cases.ts';
import { tableFacts, type TableProgram } from './tables.ts';

type TableSeen = RowReach & { applied: boolean; adjusted: boolean[] };

const rowName = (t: TableProgram, j: number) =>
  t.rows[j]!.id ? `row ${t.rows[j]!.id}` : `row ${j + 1} of ${t.id}`;

export const analyseRules = (
  p: Program,
  lists: Case[][],
  ruleFacts: Set<string>,
  problems: Problem[],
): void => {
  const { num } = p.slots;
  const space = caseSpace(p, lists, ruleFacts);
  const { describe } = space;
  const all = [...p.overrides, ...p.tables];
  const reported = new Set<string>();
  const report = (key: string, pr: Omit<Problem, 'severity'>) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ ...pr, severity: 'error' });
  };
  const levelOf = (t: TableProgram, j: number) => {
    const r = t.rows[j]!;
    return r.level >= 0 ? r.level : num[r.levelSlot]!;
  };
  /** The level `t` gives for the case set (NaN when none), and its first row holding. */
  const levelGiven = (t: TableProgram): number => {
    for (let j = 0; j < t.rows.length; j++) {
      const r = t.rows[j]!;
      if (r.cond === null || r.cond.holds()) return levelOf(t, j);
    }
    return NaN;
  };

  /**
   * Tries `t` on the case set, noting which rows hold and decide, and its conflicts; its
   * adjustments too unless `adjust` is false (they are tried apart).
   */
  const checkTable = (
    t: TableProgram,
    s: TableSeen,
    live: readonly number[],
    adjust = true,
  ): void => {
    // No list of the rows holding (it is tried millions of times): the first, and for a
    // "unique" table the others are found again.
    let first = -1;
    for (let i = 0; i < live.length; i++) {
      const j = live[i]!;
      const r = t.rows[j]!;
      if (!(r.cond === null || r.cond.holds())) continue;
      s.holds[j] = true;
      if (first < 0) {
        s.first[j] = true;
        first = j;
      }
    }
    if (first < 0) return;
    const level = levelOf(t, first);
    if (Number.isNaN(level)) {
      report(`null-level:${t.id}:${first}`, {
        path: t.rows[first]!.path,
        code: 'NO_LEVEL',
        message: `this row takes its level from a fact that can be null here (${describe()}); test it with {"!=": null}`,
      });
      return;
    }
    s.applied = true;
    if (t.hit === 'unique')
      for (const j of live)
        if (j > first && (t.rows[j]!.cond?.holds() ?? true) && levelOf(t, j) !== level)
          report(`unique:${t.id}:${first}:${j}`, {
            path: t.rows[j]!.path,
            code: 'CONFLICT',
            message: `this row and ${rowName(t, first)} both hold and give ${PRIORITY_LEVELS[level]} vs ${PRIORITY_LEVELS[levelOf(t, j)]} when ${describe()}; the table is "unique"`,
          });
    if (adjust) checkAdjusters(t, s);
  };

  /** The adjustments of `t` (which applies) on the case set: those that hold must go one way. */
  const checkAdjusters = (t: TableProgram, s: TableSeen): void => {
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

  /**
   * Tries the rows of `t` (not its adjustments) on the cases of `comps`. A first-hit
   * table's branch stops where a row with a fixed level surely decides; whether each row
   * never seen to decide can hold at all (a row never reached, or one that never holds)
   * is then asked of that row alone.
   */
  const triedRows = (t: TableProgram, s: TableSeen, comps: number[]): boolean => {
    const decided =
      t.hit === 'first'
        ? (j: number) => {
            s.first[j] = true;
            s.holds[j] = true;
            s.applied = true;
          }
        : undefined;
    const none = new Set<string>();
    if (!eachLiveCase(p, space, t, comps, none, (live) => checkTable(t, s, live, false), decided))
      return false;
    if (!decided) return true;
    return t.rows.every((r, j) => {
      if (s.first[j] || s.holds[j]) return true;
      const alone = { ...t, rows: [r], adjusters: [] };
      const own = space.componentsOf(tableFacts(alone));
      return eachLiveCase(p, space, alone, own, none, () => {
        if (r.cond === null || r.cond.holds()) s.holds[j] = true;
      });
    });
  };

  /**
   * Tries `t` on its cases (false past the limits). Adjustments that read only components
   * the rows do not (the reliability beside an underlying's watch rows) are tried apart,
   * on those components, when the table applies somewhere: the cases are independent, so
   * the rows are not tried again on every reliability.
   */
  const tryTable = (t: TableProgram, s: TableSeen): boolean => {
    const rowFacts = tableFacts({ ...t, adjusters: [] });
    const adjFacts = tableFacts({ ...t, rows: [] });
    const rowComps = space.componentsOf(rowFacts);
    const adjComps = space.componentsOf(adjFacts);
    const [reqComp, justComp] = space.validityComps;
    const side = (c: number | undefined) =>
      c === undefined ? 0 : rowComps.includes(c) ? 1 : adjComps.includes(c) ? 2 : 0;
    const apart =
      t.adjusters.length > 0 &&
      adjComps.every((c) => !rowComps.includes(c)) &&
      side(reqComp) * side(justComp) !== 2;
    if (!apart && t.adjusters.length === 0) return triedRows(t, s, rowComps);
    if (!apart)
      return eachLiveCase(p, space, t, space.componentsOf(tableFacts(t)), adjFacts, (live) =>
        checkTable(t, s, live),
      );
    if (!triedRows(t, s, rowComps)) return false;
    return !s.applied || space.each(adjComps, () => checkAdjusters(t, s), adjFacts);
  };

  for (const t of all) {
    const s: TableSeen = {
      ...rowReach(t.rows.length),
      applied: false,
      adjusted: t.adjusters.map(() => false),
    };
    const comps = space.componentsOf(tableFacts(t));
    if (!tryTable(t, s)) {
      const what = [
        'rows never reached',
        ...(t.hit === 'unique' ? ['rows giving different levels'] : []),
        'rows whose level fact can be null',
        ...(t.adjusters.length ? ['adjustments in opposite directions'] : []),
        'whether it applies at all',
      ];
      problems.push({
        path: t.path,
        code: 'ANALYSIS_LIMIT',
        severity: 'warning',
        message: `too many combinations of cases for rule ${t.id} (${space.size(comps)}) to check every one; not checked: ${what.join(', ')}; to have it checked, split it into smaller tables or give its rows fewer distinct thresholds`,
      });
      continue;
    }
    reportUnreachable(problems, t.rows, s, t.hit === 'unique');
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

  // The first override that applies decides: two that can apply together must agree.
  p.overrides.forEach((a, i) =>
    p.overrides.slice(i + 1).forEach((b) => {
      const facts = new Set([...tableFacts(a), ...tableFacts(b)]);
      const comps = space.componentsOf(facts);
      const done = space.each(
        comps,
        () => {
          const la = levelGiven(a);
          const lb = levelGiven(b);
          if (!Number.isNaN(la) && !Number.isNaN(lb) && la !== lb)
            report(`override:${a.id}:${b.id}`, {
              path: b.path,
              code: 'CONFLICT',
              message: `overrides ${a.id} and ${b.id} both apply and give ${PRIORITY_LEVELS[la]} vs ${PRIORITY_LEVELS[lb]} when ${describe()}`,
            });
        },
        facts,
      );
      if (!done)
        problems.push({
          path: b.path,
          code: 'ANALYSIS_LIMIT',
          severity: 'warning',
          message: `too many combinations of cases for overrides ${a.id} and ${b.id} (${space.size(comps)}) to check every one; not checked: whether they can both apply with different levels; to have it checked, give their rows fewer distinct thresholds`,
        });
    }),
  );

  checkCoverage(p, space, problems);
};
