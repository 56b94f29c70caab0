// Whether every valid request gets a level: a search over the components' cases, one
// component at a time, that stops wherever a table surely applies (by three-valued
// evaluation, the components not chosen yet unknown), and so needs only the cases
// where no table has decided yet. A gap is reported with the example found; when the
// search is too long to finish, the rule set is refused unless a level for every
// request can be shown without it: some table applies whatever the facts (a row
// without "when" and with a fixed level). Sound either way: what passes gets a level.
import { TRUE, FALSE } from './cond.ts';
import { setAllKnown, setUnknown, type FactInfo } from './fact-table.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { tableFacts, type TableProgram } from './tables.ts';
import type { CaseSpace } from './analyse-rules.ts';

/** The most row evaluations the search may make (a few hundred milliseconds). */
export const COVERAGE_WORK_LIMIT = 20_000_000;

/** Whether `t` applies, with a level, whatever the unknown facts are. */
const surelyApplies = (p: Program, t: TableProgram): boolean => {
  const { num, numKnown } = p.slots;
  for (const r of t.rows) {
    const tr = r.cond === null ? TRUE : r.cond.tri();
    if (tr === FALSE) continue;
    if (r.level < 0 && (numKnown[r.levelSlot] !== 1 || Number.isNaN(num[r.levelSlot]!)))
      return false;
    if (tr === TRUE) return true;
  }
  return false;
};

const allTables = (p: Program) => [...p.overrides, ...p.tables];

/** What to add, for a message: a catch-all row at the end of a table. */
const advice = (p: Program): string => {
  const t = p.tables[p.tables.length - 1] ?? p.overrides[p.overrides.length - 1];
  return `add a row without "when" and with a fixed level to a table${t ? ` (e.g. { "level": "LOW" } as the last row of ${t.id})` : ''}`;
};

const unproven = (p: Program, why: string): Problem => ({
  path: ['rules'],
  code: 'UNPROVEN_LEVEL',
  severity: 'error',
  message: `cannot show that every valid request gets a level: ${why}, and no rule applies whatever the facts; ${advice(p)}`,
});

/** With nothing known: whether some table applies whatever the facts are. */
export const coveredWhatever = (p: Program): boolean => {
  try {
    for (const info of p.facts.values()) if (info.type !== 'timestamp') setUnknown(p.slots, info);
    return allTables(p).some((t) => surelyApplies(p, t));
  } finally {
    setAllKnown(p.slots);
  }
};

/** The check when the cases could not even be listed (a component past its limit). */
export const checkCoverageUnlisted = (p: Program, problems: Problem[]): void => {
  if (!coveredWhatever(p))
    problems.push(unproven(p, 'too many combinations of cases to list them'));
};

export const checkCoverage = (p: Program, space: CaseSpace, problems: Problem[]): void => {
  const all = allTables(p);
  const { numKnown, strKnown } = p.slots;
  const { lists } = space;
  const rowsPerNode = all.reduce((n, t) => n + t.rows.length, 0) || 1;
  const facts = new Set(all.flatMap((t) => [...tableFacts(t)]));
  // Small components first: a table that reads them may already decide.
  const comps = space.componentsOf(facts).sort((a, b) => lists[a]!.length - lists[b]!.length);
  const infosOf = (c: number): FactInfo[] => lists[c]![0]!.infos;
  const unset = (c: number) => {
    for (const info of infosOf(c)) if (info.type !== 'timestamp') setUnknown(p.slots, info);
    space.current[c] = null;
  };
  const choose = (c: number, k: number) => {
    space.set(c, lists[c]![k]!);
    for (const info of infosOf(c))
      if (info.type === 'string') strKnown[info.slot] = 1;
      else if (info.type !== 'timestamp') numKnown[info.slot] = 1;
  };

  let work = 0;
  let stopped = false;
  let gap: string | null = null;
  const search = (d: number): void => {
    work += rowsPerNode;
    if (work > COVERAGE_WORK_LIMIT) {
      stopped = true;
      return;
    }
    if (!space.valid() || all.some((t) => surelyApplies(p, t))) return;
    if (d === comps.length) {
      gap = space.describe();
      return;
    }
    const c = comps[d]!;
    for (let k = 0; k < lists[c]!.length && gap === null && !stopped; k++) {
      choose(c, k);
      search(d + 1);
    }
    unset(c);
  };
  try {
    comps.forEach(unset);
    search(0);
  } finally {
    setAllKnown(p.slots);
    space.current.fill(null);
  }
  if (gap !== null)
    problems.push({
      path: ['rules'],
      code: 'UNCOVERED',
      severity: 'error',
      message: `no rule gives a level when ${gap}; add a row without "when" to a table`,
    });
  else if (stopped)
    problems.push(
      unproven(
        p,
        `too many combinations of cases (${space.size(comps)}) to try where no rule has decided`,
      ),
    );
};
