// Which table and row decide, for facts in the program's slots: the first override
// that applies, else the table with the highest level after its adjustments (the
// earlier on a tie) or, with first-applicable, the first table that applies. The
// answer depends only on the discrete facts and the truth of the rules' other
// comparisons, so it is remembered per case of those: a decision scans the tables
// once per case.
import type { Explainer } from './explain.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

/** The deciding table and row, encoded: override ? OVERRIDE : 0 + table * ROWS + row; -1 for none. */
const ROWS = 1 << 12;
const OVERRIDE = ROWS * (1 << 12);
const NO_LEVEL = 99;

/**
 * Which table and row decide depends only on the discrete facts and the truth of the
 * rules' other comparisons: a key of those, or null when there are too many cases.
 */
const createScanKey = (p: Program): (() => number) | null => {
  const { num } = p.slots;
  const discrete = [...p.facts.values()].filter(
    (f) => f.usedByRules && (f.type === 'ordinal' || f.type === 'level'),
  );
  const discreteSlots = Int32Array.from(discrete.map((f) => f.slot));
  const radices = Int32Array.from(discrete.map((f) => f.values.length + 1));
  const atoms = p.ruleAtoms.map((c) => c.holds);
  const keySpace = discrete.reduce((n, f) => n * (f.values.length + 1), 2 ** atoms.length);
  const memoizable =
    keySpace <= 2 ** 24 &&
    p.overrides.length < 4096 &&
    p.tables.length < 4096 &&
    [...p.overrides, ...p.tables].every((t) => t.rows.length < ROWS);
  if (!memoizable) return null;
  return () => {
    let key = 0;
    for (let k = 0; k < discreteSlots.length; k++) {
      const x = num[discreteSlots[k]!]!;
      key = key * radices[k]! + (Number.isNaN(x) ? 0 : x + 1);
    }
    for (let k = 0; k < atoms.length; k++) key = key * 2 + (atoms[k]!() ? 1 : 0);
    return key;
  };
};

/** The override flag, table index and row of a scan's code. */
export const decodeScan = (code: number): { override: boolean; index: number; row: number } => {
  const c = code % OVERRIDE;
  return { override: code >= OVERRIDE, index: Math.floor(c / ROWS), row: c % ROWS };
};

/** The code of the deciding table and row for the facts in the slots; -1 when none applies. */
export const createScanner = (p: Program, explain: Explainer): (() => number) => {
  const { num } = p.slots;
  const { overrides, tables } = p;
  const firstApplicable = p.combine === 'first-applicable';

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
      let level = explain.rowLevel(t, j);
      const adjusters = t.adjusters;
      for (let k = 0; k < adjusters.length; k++) {
        const a = adjusters[k]!;
        if (a.cond.holds()) level = Math.min(3, Math.max(0, level + a.steps));
      }
      if (level < bestLevel) {
        bestLevel = level;
        best = i * ROWS + j;
      }
      if (firstApplicable) break;
    }
    return best;
  };

  const scanKey = createScanKey(p);
  const memo = new Map<number, number>();
  return () => {
    const key = scanKey ? scanKey() : -1;
    let code = key >= 0 ? memo.get(key) : undefined;
    if (code === undefined) {
      code = scan();
      if (key >= 0) memo.set(key, code);
    }
    return code;
  };
};
