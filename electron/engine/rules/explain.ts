// The one-line explanation of a decision ("G4: source reliability 0.60 < 0.8 demotes
// CRITICAL → HIGH (G3: impact high, change large, freshness real-time → CRITICAL)"),
// built from the conditions that held and the facts' values in the slots. Facts
// that partial evaluation does not know yet are never shown with a value.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { factText } from './compare-number.ts';
import { TRUE } from './cond.ts';
import type { FactInfo } from './fact-table.ts';
import { displayName } from './ops.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

export type Explained = { rule: string; explanation: string; level: number };

export type Explainer = {
  /** The value of a known fact as reported (ordinals by name, null for NaN). */
  valueOf: (info: FactInfo) => string | number | null;
  isKnown: (info: FactInfo) => boolean;
  /** The level row `j` of `t` gives for the facts in the slots. */
  rowLevel: (t: TableProgram, j: number) => number;
  /** What a row's explanation depends on: its condition's facts, or for a catch-all, the earlier rows'. */
  rowFacts: (t: TableProgram, j: number) => FactInfo[];
  /** "G3: impact high, change large, freshness real-time → CRITICAL". */
  rowText: (t: TableProgram, j: number) => string;
  /** Row `j` of `t` decided; its adjustments that hold apply, in file order. */
  table: (t: TableProgram, j: number, own: string) => Explained;
  /** Override `t` decided with row `j`. */
  override: (t: TableProgram, j: number, justification: string | null) => Explained;
};

export const adjust = (level: number, steps: number): number =>
  Math.min(3, Math.max(0, level + steps));

export const createExplainer = (p: Program): Explainer => {
  const { num, rawStr, numKnown, strKnown } = p.slots;
  const isKnown = (info: FactInfo) =>
    (info.type === 'string' ? strKnown : numKnown)[info.slot] === 1;
  const valueOf = (info: FactInfo): string | number | null => {
    const x = num[info.slot]!;
    if (Number.isNaN(x)) return null;
    return info.type === 'ordinal' || info.type === 'level' ? info.values[x]! : x;
  };
  const rowLevel = (t: TableProgram, j: number): number => {
    const r = t.rows[j]!;
    return r.level >= 0 ? r.level : num[r.levelSlot]!;
  };
  const rowFacts = (t: TableProgram, j: number): FactInfo[] => {
    const r = t.rows[j]!;
    const names = new Set<string>(r.cond?.facts ?? []);
    if (r.cond === null)
      for (const e of t.rows.slice(0, j)) for (const f of e.cond?.facts ?? []) names.add(f);
    return [...names].map((n) => p.facts.get(n)!);
  };
  const explainRow = (t: TableProgram, j: number): string => {
    const r = t.rows[j]!;
    if (r.cond !== null) return r.cond.explain();
    const values = rowFacts(t, j)
      .filter(isKnown)
      .map((info) => {
        const raw = info.type === 'string' ? JSON.stringify(rawStr[info.slot]) : valueOf(info);
        const v = typeof raw === 'number' ? factText(info, raw) : raw;
        return `${displayName(info.name)} ${v}`;
      });
    const what = r.note ?? (values.length ? 'no earlier row holds' : 'anything else');
    return values.length ? `${what} (${values.join(', ')})` : what;
  };
  const rowText = (t: TableProgram, j: number) =>
    `${t.id}: ${explainRow(t, j)} → ${PRIORITY_LEVELS[rowLevel(t, j)]}`;

  const table = (t: TableProgram, j: number, own: string): Explained => {
    let level = rowLevel(t, j);
    if (t.adjusters.length === 0) return { rule: t.id, explanation: own, level };
    let rule = t.id;
    let steps = '';
    let noEffect = '';
    for (const a of t.adjusters) {
      if (a.cond.tri() !== TRUE) continue;
      const next = adjust(level, a.steps);
      const verb = a.steps > 0 ? 'demotes' : 'escalates';
      if (next !== level) {
        steps = `${a.id}: ${a.cond.explain()} ${verb} ${PRIORITY_LEVELS[level]} → ${PRIORITY_LEVELS[next]}${steps ? '; ' + steps : ''}`;
        rule = a.id;
      } else
        noEffect += `; ${a.id}: ${a.cond.explain()}, ${PRIORITY_LEVELS[level]} stays ${PRIORITY_LEVELS[level]}`;
      level = next;
    }
    return { rule, explanation: steps ? `${steps} (${own})${noEffect}` : own + noEffect, level };
  };

  const override = (t: TableProgram, j: number, justification: string | null): Explained => {
    const level = rowLevel(t, j);
    const why =
      justification !== null && t.rows[j]!.level < 0
        ? ` (justification ${JSON.stringify(justification.trim())})`
        : '';
    return {
      rule: t.id,
      explanation: `${t.id}: ${explainRow(t, j)}${why} → ${PRIORITY_LEVELS[level]}`,
      level,
    };
  };

  return { valueOf, isKnown, rowLevel, rowFacts, rowText, table, override };
};

/**
 * Per table and row, its text ("G3: impact high, change large, freshness real-time →
 * CRITICAL"). Most rows depend only on the values of ordered facts: those texts are
 * built once per combination of values and kept.
 */
export const createRowTexts = (p: Program, explain: Explainer): (() => string)[][] => {
  const { num } = p.slots;
  return p.tables.map((t) =>
    t.rows.map((_, j) => {
      const build = () => explain.rowText(t, j);
      const deps = explain.rowFacts(t, j);
      if (!deps.every((d) => (d.type === 'ordinal' || d.type === 'level') && d.values.length < 15))
        return build;
      const depSlots = Int32Array.from(deps.map((d) => d.slot));
      const memo = new Map<number, string>();
      return () => {
        let key = t.rows[j]!.level < 0 ? num[t.rows[j]!.levelSlot]! + 1 : 0;
        for (let k = 0; k < depSlots.length; k++) {
          const x = num[depSlots[k]!]!;
          key = key * 16 + (Number.isNaN(x) ? 0 : x + 1);
        }
        let text = memo.get(key);
        if (text === undefined) memo.set(key, (text = build()));
        return text;
      };
    }),
  );
};
