// The default rule set against GUIDELINES.md version 2: every example row, then
// thousands of generated cases around every threshold checked against an
// independent oracle. Version 2 settles that `now` is the arrival and that
// gex_change compares with the previous request of the same underlying; the rule
// engine is given both, so what it must show is that the facts' `now` is the one
// used however late the decision runs, and that the file says which version it encodes.
import { describe, expect, it } from 'vitest';
import { compileRules, defaultRulesText, parseRules } from '../../electron/engine/rules/index.ts';
import { oracle, oracleDerived, type OracleFacts } from './oracle.ts';

const parsed = parseRules(defaultRulesText());
if (!parsed.ok) throw new Error(parsed.error.message);
const rules = compileRules(parsed.value, 7);

const NOW = '2024-01-07T15:00:00Z';
const NOW_MS = Date.parse(NOW);

/** `ms` as an ISO timestamp in the given offset ("Z", "+05:30", "-04:00"). */
const iso = (ms: number, offset = 'Z'): string => {
  if (offset === 'Z') return new Date(ms).toISOString();
  const sign = offset[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(ms + minutes * 60_000).toISOString().replace('Z', offset);
};

const facts = (
  ageS: number,
  volume: number,
  oi: number,
  change: number | null,
  extra: Partial<OracleFacts> = {},
): OracleFacts => ({
  underlying: 'SPX',
  as_of: iso(NOW_MS - ageS * 1000),
  now: NOW,
  total_volume: volume,
  total_open_interest: oi,
  gex_change: change,
  ...extra,
});

describe('GUIDELINES.md examples', () => {
  const rows: [string, OracleFacts, string | null, string][] = [
    ['high, large, real-time', facts(2, 80_000, 300_000, 0.25), 'CRITICAL', 'G3'],
    ['high and real-time', facts(2, 80_000, 300_000, 0.02), 'HIGH', 'G3'],
    ['at least medium, large, fresh', facts(40, 80_000, 300_000, 0.25), 'HIGH', 'G3'],
    ['at least medium and fresh', facts(40, 80_000, 300_000, 0.02), 'MEDIUM', 'G3'],
    ['first snapshot counts as large, real-time', facts(2, 500, 1_000, null), 'MEDIUM', 'G3'],
    ['low impact, not real-time', facts(40, 500, 1_000, 0.5), 'LOW', 'G3'],
    [
      'CRITICAL demoted by G4',
      facts(2, 80_000, 300_000, 0.25, { source_reliability: 0.6 }),
      'HIGH',
      'G4',
    ],
    ['G2 stale', facts(400, 80_000, 300_000, 0.25), 'LOW', 'G2'],
    [
      'G1 manual',
      facts(400, 10, 10, 0, { requested_priority: 'HIGH', justification: 'FOMC' }),
      'HIGH',
      'G1',
    ],
    [
      'G1 needs a justification',
      facts(2, 10, 10, 0, { requested_priority: 'HIGH' }),
      null,
      'justification',
    ],
  ];
  for (const [why, f, level, ruleOrFact] of rows) {
    it(`${why} → ${level ?? 'invalid'}`, () => {
      const d = rules.decide(f);
      if (level === null) {
        expect(d.ok).toBe(false);
        if (!d.ok) expect(d.error).toMatchObject({ code: 'INVALID_FACT', fact: ruleOrFact });
        return;
      }
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.value.priority).toBe(level);
      expect(d.value.rule.startsWith(ruleOrFact)).toBe(true);
      expect(d.value.rule).toBe(ruleOrFact);
      expect(d.value.rule_version).toBe(7);
      expect(d.value.explanation.startsWith(`${ruleOrFact}: `)).toBe(true);
      expect(d.value.explanation).not.toContain('\n');
    });
  }

  it('explains in one human line', () => {
    const g3 = rules.decide(facts(2, 80_000, 300_000, 0.25));
    expect(g3.ok && g3.value.explanation).toBe(
      'G3: impact high, change large, freshness real-time → CRITICAL',
    );
    const g4 = rules.decide(facts(2, 80_000, 300_000, 0.25, { source_reliability: 0.6 }));
    expect(g4.ok && g4.value.explanation).toMatch(
      /^G4: source reliability 0\.60 < 0\.8 demotes CRITICAL → HIGH/,
    );
    const g1 = rules.decide(
      facts(400, 10, 10, 0, { requested_priority: 'HIGH', justification: 'FOMC' }),
    );
    expect(g1.ok && g1.value.explanation).toBe(
      'G1: requested priority HIGH (justification "FOMC") → HIGH',
    );
  });

  it('returns the derived facts and the facts used, with now filled in from the arrival it is given', () => {
    const f = facts(40, 80_000, 300_000, 0.02);
    const { now: _now, ...withoutNow } = f;
    const d = rules.decide(withoutNow, new Date(NOW_MS));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.value.derived).toEqual({
      age_s: 40,
      freshness: 'fresh',
      impact: 'high',
      change: 'small',
    });
    expect(d.value.facts).toMatchObject({
      underlying: 'SPX',
      now: NOW.replace('Z', '.000Z'),
      source_reliability: 1,
      requested_priority: null,
    });
  });

  it('takes now from the facts (the arrival), however late the decision runs (version 2)', () => {
    // Arrived 2 s after the data was observed, decided ten minutes later: still real-time.
    const f = facts(2, 80_000, 300_000, 0.25);
    const late = rules.decide(f, new Date(NOW_MS + 600_000));
    expect(late.ok && [late.value.priority, late.value.derived.freshness]).toEqual([
      'CRITICAL',
      'real-time',
    ]);
    expect(late.ok && late.value.facts.now).toBe(NOW);
  });

  it('ranks a repeat of one underlying in a burst by its change from the previous request (version 2)', () => {
    // The previous request of SPX in the same burst had the same total GEX: change 0, not a first snapshot.
    const repeat = rules.decide(facts(2, 80_000, 300_000, 0));
    expect(repeat.ok && [repeat.value.priority, repeat.value.derived.change]).toEqual([
      'HIGH',
      'small',
    ]);
  });

  it('says in the file that it encodes version 2', () => {
    const file = JSON.parse(defaultRulesText()) as {
      name: string;
      description: string;
      derived: Record<string, { description: string }>;
    };
    expect(file.name).toMatch(/\(GUIDELINES\.md v2\)$/);
    expect(file.description).toMatch(/version 2/);
    expect(file.derived.age_s!.description).toMatch(/now, the moment the request arrived/);
    expect(file.derived.change!.description).toMatch(/previous request of the same underlying/);
  });

  it('publishes the level targets and late behaviour', () => {
    expect(rules.targets).toEqual({
      CRITICAL: { target_ms: 30_000, onLate: 'flag' },
      HIGH: { target_ms: 300_000, onLate: 'escalate' },
      MEDIUM: { target_ms: 1_800_000, onLate: 'escalate' },
      LOW: { target_ms: 7_200_000, onLate: 'escalate' },
    });
  });
});

// --- generated cases around every threshold

/** A small deterministic PRNG (mulberry32), so that a failure can be reproduced. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const AGES_MS = [
  -60_001, -60_000, -59_999, -30_000, -1, 0, 1, 4_999, 5_000, 5_001, 40_000, 299_999, 300_000,
  300_001, 86_400_000,
];
const VOLUMES = [0, 9_999, 10_000, 10_001, 49_999, 50_000, 50_001, 1_000_000];
const OIS = [0, 24_999, 25_000, 25_001, 99_999, 100_000, 100_001];
const CHANGES = [null, 0, 0.0499, 0.05, 0.0501, 0.0999, 0.1, 0.10001, 0.5, 3];
const RELIABILITIES = [undefined, 0, 0.5, 0.7999, 0.8, 0.8001, 1];
const OFFSETS = ['Z', '+05:30', '-04:00', '+00:00', '-09:30', '+14:00'];
const REQUESTS = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
] as const;

const generate = (n: number, seed: number): OracleFacts[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: OracleFacts[] = [];
  for (let i = 0; i < n; i++) {
    const now = NOW_MS + Math.floor(rnd() * 86_400_000) * (rnd() < 0.5 ? 1 : 1000);
    const age = pick(AGES_MS);
    const requested = pick(REQUESTS);
    const f: OracleFacts = {
      underlying: pick(['SPX', ' spx ', 'NDX', 'qqq', 'BRK.B']),
      as_of: iso(now - age, pick(OFFSETS)),
      now: iso(now, pick(OFFSETS)),
      total_volume: pick(VOLUMES),
      total_open_interest: pick(OIS),
      gex_change: pick(CHANGES),
    };
    const reliability = pick(RELIABILITIES);
    if (reliability !== undefined) f.source_reliability = reliability;
    if (requested !== undefined) {
      f.requested_priority = requested;
      f.justification = pick(['FOMC', 'CPI print', '', '   ', 'ok']);
    }
    out.push(f);
  }
  return out;
};

describe('generated cases around every threshold agree with the oracle', () => {
  // Every threshold crossed with every other on its own, then random mixes.
  const grid: OracleFacts[] = [];
  for (const age of AGES_MS)
    for (const v of VOLUMES)
      for (const c of CHANGES)
        grid.push({
          ...facts(age / 1000, v, 0, c),
          as_of: iso(NOW_MS - age, '+05:30'),
          now: iso(NOW_MS, '-04:00'),
        });
  for (const oi of OIS)
    for (const r of RELIABILITIES)
      for (const age of [0, 5_000, 299_999])
        grid.push(facts(age / 1000, 0, oi, 0.2, r === undefined ? {} : { source_reliability: r }));
  const cases = [...grid, ...generate(4000, 20240107)];

  it(`has at least 500 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
  });

  it('agrees on every case', () => {
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const f of cases) {
      const want = oracle(f);
      const got = rules.decide(f);
      const gotKey = got.ok
        ? `${got.value.priority} ${got.value.rule}`
        : `invalid ${got.error.fact}`;
      const wantKey = 'invalid' in want ? `invalid ${want.invalid}` : `${want.level} ${want.rule}`;
      seen.add(wantKey);
      if (gotKey !== wantKey)
        mismatches.push(`${JSON.stringify(f)}: want ${wantKey}, got ${gotKey}`);
      else if (got.ok && JSON.stringify(got.value.derived) !== JSON.stringify(oracleDerived(f)))
        mismatches.push(
          `${JSON.stringify(f)}: derived ${JSON.stringify(got.value.derived)}, want ${JSON.stringify(oracleDerived(f))}`,
        );
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The cases reach every outcome the guidelines have.
    for (const k of [
      'CRITICAL G3',
      'HIGH G3',
      'MEDIUM G3',
      'LOW G3',
      'LOW G2',
      'HIGH G4',
      'MEDIUM G4',
      'LOW G4',
      'CRITICAL G1',
      'LOW G1',
      'invalid as_of',
      'invalid justification',
    ])
      expect(seen).toContain(k);
  });
});

describe('time boundaries', () => {
  const at = (asOf: string, now: string) =>
    rules.decide({ ...facts(0, 0, 0, 0.2), as_of: asOf, now });

  it('counts an age down to −60 s as 0 and rejects more than 60 s in the future', () => {
    const ok60 = at('2024-01-07T15:01:00Z', NOW);
    expect(ok60.ok && ok60.value.derived).toMatchObject({ age_s: 0, freshness: 'real-time' });
    const bad = at('2024-01-07T15:01:00.001Z', NOW);
    expect(!bad.ok && bad.error).toMatchObject({ code: 'INVALID_FACT', fact: 'as_of' });
    // The message gives both instants as written, and a long time in words: the usual cause is a zone.
    expect(!bad.ok && bad.error.message).toBe(
      `as_of (2024-01-07T15:01:00.001Z) is 60.001 s after now (${NOW}); more than 60 s in the future is invalid: a wrong clock, or a time written without its zone?`,
    );
    const zone = at('2024-01-07T20:00:00Z', NOW);
    expect(!zone.ok && zone.error.message).toMatch(
      /^as_of \(2024-01-07T20:00:00Z\) is 5.0 h after now/,
    );
  });

  it('keeps sub-millisecond fractions exact at the boundaries', () => {
    const exact = at('2024-01-07T15:00:59.9999999Z', '2024-01-07T14:59:59.9999999Z');
    expect(exact.ok && exact.value.derived.age_s).toBe(0);
    const over = at('2024-01-07T15:01:00.0000001Z', NOW);
    expect(over.ok).toBe(false);
    const five = at('2024-01-07T14:59:55.123456Z', '2024-01-07T15:00:00.123456Z');
    expect(five.ok && five.value.derived).toMatchObject({ age_s: 5, freshness: 'fresh' });
    const under = at('2024-01-07T14:59:55.1234561Z', '2024-01-07T15:00:00.123456Z');
    expect(under.ok && under.value.derived.freshness).toBe('real-time');
  });

  it('reads offsets: the same instant in three zones is age 0', () => {
    for (const asOf of [
      '2024-01-07T20:30:00+05:30',
      '2024-01-07T11:00:00-04:00',
      '2024-01-07T15:00:00Z',
    ]) {
      const d = at(asOf, NOW);
      expect(d.ok && d.value.derived.age_s).toBe(0);
    }
    const d = at('2024-01-07T10:55:00-04:00', '2024-01-07T20:30:00+05:30');
    expect(d.ok && d.value.derived).toMatchObject({ age_s: 300, freshness: 'stale' });
  });
});
