// Snapshots side by side compared by their conventions (shared/conventions-compare.ts): a
// diff names the fields that differ; a history counts its recorded sets and marks where
// they change, a point not recorded in between neither breaking nor making a change; "not
// recorded" is never said to differ, nor to match.
import { describe, expect, it } from 'vitest';
import {
  compareConventions,
  diffConventionsNote,
  historyConventions,
  historyConventionsNotes,
} from '../../shared/conventions-compare.ts';
import { DEFAULT_CONVENTIONS, GexConventions } from '../../shared/domain.ts';

const conv = (over: Partial<GexConventions>) => GexConventions.parse(over);
const at = (c: GexConventions | null, as_of: string) => ({ conventions: c, as_of });

describe('compareConventions', () => {
  it('names the fields that differ, in the schema order, values without float noise', () => {
    const c = compareConventions(
      conv({ contract_multiplier: 10, dividend_yield: 0.013 }),
      DEFAULT_CONVENTIONS,
    );
    expect(c).toMatchObject({
      compared: 'differ',
      differ: ['contract_multiplier', 'dividend_yield'],
    });
    expect(diffConventionsNote(c)).toBe(
      'A and B were computed under different conventions (multiplier ×10 → ×100, dividend ' +
        "yield 1.3 % → 0 %): their moves include that change, not only the market's.",
    );
  });

  it('the same: nothing to say; not recorded on either side: said, not a difference', () => {
    expect(diffConventionsNote(compareConventions(DEFAULT_CONVENTIONS, conv({})))).toBeNull();
    const a = compareConventions(null, conv({ day_count: 'act-365' }));
    expect(a).toMatchObject({ compared: 'not_recorded', differ: [] });
    expect(diffConventionsNote(a)).toMatch(/^The conventions of A were not recorded/);
    expect(diffConventionsNote(compareConventions(null, null))).toMatch(
      /^The conventions of A and B were not recorded/,
    );
  });
});

describe('historyConventions', () => {
  const act = conv({ day_count: 'act-365' });
  it('a point not recorded between two sets: the change is where the recorded set changes', () => {
    const points = [at(act, 't0'), at(null, 't1'), at(DEFAULT_CONVENTIONS, 't2')];
    expect(historyConventions(points)).toEqual({ sets: 2, changes: [2], notRecorded: 1 });
    expect(historyConventionsNotes(points, (s) => `<${s}>`)).toEqual([
      'These snapshots were computed under 2 sets of conventions — from <t2>: day count ' +
        "act-365 → business-262: a move across a change includes it, not only the market's.",
      'The conventions of 1 of these 3 snapshots were not recorded (stored before GEX Desk ' +
        'recorded them): whether they were computed like the others is not known.',
    ]);
  });

  it('one set around a point not recorded: no change claimed; none recorded: nothing said', () => {
    const one = [at(act, 't0'), at(null, 't1'), at(act, 't2')];
    expect(historyConventions(one)).toEqual({ sets: 1, changes: [], notRecorded: 1 });
    expect(historyConventionsNotes(one)).toHaveLength(1);
    expect(historyConventionsNotes(one)[0]).toMatch(/^The conventions of 1 of these 3/);
    expect(historyConventionsNotes([at(null, 't0'), at(null, 't1')])).toEqual([]);
    expect(historyConventionsNotes([at(act, 't0'), at(act, 't1')])).toEqual([]);
  });

  it('back and forth: each change marked', () => {
    const points = [at(act, 't0'), at(DEFAULT_CONVENTIONS, 't1'), at(act, 't2')];
    expect(historyConventions(points)).toEqual({ sets: 2, changes: [1, 2], notRecorded: 0 });
  });
});
