// Whether every valid request gets a level: a search over the components' cases, one
// component at a time, that stops wherever a table surely applies (by three-valued
// evaluation, the components not chosen yet unknown), and so needs only the cases
// where no table has decided yet; per branch it splits only on what the rows that can
// still hold read, and does not try again a branch equivalent to one settled. A gap is reported with the example found; when the
// search is too long to finish, the rule set is refused unless a level for every
// request can be shown without it: some table applies whatever the facts (a row
// without "when" and with a fixed level). Sound either way: what passes gets a level.
import { TRUE, FALSE } from './cond.ts';
import { setAllKnown, setUnknown, type FactInfo } from './fact-table.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { tableFacts, type TableProgram } from './tables.ts';
import type { CaseSpace } from './case-space.ts';

/** The most work the search may do (a few hundred milliseconds): rows evaluated, and cases tried. */
export const COVERAGE_WORK_LIMIT = 20_000_000;
/** A case tried costs as much as this many rows evaluated (setting it, checking it valid). */
const NODE_WORK = 10;

/** Whether `t` applies, with a level, whatever the unknown facts are. */
const surelyApplies = (p: Program, t: TableProgram): boolean =>
  surelyGives(p, { t, rows: t.rows.map((_, j) => j) });

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

/** A table not yet known not to apply, with the rows that can still hold (in order). */
type Open = { t: TableProgram; rows: number[] };

/** The facts the open rows read (their conditions, their level facts). */
const openFacts = (open: readonly Open[]): Set<string> => {
  const names = new Set<string>();
  for (const { t, rows } of open)
    for (const j of rows) {
      const r = t.rows[j]!;
      for (const f of r.cond?.facts ?? []) names.add(f);
      if (r.level < 0 && r.levelSlot >= 0) names.add('requested_priority');
    }
  return names;
};

/** Whether the open rows of `t` surely give a level (as surelyApplies, on those rows only). */
const surelyGives = (p: Program, { t, rows }: Open): boolean => {
  const { num, numKnown } = p.slots;
  for (const j of rows) {
    const r = t.rows[j]!;
    const tr = r.cond === null ? TRUE : r.cond.tri();
    if (tr === FALSE) continue;
    if (r.level < 0 && (numKnown[r.levelSlot] !== 1 || Number.isNaN(num[r.levelSlot]!)))
      return false;
    if (tr === TRUE) return true;
  }
  return false;
};

/**
 * The search, per branch: the rows false whatever the facts not chosen yet are leave it
 * (they stay false deeper), a table with none left leaves it, and only the components
 * the rows left read are split on, the next one from a table with the fewest of them to
 * go (it decides soonest), each projected on what those rows read. A branch whose rows
 * left and the cases they read are those of one already tried is not tried again (the
 * same watch list under every freshness).
 */
export const checkCoverage = (p: Program, space: CaseSpace, problems: Problem[]): void => {
  const all = allTables(p);
  const { numKnown, strKnown } = p.slots;
  const { lists, current } = space;
  const infosOf = (c: number): FactInfo[] => lists[c]![0]!.infos;
  const unset = (c: number) => {
    for (const info of infosOf(c)) if (info.type !== 'timestamp') setUnknown(p.slots, info);
    current[c] = null;
  };
  const choose = (c: number, k: number) => {
    space.set(c, lists[c]![k]!);
    for (const info of infosOf(c))
      if (info.type === 'string') strKnown[info.slot] = 1;
      else if (info.type !== 'timestamp') numKnown[info.slot] = 1;
  };
  const comps = space.componentsOf(all.flatMap((t) => [...tableFacts(t)]));
  const compsOfTable = new Map<Open, number[]>();
  const unsetComps = (o: Open): number[] => {
    let cs = compsOfTable.get(o);
    if (!cs) compsOfTable.set(o, (cs = space.componentsOf(openFacts([o]))));
    return cs.filter((c) => current[c] === null);
  };

  let work = 0;
  let stopped = false;
  let gap: string | null = null;
  const tried = new Set<string>();
  const chosen = lists.map(() => -1);
  /**
   * What decides a branch: the rows left of each table, and the case chosen of each
   * component they read (and of those valid() reads). Components nothing left reads do not
   * matter, whatever their case.
   */
  const memoKey = (left: readonly Open[], facts: Set<string>): string => {
    const comps = new Set([...space.componentsOf(facts), ...space.validComps]);
    const cases = [...comps].sort((a, b) => a - b).map((c) => `${c}=${chosen[c]}`);
    return `${left.map((o) => `${o.t.id}:${o.rows.join(',')}`).join(';')}|${cases.join(';')}`;
  };
  const search = (open: readonly Open[]): void => {
    work += NODE_WORK;
    if (!space.valid()) return;
    const left: Open[] = [];
    for (const o of open) {
      work += o.rows.length;
      // Where a table surely gives a level, nothing else matters (most leaves of the search).
      if (surelyGives(p, o)) return;
    }
    for (const o of open) {
      const rows = o.rows.filter((j) => {
        const c = o.t.rows[j]!.cond;
        return c === null || c.tri() !== FALSE;
      });
      if (rows.length === 0) continue;
      left.push(rows.length === o.rows.length ? o : { t: o.t, rows });
    }
    if (work > COVERAGE_WORK_LIMIT) {
      stopped = true;
      return;
    }
    // The table with the fewest components to go, and its smallest one (projected).
    const facts = openFacts(left);
    let best: number | undefined;
    let bestTogo = Infinity;
    let bestSize = Infinity;
    for (const o of left) {
      const togo = unsetComps(o);
      if (togo.length === 0 || togo.length > bestTogo) continue;
      if (togo.length < bestTogo) bestSize = Infinity;
      bestTogo = togo.length;
      for (const c of togo) {
        const n = space.project(c, facts).length;
        if (n < bestSize) {
          best = c;
          bestSize = n;
        }
      }
    }
    // Every fact the rows left read is chosen and none gives a level: a gap.
    if (best === undefined) {
      gap = space.describe();
      return;
    }
    const key = memoKey(left, facts);
    if (tried.has(key)) return;
    const c = best;
    for (const k of space.project(c, facts)) {
      choose(c, k);
      chosen[c] = k;
      search(left);
      if (gap !== null || stopped) break;
    }
    unset(c);
    chosen[c] = -1;
    if (gap === null && !stopped) tried.add(key);
  };
  try {
    comps.forEach(unset);
    search(all.map((t) => ({ t, rows: t.rows.map((_, j) => j) })));
  } finally {
    setAllKnown(p.slots);
    current.fill(null);
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
