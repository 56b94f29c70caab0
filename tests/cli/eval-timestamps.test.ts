// `rules eval` and the ISO-8601 forms of a timestamp with an offset (QA gd F4). Refused
// before, each with "as_of must be an ISO-8601 timestamp with an offset or Z" of a value
// that had one: `+0530` (basic offset), `+05` (hour only), `,5` (ISO's comma decimal),
// lower-case `t`/`z` (RFC 3339), a space for the `T` (as files write it), the basic
// `20261207T150000Z`. Each is now read as the instant it names (decided as its extended
// form) and kept in the extended form in the decision's facts. One that is no instant says
// what is wrong with it: an impossible date, 24:00, a leap second, no offset, an offset
// beyond ±14:00; a volume beyond 2^53 − 1 says that, not "must be an integer ≥ 0".
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFacts } from '../../electron/engine/rules/index.ts';
import { parseTimestamp } from '../../electron/engine/pipeline/time.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { runCli } from './run-cli.ts';

const DEFAULT = join(repoRoot, 'rules', 'default.rules.json');
const base = {
  underlying: 'SPX',
  now: '2026-12-07T15:00:01Z',
  total_volume: 80000,
  total_open_interest: 300000,
  gex_change: null,
};

// Each the instant 2026-12-07T15:00:00Z (or 15:00:00.5Z), written otherwise.
const ACCEPTED: [string, string][] = [
  ['2026-12-07T20:30:00+0530', '2026-12-07T20:30:00+05:30'],
  ['2026-12-07T20:00:00+05', '2026-12-07T20:00:00+05:00'],
  ['2026-12-07T15:00:00,5Z', '2026-12-07T15:00:00.5Z'],
  ['2026-12-07t15:00:00z', '2026-12-07T15:00:00Z'],
  ['2026-12-07 15:00:00Z', '2026-12-07T15:00:00Z'],
  ['20261207T150000Z', '2026-12-07T15:00:00Z'],
  ['20261207T203000+0530', '2026-12-07T20:30:00+05:30'],
  ['2026-12-07T10:00-05', '2026-12-07T10:00-05:00'],
];

const REFUSED: [string, string][] = [
  [
    '2026-02-30T15:00:00Z',
    'as_of is not a timestamp: 2026-02-30 is not a date (February 2026 has 28 days)',
  ],
  [
    '2024-02-30T15:00:00Z',
    'as_of is not a timestamp: 2024-02-30 is not a date (February 2024 has 29 days)',
  ],
  [
    '2026-13-01T15:00:00Z',
    'as_of is not a timestamp: 2026-13-01 is not a date (there is no month 13)',
  ],
  [
    '2026-12-07T24:00:00Z',
    'as_of is not a timestamp: 24:00:00 is not a time of day (write 00:00 of the next day)',
  ],
  ['2026-12-07T14:59:60Z', 'as_of is not a timestamp: 14:59:60 is a leap second'],
  ['2026-12-07T15:00:00', 'as_of is not a timestamp: it has no offset (add Z for UTC'],
  ['2026-12-07T15:00:00+25:00', 'as_of is not a timestamp: offset +25:00 is beyond ±14:00'],
  ['yesterday', 'as_of must be an ISO-8601 timestamp with an offset or Z'],
];

describe('rules eval: ISO-8601 forms of a timestamp', () => {
  it('decides every form of one instant alike; says what is wrong with one that is none', async () => {
    const lines = [
      { id: 'extended', ...base, as_of: '2026-12-07T15:00:00Z' },
      ...ACCEPTED.map(([as_of]) => ({ id: as_of, ...base, as_of })),
      ...REFUSED.map(([as_of]) => ({ id: as_of, ...base, as_of })),
      { id: 'now', ...base, as_of: '2026-12-07T15:00:00Z', now: '2026-12-07T15:00:01+0000' },
      { id: 'volume', ...base, as_of: '2026-12-07T15:00:00Z', total_volume: 1e20 },
    ];
    const r = await runCli(['rules', 'eval', '--rules', DEFAULT], {
      input: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
    expect(r.code).toBe(1);
    const byId = new Map(r.lines.map((l) => [l.id as string, l]));
    const extended = byId.get('extended')!;
    expect(extended).toMatchObject({ priority: 'CRITICAL', rule: 'G3' });
    for (const id of [...ACCEPTED.map(([a]) => a), 'now'])
      expect(byId.get(id), id).toMatchObject({
        priority: extended.priority,
        rule: extended.rule,
        explanation: extended.explanation,
      });
    for (const [as_of, words] of REFUSED) {
      const e = (byId.get(as_of) as { error: { code: string; message: string; fact: string } })
        .error;
      expect(e.code, as_of).toBe('INVALID_FACT');
      expect(e.fact).toBe('as_of');
      expect(e.message.startsWith(words), e.message).toBe(true);
      expect(e.message).toContain(`got ${JSON.stringify(as_of)}`);
    }
    expect((byId.get('volume') as { error: { message: string } }).error.message).toBe(
      'total_volume is larger than 9,007,199,254,740,991 (2^53 − 1), the largest whole number a JSON number holds exactly; got 100000000000000000000',
    );
  });

  it('keeps the extended form in the facts, as a file’s as_of is read', () => {
    for (const [given, extended] of ACCEPTED) {
      const v = validateFacts({ ...base, as_of: given });
      expect(v.ok && v.value.as_of, given).toBe(extended);
    }
    // Already extended: kept as written.
    const v = validateFacts({ ...base, as_of: '2026-12-07T15:00:00.000Z' });
    expect(v.ok && v.value.as_of).toBe('2026-12-07T15:00:00.000Z');
    // A file's as_of takes the same forms (the reader adds seconds, as it always did).
    expect(parseTimestamp('2026-12-07T20:00:00+05', 'America/New_York')).toBe(
      '2026-12-07T20:00:00+05:00',
    );
    expect(parseTimestamp('20261207T150000Z', 'America/New_York')).toBe('2026-12-07T15:00:00Z');
    expect(parseTimestamp('2026-12-07T15:00:00,5Z', 'America/New_York')).toBe(
      '2026-12-07T15:00:00.5Z',
    );
    expect(parseTimestamp('2026-12-07T10:00-05', 'America/New_York')).toBe(
      '2026-12-07T10:00:00-05:00',
    );
  });
});
