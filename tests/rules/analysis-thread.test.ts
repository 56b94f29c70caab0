// The rule analysis runs in its own worker thread (electron/engine/rules/analysis.ts),
// never on the engine's: a check of a large rule set took seconds during which the
// engine answered nothing (QA F12). Past its budget an analysis is stopped with
// RULES_TOO_COMPLEX (not the retryable TIMEOUT: a program acting on the code retried the
// same set forever), and rules whose check could not finish are never activated. The worker's answers are
// the in-thread analysis's, diagnostics and their lines included.
import { afterEach, expect, it } from 'vitest';
import { analysisRunner } from '../../electron/engine/rules/analysis.ts';
import { RETRYABLE } from '../../shared/result.ts';
import { checkRules, defaultRulesText, parseRules } from '../../electron/engine/rules/index.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { heavyRules } from './heavy-rules.ts';

const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});
const engine = async (budgetMs?: number) => {
  const e = await startTestEngine({
    runJobs: false,
    ...(budgetMs === undefined ? {} : { rulesAnalysis: { budgetMs } }),
  });
  engines.push(e);
  return e.engine;
};

/** The default rules with two unknown facts: errors on their lines. */
const withErrors = defaultRulesText()
  .replace('"age_s": { "<": 300 }', '"age_secs": { "<": 300 }')
  .replace('"age_s": { "<": 5 }', '"age_sec": { "<": 5 }');

it('answers engine:health while a long check runs: the check holds no engine thread', async () => {
  const { handlers } = await engine();
  const order: string[] = [];
  const checking = handlers['rules:check']({ text: heavyRules(3) }).then((r) => {
    order.push('check');
    return r;
  });
  // A call arriving while the check runs (as over the socket: a later turn of the event loop).
  const health = new Promise((resolve) =>
    setTimeout(
      () =>
        void handlers['engine:health']({}).then((r) => {
          order.push('health');
          resolve(r);
        }),
      20,
    ),
  );
  expect(await health).toMatchObject({ ok: true });
  const checked = await checking;
  expect(order).toEqual(['health', 'check']);
  // It was a real check, with the analysis's findings.
  expect(checked.ok && checked.value.ok).toBe(false);
  expect(checked.ok && checked.value.diagnostics.some((d) => d.code === 'UNREACHABLE_ROW')).toBe(
    true,
  );
});

it('stops an analysis past its budget with RULES_TOO_COMPLEX, not retryable, and never activates rules it could not check', async () => {
  const { handlers } = await engine(1);
  const checked = await handlers['rules:check']({ text: defaultRulesText() });
  expect(checked).toMatchObject({ ok: false, error: { code: 'RULES_TOO_COMPLEX' } });
  // The message tells the analyst to simplify the set; the code must not tell a program to retry.
  expect(!checked.ok && RETRYABLE.has(checked.error.code)).toBe(false);
  expect(!checked.ok && checked.error.message).toBe(
    "The rules' analysis (check) did not finish within 0.001 s and was stopped: the rule set has " +
      'too many cases to check in that time. Simplify it or split its largest tables (fewer rows, ' +
      'fewer facts compared in each row), then check again.',
  );
  const edited = defaultRulesText().replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }');
  const activated = await handlers['rules:activate']({
    text: edited,
    author: 'ana',
    comment: 'slower real-time',
    base: 1,
  });
  expect(activated).toMatchObject({ ok: false, error: { code: 'RULES_TOO_COMPLEX' } });
  expect(!activated.ok && activated.error.message).toMatch(/not activated/);
  const history = await handlers['rules:history']({});
  expect(history.ok && history.value.map((v) => v.version)).toEqual([1]);
  const dry = await handlers['rules:dryRun']({ text: edited, facts: [{}] });
  expect(dry).toMatchObject({ ok: false, error: { code: 'RULES_TOO_COMPLEX' } });
});

it('runs one analysis at a time: a check asked during a long one answers after it', async () => {
  const { handlers } = await engine();
  const order: string[] = [];
  const long = handlers['rules:check']({ text: heavyRules(3) }).then(() => order.push('long'));
  // Alone, the default rules check in milliseconds; beside the long one they wait its end.
  const short = handlers['rules:check']({ text: defaultRulesText() }).then((r) => {
    order.push('short');
    return r;
  });
  expect(await short).toMatchObject({ ok: true, value: { ok: true } });
  await long;
  expect(order).toEqual(['long', 'short']);
});

it('stops a running analysis when the engine shuts down, its answer SHUTTING_DOWN', async () => {
  const { handlers, shutdown } = await engine();
  const checking = handlers['rules:check']({ text: heavyRules(3) });
  const waiting = handlers['rules:check']({ text: defaultRulesText() });
  await shutdown(5000);
  expect(await checking).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
  // The one waiting its turn does not start a thread any more.
  expect(await waiting).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
});

it("gives the in-thread analysis's answers: the default rules, and errors with their lines", async () => {
  const run = analysisRunner();
  for (const text of [defaultRulesText(), withErrors, '{ "rules": [ }']) {
    const inThread = checkRules(text);
    expect(await run('check', text)).toEqual({ ok: true, value: inThread });
  }
  const errors = checkRules(withErrors).diagnostics;
  const lineOf = (s: string) => withErrors.split('\n').findIndex((l) => l.includes(s)) + 1;
  expect(errors.map((d) => [d.code, d.line])).toEqual([
    ['UNKNOWN_FACT', lineOf('"age_sec"')],
    ['UNKNOWN_FACT', lineOf('"age_secs"')],
  ]);
  // Through the engine: the check, and the dry run's refusal as parseRules words it.
  const { handlers } = await engine();
  expect(await handlers['rules:check']({ text: withErrors })).toEqual({
    ok: true,
    value: checkRules(withErrors),
  });
  expect(await handlers['rules:dryRun']({ text: withErrors, facts: [{}] })).toEqual(
    parseRules(withErrors),
  );
  const activated = await handlers['rules:activate']({
    text: withErrors,
    author: 'ana',
    comment: '',
  });
  expect(activated).toMatchObject({
    ok: false,
    error: { code: 'RULES_INVALID', line: errors[0]!.line },
  });
});
