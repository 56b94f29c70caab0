// Issue 3's promise: analysts may change the rules while work waits. Activation never
// changes the level of a job already queued or running, loses none, and the very next
// request is decided by the new version; the audit log says which version decided each.
// A request still waiting for its facts read (deciding) is decided by the version active
// at its arrival (GUIDELINES v2: the app's own queueing never changes a level), also when
// the engine restarted meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TERMINAL_STATUSES } from '../../shared/domain.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { writeCboeCsv, writeLongCsv } from '../fixtures/option-chains.ts';
import { engineIn, startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/**
 * Long-format chains observed 200 s ago, of underlyings without history, with open interest
 * over 100,000: fresh, high impact, a first snapshot — HIGH under the guidelines (G3) — but
 * their totals are known only once the whole file is read, so each waits as deciding.
 */
function freshChains(dir: string, n: number): string[] {
  const asOf = isoSeconds(Date.now() - 200_000);
  return Array.from({ length: n }, (_, i) => {
    const file = join(dir, `fresh-${i}.csv`);
    const chain = writeLongCsv(file, {
      seed: 500 + i,
      underlying: `F${i}`,
      spot: 100,
      expiries: 4,
      strikesPerExpiry: 30,
      asOf,
      offset: '+00:00',
    });
    expect(chain.contracts.reduce((s, c) => s + c.open_interest, 0)).toBeGreaterThan(100_000);
    return file;
  });
}

/** The default rules with data fresh for 100 s instead of 300: a 200 s old chain is stale, LOW (G2). */
function freshFor100s(): string {
  const edited = defaultRulesText().replace(
    /("when": \{ "age_s": \{ "<": )300( \} \}, "value": "fresh")/,
    '$1100$2',
  );
  expect(edited).not.toBe(defaultRulesText());
  return edited;
}

/** Activates "fresh" shortened to 100 s (freshFor100s); its version. */
async function activateFresh100s(engine: Engine): Promise<number> {
  const activated = await engine.handlers['rules:activate']({
    text: freshFor100s(),
    author: 'analyst',
    comment: 'fresh is 100 s',
  });
  if (!activated.ok) throw new Error(activated.error.message);
  return activated.value.version;
}

async function submitDeciding(engine: Engine, files: string[], version: number) {
  const acks = await Promise.all(
    files.map((file) => engine.handlers['ingest:submit']({ file, source: 'vendor' })),
  );
  return acks.map((a) => {
    if (!a.ok) throw new Error(a.error.message);
    expect([a.value.status, a.value.decision]).toEqual(['deciding', null]);
    return { job_id: a.value.job_id!, request_id: a.value.request_id, version };
  });
}

/** Each request's job, arrival and decision: all at the version of its arrival, HIGH by G3. */
async function expectDecidedAtArrival(
  engine: Engine,
  requests: { job_id: string; request_id: string; version: number }[],
) {
  const jobs = await engine.handlers['jobs:list']({ limit: 1000 });
  if (!jobs.ok) throw new Error(jobs.error.message);
  for (const r of requests) {
    const job = jobs.value.find((j) => j.id === r.job_id)!;
    expect([job.status, job.priority, job.rule, job.rule_version]).toEqual([
      'completed',
      'HIGH',
      'G3',
      r.version,
    ]);
    const trail = await listAudit(engine.store, { request_id: r.request_id, limit: 50 });
    const at = (kind: string) => trail.filter((e) => e.kind === kind);
    expect(at('arrival').map((e) => e.rule_version)).toEqual([r.version]);
    expect(at('decision').map((e) => [e.priority, e.rule, e.rule_version])).toEqual([
      ['HIGH', 'G3', r.version],
    ]);
  }
}

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

  it('decides requests still deciding at an activation by the rules active at their arrival', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = mkdtempSync(join(tmpdir(), 'gex-activate-deciding-'));
    dirs.push(dir);
    const files = freshChains(dir, 7);
    const v1 = engine.rules.active.version;
    await engine.handlers['queue:pause']({});
    const waiting = await submitDeciding(engine, files.slice(0, 6), v1);

    // The desk shortens "fresh" to 100 s: under it these chains would be stale, LOW.
    const v2 = await activateFresh100s(engine);
    // A request arriving now is the new version's at once: stale at its arrival.
    const next = await engine.handlers['ingest:submit']({ file: files[6]!, source: 'vendor' });
    if (!next.ok) throw new Error(next.error.message);
    expect(next.value.decision).toMatchObject({ priority: 'LOW', rule: 'G2', rule_version: v2 });

    await engine.handlers['queue:resume']({});
    await engine.drain();
    await expectDecidedAtArrival(engine, waiting);
  });

  it('decides them by the rules of their arrival after a restart of the engine too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-activate-restart-'));
    dirs.push(dir);
    const files = freshChains(dir, 4);
    let engine = await engineIn(dir, { paused: true });
    const v1 = engine.rules.active.version;
    const before = await submitDeciding(engine, files.slice(0, 2), v1);
    const v2 = await activateFresh100s(engine);
    // Back to the guidelines: a third version, under which these two arrive.
    const back = await engine.handlers['rules:rollback']({
      version: v1,
      author: 'analyst',
      comment: 'too strict',
    });
    if (!back.ok) throw new Error(back.error.message);
    const v3 = back.value.version;
    expect(v3).toBeGreaterThan(v2);
    const after = await submitDeciding(engine, files.slice(2, 4), v3);
    await activateFresh100s(engine);
    await engine.shutdown(5000);

    // The engine starts again with 100 s active; the four requests come back deciding.
    engine = await engineIn(dir, { paused: true });
    try {
      const jobs = await engine.handlers['jobs:list']({ limit: 100 });
      if (!jobs.ok) throw new Error(jobs.error.message);
      expect(jobs.value.filter((j) => j.status === 'deciding')).toHaveLength(4);
      await engine.handlers['queue:resume']({});
      await engine.drain();
      await expectDecidedAtArrival(engine, [...before, ...after]);
    } finally {
      await engine.shutdown(5000);
    }
  });
});
