// `rules eval` as CONTRACTS.md describes it: one JSON line out per non-blank line in,
// decisions, fact errors with the fact, and line numbers for lines that are not JSON.
// Every answer carries its input's line (blank lines counted, not answered), so that an
// answer to facts without an id can be matched (QA ct F3); a requested level is read in
// any case, as ingest reads it (QA ct F4).
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { defaultRules, evalLines } from '../../electron/engine/rules/index.ts';

const collect = async (it: AsyncIterable<string>) => {
  const out: unknown[] = [];
  for await (const line of it) {
    expect(line).not.toContain('\n');
    out.push(JSON.parse(line));
  }
  return out;
};

const INPUT = [
  '{"id": "a", "underlying": "SPX", "as_of": "2024-01-07T10:52:00-05:00", "now": "2024-01-07T15:52:02Z", "total_volume": 80000, "total_open_interest": 300000, "gex_change": 0.25}',
  '',
  '   ',
  '{"id": 7, "underlying": "SPX", "as_of": "2024-01-07T10:52:00-05:00", "total_volume": -3, "total_open_interest": 0, "gex_change": null}',
  'not json',
  '[1, 2]',
  '{"underlying": "NDX", "as_of": "2024-01-07T15:51:00+00:00", "total_volume": 10, "total_open_interest": 10, "gex_change": 0, "requested_priority": "HIGH", "justification": "FOMC"}',
  '{"id": "b", "underlying": "SPX", "as_of": "2024-01-07T10:52:00-05:00", "now": "2024-01-07T15:52:02Z", "total_volume": 80000, "total_open_interest": 300000, "gex_change": 0.25, "requested_priority": "LOW"}',
  '{"id": "c", "underlying": "SPX", "as_of": "2024-01-07T10:52:00-05:00", "total_volume": 10, "total_open_interest": 10, "gex_change": 0, "requested_priority": "high", "justification": "FOMC"}',
].join('\r\n');

const EXPECTED = [
  {
    id: 'a',
    line: 1,
    priority: 'CRITICAL',
    rule: 'G3',
    explanation: 'G3: impact high, change large, freshness real-time → CRITICAL',
  },
  {
    id: 7,
    line: 4,
    error: {
      code: 'INVALID_FACT',
      message: expect.stringContaining('total_volume'),
      fact: 'total_volume',
    },
  },
  {
    line: 5,
    error: { code: 'INVALID_REQUEST', message: expect.stringContaining('line 5 is not JSON') },
  },
  {
    line: 6,
    error: { code: 'INVALID_REQUEST', message: expect.stringContaining('not a JSON object') },
  },
  {
    id: null,
    line: 7,
    priority: 'HIGH',
    rule: 'G1',
    explanation: 'G1: requested priority HIGH (justification "FOMC") → HIGH',
  },
  {
    id: 'b',
    line: 8,
    error: {
      code: 'INVALID_FACT',
      message: expect.stringContaining('justification'),
      fact: 'justification',
    },
  },
  {
    id: 'c',
    line: 9,
    priority: 'HIGH',
    rule: 'G1',
    explanation: 'G1: requested priority HIGH (justification "FOMC") → HIGH',
  },
];

describe('evalLines', () => {
  const now = new Date('2024-01-07T15:52:00Z');

  it('answers a whole text line by line', async () => {
    expect(await collect(evalLines(INPUT, defaultRules(), now))).toEqual(EXPECTED);
  });

  it('answers byte chunks that split lines anywhere (process.stdin)', async () => {
    const bytes = Buffer.from(INPUT + '\n', 'utf8');
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    expect(await collect(evalLines(Readable.from(chunks), defaultRules(), now))).toEqual(EXPECTED);
  });

  it('answers lines from node:readline', async () => {
    const lines = createInterface({
      input: Readable.from([Buffer.from(INPUT)]),
      crlfDelay: Infinity,
    });
    expect(await collect(evalLines(lines, defaultRules(), now))).toEqual(EXPECTED);
  });

  it('skips a BOM before the first line, whichever way the input comes', async () => {
    const withBom = '\uFEFF' + INPUT;
    expect(await collect(evalLines(withBom, defaultRules(), now))).toEqual(EXPECTED);
    const lines = createInterface({
      input: Readable.from([Buffer.from(withBom)]),
      crlfDelay: Infinity,
    });
    expect(await collect(evalLines(lines, defaultRules(), now))).toEqual(EXPECTED);
    const bytes = Readable.from([Buffer.from(withBom)]);
    expect(await collect(evalLines(bytes, defaultRules(), now))).toEqual(EXPECTED);
  });

  it('uses the clock when neither the line nor the caller gives now', async () => {
    const asOf = new Date(Date.now() - 1000).toISOString();
    const [out] = await collect(
      evalLines(
        `{"id": 1, "underlying": "SPX", "as_of": "${asOf}", "total_volume": 80000, "total_open_interest": 300000, "gex_change": null}`,
        defaultRules(),
      ),
    );
    expect(out).toMatchObject({ id: 1, priority: 'CRITICAL' });
  });
});
