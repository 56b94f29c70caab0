// A job as an analyst names it at the command line (`jobs retry`, `jobs cancel`, `audit
// --request`): its id, its request's, or the start of either, on the real store; the
// start of several is refused naming them, as a snapshot's is.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobNamed } from '../../electron/engine/jobs/repository.ts';
import { onlyId } from '../../electron/engine/store/id-start.ts';
import { addJob, cleanupDirs, openStore, tempDir } from '../scheduler/helpers.ts';

afterAll(cleanupDirs);

describe('jobNamed', () => {
  it("finds a job by its id, its request's id, or the start of either; refuses a start of several", async () => {
    const store = await openStore(join(tempDir(), 'gex.duckdb'));
    try {
      const a = await addJob(store, 'LOW', 'a', { id: 'abcd1111-0000-4000-8000-000000000001' });
      const b = await addJob(store, 'LOW', 'b', { id: 'abcd2222-0000-4000-8000-000000000002' });
      const id = async (given: string) => {
        const r = await jobNamed(store, given);
        return r.ok ? r.value.id : r.error;
      };
      expect(await id(a)).toBe(a);
      expect(await id('abcd1')).toBe(a);
      expect(await id(`req-${b}`)).toBe(b); // addJob's request id
      expect(await id('req-abcd2')).toBe(b);
      expect(await id('abcd')).toEqual({
        code: 'VALIDATION',
        field: 'id',
        message: `abcd begins the ids of 2 jobs (${a}, ${b}); give more of the id.`,
      });
      // Fewer than four characters name nothing: a typo is not taken for a job.
      expect(await id('abc')).toMatchObject({ code: 'NOT_FOUND', message: 'There is no job abc.' });
      expect(await id('ffff')).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await store.close();
    }
  });
});

describe('onlyId', () => {
  it('says "5 or more" when the start begins at least as many ids as it reads', () => {
    const ids = ['aa1', 'aa2', 'aa3', 'aa4', 'aa5'];
    const r = onlyId('aa', ids, 'snapshot');
    expect(r && !r.ok && r.error.message).toBe(
      'aa begins the ids of 5 or more snapshots (aa1, aa2, aa3, aa4, aa5); give more of the id.',
    );
    expect(onlyId('aa', [], 'job')).toBeUndefined();
    expect(onlyId('aa', ['aa1', 'aa1'], 'job')).toEqual({ ok: true, value: 'aa1' });
  });
});
