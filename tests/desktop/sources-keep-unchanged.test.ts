// A reload of the Sources view's list keeps each record that did not change as the same
// object, so that its memoised row is not drawn again (1,200 rows on every reload in a
// burst of jobs were 50–74 long tasks); a record that changed, or a new one, is the new.
import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../shared/api/sources.ts';
import { keepUnchanged } from '../../renderer/src/views/sources/keep-unchanged.ts';

const record = (id: string, completed: number): SourceRecord =>
  SourceRecord.parse({
    id,
    name: id,
    completed,
    failed: 0,
    duplicates: 0,
    computed_reliability: 1,
    reliability: 1,
    override: null,
    last_ingest_at: '2026-12-06T10:00:00.000Z',
    created_at: '2026-12-06T09:00:00.000Z',
    triggers: [],
    rule_version: 1,
  });

describe('keepUnchanged (the Sources view’s reload)', () => {
  it('keeps the records equal to those listed, and takes the changed and new ones', () => {
    const before = [record('a', 1), record('b', 2), record('c', 3)];
    const after = keepUnchanged(before, [
      record('a', 1),
      record('b', 5),
      record('c', 3),
      record('d', 0),
    ]);
    expect(after.map((s) => s.completed)).toEqual([1, 5, 3, 0]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[2]).toBe(before[2]);
    expect(after.map((s) => s.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the list itself when nothing changed, and drops a source no longer listed', () => {
    const before = [record('a', 1), record('b', 2)];
    expect(keepUnchanged(before, [record('a', 1), record('b', 2)])).toBe(before);
    const fewer = keepUnchanged(before, [record('b', 2)]);
    expect(fewer).toEqual([before[1]]);
    expect(fewer[0]).toBe(before[1]);
    expect(keepUnchanged(null, before)).toBe(before);
  });
});
