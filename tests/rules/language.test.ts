// The rule language beyond the default file: what analysts may write (string facts
// case-insensitively, "in", "not", exact ordinal tests, escalation, first-applicable
// combination, another file's thresholds) decides as documented in docs/rules.md.
import { describe, expect, it } from 'vitest';
import {
  checkRules,
  compileRules,
  defaultRulesText,
  parseRules,
} from '../../electron/engine/rules/index.ts';

const base = JSON.parse(defaultRulesText()) as Record<string, unknown> & {
  rules: unknown[];
  derived: Record<string, unknown>;
};

const compile = (file: unknown) => {
  const text = JSON.stringify(file, null, 2);
  const parsed = parseRules(text);
  if (!parsed.ok)
    throw new Error(`${parsed.error.message} at ${parsed.error.line}:${parsed.error.column}`);
  return compileRules(parsed.value, 3);
};

const facts = (extra: Record<string, unknown> = {}) => ({
  underlying: 'spx',
  as_of: '2024-01-07T10:00:00-05:00',
  now: '2024-01-07T15:00:40Z',
  total_volume: 500,
  total_open_interest: 1_000,
  gex_change: 0.5,
  ...extra,
});

describe('the rule language', () => {
  it('compares string facts case-insensitively, with "in" and "not"', () => {
    const rules = compile({
      ...base,
      rules: [
        ...base.rules,
        {
          id: 'DESK',
          rows: [
            {
              when: { underlying: { in: ['SPX', 'NDX'] }, not: { impact: 'high' } },
              level: 'HIGH',
            },
          ],
        },
      ],
    });
    const spx = rules.decide(facts({ underlying: ' Spx ' }));
    expect(spx.ok && [spx.value.priority, spx.value.rule, spx.value.explanation]).toEqual([
      'HIGH',
      'DESK',
      'DESK: underlying "Spx", not (impact high) → HIGH',
    ]);
    const qqq = rules.decide(facts({ underlying: 'QQQ' }));
    expect(qqq.ok && [qqq.value.priority, qqq.value.rule]).toEqual(['LOW', 'G3']);
    // Higher level wins: G3 gives CRITICAL here, DESK (not high impact) does not apply.
    const big = rules.decide(facts({ now: '2024-01-07T15:00:02Z', total_volume: 80_000 }));
    expect(big.ok && [big.value.priority, big.value.rule]).toEqual(['CRITICAL', 'G3']);
  });

  it('ties go to the earlier rule; "first-applicable" stops at the first rule that applies', () => {
    const stale = facts({ as_of: '2024-01-07T09:00:00-05:00' });
    const highest = compile(base);
    const h = highest.decide(stale);
    expect(h.ok && h.value.rule).toBe('G2');
    const reordered = compile({
      ...base,
      combine: 'first-applicable',
      rules: [base.rules[0], base.rules[2], base.rules[1], base.rules[3]],
    });
    const r = reordered.decide(stale);
    expect(r.ok && [r.value.priority, r.value.rule]).toEqual(['LOW', 'G3']);
  });

  it('escalates with "escalate" and reports the adjusting rule only when it changes the level', () => {
    const rules = compile({
      ...base,
      rules: [
        ...base.rules,
        {
          id: 'G5',
          adjusts: 'G3',
          when: { underlying: 'NDX', source_reliability: { '>=': 0.8 } },
          escalate: 2,
        },
      ],
    });
    const d = rules.decide(facts({ underlying: 'ndx' }));
    expect(d.ok && [d.value.priority, d.value.rule]).toEqual(['HIGH', 'G5']);
    expect(d.ok && d.value.explanation).toMatch(
      /^G5: underlying "ndx", source reliability 1.00 ≥ 0.8 escalates LOW → HIGH \(G3: /,
    );
    // Adjusting one table in opposite directions for the same input is a conflict.
    const both = checkRules(
      JSON.stringify(
        {
          ...base,
          rules: [
            ...base.rules,
            { id: 'G5', adjusts: 'G3', when: { underlying: 'NDX' }, escalate: 2 },
          ],
        },
        null,
        2,
      ),
    );
    expect(both.diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFLICT',
        message: expect.stringMatching(/G4 and G5 both adjust G3/),
      }),
    ]);
    const low = compile(base).decide(facts({ source_reliability: 0.1 }));
    expect(low.ok && [low.value.priority, low.value.rule]).toEqual(['LOW', 'G3']);
    expect(low.ok && low.value.explanation).toContain(
      'G4: source reliability 0.10 < 0.8, LOW stays LOW',
    );
  });

  it('an exact ordinal test ("==") does not mean "at least"', () => {
    const rules = compile({
      ...base,
      rules: [
        ...base.rules,
        { id: 'MID', rows: [{ when: { impact: { '==': 'medium' } }, level: 'CRITICAL' }] },
      ],
    });
    const medium = rules.decide(facts({ total_volume: 20_000 }));
    expect(medium.ok && medium.value.priority).toBe('CRITICAL');
    const high = rules.decide(facts({ total_volume: 60_000 }));
    expect(high.ok && high.value.rule).not.toBe('MID');
  });

  it('takes every threshold from the file', () => {
    const derived = structuredClone(base.derived) as Record<
      string,
      { rows?: { when?: unknown }[]; future_limit_s?: number; skew_tolerance_s?: number }
    >;
    derived.freshness!.rows![0]!.when = { age_s: { '<': 60 } };
    derived.age_s!.future_limit_s = 10;
    derived.age_s!.skew_tolerance_s = 10;
    const rules = compile({ ...base, derived });
    const d = rules.decide(facts({ total_volume: 80_000, gex_change: 0.3 }));
    expect(d.ok && [d.value.priority, d.value.derived.freshness]).toEqual([
      'CRITICAL',
      'real-time',
    ]);
    const future = rules.decide(facts({ now: '2024-01-07T14:59:49Z' }));
    expect(!future.ok && future.error).toMatchObject({ code: 'INVALID_FACT', fact: 'as_of' });
  });

  it('reads level targets from the file', () => {
    const rules = compile({
      ...base,
      levels: {
        ...(base.levels as object),
        CRITICAL: { target: '45 s', on_late: 'escalate' },
        LOW: { target: '1.5 h', on_late: 'flag' },
      },
    });
    expect(rules.targets.CRITICAL).toEqual({ target_ms: 45_000, onLate: 'escalate' });
    expect(rules.targets.LOW).toEqual({ target_ms: 5_400_000, onLate: 'flag' });
  });

  it('warns about a rule that never applies, without refusing the file', () => {
    const text = JSON.stringify(
      {
        ...base,
        rules: [
          ...base.rules,
          { id: 'NEVER', rows: [{ when: { total_volume: { '<': 0 } }, level: 'HIGH' }] },
        ],
      },
      null,
      2,
    );
    const r = checkRules(text);
    expect(r.ok).toBe(false); // a row that never holds is an error
    expect(r.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['UNREACHABLE_ROW', 'NEVER_APPLIES']),
    );
    const warnOnly = JSON.stringify(
      {
        ...base,
        rules: [
          ...base.rules,
          { id: 'G9', adjusts: 'G3', when: { gex_change: { '<': 0 } }, demote: 1 },
        ],
      },
      null,
      2,
    );
    const w = checkRules(warnOnly);
    expect(w.ok).toBe(true);
    expect(w.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'NEVER_APPLIES' }),
    ]);
  });
});
