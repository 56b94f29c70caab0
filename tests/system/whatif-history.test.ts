// Rule what-if on the store's own history (rules:whatif), on the real engine: stale
// requests were decided at arrival, before their files were read, and kept only the
// facts known then. Their files' totals come back exactly from their snapshots, so an
// edit that turns on volume decides them; their GEX change (which compared with what was
// stored at that moment) stays unknown, so an edit that turns on it reports them as
// unknown with the levels they could get; a request whose run failed has no snapshot and
// stays unknown for both; an invalid edit is an error value.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatIfAnswer } from '../../shared/api.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let te: TestEngine;
const ids: Record<string, string> = {};

/** The default rules with one row first in G2: stale data that also meets `when` is HIGH. */
const staleAnd = (when: string) =>
  defaultRulesText().replace(
    /("id": "G2",[\s\S]*?"rows": \[)/,
    `$1\n        { "when": { "freshness": { "==": "stale" }, ${when} }, "level": "HIGH" },`,
  );

async function whatif(text: string): Promise<WhatIfAnswer> {
  const r = await te.engine.handlers['rules:whatif']({ text, last: 1000 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'gex-whatif-'));
  const [first, busy] = [80, 81].map((seed): string => {
    const f = join(dir, `spx-${seed}.csv`);
    writeCboeCsv(f, { seed, underlying: 'SPX', expiries: 4, strikesPerExpiry: 20 });
    return f;
  });
  const bad = writeBadFiles(join(dir, 'bad'));
  // The first SPX file has nothing to compare with (its change is known: none); the
  // next ones arrive after its snapshot, so their change needed their whole file.
  for (const [name, file] of [
    ['first', first!],
    ['busy', busy!],
    ['bad', bad.badValue!.path],
  ] as const) {
    const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!r.ok || r.value.status !== 'queued') throw new Error(JSON.stringify(r));
    expect(r.value.decision).toMatchObject({ priority: 'LOW', rule: 'G2' }); // decided at arrival
    ids[name] = r.value.request_id;
    await te.engine.drain();
  }
}, 60_000);
afterAll(async () => {
  await te.stop();
});

describe('rules:whatif on stored requests', () => {
  it("completes the file's own totals from its snapshot: an edit on volume decides them", async () => {
    const r = await whatif(staleAnd('"total_volume": { ">": 1000 }'));
    expect(r.replayed).toBe(3);
    expect(r.active_version).toBe(te.engine.rules.active.version);
    expect(r.changes.map((c) => [c.request_id, c.to])).toEqual([
      [ids.bad, { unknown: { upper: 'HIGH', lower: 'LOW' } }], // its run failed: no snapshot
      [ids.busy, { priority: 'HIGH', rule: 'G2' }],
      [ids.first, { priority: 'HIGH', rule: 'G2' }],
    ]);
  });

  it('never guesses the GEX change it compared with: an edit on it is unknown', async () => {
    const r = await whatif(staleAnd('"gex_change": { ">": 0.5 }'));
    // The first one's change was known at arrival (nothing to compare with): it stays LOW.
    expect(r.changes.map((c) => [c.request_id, c.to])).toEqual([
      [ids.bad, { unknown: { upper: 'HIGH', lower: 'LOW' } }],
      [ids.busy, { unknown: { upper: 'HIGH', lower: 'LOW' } }],
    ]);
    expect(r.summary).toEqual([{ from: 'LOW', to: 'UNKNOWN', count: 2 }]);
  });

  it('refuses rules that are not valid, as rules check does', async () => {
    const r = await te.engine.handlers['rules:whatif']({ text: '{ "levels": ', last: 10 });
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_SYNTAX', line: 1 } });
  });
});

describe('rules:whatif against the active rules (the Rules view)', () => {
  /** The default rules with stale data sent to `level` (G2's row). */
  const staleTo = (level: string) =>
    defaultRulesText().replace(
      /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
      `$1"${level}"`,
    );

  it('reports nothing for the active text itself, after versions that decided otherwise', async () => {
    // The three (stale) requests were decided LOW (G2) by version 1; a later version sends stale data to MEDIUM.
    const v = await te.engine.handlers['rules:activate']({
      text: staleTo('MEDIUM'),
      author: 'test',
      comment: 'stale is MEDIUM',
    });
    if (!v.ok) throw new Error(v.error.message);
    const text = staleTo('MEDIUM');
    // Against their level at arrival (the CLI's contract): the stale ones moved, LOW → MEDIUM.
    const arrival = await te.engine.handlers['rules:whatif']({ text, last: 1000 });
    if (!arrival.ok) throw new Error(arrival.error.message);
    expect(arrival.value.baseline).toBe('arrival');
    expect(arrival.value.summary).toEqual([{ from: 'LOW', to: 'MEDIUM', count: 3 }]);
    expect(arrival.value.earlier).toBe(3);
    // Against the active rules on the same facts: the draft is the active text, nothing moves.
    const same = await te.engine.handlers['rules:whatif']({ text, last: 1000, baseline: 'active' });
    if (!same.ok) throw new Error(same.error.message);
    expect(same.value).toMatchObject({
      replayed: 3,
      changes: [],
      summary: [],
      baseline: 'active',
      earlier: 3,
      active_version: v.value.version,
    });
    // A draft that sends stale data to HIGH moves them from the active rules' MEDIUM, not from LOW.
    const high = await te.engine.handlers['rules:whatif']({
      text: staleTo('HIGH'),
      last: 1000,
      baseline: 'active',
    });
    if (!high.ok) throw new Error(high.error.message);
    expect(high.value.summary).toEqual([{ from: 'MEDIUM', to: 'HIGH', count: 3 }]);
    expect(high.value.changes.map((c) => c.from)).toEqual(
      Array(3).fill({ priority: 'MEDIUM', rule: 'G2' }),
    );
  });
});
