// The answers of rule checks are kept in the database (electron/engine/rules/stored-checks.ts):
// after a restart the Rules view's check of the unchanged active version, and of a text
// checked before, runs no analysis (QA rl2 N2: 13 s of "checking…" for a large active set,
// the analyst's draft waiting behind it). Kept by the text's SHA-256 and the analyser's
// version: another analyser analyses again. Bounded: the last STORED_CHECKS texts and the
// active version's. Real engine, real store, real analysis in its worker thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Engine, EngineOptions } from '../../electron/engine/engine.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import {
  STORED_CHECKS,
  storeCheck,
  storedCheck,
} from '../../electron/engine/rules/stored-checks.ts';
import { storeRuleSet } from '../../electron/engine/store/rule-sets.ts';
import { engineIn } from '../desktop/engine.ts';
import { openStore } from '../store/open-store.ts';

const dirs: string[] = [];
const running: Engine[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-desk-checks-'));
  dirs.push(dir);
  return dir;
};

/** The engine on `dir`'s files, and the analyses it starts. */
const start = async (dir: string, opts: EngineOptions = {}) => {
  const started: string[] = [];
  const engine = await engineIn(dir, {
    runJobs: false,
    rulesAnalysis: { onStart: (name) => started.push(name) },
    ...opts,
  });
  running.push(engine);
  return { engine, started };
};
const stop = async (engine: Engine) => {
  running.splice(running.indexOf(engine), 1);
  await engine.shutdown();
};

/** A valid rule set other than the default one. */
const edited = defaultRulesText().replace('"age_s": { "<": 300 }', '"age_s": { "<": 301 }');
/** The default rules with an unknown fact: an error on its line. */
const withError = defaultRulesText().replace('"age_s": { "<": 300 }', '"age_secs": { "<": 300 }');

it('checks the active version again after a restart without analysing it, nor a text checked before; another analyser analyses them', async () => {
  expect(edited).not.toBe(defaultRulesText());
  expect(withError).not.toBe(defaultRulesText());
  const dir = folder();
  const first = await start(dir);
  const activated = await first.engine.handlers['rules:activate']({
    text: edited,
    author: 'qa',
    comment: 'edited',
  });
  expect(activated).toMatchObject({ ok: true });
  const draft = await first.engine.handlers['rules:check']({ text: withError });
  expect(draft.ok && draft.value.ok).toBe(false);
  const active = await first.engine.handlers['rules:check']({ text: edited });
  expect(first.started).toEqual(['check', 'check']);
  await stop(first.engine);

  const again = await start(dir);
  expect(await again.engine.handlers['rules:check']({ text: edited })).toEqual(active);
  expect(await again.engine.handlers['rules:check']({ text: withError })).toEqual(draft);
  // The dry run of the draft, and its activation refused, read the same answer.
  expect(
    await again.engine.handlers['rules:activate']({ text: withError, author: 'qa', comment: '' }),
  ).toMatchObject({ ok: false, error: { code: 'RULES_INVALID' } });
  expect(again.started).toEqual([]);
  await stop(again.engine);

  const newer = await start(dir, { rulesAnalyser: 'a later analyser' });
  expect(await newer.engine.handlers['rules:check']({ text: edited })).toEqual(active);
  expect(newer.started).toEqual(['check']);
});

it(`keeps the last ${STORED_CHECKS} texts' answers and the active version's, and only the current analyser's`, async () => {
  const store = await openStore(join(folder(), 'gex.duckdb'));
  try {
    const answer = (n: number) => ({
      ok: true,
      diagnostics: [
        { severity: 'warning' as const, code: 'X', message: `text ${n}`, line: n, column: 1 },
      ],
    });
    await storeRuleSet(store, 'text 0', 'qa', 'active');
    await storeCheck(store, 'text 0', answer(0));
    await storeCheck(store, 'other analyser', answer(99), 'another');
    for (let n = 1; n <= STORED_CHECKS + 2; n++) await storeCheck(store, `text ${n}`, answer(n));
    expect(await storedCheck(store, 'text 0')).toEqual(answer(0));
    expect(await storedCheck(store, 'text 1')).toBeUndefined();
    expect(await storedCheck(store, 'text 2')).toBeUndefined();
    expect(await storedCheck(store, 'text 3')).toEqual(answer(3));
    expect(await storedCheck(store, `text ${STORED_CHECKS + 2}`)).toEqual(
      answer(STORED_CHECKS + 2),
    );
    expect(await storedCheck(store, 'other analyser', 'another')).toBeUndefined();
    const [{ n }] = (await store.all<{ n: bigint }>('SELECT count(*) AS n FROM rule_checks')) as [
      { n: bigint },
    ];
    expect(Number(n)).toBe(STORED_CHECKS + 1);
  } finally {
    await store.close();
  }
});
