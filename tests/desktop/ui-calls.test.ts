// The calls the UI reads beside the jobs, on the real engine: a request's stored facts
// (the Queue's as-of and the job drawer), the active rule set's level targets (one
// source of truth for every target shown), and a rollback's comment in the history.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/index.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
});
afterAll(async () => {
  await te?.stop();
});

const value = <T>(
  r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

describe('requests:get', () => {
  it('returns each stored request with the facts it was decided on, and skips unknown ids', async () => {
    const dir = join(te.dir, 'files');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { seed: 3, expiries: 3, strikesPerExpiry: 10, asOf: '2024-01-08T10:30:00' });
    const ack = value(
      await te.engine.handlers['ingest:submit']({ file, source: 'desk', author: 'ana' }),
    );
    const junk = join(dir, 'junk.csv');
    writeFileSync(junk, 'hello,world\n1,2\n');
    const bad = value(await te.engine.handlers['ingest:submit']({ file: junk, source: 'desk' }));
    const got = value(
      await te.engine.handlers['requests:get']({
        ids: [ack.request_id, bad.request_id, 'no-such-id'],
      }),
    );
    expect(got).toHaveLength(2);
    const byId = new Map(got.map((r) => [r.id, r]));
    const good = byId.get(ack.request_id)!;
    expect(good).toMatchObject({ file, source: 'desk', author: 'ana', requested_priority: null });
    // The CBOE CSV's time carries no offset: it is read in the exchange's time zone.
    expect(good.facts).toMatchObject({
      underlying: 'SPX',
      as_of: expect.stringMatching(/^2024-01-08T10:30:00/),
    });
    expect(good.derived).toHaveProperty('freshness');
    expect(byId.get(bad.request_id)).toMatchObject({ file: junk, facts: null, derived: null });
  });
});

describe('rules:active', () => {
  it("gives the active rule set's level targets and follows an activation", async () => {
    const before = value(await te.engine.handlers['rules:active']({}));
    expect(before.levels).toEqual([
      { level: 'CRITICAL', target_ms: 30_000, on_late: 'flag' },
      { level: 'HIGH', target_ms: 300_000, on_late: 'escalate' },
      { level: 'MEDIUM', target_ms: 1_800_000, on_late: 'escalate' },
      { level: 'LOW', target_ms: 7_200_000, on_late: 'escalate' },
    ]);
    const edited = JSON.parse(before.text) as {
      levels: Record<string, { target: string; on_late: string }>;
    };
    edited.levels.CRITICAL = { target: '45 s', on_late: 'escalate' };
    value(
      await te.engine.handlers['rules:activate']({
        text: JSON.stringify(edited, null, 2),
        author: 'ana',
        comment: 'slower CRITICAL',
      }),
    );
    const after = value(await te.engine.handlers['rules:active']({}));
    expect(after.levels[0]).toEqual({ level: 'CRITICAL', target_ms: 45_000, on_late: 'escalate' });

    const rolled = value(
      await te.engine.handlers['rules:rollback']({
        version: before.version!,
        author: 'ana',
        comment: 'too slow',
      }),
    );
    expect(rolled.comment).toBe(`rollback to version ${before.version}: too slow`);
    expect(value(await te.engine.handlers['rules:active']({})).levels[0]!.target_ms).toBe(30_000);
  });
});
