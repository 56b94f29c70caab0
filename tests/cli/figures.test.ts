// How the command line writes a dollar figure in its tables and summaries: each in the
// unit it reads best, so a small equity's exposure is not a row of "0.00 Bn".
import { describe, expect, it } from 'vitest';
import { elapsed, plain, table, usd } from '../../electron/host/cli/io.ts';
import { humanLine, type IngestLine } from '../../electron/host/cli/ingest-lines.ts';

describe('usd', () => {
  it('writes billions, millions or dollars, whichever the figure reaches, sign kept', () => {
    expect(usd(-10_998_709_390.13)).toBe('-11.00 Bn');
    expect(usd(1_000_000_000)).toBe('1.00 Bn');
    expect(usd(999_999_999)).toBe('1.00 Bn');
    expect(usd(999_990_000)).toBe('999.99 M');
    expect(usd(-35_250_000)).toBe('-35.25 M');
    expect(usd(240_000)).toBe('240,000'); // separators, as the app (QA day F8: "-432946")
    expect(usd(-432_945.71)).toBe('-432,946');
    expect(usd(0)).toBe('0');
    expect(usd(-0.3)).toBe('-0.30'); // not 0: a non-zero figure keeps its sign (gex-scale.ts)
    expect(usd(null)).toBe('—');
  });
});

describe('plain', () => {
  it("writes a number with a price's digits, not binary floating point's", () => {
    expect(plain(240 * 1.015)).toBe('243.6');
    expect(plain(0.1 + 0.2)).toBe('0.3');
    expect(plain(4697.2402)).toBe('4697.2402');
    expect(plain(0.0001234)).toBe('0.0001234');
    expect(plain(20592)).toBe('20592');
    expect(plain(-4734.48)).toBe('-4734.48');
  });
});

describe('elapsed', () => {
  it('writes a measured time in the unit it reads best (the queue: a wait of hours is not 5400000 ms)', () => {
    expect(elapsed(null)).toBe('—');
    expect(elapsed(346.6)).toBe('347 ms');
    expect(elapsed(12_449)).toBe('12.4 s');
    expect(elapsed(185_000)).toBe('3m 05s');
    expect(elapsed(5_400_000)).toBe('1h 30m');
    expect(
      table(
        ['level', 'p50'],
        [
          ['CRITICAL', elapsed(347)],
          ['LOW', elapsed(5_400_000)],
          ['HIGH', elapsed(null)],
        ],
      ),
    ).toBe(
      ['level        p50', 'CRITICAL  347 ms', 'LOW       1h 30m', 'HIGH           —'].join('\n'),
    );
  });
});

describe('table', () => {
  it('right-aligns ages as numbers', () => {
    expect(
      table(
        ['underlying', 'age'],
        [
          ['META', '454 d'],
          ['SPX', '1059 d'],
        ],
      ),
    ).toBe(['underlying     age', 'META         454 d', 'SPX         1059 d'].join('\n'));
  });

  it('right-aligns numbers and dollar figures, left-aligns text', () => {
    expect(
      table(
        ['underlying', 'spot', 'total GEX'],
        [
          ['SPX', 4697.2402, usd(-10_998_709_390.13)],
          ['TSLA', 240 * 1.015, usd(-3_980_000)],
          ['QQQ', 400, usd(240_000)],
          ['META', null, usd(625_110_000)],
        ],
      ),
    ).toBe(
      [
        'underlying       spot  total GEX',
        'SPX         4697.2402  -11.00 Bn',
        'TSLA            243.6    -3.98 M',
        'QQQ               400    240,000',
        'META                —   625.11 M',
      ].join('\n'),
    );
  });
});

describe('ingest result lines', () => {
  // QA day F8: "total GEX -5.62 M USD/1%" beside "total GEX -432946 USD/1%".
  const line = (total: number): IngestLine => ({
    file: 'tsla.csv',
    request_id: 'r1',
    status: 'completed',
    priority: 'HIGH',
    rule: 'R1',
    latency_ms: 12,
    snapshot: {
      underlying: 'TSLA',
      as_of: '2024-03-06T16:00:00-05:00',
      spot: 180.74,
      total_gex: total,
      zero_gamma: 182.5,
      call_wall: 200,
      put_wall: 170,
      parquet: '/x/tsla.parquet',
    } as IngestLine['snapshot'],
  });

  it('write every total in its scale with separators', () => {
    expect(humanLine(line(-5_621_701))).toContain('total GEX -5.62 M USD/1%');
    expect(humanLine(line(-432_945.71))).toContain('total GEX -432,946 USD/1%');
    expect(humanLine(line(-10_998_709_390.13))).toContain('total GEX -11.00 Bn USD/1%');
  });
});
