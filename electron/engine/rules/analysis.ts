// Runs a named rule analysis (analysis-worker.ts) in a worker thread and answers its
// Result, so that the engine's event loop is never held by it: `rules:check`, the check
// of `rules:dryRun`, `rules:activate` and `rules:rollback`, and `rules:whatif`'s
// evaluation all come here. The rule set the engine then decides with is compiled on the
// engine's thread from the checked text (compileChecked: no case analysis; 0.2 s for a
// 200 KB set whose analysis takes 3-8 s). An analysis running past its budget is
// terminated and answers RULES_TOO_COMPLEX, saying what to do (not TIMEOUT, which is
// retryable, shared/result.ts' RETRYABLE: the same set would only run past it again); a
// check that could not finish never lets its rules be activated (service.ts). The CLI's
// `gex-desk rules check` without an engine calls checkRules in its own process, where
// nothing else waits.
//
// One idle worker is kept (unref'd: it never keeps a process alive), since a worker's
// start (zod and the rules' modules, ~0.2 s on a loaded machine) would otherwise be
// paid by every check the editor asks for. One analysis runs at a time, the others wait
// their turn in order (their budget counts from their own start, never the wait): each
// thread more would be taken from the pipeline workers' cores, and an editor asks again
// only once answered (useRuleEditor.ts). A check's answer depends on its text alone, so
// the last few are kept by exact text (and a check of a text already waiting or running
// joins it): the dry run's check of the draft the editor just checked, or an activation
// of it, costs no second analysis (QA rl F2: every edit was analysed up to three times in
// a row, the next edit's check waiting behind them). A check that did not finish is not
// kept: asking again runs it again. Across restarts the engine's checks are answered first
// from those kept in the database (stored-checks.ts). A terminated worker leaves nothing to restart. In the desktop app the entry is
// out/main/rules-worker.js (electron.vite.config.ts), passed as `entry`; under Node
// (tests, the CLI, `serve`) it is this folder's .ts file.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { err, messageOf, type Result } from '../../../shared/result.ts';
import type { AnalysisName, Analyses } from './analysis-worker.ts';

export const DEFAULT_ANALYSIS_ENTRY = fileURLToPath(
  new URL('./analysis-worker.ts', import.meta.url),
);

/** How long an analysis may run before it is stopped: generous, a rule set an analyst can read checks in well under a second. */
export const DEFAULT_ANALYSIS_BUDGET_MS = 20_000;

export interface AnalysisOptions {
  /** The worker's module (default: analysis-worker.ts beside this file). */
  entry?: string;
  /** Milliseconds before an analysis is stopped with RULES_TOO_COMPLEX (default DEFAULT_ANALYSIS_BUDGET_MS). */
  budgetMs?: number;
  /** Told of each analysis as it starts in the worker (not of a check answered from those kept). */
  onStart?: (name: AnalysisName) => void;
}

export type RunAnalysis = <N extends AnalysisName>(
  name: N,
  input: Parameters<Analyses[N]>[0],
) => Promise<ReturnType<Analyses[N]>>;

/** A runner, and its close: the engine's shutdown stops what runs (SHUTTING_DOWN) and the idle worker. */
export type AnalysisRunner = RunAnalysis & { close(): Promise<void> };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 1000 ? 3 : 1))} s`;

/** How many checks' answers are kept by text: the draft, the active set and a few edits back. */
export const KEPT_CHECKS = 4;

/**
 * The answer of an analysis stopped after running `ranMs` (its own run, from its start) of a
 * `budgetMs` budget: how long it ran on this machine, that a busy machine makes it slower
 * (`gex-desk rules check` in a quiet moment says whether the set itself is too slow), and
 * what to simplify.
 */
export function tooComplex(name: AnalysisName, ranMs: number, budgetMs: number) {
  return err(
    'RULES_TOO_COMPLEX',
    `The rules' analysis (${name}) ran for ${seconds(Math.max(ranMs, budgetMs))} on this machine ` +
      `without finishing and was stopped (its budget: ${seconds(budgetMs)} of its own run, not counting ` +
      'the wait behind other analyses). Either the rule set has too many cases to check in that time, ' +
      'or the machine was busy with other work: check again, and if it stops again simplify the set or ' +
      'split its largest tables (fewer rows, fewer facts compared in each row).',
  );
}

/** A runner of analyses with these options (the engine makes one, from its own options). */
export function analysisRunner(opts: AnalysisOptions = {}): AnalysisRunner {
  const entry = opts.entry ?? DEFAULT_ANALYSIS_ENTRY;
  const budgetMs = opts.budgetMs ?? DEFAULT_ANALYSIS_BUDGET_MS;
  let idle: Worker | null = null;
  let ids = 0;
  let closed = false;
  /** What runs, each to be stopped by close. */
  const running = new Set<() => void>();
  let turn: Promise<unknown> = Promise.resolve();

  /** Checks answered (or waiting, or running) by exact text, the newest last. */
  const checks = new Map<string, Promise<Result<unknown>>>();
  const queue = (name: AnalysisName, input: unknown): Promise<Result<unknown>> => {
    const mine = turn.then(() => runNow(name, input));
    turn = mine;
    return mine;
  };
  const run = (name: AnalysisName, input: unknown): Promise<Result<unknown>> => {
    if (name !== 'check' || typeof input !== 'string') return queue(name, input);
    const known = checks.get(input);
    if (known) {
      checks.delete(input); // the newest again
      checks.set(input, known);
      return known;
    }
    const asked = queue(name, input);
    checks.set(input, asked);
    while (checks.size > KEPT_CHECKS) checks.delete(checks.keys().next().value!);
    void asked.then((r) => {
      if (!r.ok && checks.get(input) === asked) checks.delete(input);
    });
    return asked;
  };

  const runNow = (name: AnalysisName, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      if (closed)
        return resolve(err('SHUTTING_DOWN', `rules ${name}: the engine is shutting down.`));
      let worker: Worker;
      try {
        worker = idle ?? new Worker(entry);
      } catch (e) {
        return resolve(
          err('INTERNAL', `rules ${name}: the analysis could not start: ${messageOf(e)}`),
        );
      }
      idle = null;
      worker.ref();
      const id = ++ids;
      const done = (r: Result<unknown>, keep: boolean) => {
        clearTimeout(timer);
        running.delete(stop);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (keep && !idle && !closed) {
          idle = worker;
          worker.unref();
        } else void worker.terminate();
        resolve(r);
      };
      const onMessage = (m: { id: number; result: Result<unknown> }) => {
        if (m.id === id) done(m.result, true);
      };
      const onError = (e: unknown) =>
        done(err('INTERNAL', `rules ${name}: ${messageOf(e)}`), false);
      const onExit = (code: number) =>
        done(
          err(
            'WORKER_CRASHED',
            `rules ${name}: the analysis ended without an answer (exit code ${code}).`,
          ),
          false,
        );
      // The budget counts from here, this analysis's own start: never its wait for its turn.
      const started = performance.now();
      const timer = setTimeout(
        () => done(tooComplex(name, performance.now() - started, budgetMs), false),
        budgetMs,
      );
      const stop = () =>
        done(err('SHUTTING_DOWN', `rules ${name}: stopped, the engine is shutting down.`), false);
      running.add(stop);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, analysis: name, input });
      opts.onStart?.(name);
    });
  return Object.assign(run as RunAnalysis, {
    async close() {
      closed = true;
      for (const stop of [...running]) stop();
      const last = idle;
      idle = null;
      await last?.terminate();
    },
  });
}
