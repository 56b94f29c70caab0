// An activation based on a version no longer active is refused, in the store, with nothing
// activated: the analyst whose draft began on version N never silently undoes a version
// another analyst activated since. The check reads the database in the activation's own
// transaction, so two activations from the same base cannot both pass it.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { RulesService } from '../../electron/engine/rules/service.ts';
import type { Store } from '../../electron/engine/store/db.ts';
import { storeRuleSet } from '../../electron/engine/store/rule-sets.ts';
import { cleanupDirs, openStore, tempDir } from '../scheduler/helpers.ts';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  cleanupDirs();
});

async function loaded(): Promise<{ store: Store; rules: RulesService }> {
  const store = await openStore(join(tempDir(), 'gex.duckdb'));
  stores.push(store);
  const r = await RulesService.load(store);
  if (!r.ok) throw new Error(r.error.message);
  return { store, rules: r.value };
}

const v1 = defaultRulesText();
const analyst = v1.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }');
const bob = v1.replace('"age_s": { "<": 300 }', '"age_s": { "<": 240 }');
const rulesAudits = async (store: Store) =>
  Number(
    (
      await store.all<{ n: unknown }>(`SELECT count(*) AS n FROM audit_log WHERE kind = 'rules'`)
    )[0]!.n,
  );

it('refuses a stale base with CONFLICT naming the version active now, and activates nothing', async () => {
  const { store, rules } = await loaded();
  expect(new Set([v1, analyst, bob]).size).toBe(3);
  const bobs = await rules.activate(bob, 'cli-bob', 'demote 2', 1);
  expect(bobs).toMatchObject({ ok: true, value: { version: 2 } });
  const audits = await rulesAudits(store);

  const refused = await rules.activate(analyst, 'ana', 'real-time is 7 s', 1);
  expect(refused.ok).toBe(false);
  if (refused.ok) return;
  expect(refused.error.code).toBe('CONFLICT');
  expect(refused.error.message).toContain('Version 2 (by cli-bob: "demote 2")');
  expect(refused.error.message).toContain('since version 1');
  expect((await rules.history()).map((v) => [v.version, v.active])).toEqual([
    [2, true],
    [1, false],
  ]);
  expect(rules.active.version).toBe(2);
  expect(rules.active.text).toBe(bob);
  expect(await rulesAudits(store)).toBe(audits);

  // Based on the version active now (the analyst chose to undo version 2): activated.
  const anyway = await rules.activate(analyst, 'ana', 'real-time is 7 s', 2);
  expect(anyway).toMatchObject({ ok: true, value: { version: 3, author: 'ana', active: true } });
  // Without a base (`rules activate FILE`), as before: replaces whatever is active.
  expect(await rules.activate(bob, 'ci', 'the desk file')).toMatchObject({
    ok: true,
    value: { version: 4 },
  });
});

it('checks the stored active version, not the engine’s memory of it', async () => {
  const { store, rules } = await loaded();
  // Another writer of the same database activated version 2 behind this service's back.
  await storeRuleSet(store, bob, 'cli-bob', 'demote 2');
  expect(rules.active.version).toBe(1);
  const refused = await rules.activate(analyst, 'ana', 'real-time is 7 s', 1);
  expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  expect((await rules.history()).map((v) => v.version)).toEqual([2, 1]);
});

it('lets only one of two activations from the same base through', async () => {
  const { rules } = await loaded();
  const both = await Promise.all([
    rules.activate(analyst, 'ana', 'real-time is 7 s', 1),
    rules.activate(bob, 'cli-bob', 'demote 2', 1),
  ]);
  expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
  expect((await rules.history()).map((v) => v.version)).toEqual([2, 1]);
});

it('refuses a rollback based on a version replaced meanwhile (the UI’s dialog racing `rules activate`)', async () => {
  const { store, rules } = await loaded();
  // v2 is the analyst's; the rollback dialog compares v1's text with it.
  expect(await rules.activate(analyst, 'ana', 'real-time is 7 s', 1)).toMatchObject({ ok: true });
  // Bob activates from the command line before the dialog heard of v2's replacement.
  expect(await rules.activate(bob, 'cli-bob', 'bob important')).toMatchObject({
    ok: true,
    value: { version: 3 },
  });
  const audits = await rulesAudits(store);
  const refused = await rules.rollback(1, 'alice', 'back to the desk default', 2);
  expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'base' } });
  if (refused.ok) return;
  expect(refused.error.message).toContain('Version 3 (by cli-bob: "bob important")');
  expect(refused.error.message).toContain('since version 2');
  expect(refused.error.message).toContain('roll back again');
  expect(rules.active.text).toBe(bob);
  expect((await rules.history()).map((v) => v.version)).toEqual([3, 2, 1]);
  expect(await rulesAudits(store)).toBe(audits);
  // Compared with the version active now, it goes through.
  expect(await rules.rollback(1, 'alice', 'back to the desk default', 3)).toMatchObject({
    ok: true,
    value: { version: 4, comment: 'rollback to version 1: back to the desk default' },
  });
});

it('lets only one of a rollback and an activation from the same base through', async () => {
  const { rules } = await loaded();
  expect(await rules.activate(analyst, 'ana', 'real-time is 7 s', 1)).toMatchObject({ ok: true });
  const both = await Promise.all([
    rules.activate(bob, 'cli-bob', 'bob important', 2),
    rules.rollback(1, 'alice', 'rollback', 2),
  ]);
  expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
  expect((await rules.history()).map((v) => v.version)).toEqual([3, 2, 1]);
});

it('refuses a base that was never stored as NOT_FOUND, not as a version activated since', async () => {
  const { rules } = await loaded();
  for (const r of [
    await rules.activate(analyst, 'ana', 'real-time is 7 s', 99),
    await rules.rollback(1, 'ana', 'back', 99),
  ]) {
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'base' } });
    if (!r.ok) expect(r.error.message).toContain('There is no rule set version 99');
  }
  expect((await rules.history()).map((v) => v.version)).toEqual([1]);
});
