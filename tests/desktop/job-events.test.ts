// The renderer's guard on job events: the submission's `queued` announcement and the
// run's first `running` event come from two places in the engine and may arrive in
// either order; a late `queued` must not take a running job back to the queue, while a
// real requeue (a failed attempt retried) must still show.
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
  started_at: '2026-11-29T03:00:00.010Z',
  attempts: 1,
});

describe('isStale', () => {
  it('drops the submission’s queued announcement arriving after the run started', () => {
    expect(isStale(base, running)).toBe(true);
  });

  it('keeps the normal order, a first sighting, and the steps after running', () => {
    expect(isStale(base, undefined)).toBe(false);
    expect(isStale(running, base)).toBe(false);
    expect(isStale(as(running, { status: 'completed' }), running)).toBe(false);
    expect(isStale(as(running, { status: 'cancelled' }), running)).toBe(false);
  });

  it('keeps a requeue after a failed attempt (same attempt count) and a retried job', () => {
    expect(isStale(as(running, { status: 'queued' }), running)).toBe(false);
    const failed = as(running, { status: 'failed' });
    expect(isStale(as(failed, { status: 'queued' }), failed)).toBe(false);
  });
});
