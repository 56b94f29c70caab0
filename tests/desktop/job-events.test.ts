// The renderer's guard on job events: events of one job can reach the UI in another
// order than they were written (the submission's announcement and the scheduler's, over
// a transport). Every write counts up the job's `revision`; the UI keeps the newest, and
// a progress update (same revision as its running row) still shows.
import { describe, expect, it } from 'vitest';
import { ProcessingJob } from '../../shared/domain.ts';
import { isStale } from '../../renderer/src/state/job-order.ts';

const base = ProcessingJob.parse({
  id: 'j1',
  request_id: 'r1',
  file: '/in/spx.csv',
  source: 'test',
  underlying: 'SPX',
  priority: 'LOW',
  effective_priority: 'LOW',
  rule: 'G2',
  rule_version: 1,
  status: 'queued',
  revision: 0,
  submitted_at: '2026-11-29T03:00:00.000Z',
  started_at: null,
  finished_at: null,
  attempts: 0,
  progress: null,
  late: false,
  snapshot_id: null,
  error: null,
});
const as = (job: ProcessingJob, patch: Partial<ProcessingJob>) =>
  ProcessingJob.parse({ ...job, ...patch });
const running = as(base, {
  status: 'running',
  revision: 1,
  started_at: '2026-11-29T03:00:00.010Z',
  attempts: 1,
});

describe('isStale', () => {
  it('drops the submission’s queued announcement arriving after the run started', () => {
    expect(isStale(base, running)).toBe(true);
  });

  it('keeps the normal order, a first sighting, progress, and the steps after running', () => {
    expect(isStale(base, undefined)).toBe(false);
    expect(isStale(running, base)).toBe(false);
    expect(isStale(as(running, { progress: 0.5 }), running)).toBe(false);
    expect(isStale(as(running, { status: 'completed', revision: 2 }), running)).toBe(false);
  });

  it('keeps a requeue (a later write) and drops the running state it left', () => {
    const requeued = as(running, { status: 'queued', revision: 2 });
    expect(isStale(requeued, running)).toBe(false);
    expect(isStale(running, requeued)).toBe(true);
  });
});
