// A request submitted as the engine shuts down (a file opened as the app quits, the inbox's
// last file, a command beside a closing `serve`) is let finish and kept, and a later one is
// refused as SHUTTING_DOWN: never an internal error from a database closed under it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineIn } from '../desktop/engine.ts';
import { writeLongCsv } from '../fixtures/option-chains.ts';

const dir = mkdtempSync(join(tmpdir(), 'gex-shutdown-submit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a submission under way when the engine shuts down', () => {
  it('is let finish and kept; one after is refused as SHUTTING_DOWN — never an internal error', async () => {
    const files = Array.from({ length: 8 }, (_, i) => {
      const file = join(dir, `chain-${i}.csv`);
      writeLongCsv(file, { seed: 40 + i, expiries: 4, strikesPerExpiry: 60 });
      return file;
    });
    const engine = await engineIn(dir, { paused: true });
    const submits = files.map((file) =>
      engine.handlers['ingest:submit']({ file, source: 'desk' }).then(
        (r) => r,
        (e: unknown) => ({ ok: false as const, error: { code: 'THROWN', message: String(e) } }),
      ),
    );
    // The shutdown starts while every submission is under way (their files not yet staged).
    await engine.shutdown(10_000);
    const answers = await Promise.all(submits);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    // Begun before it, each is let finish: acknowledged.
    expect(codes).toEqual(files.map(() => 'ok'));
    const late = await engine.handlers['ingest:submit']({ file: files[0]!, source: 'desk' });
    expect(late.ok ? 'ok' : late.error.code).toBe('SHUTTING_DOWN');

    // Every acknowledged request is there for the next engine.
    const again = await engineIn(dir, { paused: true });
    try {
      for (const a of answers) {
        if (!a.ok) continue;
        const got = await again.handlers['jobs:get']({ id: a.value.job_id! });
        expect(got.ok, a.value.job_id!).toBe(true);
      }
    } finally {
      await again.shutdown(10_000);
    }
  });
});
