// The dry run's facts as the analyst left them (the form's rows and the one picked, Form
// or JSON Lines, the JSON Lines text as typed, parsing or not): the dry run unmounts with
// its side tab and with the Rules view, and facts re-typed after a glance at History are
// lost work. Kept as the rule draft is (rule-draft.ts): in this browser profile, so they
// survive switching tabs and views, a reload and a restart. Until the analyst changes
// them they are the examples as of when they are shown, and "Reset examples" goes back
// to that. Windows do not share them live: each keeps its own, and a window opened (or
// reloaded) takes the last ones stored.
import { create } from 'zustand';
import { isRow, sampleFacts, toJsonLines, type FactRow } from '../views/rules/facts.ts';

export interface DryFacts {
  mode: 'form' | 'json';
  /** The facts run: the form's, or the JSON Lines text's when it last parsed. */
  rows: FactRow[];
  /** The JSON Lines text as typed (the rows written out after an edit in the form). */
  json: string;
  /** The row the form shows. */
  selected: number;
}

export const DRY_FACTS_KEY = 'gex-desk.dry-run-facts';

/** The examples as facts, relative to `now`, shown in the form. */
export function exampleFacts(nowMs = Date.now()): DryFacts {
  const rows = sampleFacts(nowMs);
  return { mode: 'form', rows, json: toJsonLines(rows), selected: 0 };
}

/** Stored facts, or null (none kept, or unreadable: the examples then). */
export function readDryFacts(raw: string | null): DryFacts | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof DryFacts, unknown>>;
    if (!Array.isArray(v.rows) || !v.rows.every(isRow) || typeof v.json !== 'string') return null;
    const selected =
      typeof v.selected === 'number' && Number.isInteger(v.selected) && v.selected >= 0
        ? Math.min(v.selected, Math.max(0, v.rows.length - 1))
        : 0;
    return { mode: v.mode === 'json' ? 'json' : 'form', rows: v.rows, json: v.json, selected };
  } catch {
    return null;
  }
}

const load = (): DryFacts | null => {
  try {
    return readDryFacts(localStorage.getItem(DRY_FACTS_KEY));
  } catch {
    return null;
  }
};

interface DryFactsState {
  /** The analyst's facts; null: none changed yet (the examples as of when shown). */
  facts: DryFacts | null;
  keep(facts: DryFacts): void;
  /** Back to the examples: nothing kept. */
  reset(): void;
}

export const useDryFacts = create<DryFactsState>((set) => ({
  facts: load(),
  keep(facts) {
    set({ facts });
    try {
      localStorage.setItem(DRY_FACTS_KEY, JSON.stringify(facts));
    } catch {
      // Storage full or unavailable: kept for this window only.
    }
  },
  reset() {
    set({ facts: null });
    try {
      localStorage.removeItem(DRY_FACTS_KEY);
    } catch {
      // As above.
    }
  },
}));
