// The ready queue lends a facts read the rank of a later request waiting for it
// (intake/decide.ts): served at that rank, counted at its own level.
import { describe, expect, it } from 'vitest';
import { ReadyQueue, servedLevel } from '../../electron/engine/jobs/ready-queue.ts';
import type { QueuedRow } from '../../electron/engine/jobs/repository.ts';
import type { PriorityLevel, ProcessingJob } from '../../shared/domain.ts';

function row(
  id: string,
  level: PriorityLevel,
  at: number,
  phase: 'decide' | 'run' = 'decide',
): QueuedRow {
  return {
    id,
    seq: at,
    request_id: `r-${id}`,
    rule: 'G3',
    rule_version: 1,
    phase,
    level,
    submittedAtMs: at,
    notBeforeMs: null,
    late: false,
    attempts: 0,
    crashes: 0,
    job: { id } as ProcessingJob,
  };
}

const ids = (rows: readonly QueuedRow[]) => rows.map((r) => r.id);

describe('the ready queue', () => {
  it('serves one command’s files (one arrival) in the order they were submitted, not stored', () => {
    const q = new ReadyQueue();
    // Stored (seq) c, b, a as their captures ended; submitted a, b, c (arrival_order).
    const tied = (id: string, seq: number, arrival_order: number | null): QueuedRow => ({
      ...row(id, 'HIGH', 100, 'run'),
      seq,
      job: { id, arrival_order } as ProcessingJob,
    });
    q.insert(tied('c', 3, 12));
    q.insert(tied('b', 4, 11));
    q.insert(tied('a', 5, 10));
    // A request stored before places were given keeps its seq, ahead of those with one.
    q.insert(tied('old', 9, null));
    q.insert(row('earlier', 'HIGH', 99, 'run'));
    expect(ids(q.at('HIGH'))).toEqual(['earlier', 'old', 'a', 'b', 'c']);
  });

  it('serves a raised read at the lent rank, first in arrival order there, and counts it at its own level', () => {
    const q = new ReadyQueue();
    q.insert(row('early', 'MEDIUM', 1));
    q.insert(row('high1', 'HIGH', 2));
    q.insert(row('high2', 'HIGH', 3));
    q.insert(row('crit', 'CRITICAL', 4));
    q.raise(['r-early'], 'CRITICAL');
    expect(ids(q.at('CRITICAL'))).toEqual(['early', 'crit']);
    expect(servedLevel(q.at('CRITICAL')[0]!)).toBe('CRITICAL');
    expect(q.at('CRITICAL')[0]!.level).toBe('MEDIUM');
    expect(ids(q.ownAt('MEDIUM'))).toEqual(['early']);
    expect(ids(q.ownAt('CRITICAL'))).toEqual(['crit']);
    expect(q.next(10, 3)?.id).toBe('early');
    // Taken out (to be read): no longer lent.
    q.remove('early');
    expect(ids(q.ownAt('MEDIUM'))).toEqual([]);
    expect(ids(q.ownAt('CRITICAL'))).toEqual(['crit']);
  });

  it('raises only facts reads, only upwards, and only those named', () => {
    const q = new ReadyQueue();
    q.insert(row('run', 'LOW', 1, 'run'));
    q.insert(row('high', 'HIGH', 2));
    q.insert(row('other', 'LOW', 3));
    q.raise(['r-run', 'r-high'], 'MEDIUM');
    expect(ids(q.at('LOW'))).toEqual(['run', 'other']);
    expect(ids(q.at('HIGH'))).toEqual(['high']);
    expect(ids(q.at('MEDIUM'))).toEqual([]);
  });

  it("drops a lender's rank with its lend: back to another lender's, else to its own level", () => {
    const q = new ReadyQueue();
    q.insert(row('early', 'LOW', 1));
    q.raise(['r-early'], 'CRITICAL', 'crit-lender');
    q.raise(['r-early'], 'MEDIUM', 'medium-lender');
    expect(ids(q.at('CRITICAL'))).toEqual(['early']);
    q.dropLend('crit-lender');
    expect(ids(q.at('CRITICAL'))).toEqual([]);
    expect(ids(q.at('MEDIUM'))).toEqual(['early']);
    q.dropLend('unknown');
    q.dropLend('medium-lender');
    expect(ids(q.at('LOW'))).toEqual(['early']);
    expect(q.at('LOW')[0]!.servedAt).toBeUndefined();
    expect(ids(q.ownAt('LOW'))).toEqual(['early']);
  });
});
