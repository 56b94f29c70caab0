// `rules eval` as CONTRACTS.md describes it: one JSON line out per line in, decisions,
// fact errors with the fact, and line numbers for lines that are not JSON. Every answer
// carries its input's line, so that an answer to facts without an id can be matched (QA
// ct F3); a requested level is read in any case, as ingest reads it (QA ct F4). A blank
// line is answered too, as a line that is not JSON: skipped, it put every later answer
// one place off the input for a program pairing them by position.
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
    line: 2,
    error: { code: 'INVALID_REQUEST', message: 'line 2 is blank: no JSON object of facts' },
  },
  {
    line: 3,
    error: {
      code: 'INVALID_REQUEST',
      message: 'line 3 is blank: only white space, no JSON object of facts',
    },
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

/** The facts of one request, decided G3 CRITICAL at `now` below. */
const FACTS = JSON.stringify({
  underlying: 'SPX',
  as_of: '2024-01-07T15:51:58Z',
  now: '2024-01-07T15:52:00Z',
  total_volume: 80000,
  total_open_interest: 300000,
  gex_change: 0.25,
});

/**
 * Each answer's line and whether it is a decision or which error, the text given whole
 * and as byte chunks of 3 (process.stdin, what `rules eval` reads) alike.
 */
async function answered(text: string): Promise<[number, string][]> {
  const read = async (input: Parameters<typeof evalLines>[0]) =>
    (
      (await collect(evalLines(input, defaultRules()))) as {
        line: number;
        priority?: string;
        error?: { message: string };
      }[]
    ).map((a): [number, string] => [a.line, a.error ? a.error.message : a.priority!]);
  const whole = await read(text);
  const bytes = Buffer.from(text, 'utf8');
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
  expect(await read(Readable.from(chunks))).toEqual(whole);
  return whole;
}

describe('evalLines answers every line, blank ones too', () => {
  const blank = (n: number) => [n, `line ${n} is blank: no JSON object of facts`];

  it('a blank line in the middle, in its place', async () => {
    expect(await answered(`${FACTS}\n\n${FACTS}\n`)).toEqual([
      [1, 'CRITICAL'],
      blank(2),
      [3, 'CRITICAL'],
    ]);
  });

  it('a line of white space only', async () => {
    expect(await answered(`${FACTS}\n \t \n${FACTS}\n`)).toEqual([
      [1, 'CRITICAL'],
      [2, 'line 2 is blank: only white space, no JSON object of facts'],
      [3, 'CRITICAL'],
    ]);
  });

  it('CRLF line ends: one line each, an empty one blank (not white space)', async () => {
    expect(await answered(`${FACTS}\r\n\r\n${FACTS}\r\n`)).toEqual([
      [1, 'CRITICAL'],
      blank(2),
      [3, 'CRITICAL'],
    ]);
  });

  it('a final line without a newline is a line; the end after a final newline is none', async () => {
    expect(await answered(`${FACTS}\n${FACTS}`)).toEqual([
      [1, 'CRITICAL'],
      [2, 'CRITICAL'],
    ]);
    expect(await answered(`${FACTS}\r\n${FACTS}`)).toEqual([
      [1, 'CRITICAL'],
      [2, 'CRITICAL'],
    ]);
    expect(await answered(`${FACTS}\n${FACTS}\n`)).toHaveLength(2);
    expect(await answered(`${FACTS}\n  `)).toEqual([
      [1, 'CRITICAL'],
      [2, 'line 2 is blank: only white space, no JSON object of facts'],
    ]);
  });

  it('input ending "\\n\\n": the last, empty line is a line and is answered', async () => {
    expect(await answered(`${FACTS}\n${FACTS}\n\n`)).toEqual([
      [1, 'CRITICAL'],
      [2, 'CRITICAL'],
      blank(3),
    ]);
    expect(await answered(`${FACTS}\r\n\r\n`)).toEqual([[1, 'CRITICAL'], blank(2)]);
    expect(await answered('\n')).toEqual([blank(1)]);
    expect(await answered('')).toEqual([]);
  });

  it('a lone CR is no line end (JSON Lines end lines at LF): inside a line it is white space', async () => {
    const spaced = FACTS.replace(',"as_of"', ',\r"as_of"');
    expect(await answered(`${spaced}\n\r\n`)).toEqual([[1, 'CRITICAL'], blank(2)]);
  });
});
