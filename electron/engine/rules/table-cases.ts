// The cases one table is tried on, with only the rows that can still hold: one component
// at a time, the rows false whatever the components not chosen yet are (three-valued)
// are left out of what follows (they stay false), a branch with no row left is not
// tried further (no row holds there, so nothing would be noted), and each component's
// cases are projected on what the rows left (and the adjustments) read. A long table of
// rows on distinct underlyings, each with its own threshold, is so tried row by row:
// each underlying, then only its rows over the volumes, not every row on every case.
import type { CaseSpace } from './case-space.ts';
import { FALSE, TRUE } from './cond.ts';
import { setAllKnown, setUnknown } from './fact-table.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

/** The most work one table's cases may take (a few hundred milliseconds): rows evaluated. */
export const TABLE_WORK_LIMIT = 20_000_000;

/** The facts rows `live` of `t` read (conditions and level facts), with `extra`. */
const liveFacts = (t: TableProgram, live: readonly number[], extra: ReadonlySet<string>) => {
  const names = new Set(extra);
  for (const j of live) {
    const r = t.rows[j]!;
    for (const f of r.cond?.facts ?? []) names.add(f);
    if (r.level < 0 && r.levelSlot >= 0) names.add('requested_priority');
  }
  return names;
};

/**
 * Calls `visit` for every valid case of `comps` where some row can hold, with the rows
 * that could (not all of them hold: each is asked); `adjusterFacts`: what the adjustments tried with the rows read (empty
 * when they are tried apart). With `decided`, a branch whose first row left holds
 * whatever the rest is, with a fixed level, is not tried further: `decided` gets that
 * row (for a first-hit table whose adjustments are tried apart, that is all its cases
 * would tell; whether the rows after it can hold is asked apart, row by row). False past
 * TABLE_WORK_LIMIT (nothing can be concluded).
 */
export const eachLiveCase = (
  p: Program,
  space: CaseSpace,
  t: TableProgram,
  comps: number[],
  adjusterFacts: ReadonlySet<string>,
  visit: (live: number[]) => void,
  decided?: (row: number) => void,
): boolean => {
  const { lists, current } = space;
  const { numKnown, strKnown } = p.slots;
  const everyRow = t.rows.map((_, j) => j);
  const adjusters = t.adjusters.length && adjusterFacts.size ? t.adjusters.length : 0;
  const unknown = (c: number) => {
    for (const info of lists[c]![0]!.infos)
      if (info.type !== 'timestamp') setUnknown(p.slots, info);
    current[c] = null;
  };
  const choose = (c: number, k: number) => {
    space.set(c, lists[c]![k]!);
    for (const info of lists[c]![0]!.infos)
      if (info.type === 'string') strKnown[info.slot] = 1;
      else if (info.type !== 'timestamp') numKnown[info.slot] = 1;
  };
  const canHold = (live: readonly number[]) => live.filter((j) => t.rows[j]!.cond?.tri() !== FALSE);

  let work = 0;
  /** Tries the branch: the next component is the smallest of those the rows left read. */
  const walk = (live: number[], top = false): boolean => {
    if (!space.valid()) return true;
    if (decided) {
      const r = t.rows[live[0]!]!;
      if (r.level >= 0 && (r.cond === null || r.cond.tri() === TRUE)) {
        work += 1;
        decided(live[0]!);
        return true;
      }
    }
    const facts = liveFacts(t, live, adjusterFacts);
    let c = -1;
    let cases: number[] = [];
    let read = 0;
    for (const d of comps) {
      if (current[d] !== null || !lists[d]![0]!.infos.some((i) => facts.has(i.name))) continue;
      read++;
      const ks = space.project(d, facts);
      if (c < 0 || ks.length < cases.length) [c, cases] = [d, ks];
    }
    // Every fact the rows left read is chosen: the case, whatever the others are.
    if (c < 0) {
      work += live.length + adjusters + 1;
      visit(live);
      return work <= TABLE_WORK_LIMIT;
    }
    let done = 0;
    for (const k of cases) {
      choose(c, k);
      if (read === 1) {
        // The last component the rows read: each of its cases is a case (checkTable tells
        // which rows hold).
        if (space.valid()) {
          work += live.length + adjusters + 1;
          visit(live);
        }
      } else {
        work += live.length;
        const left = canHold(live);
        // No row can hold: checkTable would note nothing in any case of this branch.
        if (left.length > 0 && !walk(left)) return false;
      }
      if (work > TABLE_WORK_LIMIT) return false;
      // Far past the limit at this pace (a table of many rows on three facts with many
      // thresholds each): said at once, not after trying cases up to the limit.
      if (top && (work / ++done) * cases.length > 4 * TABLE_WORK_LIMIT) return false;
    }
    unknown(c);
    return true;
  };
  try {
    comps.forEach(unknown);
    return walk(everyRow, true);
  } finally {
    setAllKnown(p.slots);
    for (const c of comps) current[c] = null;
  }
};
