// A later request whose level waits for an earlier one's facts read (intake/decide.ts) is
// asked again when that read is noted: the memory's wait settles on the note itself, not
// at a poll, and only once every earlier read of the underlying is in.
import { describe, expect, it } from 'vitest';
import { IntakeMemory } from '../../electron/engine/intake/memory.ts';
import type { ProcessingJob } from '../../shared/domain.ts';

/** Whether `p` has settled, once the microtasks and I/O callbacks queued before have run. */
const state = (p: Promise<void>) =>
  Promise.race([
    p.then(() => 'settled'),
    new Promise((resolve) => setImmediate(() => resolve('pending'))),
  ]);

/** A request arrived at `ms` and waits for its facts read. */
function deciding(m: IntakeMemory, id: string, ms: number, underlying: string | null) {
  m.noteArrival(id, ms, underlying);
  m.noteDeciding(id);
}

describe('waiting for the earlier reads of an underlying', () => {
  it('settles at once when none is unread', async () => {
    const m = new IntakeMemory();
    deciding(m, 'qqq', 1_000, 'QQQ'); // another underlying
    deciding(m, 'later', 2_000, 'SPX');
    expect(m.earlierStillDeciding('later', 'SPX', 2_000)).toEqual([]);
    expect(await state(m.whenEarlierRead('later', 'SPX', 2_000))).toBe('settled');
  });

  it('settles when the last earlier read is noted, not before', async () => {
    const m = new IntakeMemory();
    deciding(m, 'a', 1_000, 'SPX');
    deciding(m, 'b', 1_500, 'spx'); // the same underlying, whatever its case
    deciding(m, 'later', 2_000, 'SPX');
    expect(m.earlierStillDeciding('later', 'SPX', 2_000).sort()).toEqual(['a', 'b']);
    const wait = m.whenEarlierRead('later', 'SPX', 2_000);
    m.noteRead('b', 'SPX', 1_500, -2e9);
    expect(await state(wait)).toBe('pending');
    m.noteRead('a', 'SPX', 1_000, -1e9);
    expect(await state(wait)).toBe('settled');
  });

  it('settles when the earlier request ends unread (refused, cancelled)', async () => {
    const m = new IntakeMemory();
    deciding(m, 'a', 1_000, 'SPX');
    const wait = m.whenEarlierRead('later', 'SPX', 2_000);
    expect(await state(wait)).toBe('pending');
    m.noteSettled('a');
    expect(await state(wait)).toBe('settled');
  });

  it('settles when an earlier request whose underlying was unknown turns out to be another', async () => {
    const m = new IntakeMemory();
    deciding(m, 'unknown', 1_000, null);
    const wait = m.whenEarlierRead('later', 'SPX', 2_000);
    expect(await state(wait)).toBe('pending');
    m.noteUnderlying('unknown', 'NDX');
    expect(await state(wait)).toBe('settled');
  });

  // Review: a request still being captured was taken for one decided at its arrival, its
  // file "read" for its total before its job existed, found nowhere and settled for good.
  it('waits for a request still arriving, and reads one only once its job is written decided', async () => {
    const m = new IntakeMemory();
    m.noteArrival('capturing', 1_000); // its underlying not known yet
    expect(m.earlierStillDeciding('later', 'SPX', 2_000)).toEqual(['capturing']);
    expect(m.earlierDecidedUnread('later', 'SPX', 2_000)).toEqual([]);
    const wait = m.whenEarlierRead('later', 'SPX', 2_000);
    m.noteUnderlying('capturing', 'SPX');
    expect(await state(wait)).toBe('pending');
    const job = (status: ProcessingJob['status']) =>
      ({
        id: 'j',
        request_id: 'capturing',
        status,
        submitted_at: new Date(1_000).toISOString(),
        underlying: 'SPX',
      }) as ProcessingJob;
    m.onJob(job('queued')); // written, decided at its arrival (a manual level, stale data)
    expect(await state(wait)).toBe('settled');
    expect(m.earlierStillDeciding('later', 'SPX', 2_000)).toEqual([]);
    expect(m.earlierDecidedUnread('later', 'SPX', 2_000)).toEqual(['capturing']);
  });

  it('waits again for a request retried to be read again (deciding), as for one arriving', async () => {
    const m = new IntakeMemory();
    m.onJob({
      id: 'j',
      request_id: 'retried',
      status: 'deciding',
      submitted_at: new Date(1_000).toISOString(),
      underlying: 'SPX',
    } as ProcessingJob);
    expect(m.earlierStillDeciding('later', 'SPX', 2_000)).toEqual(['retried']);
    expect(m.earlierDecidedUnread('later', 'SPX', 2_000)).toEqual([]);
  });

  it('does not wait for a request that arrived after it', async () => {
    const m = new IntakeMemory();
    deciding(m, 'after', 3_000, 'SPX');
    expect(await state(m.whenEarlierRead('later', 'SPX', 2_000))).toBe('settled');
  });

  // A later request whose reads of an earlier decided file failed for a reason not the
  // file's waits for that request's run: its total (the run's snapshot) or its end.
  it("waits for the runs of requests decided at their arrival: settles on each one's total or end", async () => {
    const m = new IntakeMemory();
    m.noteArrival('a', 1_000, 'SPX', 'decided');
    m.noteArrival('b', 1_500, 'SPX', 'decided');
    const wait = m.whenSettled(['a', 'b']);
    expect(await state(wait)).toBe('pending');
    m.noteRead('a', 'SPX', 1_000, -1e9); // its run's snapshot
    expect(await state(wait)).toBe('pending');
    m.onJob({
      id: 'jb',
      request_id: 'b',
      status: 'failed',
      error: { code: 'WORKER_CRASHED', message: 'its worker crashed' },
      revision: 1,
      source: 'desk',
      submitted_at: new Date(1_500).toISOString(),
      underlying: 'SPX',
    } as ProcessingJob);
    expect(await state(wait)).toBe('settled');
    expect(await state(m.whenSettled(['a', 'b']))).toBe('settled');
  });
});
