// Issue 3's promise: analysts may change the rules while work waits. Activation never
// changes the level of a job already queued or running, loses none, and the very next
// request is decided by the new version; the audit log says which version decided each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TERMINAL_STATUSES } from '../../shared/domain.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('activating rules while jobs wait', () => {
  it(
    'leaves 200 waiting jobs at their level, loses none, and decides the next request with the new version',
    { timeout: 300_000 },
    async () => {
      running = await startTestEngine({ workers: 1 });
      const { engine } = running;
      const dir = mkdtempSync(join(tmpdir(), 'gex-activate-'));
      const files = Array.from({ length: 201 }, (_, i) => {
        const f = join(dir, `chain-${i}.csv`);
        // Old data (as_of in 2024): stale, so the default rules say LOW (G2).
        writeCboeCsv(f, {
          seed: 1000 + i,
          underlying: `T${i % 7}`,
          expiries: 2,
          strikesPerExpiry: 8,
        });
        return f;
      });
      const v1 = engine.rules.active.version;
      // The desk holds the queue while it reviews the rules: the 200 jobs wait.
      const paused = await engine.handlers['queue:pause']({});
      if (!paused.ok) throw new Error(paused.error.message);
      expect(paused.value.paused).toBe(true);
      const acks = await Promise.all(
        files
          .slice(0, 200)
          .map((file) => engine.handlers['ingest:submit']({ file, source: 'desk' })),
      );
      const jobIds = acks.map((a) => {
        if (!a.ok || !a.value.job_id) throw new Error(JSON.stringify(a));
        expect(a.value.decision).toMatchObject({ priority: 'LOW', rule: 'G2', rule_version: v1 });
        return a.value.job_id;
      });

      const before = await engine.handlers['jobs:list']({ limit: 1000 });
      if (!before.ok) throw new Error(before.error.message);
      expect(before.value.filter((j) => j.status === 'queued')).toHaveLength(200);

      // The desk decides stale data deserves MEDIUM from now on.
      const edited = defaultRulesText().replace(
        /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
        '$1"MEDIUM"',
      );
      expect(edited).not.toBe(defaultRulesText());
      const activated = await engine.handlers['rules:activate']({
        text: edited,
        author: 'analyst',
        comment: 'stale is MEDIUM',
      });
      if (!activated.ok) throw new Error(activated.error.message);
      const v2 = activated.value.version;
      expect(v2).toBeGreaterThan(v1);

      const after = await engine.handlers['jobs:list']({ limit: 1000 });
      if (!after.ok) throw new Error(after.error.message);
      for (const j of after.value) {
        expect(j.priority).toBe('LOW');
        expect(j.effective_priority).toBe('LOW');
        expect(j.rule_version).toBe(v1);
      }

      const next = await engine.handlers['ingest:submit']({ file: files[200]!, source: 'desk' });
      if (!next.ok) throw new Error(next.error.message);
      expect(next.value.decision).toMatchObject({
        priority: 'MEDIUM',
        rule: 'G2',
        rule_version: v2,
      });

      const resumed = await engine.handlers['queue:resume']({});
      if (!resumed.ok) throw new Error(resumed.error.message);
      expect(resumed.value.paused).toBe(false);
      await engine.drain();
      const done = await engine.handlers['jobs:list']({ limit: 1000 });
      if (!done.ok) throw new Error(done.error.message);
      expect(done.value).toHaveLength(201);
      for (const id of jobIds) {
        const j = done.value.find((x) => x.id === id)!;
        expect(TERMINAL_STATUSES.has(j.status)).toBe(true);
        expect(j.status).toBe('completed');
        expect(j.priority).toBe('LOW');
      }

      const audit = await listAudit(engine.store, { limit: 10_000 });
      const decisions = audit.filter((a) => a.kind === 'decision');
      expect(decisions).toHaveLength(201);
      expect(decisions.filter((a) => a.rule_version === v1)).toHaveLength(200);
      expect(decisions.filter((a) => a.rule_version === v2).map((a) => a.request_id)).toEqual([
        next.value.request_id,
      ]);
      expect(
        audit.some((a) => a.kind === 'rules' && a.rule_version === v2 && a.actor === 'analyst'),
      ).toBe(true);
    },
  );
});
