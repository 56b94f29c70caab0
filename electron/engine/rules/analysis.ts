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
// their turn in order (their budget counts from their start): each thread more would be
// taken from the pipeline workers' cores, and an editor asks again only once answered
// (useRuleEditor.ts). A terminated worker leaves nothing to restart. In the desktop app the entry is
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
}

export type RunAnalysis = <N extends AnalysisName>(
  name: N,
  input: Parameters<Analyses[N]>[0],
) => Promise<ReturnType<Analyses[N]>>;

/** A runner, and its close: the engine's shutdown stops what runs (SHUTTING_DOWN) and the idle worker. */
export type AnalysisRunner = RunAnalysis & { close(): Promise<void> };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 1000 ? 3 : 1))} s`;

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

  const run = (name: AnalysisName, input: unknown): Promise<Result<unknown>> => {
    const mine = turn.then(() => runNow(name, input));
    turn = mine;
    return mine;
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
      const timer = setTimeout(
        () =>
          done(
            err(
              'RULES_TOO_COMPLEX',
              `The rules' analysis (${name}) did not finish within ${seconds(budgetMs)} and was stopped: ` +
                'the rule set has too many cases to check in that time. Simplify it or split its largest ' +
                'tables (fewer rows, fewer facts compared in each row), then check again.',
            ),
            false,
          ),
        budgetMs,
      );
      const stop = () =>
        done(err('SHUTTING_DOWN', `rules ${name}: stopped, the engine is shutting down.`), false);
      running.add(stop);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, analysis: name, input });
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
