// engine:health says when the database has failed, and why, so that the status bar (and any
// tool polling it) shows it rather than "engine ok" over an engine that can store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;
beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
});
afterAll(() => te.stop());

describe('engine:health', () => {
  it('is ok until DuckDB invalidates the database, then says why', async () => {
    const before = await te.engine.handlers['engine:health']({});
    expect(before.ok && [before.value.ok, before.value.problem]).toEqual([true, undefined]);
    // DuckDB's words when a checkpoint could not write (tests/system/disk-full.test.ts has
    // the real full disk).
    const fatal =
      'FATAL Error: Failed to create checkpoint because of error: Could not write file "gex.duckdb": No space left on device';
    await expect(
      te.engine.store.transaction(async () => {
        throw new Error(fatal);
      }),
    ).rejects.toThrow(fatal);
    const after = await te.engine.handlers['engine:health']({});
    expect(after.ok && after.value.ok).toBe(false);
    expect(after.ok && after.value.problem).toMatch(
      /can no longer be written: the disk holding it is full\. Free some space, then open it again/,
    );
  });
});
