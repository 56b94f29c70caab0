// Facts validation: each invalid fact is answered by an INVALID_FACT error that
// names it, and nothing else; valid variants (offsets, nulls for options) pass.
import { describe, expect, it } from 'vitest';
import { fastFacts } from '../../electron/engine/rules/facts.ts';
import { defaultRules, validateFacts } from '../../electron/engine/rules/index.ts';
import { FactsInput, parseIsoMs, parsedTimestamp } from '../../shared/rules.ts';

const valid = {
  id: 'r1',
  underlying: 'SPX',
  as_of: '2024-01-07T10:52:00-05:00',
  now: '2024-01-07T15:52:03Z',
  total_volume: 80_000,
  total_open_interest: 300_000,
  gex_change: 0.25,
};

describe('facts validation', () => {
  const invalid: [string, Record<string, unknown>][] = [
    ['underlying', { underlying: undefined }],
    ['underlying', { underlying: '' }],
    ['underlying', { underlying: '   ' }],
    ['underlying', { underlying: 'ABCDEFGHIJK' }],
    ['underlying', { underlying: 42 }],
    ['as_of', { as_of: undefined }],
    ['as_of', { as_of: '2024-01-07T10:52:00' }],
    // `2024-01-07 10:52:00Z` and `…+0530` are read (QA gd F4: cli/eval-timestamps); these not.
    ['as_of', { as_of: '2024-01-07T10:52:00+5:30' }],
    ['as_of', { as_of: '2024-01-07T10:52:00 Z' }],
    ['as_of', { as_of: '2024-02-30T10:52:00Z' }],
    ['as_of', { as_of: '2024-01-07T24:00:00Z' }],
    ['as_of', { as_of: '2024-01-07T10:52:00+05:60' }],
    ['as_of', { as_of: 1704642720000 }],
    ['as_of', { as_of: '2024-01-07T15:53:03.001Z' }], // more than 60 s in the future
    ['now', { now: 'yesterday' }],
    ['now', { now: '2024-01-07T15:52:03' }],
    ['total_volume', { total_volume: undefined }],
    ['total_volume', { total_volume: -1 }],
    ['total_volume', { total_volume: 1.5 }],
    ['total_volume', { total_volume: '80000' }],
    ['total_volume', { total_volume: null }],
    ['total_open_interest', { total_open_interest: -5 }],
    ['total_open_interest', { total_open_interest: 2.25 }],
    ['gex_change', { gex_change: undefined }],
    ['gex_change', { gex_change: -0.01 }],
    ['gex_change', { gex_change: 'large' }],
    ['source_reliability', { source_reliability: 1.01 }],
    ['source_reliability', { source_reliability: -0.1 }],
    ['source_reliability', { source_reliability: '0.9' }],
    ['requested_priority', { requested_priority: 'URGENT', justification: 'x' }],
    ['requested_priority', { requested_priority: ' HIGH', justification: 'x' }],
    ['justification', { requested_priority: 'HIGH' }],
    ['justification', { requested_priority: 'HIGH', justification: '' }],
    ['justification', { requested_priority: 'HIGH', justification: '   ' }],
    // Nothing a person can read: a zero-width space, a BOM, a direction mark.
    ['justification', { requested_priority: 'HIGH', justification: '\u200b' }],
    ['justification', { requested_priority: 'HIGH', justification: ' \ufeff\u200e ' }],
    // Nor characters drawn as nothing: Hangul fillers, the blank Braille pattern, a lone accent.
    ['justification', { requested_priority: 'CRITICAL', justification: '\u3164' }],
    ['justification', { requested_priority: 'CRITICAL', justification: '\u2800' }],
    ['justification', { requested_priority: 'CRITICAL', justification: '\u115f\uffa0' }],
    ['justification', { requested_priority: 'CRITICAL', justification: '\u0301' }],
    ['justification', { requested_priority: 'LOW', justification: 7 }],
  ];
  for (const [fact, change] of invalid) {
    it(`rejects ${fact} = ${JSON.stringify(change[fact] ?? change)}`, () => {
      const d = defaultRules().decide({ ...valid, ...change });
      expect(d.ok).toBe(false);
      if (d.ok) return;
      expect(d.error.code).toBe('INVALID_FACT');
      expect(d.error.fact).toBe(fact);
      expect(d.error.message).toContain(fact);
    });
  }

  it('says a number too large for a double (1e400 in JSON) is not finite, not that it was null', () => {
    for (const fact of ['gex_change', 'total_volume', 'source_reliability'] as const) {
      const d = defaultRules().decide(
        JSON.parse(`{${JSON.stringify(valid).slice(1, -1)}, "${fact}": -1e400}`),
      );
      expect(d.ok, fact).toBe(false);
      if (d.ok) continue;
      expect(d.error).toMatchObject({ code: 'INVALID_FACT', fact });
      expect(d.error.message).toContain('got -Infinity, not a finite number');
      expect(d.error.message).not.toContain('got null');
    }
  });

  it('accepts offsets, fractional seconds, nulls for the optional facts and ignores unknown keys', () => {
    for (const change of [
      {},
      { as_of: '2024-01-07T21:22:00.5+05:30' },
      { as_of: '2024-01-07T11:52:00.123456789-04:00' },
      { as_of: '2024-01-07T15:52Z' },
      { source_reliability: null, requested_priority: null, justification: null },
      { underlying: '  ABCDEFGHIJ  ' },
      { gex_change: null },
      { now: null },
      { extra: 'ignored' },
    ]) {
      const d = defaultRules().decide({ ...valid, ...change }, new Date('2024-01-07T15:52:03Z'));
      expect(d.ok, JSON.stringify(change)).toBe(true);
    }
  });

  it('normalises the facts it returns', () => {
    const r = validateFacts({ ...valid, underlying: '  spx ' });
    expect(r.ok && r.value).toEqual({
      underlying: 'spx',
      as_of: valid.as_of,
      now: valid.now,
      total_volume: 80_000,
      total_open_interest: 300_000,
      gex_change: 0.25,
      source_reliability: 1,
      requested_priority: null,
      justification: null,
    });
  });

  // QA ct F4: `ingest --priority high` and a manifest's "high" ran HIGH, `rules eval` and
  // the dry run refused the same fact.
  it('reads a requested level in any case, as ingest does', () => {
    for (const level of ['high', 'High', 'cRiTiCaL']) {
      const facts = { ...valid, requested_priority: level, justification: 'FOMC' };
      const r = validateFacts(facts);
      expect(r.ok && r.value.requested_priority, level).toBe(level.toUpperCase());
      const d = defaultRules().decide(facts);
      expect(d.ok && [d.value.priority, d.value.rule], level).toEqual([level.toUpperCase(), 'G1']);
    }
  });

  it('refuses facts that are not an object', () => {
    for (const x of [null, 3, 'SPX', [valid]]) {
      const r = validateFacts(x);
      expect(!r.ok && r.error.code).toBe('INVALID_FACT');
    }
  });
});

describe('the fast path of facts validation', () => {
  const pools: Record<string, unknown[]> = {
    underlying: [
      'SPX',
      ' spx ',
      '',
      '  ',
      'ABCDEFGHIJ',
      'ABCDEFGHIJK',
      '😀😀😀😀😀😀',
      42,
      null,
      undefined,
    ],
    as_of: [
      '2024-01-07T10:52:00-05:00',
      '2024-01-07T15:52:00.123456Z',
      '2024-01-07T10:52:00',
      '2024-02-30T00:00:00Z',
      '',
      5,
      null,
      undefined,
    ],
    now: ['2024-01-07T15:52:03Z', '2024-01-07T21:22:03+05:30', 'now', null, undefined, 0],
    total_volume: [0, 1, 80_000, -1, 1.5, NaN, Infinity, '5', null, undefined, 2 ** 53, -0],
    total_open_interest: [0, 300_000, -3, 0.5, '7', null, undefined],
    gex_change: [null, 0, 0.5, 12, -0.1, NaN, Infinity, '0.1', undefined, -0],
    source_reliability: [undefined, null, 0, 1, 0.5, 1.1, -0.1, NaN, '1'],
    requested_priority: [
      undefined,
      undefined,
      null,
      'HIGH',
      'LOW',
      'high',
      'Critical',
      'URGENT',
      3,
    ],
    justification: [undefined, null, '', '  ', '\u200b', '\u3164', '\u0301', 'FOMC', 5],
  };
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('gives exactly what zod gives, and falls back to zod only when it must', () => {
    let fastHits = 0;
    for (let n = 0; n < 20_000; n++) {
      const input: Record<string, unknown> = { id: n };
      for (const [k, pool] of Object.entries(pools)) {
        // Mostly valid values, so that both outcomes are common.
        const v = rnd() < 0.8 ? pool[0] : pool[Math.floor(rnd() * pool.length)];
        if (v !== undefined) input[k] = v;
      }
      const fast = fastFacts(input);
      const zod = FactsInput.safeParse(input);
      if (fast) {
        fastHits++;
        expect(zod.success, JSON.stringify(input)).toBe(true);
        expect(fast, JSON.stringify(input)).toStrictEqual(zod.data);
      } else if (zod.success) {
        // Only a long-looking string of few characters is left to zod.
        expect(input.underlying, JSON.stringify(input)).toBe('😀😀😀😀😀😀');
      }
    }
    expect(fastHits).toBeGreaterThan(1000);
  });
});

describe('parseIsoMs', () => {
  it('agrees with Date.parse on valid timestamps of millisecond precision', () => {
    for (const s of [
      '2024-01-07T10:52:00-05:00',
      '2024-01-07T10:52:00.1+05:30',
      '2024-02-29T23:59:59.999Z',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59.5Z',
      '2000-03-01T00:00:00+14:00',
      '2000-03-01T00:00:00-14:00',
      '2100-02-28T12:00-09:30',
      '0400-02-29T00:00:00Z',
    ]) {
      expect(parseIsoMs(s), s).toBe(Date.parse(s));
    }
  });

  it('keeps the sub-millisecond part apart', () => {
    expect(parseIsoMs('2024-01-07T10:52:00.1234567Z')).toBe(Date.parse('2024-01-07T10:52:00.123Z'));
    expect(parsedTimestamp.subMs).toBeCloseTo(0.4567, 10);
  });

  it('reads a fraction of any length to the nanosecond, and ages exactly at the boundaries', () => {
    const long = `2024-01-07T10:52:00.${'1'.repeat(40)}-05:00`;
    expect(parseIsoMs(long)).toBe(Date.parse('2024-01-07T10:52:00.111-05:00'));
    expect(parsedTimestamp.subMs).toBeCloseTo(0.111111, 12);
    const rules = defaultRules();
    const at = (asOf: string, now: string) =>
      rules.decide({ ...valid, underlying: 'SPX', as_of: asOf, now, gex_change: 0.25 });
    const level = (d: ReturnType<typeof at>) => (d.ok ? d.value.priority : d.error.code);
    // 4.999999999 s old: real-time; 5 s: not.
    expect(level(at('2024-01-07T15:52:00.000000001Z', '2024-01-07T15:52:05Z'))).toBe('CRITICAL');
    expect(level(at('2024-01-07T15:52:00.0000000000Z', '2024-01-07T15:52:05Z'))).toBe('HIGH');
    // 299.999999999 s old: fresh; 300 s: stale.
    expect(level(at('2024-01-07T15:52:00.000000001Z', '2024-01-07T15:57:00Z'))).toBe('HIGH');
    expect(level(at('2024-01-07T15:52:00Z', '2024-01-07T15:57:00.000000000Z'))).toBe('LOW');
    // 60.000000001 s in the future: invalid; 60 s: skew.
    expect(level(at('2024-01-07T15:53:00.000000001Z', '2024-01-07T15:52:00Z'))).toBe(
      'INVALID_FACT',
    );
    expect(level(at('2024-01-07T15:53:00Z', '2024-01-07T15:52:00Z'))).toBe('CRITICAL');
    expect(level(at(long, '2024-01-07T15:52:02Z'))).toBe('CRITICAL');
  });

  it('rejects what is not an instant', () => {
    for (const s of [
      '2024-01-07T10:52:00',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-01-07T10:60:00Z',
      '2024-01-07T10:52:60Z',
      '2024-01-07T10:52:00+24:00',
      // No zone is beyond ±14:00, as the readers check a file's as_of.
      '2024-01-07T10:52:00+23:00',
      '2024-01-07T10:52:00-14:01',
      '2024-01-07T10:52:00+15:00',
      '2024-01-07T10:52:00+05:60',
      '2024-01-07T10:52:00z',
      '',
    ])
      expect(parseIsoMs(s), s).toBeNaN();
  });
});
