// The workbench's speed (issue 9) in headless Chromium: tests/e2e/workbench.e2e.test.ts
// measures it on the real engine and the production build of the UI (and checks what the
// analyst sees); this suite runs that file and judges its figures against their budgets —
// a timing goal belongs here, not in a test that a loaded machine fails at random. Each
// figure is printed beside its budget and as a ratio to it (under 1: within).
import { e2eFigures } from './proc.ts';
import type { Measure } from './run.ts';

export interface WorkbenchFigures {
  /** The real SPX sample (56 expiries, 458 strikes) drawn after its data arrived. */
  spx_drawn_ms: number;
  /** 1,000 snapshots of an underlying's history drawn after their data arrived. */
  history_drawn_ms: number;
  /** The longest script of a frame while scrolling the list of every snapshot, end to end. */
  list_scroll_script_ms: number;
  /** The chart code drawing a 10,000-point series (median of 7). */
  series_10k_ms: number;
}

/** What each figure is, and the most it may be. */
const BUDGETS: Record<keyof WorkbenchFigures, { what: string; ms: number }> = {
  spx_drawn_ms: { what: 'SPX sample drawn after its data', ms: 300 },
  history_drawn_ms: { what: '1,000 snapshots of history drawn after their data', ms: 1000 },
  // A task over 50 ms is a long task (the browser's own threshold): a scroll that stutters.
  list_scroll_script_ms: { what: 'scrolling every snapshot: longest script of a frame', ms: 50 },
  series_10k_ms: { what: 'a 10,000-point series drawn by the chart code', ms: 100 },
};

export async function benchWorkbench(): Promise<Measure[]> {
  const figures = e2eFigures<Partial<WorkbenchFigures>>(
    'tests/e2e/workbench.e2e.test.ts',
    'workbench.json',
  );
  return Object.entries(BUDGETS).flatMap(([key, { what, ms }]) => {
    const value = figures[key as keyof WorkbenchFigures];
    if (value === undefined) throw new Error(`tests/e2e/workbench.e2e.test.ts measured no ${key}`);
    return [
      {
        name: what,
        value,
        unit: `ms, ${value < ms ? 'within' : 'OVER'} the budget (${ms} ms)`,
      },
      { name: `  ratio, figure / budget`, value: value / ms, unit: '×' },
    ];
  });
}
