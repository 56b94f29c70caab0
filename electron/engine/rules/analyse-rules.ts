// Second step of the analysis: the rules over the components' cases. Each table (with
// its adjustments) is tried over the product of only the components it reads, which
// finds its rows never reached, its conflicts (rows of a "unique" table, adjustments in
// opposite directions) and rows whose level fact can be null; each pair of overrides
// over the components either reads. Whether some valid request gets no level at all is
// a search over every component (coverage.ts) that stops early where a table surely
// applies. What is past the limits is named: a warning for what was left unchecked,
// an error when a level for every valid request could not be shown.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { Case } from './analyse-derived.ts';
import { caseValues } from './cases.ts';
import { FALSE } from './cond.ts';
import { checkCoverage } from './coverage.ts';
import { setAllKnown, setUnknown } from './fact-table.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { reportUnreachable, rowReach, type RowReach } from './row-reach.ts';
import { tableFacts, type TableProgram } from './tables.ts';

/** The most cases one table (or one pair of overrides) is tried on. */
export const PRODUCT_LIMIT = 1_000_000;
/** The most conditions one table's cases may evaluate (a few hundred milliseconds). */
const WORK_LIMIT = 20_000_000;

type TableSeen = RowReach & { applied: boolean; adjusted: boolean[] };

const rowName = (t: TableProgram, j: number) =>
  t.rows[j]!.id ? `row ${t.rows[j]!.id}` : `row ${j + 1} of ${t.id}`;

/** Trying cases of some components: each component's index, its cases, and the product of them. */
export type CaseSpace = ReturnType<typeof caseSpace>;

export const caseSpace = (p: Program, lists: Case[][], ruleFacts: Set<string>) => {
  const values = caseValues(p);
  const compOf = new Map<string, number>();
  lists.forEach((l, c) => l[0]?.infos.forEach((i) => compOf.set(i.name, c)));
  const current: (Case | null)[] = lists.map(() => null);
  const componentsOf = (facts: Iterable<string>): number[] =>
    [...new Set([...facts].map((f) => compOf.get(f)).filter((c) => c !== undefined))].sort(
      (a, b) => a - b,
    );
  const set = (c: number, tuple: Case) => {
    current[c] = tuple;
    tuple.infos.forEach((info, k) => values.set(info, tuple.values[k]!));
  };
  const level = p.facts.get('requested_priority')!;
  const justification = p.facts.get('justification')!;
  const reqComp = compOf.get(level.name);
  const justComp = compOf.get(justification.name);
  /**
   * Whether the cases set are a request the facts' check lets through: GUIDELINES G1 refuses
   * a requested level without a justification before any rule runs, so no row needs to
   * cover that case, and a row that only holds there is never reached. Only when both are
   * set: a justification nothing looks at may be any valid one.
   */
  const valid = (): boolean => {
    if (reqComp === undefined || justComp === undefined) return true;
    if (current[reqComp] === null || current[justComp] === null) return true;
    const { num, str } = p.slots;
    return Number.isNaN(num[level.slot]!) || (str[justification.slot] ?? '').trim() !== '';
  };
  /** The cases set, as the rules see them: "impact=low, change=large, …". */
  const describe = () =>
    current
      .flatMap((c) =>
        c === null
          ? []
          : c.infos
              .map((info, k) => [info, c.values[k] ?? null] as const)
              .filter(([info]) => ruleFacts.has(info.name))
              .map(([info, v]) => values.show(info, v)),
      )
      .join(', ') || 'any facts';
  const size = (comps: number[]) => comps.reduce((n, c) => n * lists[c]!.length, 1);
  /** Calls `visit` for every valid case of `comps` (at most PRODUCT_LIMIT); false past it. */
  const each = (comps: number[], visit: () => void): boolean => {
    const total = size(comps);
    if (total > PRODUCT_LIMIT) return false;
    for (let n = 0; n < total; n++) {
      let rem = n;
      for (const c of comps) {
        const list = lists[c]!;
        set(c, list[rem % list.length]!);
        rem = Math.floor(rem / list.length);
      }
      if (valid()) visit();
    }
    for (const c of comps) current[c] = null;
    return true;
  };
  return { lists, compOf, current, componentsOf, set, valid, describe, size, each };
};

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

  /** Tries `t` on the case set, noting which rows hold and decide, and its conflicts. */
  const checkTable = (t: TableProgram, s: TableSeen, live: readonly number[]): void => {
    const matching: number[] = [];
    for (const j of live) {
      const r = t.rows[j]!;
      if (!(r.cond === null || r.cond.holds())) continue;
      s.holds[j] = true;
      if (matching.length === 0) s.first[j] = true;
      matching.push(j);
    }
    if (matching.length === 0) return;
    const first = matching[0]!;
    const level = levelOf(t, first);
    if (Number.isNaN(level)) {
      report(`null-level:${t.id}:${first}`, {
        path: t.rows[first]!.path,
        code: 'NO_LEVEL',
        message: `${rowName(t, first)} takes its level from a fact that can be null here (${describe()}); test it with {"!=": null}`,
      });
      return;
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
    // Adjustments of `t` that hold for the case must all go one way.
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
   * Like `space.each` for a table, with the rows that can hold: for each case of its largest
   * component, the rows false whatever the others are (three-valued, the others unknown)
   * are left out of the cases of the others. A table of many rows each on one underlying
   * is then tried row by row, not every row on every underlying.
   */
  const eachLive = (t: TableProgram, comps: number[], visit: (live: number[]) => void) => {
    const everyRow = t.rows.map((_, j) => j);
    if (comps.length < 2)
      return space.size(comps) <= PRODUCT_LIMIT && space.each(comps, () => visit(everyRow));
    /** With `outer` the outer component: the rows that can hold for each of its cases, and the work. */
    const plan = (outer: number) => {
      const inner = comps.filter((c) => c !== outer);
      const lives = lists[outer]!.map((tuple) => {
        space.set(outer, tuple);
        try {
          for (const c of inner)
            for (const info of lists[c]![0]!.infos)
              if (info.type !== 'timestamp') setUnknown(p.slots, info);
          return everyRow.filter((j) => t.rows[j]!.cond?.tri() !== FALSE);
        } finally {
          setAllKnown(p.slots);
        }
      });
      const innerSize = space.size(inner);
      const work = lives.reduce(
        (n, live) => n + innerSize * (live.length + t.adjusters.length + 1),
        0,
      );
      return { outer, inner, lives, work: innerSize > PRODUCT_LIMIT ? Infinity : work };
    };
    const { outer, inner, lives, work } = comps
      .map(plan)
      .reduce((a, b) => (b.work < a.work ? b : a));
    space.current[outer] = null;
    if (work > WORK_LIMIT) return false;
    lists[outer]!.forEach((tuple, k) => {
      space.set(outer, tuple);
      space.each(inner, () => visit(lives[k]!));
    });
    space.current[outer] = null;
    return true;
  };

  for (const t of all) {
    const s: TableSeen = {
      ...rowReach(t.rows.length),
      applied: false,
      adjusted: t.adjusters.map(() => false),
    };
    const comps = space.componentsOf(tableFacts(t));
    if (!eachLive(t, comps, (live) => checkTable(t, s, live))) {
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
        message: `too many combinations of cases for rule ${t.id} (${space.size(comps)}) to check every one; not checked: ${what.join(', ')}`,
      });
      continue;
    }
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

  // The first override that applies decides: two that can apply together must agree.
  p.overrides.forEach((a, i) =>
    p.overrides.slice(i + 1).forEach((b) => {
      const comps = space.componentsOf([...tableFacts(a), ...tableFacts(b)]);
      const done = space.each(comps, () => {
        const la = levelGiven(a);
        const lb = levelGiven(b);
        if (!Number.isNaN(la) && !Number.isNaN(lb) && la !== lb)
          report(`override:${a.id}:${b.id}`, {
            path: b.path,
            code: 'CONFLICT',
            message: `overrides ${a.id} and ${b.id} both apply and give ${PRIORITY_LEVELS[la]} vs ${PRIORITY_LEVELS[lb]} when ${describe()}`,
          });
      });
      if (!done)
        problems.push({
          path: b.path,
          code: 'ANALYSIS_LIMIT',
          severity: 'warning',
          message: `too many combinations of cases for overrides ${a.id} and ${b.id} (${space.size(comps)}) to check every one; not checked: whether they can both apply with different levels`,
        });
    }),
  );

  checkCoverage(p, space, problems);
};
