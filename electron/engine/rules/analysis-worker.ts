// The rule analysis's own thread (node:worker_threads, started by analysis.ts): the case
// analysis of a large rule set (conflicts, gaps, unreachable rows) takes seconds of CPU,
// which on the engine's thread held its scheduler, event socket, inbox and arrivals
// (QA F12). Pure JavaScript (zod, jsonc-parser and the rules' own modules; no native
// addon, no database), so it loads in a worker thread under Node and in Electron's main
// process alike. It runs one analysis at a time as asked ({ id, analysis, input }) and
// posts its Result ({ id, result }); a run past its budget is terminated by the runner.
// Each analysis is the same function the CLI's `rules check` calls in its own process.
import { parentPort } from 'node:worker_threads';
import { messageOf, ok, err, type Result } from '../../../shared/result.ts';
import type { Diagnostic, WhatIfRecord, WhatIfResult } from '../../../shared/rules.ts';
import { checkRules, compileChecked, compileText, whatIf } from './index.ts';

export const analyses = {
  /** `rules check`: every diagnostic of a rule file's text. */
  check: (text: string): Result<{ ok: boolean; diagnostics: Diagnostic[] }> => ok(checkRules(text)),
  /**
   * The what-if of an edited text over past requests' records; `baseline`: the active
   * rules (stored, so checked at their activation), compared with instead of the arrival's.
   */
  whatif: (input: {
    text: string;
    records: WhatIfRecord[];
    baseline?: { text: string; version: number | null };
  }): Result<WhatIfResult> => {
    const compiled = compileText(input.text, null);
    if (!compiled.ok) return compiled;
    const baseline = input.baseline && compileChecked(input.baseline.text, input.baseline.version);
    if (baseline && !baseline.ok) return baseline;
    return ok(whatIf(compiled.value, input.records, baseline?.value));
  },
};

export type Analyses = typeof analyses;
export type AnalysisName = keyof Analyses;

parentPort?.on(
  'message',
  ({ id, analysis, input }: { id: number; analysis: AnalysisName; input: never }) => {
    let result: Result<unknown>;
    try {
      result = analyses[analysis](input);
    } catch (e) {
      result = err('INTERNAL', `rules ${analysis}: ${messageOf(e)}`);
    }
    parentPort!.postMessage({ id, result });
  },
);
