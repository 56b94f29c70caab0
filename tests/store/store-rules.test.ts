// A one-shot command serves the rules, sources and queue figures from the store alone
// (api/store-handlers.ts storeRules). A stored active rule set that no longer compiles
// (written by an older or newer build) must answer as the engine's start does — the
// compiler's code and where — not a generic INTERNAL error out of a throw.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CallName } from '../../shared/api.ts';
import { storeHandlers, storeRules } from '../../electron/engine/api/store-handlers.ts';
import { loadConfig } from '../../electron/engine/config.ts';
import { EngineEvents } from '../../electron/engine/events.ts';
import { compileText } from '../../electron/engine/rules/service.ts';
import { storePerTest } from './open-store.ts';
import { storeRuleSet } from '../../electron/engine/store/rule-sets.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';

const t = storePerTest('gex-store-rules-');

it("answers a stored active rule set that does not compile with the compiler's error", async () => {
  const broken = '{ "levels": ';
  const compiled = compileText(broken, 1);
  if (compiled.ok) throw new Error('the broken text compiled');
  const version = await storeRuleSet(t.store, broken, 'test', 'written by another build');
  const cfg = loadConfig({
    dbPath: join(t.dir, 'gex.duckdb'),
    configFile: join(t.dir, 'none.json'),
  });
  if (!cfg.ok) throw new Error(cfg.error.message);
  const events = new EngineEvents();
  const dispatch = createDispatcher(
    storeHandlers({
      store: t.store,
      events,
      config: cfg.value,
      rules: storeRules(t.store, events),
    }),
    { transport: 'local' },
  );
  for (const name of ['rules:active', 'queue:stats', 'sources:list'] as CallName[]) {
    const r = await dispatch(name, {});
    expect(r.ok, name).toBe(false);
    if (r.ok) continue;
    expect(r.error, name).toMatchObject({
      code: compiled.error.code,
      message: `The active rule set ${version.version} does not compile: ${compiled.error.message}`,
    });
  }
});
