// The set of (level, rule) outcomes the tables of a rule program can still give
// when some facts are unknown, for partial evaluation (partial.ts). Each table, by
// three-valued evaluation of its rows and adjustments, yields the levels it can give
// under each rule that could report it; then overrides (the first that applies
// decides), and highest-level or first-applicable combination, run over those sets.
// Tables are treated as independent, which is what keeps this sound but possibly
// wider than the truth when two tables test the same unknown fact.
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import { FALSE, TRUE, UNKNOWN, type Tri } from './cond.ts';
import { adjust } from './explain.ts';
import { NULL_BIT } from './fact-table.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

/** What the tables can give for the facts in the slots. Immutable: partial.ts keeps them per case. */
export type Outcomes = {
  /** Distinct outcomes, each rule * 4 + level (rule: an index of `OutcomeSpace.ruleIds`). */
  codes: readonly number[];
  /** Some completion may get no level at all (a rule set whose analysis was cut short). */
  none: boolean;
  /** Per table (overrides first): the only row that can decide, if it surely holds, else -1. */
  sureRow: Int32Array;
  /** The highest and the lowest level of `codes`. */
  upper: PriorityLevel;
  lower: PriorityLevel;
};

export type OutcomeSpace = {
  /** Overrides first, then the other tables, as the program lists them. */
  tables: readonly TableProgram[];
  nOverrides: number;
  /** Every table id, each followed by the ids of its adjustments. */
  ruleIds: readonly string[];
  /** The index in `tables` of the table each rule belongs to. */
  ruleTable: readonly number[];
  outcomes: () => Outcomes;
};

export const createOutcomeSpace = (p: Program): OutcomeSpace => {
  const { num, numKnown, mask } = p.slots;
  const all: TableProgram[] = [...p.overrides, ...p.tables];
  const nOverrides = p.overrides.length;
  const firstApplicable = p.combine === 'first-applicable';

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

  // Per table: grid[r] = bits of the levels it can give with rule state r (0: its own
  // id; k + 1: adjustment k changed the level last); the union of those; whether no
  // row may hold; the only row that can hold and whether it surely does.
  const grid = all.map((t) => new Int32Array(t.adjusters.length + 1));
  const scratch = new Int32Array(Math.max(1, ...all.map((t) => t.adjusters.length + 1)));
  const levels = new Int32Array(all.length);
  const mayMiss = new Uint8Array(all.length);
  const sureRow = new Int32Array(all.length);

  const evalTable = (ti: number): void => {
    const t = all[ti]!;
    const g = grid[ti]!;
    g.fill(0);
    let lv = 0;
    let sure = false;
    let rows = 0;
    sureRow[ti] = -1;
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
      rows++;
      sureRow[ti] = rows === 1 && tr === TRUE && (lm & (lm - 1)) === 0 ? j : -1;
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
      if (ta === UNKNOWN) sureRow[ti] = -1;
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

  let codes: number[] = [];
  const add = (ti: number, r: number, levelMask: number): void => {
    for (let l = 0; l < 4; l++) {
      if ((levelMask & (1 << l)) === 0) continue;
      const code = (ruleBase[ti]! + r) * 4 + l;
      if (!codes.includes(code)) codes.push(code);
    }
  };
  const addTable = (ti: number): void => {
    const g = grid[ti]!;
    for (let r = 0; r < g.length; r++) add(ti, r, g[r]!);
  };

  /** Tables [from, to) in order, the first that applies deciding; whether none may apply. */
  const firstOf = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) {
      evalTable(i);
      addTable(i);
      if (mayMiss[i] === 0) return false;
    }
    return true;
  };

  /** Whether table k can leave level `l` of another table the winner: it may not apply, or give a lower level (strictly, when it comes first). */
  const canLoseTo = (k: number, l: number, strict: boolean): boolean =>
    mayMiss[k] === 1 || levels[k]! >> (strict ? l + 1 : l) !== 0;

  /** The highest level wins, the earlier table on a tie; whether no table may apply. */
  const highest = (): boolean => {
    let allMayMiss = true;
    for (let i = nOverrides; i < all.length; i++) {
      evalTable(i);
      if (mayMiss[i] === 0) allMayMiss = false;
    }
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
    return allMayMiss;
  };

  const outcomes = (): Outcomes => {
    codes = [];
    sureRow.fill(-1);
    let none = false;
    if (firstOf(0, nOverrides))
      none = firstApplicable ? firstOf(nOverrides, all.length) : highest();
    let upper = 3;
    let lower = 0;
    for (const code of codes) {
      upper = Math.min(upper, code & 3);
      lower = Math.max(lower, code & 3);
    }
    return {
      codes,
      none,
      sureRow: sureRow.slice(),
      upper: PRIORITY_LEVELS[upper]!,
      lower: PRIORITY_LEVELS[lower]!,
    };
  };

  return { tables: all, nOverrides, ruleIds, ruleTable, outcomes };
};

/**
 * A number that identifies what the outcomes depend on: the known value or the set
 * of possible values of each ordered fact the rules test, and the three-valued truth
 * of the rules' comparisons on numbers and strings. Null when there are too many
 * cases to remember.
 */
export const createOutcomeKey = (p: Program): (() => number) | null => {
  const { num, numKnown, mask } = p.slots;
  const discrete = [...p.facts.values()].filter(
    (f) => f.usedByRules && (f.type === 'ordinal' || f.type === 'level'),
  );
  if (discrete.some((f) => f.values.length > 20)) return null;
  const slots = Int32Array.from(discrete.map((f) => f.slot));
  const sizes = Int32Array.from(discrete.map((f) => f.values.length));
  // Known: 0 for null, rank + 1; unknown: n + 1 + the set (n value bits and null).
  const radices = discrete.map((f) => f.values.length + 1 + 2 ** (f.values.length + 1));
  const atoms = p.ruleAtoms.map((c) => c.tri);
  const space = radices.reduce((n, r) => n * r, 3 ** atoms.length);
  if (space > 2 ** 24) return null;
  const radix = Int32Array.from(radices);
  return () => {
    let key = 0;
    for (let k = 0; k < slots.length; k++) {
      const s = slots[k]!;
      const n = sizes[k]!;
      let d: number;
      if (numKnown[s] === 1) d = Number.isNaN(num[s]!) ? 0 : num[s]! + 1;
      else {
        const m = mask[s]!;
        d = n + 1 + ((m & ((1 << n) - 1)) | ((m & NULL_BIT) !== 0 ? 1 << n : 0));
      }
      key = key * radix[k]! + d;
    }
    for (let k = 0; k < atoms.length; k++) key = key * 3 + atoms[k]!();
    return key;
  };
};
