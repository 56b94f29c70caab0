// Rule what-if: past requests, decided by the default rules at arrival, replayed
// under edited rules. Which requests move is known independently here: the oracle
// of GUIDELINES.md says which ones are stale, which have an override.
import { describe, expect, it } from 'vitest';
import {
  compileRules,
  defaultRules,
  parseRules,
  whatIf,
  type CompiledRules,
} from '../../electron/engine/rules/index.ts';
import type { RuleOutcome, WhatIfRecord } from '../../shared/rules.ts';
import { oracleDerived, type OracleFacts } from './oracle.ts';
import { EDITED, defaultRuleFile, prng, type RuleFileJson } from './rule-sets.ts';

const compile = (file: RuleFileJson): CompiledRules => {
  const parsed = parseRules(JSON.stringify(file, null, 2));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return compileRules(parsed.value, 2);
};

const NOW_MS = Date.parse('2024-01-07T15:00:00Z');

/** Past requests as the store keeps them: facts at arrival (with now), and their decision. */
const history = (n: number, seed: number): (WhatIfRecord & { facts: OracleFacts })[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const rules = defaultRules();
  return Array.from({ length: n }, (_, i) => {
    const now = NOW_MS + i * 700;
    const facts: OracleFacts = {
      underlying: pick(['SPX', 'NDX', 'QQQ']),
      as_of: new Date(now - pick([1, 3, 40, 200, 299, 301, 400, 4000, -30]) * 1000).toISOString(),
      now: new Date(now).toISOString(),
      total_volume: pick([500, 20_000, 80_000]),
      total_open_interest: pick([1_000, 30_000, 300_000]),
      gex_change: pick([null, 0.02, 0.07, 0.25]),
    };
    if (rnd() < 0.3) facts.source_reliability = pick([0.6, 0.9]);
    if (rnd() < 0.1)
      Object.assign(facts, { requested_priority: pick(['HIGH', 'LOW']), justification: 'FOMC' });
    const d = rules.decide(facts);
    if (!d.ok) throw new Error(d.error.message);
    return {
      request_id: `r${i}`,
      file: `/in/${i}.csv`,
      underlying: facts.underlying,
      facts,
      from: { priority: d.value.priority, rule: d.value.rule },
    };
  });
};

describe('whatIf', () => {
  const records = history(3000, 11);

  it('finds nothing to change under the rules that decided', () => {
    expect(whatIf(defaultRules(), records)).toEqual({ replayed: 3000, changes: [], summary: [] });
  });

  it('moves exactly the stale requests LOW → MEDIUM when stale data becomes MEDIUM', () => {
    const r = whatIf(compile(EDITED['stale data is MEDIUM']!), records);
    const stale = records.filter(
      (x) =>
        oracleDerived(x.facts).freshness === 'stale' && x.facts.requested_priority === undefined,
    );
    expect(stale.length).toBeGreaterThan(300);
    expect(r.changes.map((c) => c.request_id)).toEqual(stale.map((x) => x.request_id));
    for (const c of r.changes) {
      expect(c.from).toEqual({ priority: 'LOW', rule: 'G2' });
      expect(c.to).toEqual({ priority: 'MEDIUM', rule: 'G2' });
    }
    expect(r.changes[0]).toEqual({
      request_id: stale[0]!.request_id,
      file: stale[0]!.file,
      underlying: stale[0]!.underlying,
      from: { priority: 'LOW', rule: 'G2' },
      to: { priority: 'MEDIUM', rule: 'G2' },
    });
    expect(r.summary).toEqual([{ from: 'LOW', to: 'MEDIUM', count: stale.length }]);
  });

  it('shows a request whose facts the edited rules reject as an error', () => {
    // A tighter future limit: data 30 s ahead of the clock is now invalid.
    const file = defaultRuleFile();
    Object.assign(file.derived.age_s!, { future_limit_s: 10, skew_tolerance_s: 10 });
    const r = whatIf(compile(file), records);
    const ahead = records.filter(
      (x) => Date.parse(x.facts.as_of) - Date.parse(x.facts.now) > 10_000,
    );
    expect(ahead.length).toBeGreaterThan(0);
    const invalid = r.changes.filter((c) => 'error' in c.to);
    expect(invalid.map((c) => c.request_id)).toEqual(ahead.map((x) => x.request_id));
    expect(invalid[0]!.to).toMatchObject({ error: { code: 'INVALID_FACT', fact: 'as_of' } });
    const toInvalid = r.summary.filter((g) => g.to === 'INVALID');
    expect(toInvalid.reduce((n, g) => n + g.count, 0)).toBe(ahead.length);
  });

  it('lists a change of the deciding rule at the same level, and orders the summary by level', () => {
    const file = defaultRuleFile();
    file.rules.find((r) => r.id === 'G4')!.id = 'UNRELIABLE';
    const r = whatIf(compile(file), records);
    const demoted = records.filter((x) => x.from.rule === 'G4');
    expect(r.changes.map((c) => c.request_id)).toEqual(demoted.map((x) => x.request_id));
    for (const c of r.changes)
      expect(c.to).toEqual({ priority: (c.from as RuleOutcome).priority, rule: 'UNRELIABLE' });
    expect(r.summary.map((g) => [g.from, g.to])).toEqual(
      [
        ['HIGH', 'HIGH'],
        ['MEDIUM', 'MEDIUM'],
        ['LOW', 'LOW'],
      ].filter(([l]) => demoted.some((x) => x.from.priority === l)),
    );
  });
});

describe('whatIf on requests decided at arrival (facts never read)', () => {
  // Stale data is LOW whatever its volume (G2): such requests are decided before their
  // file is read, and keep only the facts known then.
  const arrival = (i: number, known: Partial<OracleFacts> = {}): WhatIfRecord => ({
    request_id: `a${i}`,
    file: `/in/a${i}.csv`,
    underlying: 'SPX',
    facts: {
      underlying: 'SPX',
      as_of: new Date(NOW_MS - 3_600_000).toISOString(),
      now: new Date(NOW_MS).toISOString(),
      source_reliability: 1,
      ...known,
    },
    unknown: ['total_volume', 'total_open_interest', 'gex_change'].filter((f) => !(f in known)),
    from: { priority: 'LOW', rule: 'G2' },
  });

  it('decides them by partial evaluation when the unknown facts cannot matter', () => {
    const r = whatIf(compile(EDITED['stale data is MEDIUM']!), [arrival(1), arrival(2)]);
    expect(r.changes.map((c) => [c.request_id, c.to])).toEqual([
      ['a1', { priority: 'MEDIUM', rule: 'G2' }],
      ['a2', { priority: 'MEDIUM', rule: 'G2' }],
    ]);
    expect(whatIf(defaultRules(), [arrival(1)]).changes).toEqual([]);
  });

  it('says when the new level depends on facts never read, with the levels it could get', () => {
    // Stale but heavily traded data becomes HIGH: only the volume (never read) can tell.
    const file = defaultRuleFile();
    const g2 = file.rules.find((x) => x.id === 'G2') as { rows: unknown[] };
    g2.rows.unshift({ when: { freshness: { '==': 'stale' }, impact: 'high' }, level: 'HIGH' });
    const rules = compile(file);
    const known = arrival(2, { total_volume: 80_000, total_open_interest: 300_000 });
    const r = whatIf(rules, [arrival(1), known]);
    expect(r.changes).toEqual([
      {
        request_id: 'a1',
        file: '/in/a1.csv',
        underlying: 'SPX',
        from: { priority: 'LOW', rule: 'G2' },
        to: { unknown: { upper: 'HIGH', lower: 'LOW' } },
      },
      {
        request_id: 'a2',
        file: '/in/a2.csv',
        underlying: 'SPX',
        from: { priority: 'LOW', rule: 'G2' },
        to: { priority: 'HIGH', rule: 'G2' },
      },
    ]);
    expect(r.summary).toEqual([
      { from: 'LOW', to: 'HIGH', count: 1 },
      { from: 'LOW', to: 'UNKNOWN', count: 1 },
    ]);
  });

  it('against active rules that cannot decide it either, gives their range as `from`, never the arrival level', () => {
    // Active: stale but heavily traded data is HIGH (only the volume, never read, can
    // tell); the draft: stale is LOW whatever the volume. The request got HIGH at arrival
    // from a version since replaced (a rule no active version has).
    const file = defaultRuleFile();
    const g2 = file.rules.find((x) => x.id === 'G2') as { rows: unknown[] };
    g2.rows.unshift({ when: { freshness: { '==': 'stale' }, impact: 'high' }, level: 'HIGH' });
    const active = compile(file);
    const record = { ...arrival(3), from: { priority: 'HIGH' as const, rule: 'SPX' } };
    const r = whatIf(defaultRules(), [record], active);
    expect(r.changes).toEqual([
      {
        request_id: 'a3',
        file: '/in/a3.csv',
        underlying: 'SPX',
        from: { unknown: { upper: 'HIGH', lower: 'LOW' } },
        to: { priority: 'LOW', rule: 'G2' },
      },
    ]);
    expect(r.summary).toEqual([{ from: 'UNKNOWN', to: 'LOW', count: 1 }]);
    // The active text against itself: nothing, whatever the arrival said.
    expect(whatIf(active, [record], active).changes).toEqual([]);
  });
});
