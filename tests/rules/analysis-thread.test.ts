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
const engine = async (budgetMs?: number, onStart?: (name: string) => void) => {
  const e = await startTestEngine({
    runJobs: false,
    rulesAnalysis: {
      ...(budgetMs === undefined ? {} : { budgetMs }),
      ...(onStart ? { onStart } : {}),
    },
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
  // How long it ran on this machine (its own run: at least its budget), and that a busy
  // machine may be why (QA rl F2: `rules check` passed a set the app refused under load).
  expect(!checked.ok && checked.error.message).toMatch(
    new RegExp(
      "^The rules' analysis \\(check\\) ran for \\d+(\\.\\d+)? s on this machine without finishing " +
        'and was stopped \\(its budget: 0\\.001 s of its own run, not counting the wait behind other ' +
        'analyses\\)\\. Either the rule set has too many cases to check in that time, or the machine ' +
        'was busy with other work: check again, and if it stops again simplify the set or split its ' +
        'largest tables \\(fewer rows, fewer facts compared in each row\\)\\.$',
    ),
  );
  // Not kept: asked again, it runs again (and stops again).
  expect(await handlers['rules:check']({ text: defaultRulesText() })).toMatchObject({
    ok: false,
    error: { code: 'RULES_TOO_COMPLEX' },
  });
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

it('analyses an edit once: the dry run of the text just checked, and of the active set, runs no analysis', async () => {
  // QA rl F2: the editor's check, then the dry run's re-check of the draft and of the
  // active set: three analyses in a row per edit, the next edit's check waiting behind them.
  const started: string[] = [];
  const { handlers } = await engine(undefined, (name) => started.push(name));
  const draft = heavyRules(2);
  const now = Date.now();
  const facts = [
    {
      underlying: 'SPX',
      as_of: new Date(now - 6000).toISOString(),
      now: new Date(now).toISOString(),
      total_volume: 80000,
      total_open_interest: 300000,
      gex_change: 0.02,
    },
  ];
  const checked = await handlers['rules:check']({ text: draft });
  expect(checked.ok && checked.value.ok).toBe(false); // heavyRules has unreachable rows
  const valid = defaultRulesText().replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }');
  expect(await handlers['rules:check']({ text: valid })).toMatchObject({
    ok: true,
    value: { ok: true },
  });
  expect(started).toEqual(['check', 'check']);
  const active = await handlers['rules:active']({});
  const [after, before] = await Promise.all([
    handlers['rules:dryRun']({ text: valid, facts }),
    handlers['rules:dryRun']({ text: active.ok ? active.value.text : '', facts }),
  ]);
  expect(after).toMatchObject({ ok: true, value: [{ rule: expect.any(String) }] });
  expect(before).toMatchObject({ ok: true, value: [{ rule: expect.any(String) }] });
  // Decided by each text: 6 s old is real-time for the draft only.
  expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
  expect(started).toEqual(['check', 'check']);
  // A check of the same text asked again (the editor back on the view) is answered as kept,
  // the same answer; a check of a text not kept runs.
  expect(await handlers['rules:check']({ text: draft })).toEqual(checked);
  expect(started).toEqual(['check', 'check']);
  // Two asks of one text not yet answered share one analysis.
  const other = heavyRules(1);
  const [a, b] = await Promise.all([
    handlers['rules:check']({ text: other }),
    handlers['rules:check']({ text: other }),
  ]);
  expect(a).toEqual(b);
  expect(started).toEqual(['check', 'check', 'check']);
});

it("counts an analysis's budget from its own start, not its wait behind others", async () => {
  // One heavy check alone, to know how long it takes here and now.
  const alone = analysisRunner();
  const t0 = performance.now();
  expect(await alone('check', heavyRules(2))).toMatchObject({ ok: true });
  const took = performance.now() - t0;
  await alone.close();
  // Four of them queued at once, each given three times what one took: the last starts
  // after about three of them ran, which a budget counted from its ask would have stopped.
  const run = analysisRunner({ budgetMs: Math.max(3 * took, 1500) });
  const texts = [1, 2, 3, 4].map((v) =>
    heavyRules(2).replace('"title": "x0"', `"title": "x0 v${v}"`),
  );
  const answers = await Promise.all(texts.map((t) => run('check', t)));
  await run.close();
  expect(answers.map((r) => r.ok)).toEqual([true, true, true, true]);
});
