// Partial evaluation (CompiledRules.decidePartial) against brute force: for the
// default rules and for edited and generated rule sets, every completion of the
// unknown facts, over values that cross every threshold of the rule file, is
// decided with decide(), and the partial answer must agree: "decided" ⇒ every valid
// completion gets that level and rule; "pending" ⇒ every completion's level lies in
// [upper, lower], and for the default rules both bounds are reached by some
// completion. Then the GUIDELINES.md cases the intake relies on.
import { describe, expect, it } from 'vitest';
import {
  compileRules,
  defaultRules,
  parseRules,
  type CompiledRules,
} from '../../electron/engine/rules/index.ts';
import type { GivenFactName } from '../../shared/rules.ts';
import {
  EDITED,
  defaultRuleFile,
  generatedRuleFiles,
  prng,
  type RuleFileJson,
} from './rule-sets.ts';

const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const NOW_MS = Date.parse('2024-01-07T15:00:00Z');
const NOW = new Date(NOW_MS).toISOString();
const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

const compile = (file: RuleFileJson): CompiledRules => {
  const parsed = parseRules(JSON.stringify(file, null, 2));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return compileRules(parsed.value, 1);
};

// --- the values that cross every threshold of a rule file

type Cond = Record<string, unknown> | undefined;
/** Every condition of the file: derived facts' rows, table rows, adjustments. */
const conditions = (file: RuleFileJson): Cond[] => [
  ...Object.values(file.derived).flatMap((d) =>
    d.kind === 'ordinal' ? (d.rows as { when?: Cond }[]).map((r) => r.when) : [],
  ),
  ...file.rules.flatMap((r) =>
    'rows' in r ? (r.rows as { when?: Cond }[]).map((row) => row.when) : [r.when as Cond],
  ),
];
/** The constants compared with `fact` anywhere in the file. */
const constantsOf = (file: RuleFileJson, fact: string): unknown[] => {
  const out: unknown[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
    else out.push(v);
  };
  const walk = (c: unknown): void => {
    if (c === null || typeof c !== 'object') return;
    for (const [k, v] of Object.entries(c)) {
      if (k === 'any' || k === 'all') (v as unknown[]).forEach(walk);
      else if (k === 'not') walk(v);
      else if (k === fact) collect(v);
    }
  };
  conditions(file).forEach(walk);
  return out;
};
const numbersOf = (file: RuleFileJson, fact: string) =>
  constantsOf(file, fact).filter((x): x is number => typeof x === 'number');
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

type Pools = Record<GivenFactName, unknown[]>;

/** Per given fact: each threshold ± epsilon, the ends of its range, null where allowed. */
const poolsOf = (file: RuleFileJson): Pools => {
  const ints = (ts: number[]) =>
    uniq([0, 1, 1e12, ...ts.flatMap((t) => [-1, 0, 1].map((d) => Math.floor(t) + d))]).filter(
      (x) => x >= 0,
    );
  const reals = (ts: number[], max: number) =>
    uniq([0, max, ...ts.flatMap((t) => [t - 1e-6, t, t + 1e-6])]).filter((x) => x >= 0 && x <= max);
  const age = Object.entries(file.derived).find(([, d]) => d.kind === 'age')!;
  const { skew_tolerance_s: skew, future_limit_s: future } = age[1] as {
    skew_tolerance_s: number;
    future_limit_s: number;
  };
  const agesS = uniq([
    0,
    -skew / 2,
    -skew,
    -skew - 0.001,
    -future,
    -future - 0.001,
    1e6,
    ...numbersOf(file, age[0]).flatMap((t) => [t - 0.001, t, t + 0.001]),
  ]);
  const strings = (fact: string) =>
    uniq(constantsOf(file, fact).filter((x): x is string => typeof x === 'string'));
  return {
    underlying: uniq(['ZZZ', ...strings('underlying').flatMap((s) => [s, s.toLowerCase()])]),
    as_of: agesS.map((a) => iso(NOW_MS - a * 1000)),
    now: agesS.map((a) => a), // ages from as_of: made into timestamps by `complete`
    total_volume: ints(numbersOf(file, 'total_volume')),
    total_open_interest: ints(numbersOf(file, 'total_open_interest')),
    gex_change: [null, ...reals(numbersOf(file, 'gex_change'), 1e9)],
    source_reliability: reals(numbersOf(file, 'source_reliability'), 1),
    requested_priority: [null, ...LEVELS],
    justification: uniq([null, '', 'FOMC', ...strings('justification')]),
  };
};

/** Every combination of the pools' values of `unknown`, added to `known`. */
const completions = (
  known: Record<string, unknown>,
  unknown: GivenFactName[],
  pools: Pools,
): Record<string, unknown>[] => {
  let out: Record<string, unknown>[] = [{ ...known }];
  for (const name of unknown)
    out = out.flatMap((c) =>
      pools[name].map((v) =>
        name === 'now'
          ? { ...c, now: iso(Date.parse(c.as_of as string) + (v as number) * 1000) }
          : { ...c, [name]: v },
      ),
    );
  return out;
};

/** Known facts for a context: one value of each pool, mostly without an override. */
const contexts = (pools: Pools, n: number, seed: number): Record<string, unknown>[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const requested = rnd() < 0.2 ? pick(LEVELS) : null;
    return {
      underlying: pick(pools.underlying),
      as_of: pick(pools.as_of),
      now: NOW,
      total_volume: pick(pools.total_volume),
      total_open_interest: pick(pools.total_open_interest),
      gex_change: pick(pools.gex_change),
      source_reliability: pick(pools.source_reliability),
      requested_priority: requested,
      justification: requested && rnd() < 0.9 ? 'FOMC' : pick(pools.justification),
    };
  });
};

const PATTERNS: GivenFactName[][] = [
  ['total_volume', 'total_open_interest', 'gex_change'],
  ['total_volume', 'total_open_interest'],
  ['underlying', 'as_of', 'total_volume', 'total_open_interest', 'gex_change'],
  ['as_of', 'gex_change'],
  ['underlying'],
  ['source_reliability', 'total_volume'],
  ['requested_priority', 'gex_change'],
  ['requested_priority', 'justification', 'as_of'],
  ['justification'],
  ['now'],
  [],
];

type Tally = {
  decided: number;
  pending: number;
  invalid: number;
  /** Pending although every valid completion gets the same level and rule. */
  missed: number;
  problems: string[];
};

/** Checks decidePartial against every completion; `tight`: the bounds must be reached. */
const checkAgainstBruteForce = (
  rules: CompiledRules,
  pools: Pools,
  known: Record<string, unknown>,
  unknown: GivenFactName[],
  tight: boolean,
  tally: Tally,
): void => {
  const partial = rules.decidePartial(known, unknown);
  const results = completions(known, unknown, pools).map((c) => rules.decide(c));
  const valid = results.flatMap((r) => (r.ok ? [r.value] : []));
  const where = `${JSON.stringify(known)} unknown ${unknown.join(',')}`;
  const problem = (what: string) => tally.problems.push(`${what}: ${where}`);
  if (!partial.ok) {
    tally.invalid++;
    if (valid.length > 0) problem(`error ${partial.error.message} but a completion is valid`);
    return;
  }
  if (valid.length === 0) return; // the facts known make every completion invalid some other way
  const p = partial.value;
  if (p.kind === 'decided') {
    tally.decided++;
    const { priority, rule } = p.decision;
    const other = valid.find((d) => d.priority !== priority || d.rule !== rule);
    if (other)
      problem(`decided ${priority} ${rule} but a completion gets ${other.priority} ${other.rule}`);
    return;
  }
  tally.pending++;
  if (valid.every((d) => d.priority === valid[0]!.priority && d.rule === valid[0]!.rule))
    tally.missed++;
  const levels = valid.map((d) => LEVELS.indexOf(d.priority));
  const best = Math.min(...levels);
  const worst = Math.max(...levels);
  const upper = LEVELS.indexOf(p.upper);
  const lower = LEVELS.indexOf(p.lower);
  if (upper > best || lower < worst)
    problem(
      `pending ${p.upper}..${p.lower} but completions reach ${LEVELS[best]}..${LEVELS[worst]}`,
    );
  else if (tight && (upper !== best || lower !== worst))
    problem(
      `pending ${p.upper}..${p.lower} is not tight: completions reach ${LEVELS[best]}..${LEVELS[worst]}`,
    );
};

/** At most this many completions per pattern of unknown facts (a few contexts for the big products). */
const BUDGET = 10_000;

const bruteForce = (file: RuleFileJson, tight: boolean, perPattern: number, seed: number) => {
  const rules = compile(file);
  const pools = poolsOf(file);
  const tally: Tally = { decided: 0, pending: 0, invalid: 0, missed: 0, problems: [] };
  // The patterns of an arrival, then random sets of unknown facts.
  const rnd = prng(seed * 31);
  const given = Object.keys(pools) as GivenFactName[];
  const random = Array.from({ length: 6 }, () => given.filter(() => rnd() < 0.35).slice(0, 4));
  [...PATTERNS, ...random].forEach((unknown, k) => {
    const size = unknown.reduce((n, name) => n * pools[name].length, 1);
    const n = Math.max(1, Math.min(perPattern, Math.floor(BUDGET / size)));
    for (const known of contexts(pools, n, seed + k))
      checkAgainstBruteForce(rules, pools, known, unknown, tight, tally);
  });
  return tally;
};

describe('decidePartial agrees with brute force over every completion', () => {
  it('for the default rules, with tight bounds', () => {
    const t = bruteForce(defaultRuleFile(), true, 40, 1);
    expect(t.problems.slice(0, 5)).toEqual([]);
    // The cases reach each kind of answer.
    expect(t.decided).toBeGreaterThan(50);
    expect(t.pending).toBeGreaterThan(50);
    expect(t.invalid).toBeGreaterThan(0);
    // And it decides whenever every completion agrees: nothing waits that need not.
    expect(t.missed).toBe(0);
  });

  for (const [name, file] of Object.entries(EDITED)) {
    it(`for an edited rule set: ${name}`, () => {
      const t = bruteForce(file, false, 12, 2);
      expect(t.problems.slice(0, 5)).toEqual([]);
      expect(t.decided).toBeGreaterThan(0);
      expect(t.pending).toBeGreaterThan(0);
    });
  }

  it('for generated mutations of the default rules', () => {
    const files = generatedRuleFiles(10, 2024);
    expect(files).toHaveLength(10);
    files.forEach((file, i) => {
      const t = bruteForce(file, false, 5, 100 + i);
      expect(t.problems.slice(0, 5), JSON.stringify(file)).toEqual([]);
    });
  });
});

describe('decidePartial with every fact known is decide', () => {
  it('gives the same level, rule, explanation and facts', () => {
    for (const file of [defaultRuleFile(), ...Object.values(EDITED)]) {
      const rules = compile(file);
      for (const f of contexts(poolsOf(file), 300, 7)) {
        const d = rules.decide(f);
        const p = rules.decidePartial(f, []);
        if (!d.ok) {
          expect(p.ok ? p.value : p.error).toEqual(d.error);
          continue;
        }
        expect(p.ok && p.value).toEqual({ kind: 'decided', decision: d.value });
      }
    }
  });
});

// --- the cases of GUIDELINES.md that intake relies on

const rules = defaultRules();
const ageS = (s: number) => iso(NOW_MS - s * 1000);
const CONTENT: GivenFactName[] = ['total_volume', 'total_open_interest', 'gex_change'];
const request = (extra: Record<string, unknown> = {}) => ({ now: NOW, ...extra });

describe('decidePartial on the GUIDELINES cases', () => {
  it('decides a manual override from the request alone', () => {
    const r = rules.decidePartial(request({ requested_priority: 'HIGH', justification: 'FOMC' }), [
      'underlying',
      'as_of',
      ...CONTENT,
    ]);
    expect(r.ok && r.value).toMatchObject({
      kind: 'decided',
      decision: {
        priority: 'HIGH',
        rule: 'G1',
        explanation: 'G1: requested priority HIGH (justification "FOMC") → HIGH',
        derived: {},
      },
    });
    if (r.ok && r.value.kind === 'decided')
      expect(Object.keys(r.value.decision.facts).sort()).toEqual(
        ['justification', 'now', 'requested_priority', 'source_reliability'].sort(),
      );
  });

  it('decides stale data from as_of and now', () => {
    const r = rules.decidePartial(request({ underlying: 'SPX', as_of: ageS(400) }), CONTENT);
    expect(r.ok && r.value).toMatchObject({
      kind: 'decided',
      decision: {
        priority: 'LOW',
        rule: 'G2',
        explanation: 'G2: freshness stale → LOW',
        derived: { age_s: 400, freshness: 'stale' },
      },
    });
  });

  it('ranks real-time data of unknown volume and open interest as possibly CRITICAL', () => {
    for (const gex_change of [0.25, null]) {
      const r = rules.decidePartial(request({ underlying: 'SPX', as_of: ageS(2), gex_change }), [
        'total_volume',
        'total_open_interest',
      ]);
      expect(r.ok && r.value).toMatchObject({ kind: 'pending', upper: 'CRITICAL' });
    }
    const unknownChange = rules.decidePartial(
      request({ underlying: 'SPX', as_of: ageS(2) }),
      CONTENT,
    );
    expect(unknownChange.ok && unknownChange.value).toEqual({
      kind: 'pending',
      upper: 'CRITICAL',
      lower: 'LOW',
    });
    // A small change cannot make it CRITICAL.
    const small = rules.decidePartial(
      request({ underlying: 'SPX', as_of: ageS(2), gex_change: 0.02 }),
      ['total_volume', 'total_open_interest'],
    );
    expect(small.ok && small.value).toMatchObject({ kind: 'pending', upper: 'HIGH' });
  });

  it('ranks a real-time first snapshot of a new underlying CRITICAL at best, MEDIUM at worst', () => {
    const r = rules.decidePartial(
      request({ underlying: 'NEW', as_of: ageS(2), gex_change: null }),
      ['total_volume', 'total_open_interest'],
    );
    expect(r.ok && r.value).toEqual({ kind: 'pending', upper: 'CRITICAL', lower: 'MEDIUM' });
  });

  it('never promises a level a rule set with a gap may not give (one activated before rules check refused it)', () => {
    // The default rules without their catch-all G3.LOW: a fresh low-impact file whose GEX did
    // not change gets no level. At arrival that was "MEDIUM to CRITICAL", then RULES_INVALID.
    const file = defaultRuleFile();
    const g3 = file.rules.find((t) => t.id === 'G3') as { rows: { id?: string }[] };
    g3.rows = g3.rows.filter((r) => r.id !== 'G3.LOW');
    const gap = compileRules(file as Parameters<typeof compileRules>[0], 7);
    const facts = request({ underlying: 'SPX', as_of: ageS(2) });
    const r = gap.decidePartial(facts, CONTENT);
    expect(r.ok && r.value).toEqual({
      kind: 'pending',
      upper: 'CRITICAL',
      lower: 'MEDIUM',
      no_level: true,
    });
    const decided = gap.decide({
      ...facts,
      id: 'a',
      total_volume: 1,
      total_open_interest: 1,
      gex_change: 0,
    });
    expect(decided.ok).toBe(false);
    // The default rules give every completion a level: no such mark.
    expect(rules.decidePartial(facts, CONTENT)).toEqual({
      ok: true,
      value: { kind: 'pending', upper: 'CRITICAL', lower: 'LOW' },
    });
  });

  it('bounds a file whose header could not be read by every level', () => {
    const r = rules.decidePartial(request(), ['underlying', 'as_of', ...CONTENT]);
    expect(r.ok && r.value).toEqual({ kind: 'pending', upper: 'CRITICAL', lower: 'LOW' });
    const unreliable = rules.decidePartial(request({ source_reliability: 0.5 }), [
      'underlying',
      'as_of',
      ...CONTENT,
    ]);
    expect(unreliable.ok && unreliable.value).toEqual({
      kind: 'pending',
      upper: 'HIGH',
      lower: 'LOW',
    });
  });

  it('rejects at once a known fact that makes every completion invalid, naming it', () => {
    const future = rules.decidePartial(request({ underlying: 'SPX', as_of: ageS(-61) }), CONTENT);
    expect(!future.ok && future.error).toMatchObject({ code: 'INVALID_FACT', fact: 'as_of' });
    const blank = rules.decidePartial(
      request({
        underlying: 'SPX',
        as_of: ageS(2),
        requested_priority: 'HIGH',
        justification: ' ',
      }),
      CONTENT,
    );
    expect(!blank.ok && blank.error).toMatchObject({ code: 'INVALID_FACT', fact: 'justification' });
    const reliability = rules.decidePartial(
      request({ underlying: 'SPX', as_of: ageS(2), source_reliability: 2 }),
      CONTENT,
    );
    expect(!reliability.ok && reliability.error).toMatchObject({ fact: 'source_reliability' });
  });

  it('refuses facts that are not an object, and an unknown that is not a given fact', () => {
    const notObject = rules.decidePartial(null as unknown as Record<string, unknown>, CONTENT);
    expect(!notObject.ok && notObject.error.code).toBe('INVALID_FACT');
    const name = rules.decidePartial(request(), ['impact' as GivenFactName]);
    expect(!name.ok && name.error).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('ignores the values of facts listed as unknown, and uses the clock when now is absent', () => {
    const r = rules.decidePartial(
      { underlying: 'SPX', as_of: ageS(400), total_volume: -5, gex_change: 'x' },
      CONTENT,
      new Date(NOW_MS),
    );
    expect(r.ok && r.value.kind === 'decided' && r.value.decision.facts).toMatchObject({
      now: NOW,
    });
    if (r.ok && r.value.kind === 'decided')
      expect(r.value.decision.facts).not.toHaveProperty('total_volume');
  });

  it('explains a decision from the known facts only, also when the deciding row is not known', () => {
    const staleMedium = compile(EDITED['stale data is MEDIUM']!).decidePartial(
      request({ underlying: 'SPX', as_of: ageS(1000) }),
      CONTENT,
    );
    expect(staleMedium.ok && staleMedium.value).toMatchObject({
      kind: 'decided',
      decision: { priority: 'MEDIUM', rule: 'G2', explanation: 'G2: freshness stale → MEDIUM' },
    });
    // Either row of NIGHT may hold, depending on the volume; both give LOW.
    const file = defaultRuleFile();
    file.combine = 'first-applicable';
    file.rules.splice(1, 0, {
      id: 'NIGHT',
      rows: [
        { when: { underlying: 'ES', total_volume: { '>': 5 } }, level: 'LOW' },
        { when: { underlying: 'ES' }, level: 'LOW' },
      ],
    });
    const night = compile(file).decidePartial(
      request({ underlying: 'es', as_of: ageS(2) }),
      CONTENT,
    );
    expect(night.ok && night.value).toMatchObject({
      kind: 'decided',
      decision: {
        priority: 'LOW',
        rule: 'NIGHT',
        explanation: 'NIGHT: underlying "es"; whatever total volume → LOW',
        derived: { age_s: 2, freshness: 'real-time' },
      },
    });
  });
});
