// The engine checks the default rules while DuckDB opens its file (engine.ts), and
// RulesService.load then finds that text checked: only when the active rule set IS the
// default text, so an analyst's edited rules are never replaced by the defaults.
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
const newStore = async () => {
  const s = await openStore(join(tempDir(), 'gex.duckdb'));
  stores.push(s);
  return s;
};

const now = new Date('2026-12-03T15:00:00Z');
/** Real-time, high impact, a first snapshot: CRITICAL under the guidelines. */
const facts = {
  underlying: 'SPX',
  as_of: '2026-12-03T14:59:58Z',
  now: now.toISOString(),
  total_volume: 80_000,
  total_open_interest: 300_000,
  gex_change: null,
};

it('uses the checked defaults on a new database, with its version', async () => {
  const defaults = RulesService.checkDefaults();
  expect(defaults.ok).toBe(true);
  const loaded = await RulesService.load(await newStore());
  if (!loaded.ok) throw new Error(loaded.error.message);
  expect(loaded.value.active.version).toBe(1);
  const d = loaded.value.active.compiled.decide(facts, now);
  expect(d.ok && d.value).toMatchObject({ priority: 'CRITICAL' });
  expect(d.ok && d.value.rule_version).toBe(1);
});

it('compiles an edited active rule set from its own text, not the defaults', async () => {
  const store = await newStore();
  // An analyst's edit: high impact needs more open interest than the guidelines say.
  const edited = defaultRulesText().replace(/100000/g, '1000000');
  expect(edited).not.toBe(defaultRulesText());
  await storeRuleSet(store, edited, 'analyst', 'stricter impact');
  RulesService.checkDefaults();
  const loaded = await RulesService.load(store);
  if (!loaded.ok) throw new Error(loaded.error.message);
  expect(loaded.value.active.text).toBe(edited);
  const d = loaded.value.active.compiled.decide({ ...facts, total_volume: 100 }, now);
  expect(d.ok && d.value.priority).not.toBe('CRITICAL');
});

it('rolls back to the active text as activate of it does: no new version, no audit entry', async () => {
  const store = await newStore();
  const loaded = await RulesService.load(store);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const rules = loaded.value;
  const edited = defaultRulesText().replace(/100000/g, '1000000');
  const v2 = await rules.activate(edited, 'ana', 'stricter impact');
  const v3 = await rules.activate(defaultRulesText(), 'ana', 'back to the guidelines');
  expect([v2.ok && v2.value.version, v3.ok && v3.value.version]).toEqual([2, 3]);
  const audited = async () =>
    (
      await store.all<{ n: unknown }>(`SELECT count(*) AS n FROM audit_log WHERE kind = 'rules'`)
    )[0]!.n;
  const before = await audited();
  // Version 1 has the text active now (version 3's).
  const same = await rules.rollback(1, 'bob', 'once more');
  expect(same).toMatchObject({ ok: true, value: { version: 3, active: true } });
  expect((await rules.history()).map((v) => v.version)).toEqual([3, 2, 1]);
  expect(await audited()).toEqual(before);
  // Another text is a rollback as before.
  const back = await rules.rollback(2, 'bob');
  expect(back).toMatchObject({ ok: true, value: { version: 4, comment: 'rollback to version 2' } });
});

it('gives the rules of an earlier version, the one a waiting request arrived under, after a reload too', async () => {
  const store = await newStore();
  const loaded = await RulesService.load(store);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const edited = defaultRulesText().replace(/100000/g, '1000000');
  const v2 = await loaded.value.activate(edited, 'ana', 'stricter impact');
  expect(v2.ok && v2.value.version).toBe(2);
  const priority = async (rules: RulesService, version: number | null) => {
    const r = await rules.ofVersion(version);
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value.compiled.decide({ ...facts, total_volume: 100 }, now);
    return d.ok && [r.value.version, d.value.priority, d.value.rule_version];
  };
  expect(await priority(loaded.value, 1)).toEqual([1, 'CRITICAL', 1]);
  expect(await priority(loaded.value, 2)).toEqual([2, 'HIGH', 2]);
  // No version stored with the request: the active one.
  expect(await priority(loaded.value, null)).toEqual([2, 'HIGH', 2]);
  // An engine started again compiles version 1 from the stored history.
  const again = await RulesService.load(store);
  if (!again.ok) throw new Error(again.error.message);
  expect(await priority(again.value, 1)).toEqual([1, 'CRITICAL', 1]);
  expect(await again.value.ofVersion(9)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
});
