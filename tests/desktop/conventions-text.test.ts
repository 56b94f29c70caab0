// The conventions line an analyst reads under a snapshot's figures (and `gex-desk
// snapshot` prints): the four that move every figure always, the rest only where they are
// not the defaults, percentages without float noise, and "not recorded" for a snapshot
// stored before conventions were.
import { describe, expect, it } from 'vitest';
import { conventionsLine, NOT_RECORDED } from '../../shared/conventions-text.ts';
import { DEFAULT_CONVENTIONS, GexConventions } from '../../shared/domain.ts';

const conv = (over: Partial<GexConventions>) => GexConventions.parse(over);

describe('conventionsLine', () => {
  it('says the defaults in four parts', () => {
    expect(conventionsLine(DEFAULT_CONVENTIONS)).toBe(
      'business-262, r 0 %, q 0 %, ×100 (the defaults)',
    );
  });

  it('names what is not the default, without float noise', () => {
    expect(conventionsLine(conv({ day_count: 'act-365', rate: 0.07, dividend_yield: 0.013 }))).toBe(
      'act-365, r 7 %, q 1.3 %, ×100 (not the defaults)',
    );
    expect(
      conventionsLine(
        conv({
          contract_multiplier: 10,
          move: 0.001,
          profile_points: 120,
          profile_low: 0.9,
          profile_high: 1.1,
          exchange_time_zone: 'America/Chicago',
        }),
      ),
    ).toBe(
      'business-262, r 0 %, q 0 %, ×10, per 0.1 % move, profile 120 points 90–110 % of spot, America/Chicago (not the defaults)',
    );
  });

  it('says when they were not recorded', () => {
    expect(conventionsLine(null)).toBe(NOT_RECORDED);
    expect(NOT_RECORDED).toMatch(/^not recorded/);
  });
});
