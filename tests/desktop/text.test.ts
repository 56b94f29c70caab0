// What an analyst reads must be exact and consistent: numbers, one GEX scale per
// view, times always with their zone, counted nouns, quality in words, and errors
// without the app's own folders.
import { describe, expect, it } from 'vitest';
import { originLabel, shortFolder } from '../../renderer/src/text/origin.ts';
import {
  aAfterB,
  goneSideText,
  sideOrigin,
} from '../../renderer/src/views/snapshots/compare-sides.ts';
import type { AppError } from '../../shared/result.ts';
import { byteSizesApart } from '../../shared/bytes.ts';
import {
  bytes,
  duration,
  int,
  num,
  pct,
  price,
  spotPrice,
  basename,
  shownName,
} from '../../renderer/src/text/numbers.ts';
import {
  BN,
  M,
  USD,
  gex,
  gexCell,
  gexExact,
  gexNumber,
  gexReadout,
  gexScale,
  gexTick,
  inScale,
} from '../../renderer/src/text/scale.ts';
import { usdIn } from '../../electron/host/cli/io.ts';
import { factValue } from '../../renderer/src/text/fact-value.ts';
import {
  latestTotals,
  submissionsScale,
  submissionTotal,
} from '../../renderer/src/text/submission-figures.ts';
import {
  asOfStamp,
  localClock,
  localDateTime,
  localStamp,
  offsetLabel,
  zoneIfOther,
} from '../../renderer/src/text/time.ts';
import { countsAsOf, heldText, inboxTitle, plural } from '../../renderer/src/text/words.ts';
import { atUpperBound } from '../../shared/domain.ts';
import { describeQuality } from '../../renderer/src/text/quality.ts';
import { cleanError, stripPaths, withoutPlace } from '../../renderer/src/text/clean-error.ts';
import { noRetryReason, retryHelps } from '../../shared/retry.ts';
import { roundPrice } from '../../shared/prices.ts';
import { blank, echoed } from '../../shared/visible.ts';

describe('numbers', () => {
  it('formats prices, integers, fixed decimals and percentages with separators', () => {
    expect(price(4697.2402)).toBe('4,697.24');
    expect(price(4800)).toBe('4,800');
    expect(price(null)).toBe('—');
    // A spot keeps its two decimals when whole, so that a column of spots reads alike.
    expect(spotPrice(500)).toBe('500.00');
    expect(spotPrice(17052)).toBe('17,052.00');
    expect(spotPrice(4697.2402)).toBe('4,697.24');
    expect(spotPrice(null)).toBe('—');
    expect(int(20592)).toBe('20,592');
    expect(num(0.979, 1)).toBe('1.0');
    expect(pct(0.979)).toBe('97.9 %');
    expect(pct(0.0205)).toBe('2.1 %');
  });

  it('shows a sub-dollar underlying\'s levels with the decimals they need, never all "0.01"', () => {
    // Spot 0.0125, call wall 0.0125, max pain 0.013, zero gamma 0.010932 (stored to 5
    // significant figures): each reads as written, at least two decimals.
    expect(spotPrice(0.0125)).toBe('0.0125');
    expect(price(0.0125)).toBe('0.0125');
    expect(price(0.013)).toBe('0.013');
    expect(price(0.010932)).toBe('0.010932');
    expect(price(0.5)).toBe('0.50');
    expect(spotPrice(0.25)).toBe('0.25');
    // Float noise in a level is not a decimal; a finer figure stops at 5 significant figures.
    expect(price(0.0125 + 1e-17)).toBe('0.0125');
    expect(price(0.01093249)).toBe('0.010932');
    expect(price(-0.0109)).toBe('-0.0109');
    // From $1 up, as before: 2 decimals (whole strikes none).
    expect(price(1.005)).toBe('1.01');
    expect(price(4734.48)).toBe('4,734.48');
    expect(spotPrice(1)).toBe('1.00');
    // What the engine stores: the cent from $1 up, 5 significant figures below.
    expect(roundPrice(4734.484999)).toBe(4734.48);
    expect(roundPrice(0.0109324)).toBe(0.010932);
    expect(roundPrice(-0.0109326)).toBe(-0.010933);
  });

  it('writes durations compactly, always with a unit', () => {
    expect(duration(840)).toBe('840 ms');
    expect(duration(12_400)).toBe('12.4 s');
    expect(duration(185_000)).toBe('3m 05s');
    expect(duration(7_260_000)).toBe('2h 01m');
    expect(duration(-5)).toBe('0 ms');
    expect(duration(null)).toBe('—');
  });

  it('gives sizes and base names', () => {
    // Binary units, labelled as such: 146,302,901 bytes are 146.3 MB but 139.5 MiB.
    expect(bytes(146_302_901)).toBe('139.5 MiB');
    expect(bytes(1_578_085)).toBe('1.5 MiB');
    expect(bytes(20_000_000)).toBe('19.1 MiB');
    // A size over a limit it rounds to is told apart from it in whole bytes.
    expect(byteSizesApart(20_000_001, 20_000_000)).toEqual([
      '20,000,001 bytes',
      '20,000,000 bytes',
    ]);
    expect(byteSizesApart(146_302_901, 20_000_000)).toEqual(['139.5 MiB', '19.1 MiB']);
    expect(bytes(2048)).toBe('2.0 KiB');
    expect(bytes(3 * 1024 ** 3)).toBe('3.00 GiB');
    // Never "1024.0 KiB": a size that rounds up to the next unit is written in it.
    expect(bytes(1024 ** 2 - 1)).toBe('1.0 MiB');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(40)).toBe('40 B');
    expect(basename('/tmp/a/b/spx.csv')).toBe('spx.csv');
    expect(basename('C:\\data\\meta.json')).toBe('meta.json');
  });
});

describe('one GEX scale per view', () => {
  it('uses billions when any figure reaches 1 Bn, else millions, for every figure', () => {
    const scale = gexScale([-10_998_709_390.13, 625_000_000, null]);
    expect(scale).toBe(BN);
    expect(gex(-10_998_709_390.13, scale)).toBe('-11.00 Bn');
    expect(gex(625_000_000, scale)).toBe('0.63 Bn');
    expect(gexScale([625_000_000, -12_000])).toBe(M);
    expect(gex(625_000_000, M)).toBe('625.00 M');
    expect(gexNumber(Number.NaN, M)).toBe('—');
    // A small equity's figure beside SPX keeps its sign, the gamma regime, in two
    // significant digits; only 0 reads 0, without a sign.
    expect(gex(-3_980_000, BN)).toBe('-0.0040 Bn');
    expect(gex(4_950_000, BN)).toBe('0.0050 Bn');
    expect(gexNumber(-1_200, M)).toBe('-0.0012');
    expect(gexNumber(49_000, BN)).toBe('0.000049');
    expect(gex(-0, BN)).toBe('0.00 Bn');
    expect(gex(-5_000_000, M)).toBe('-5.00 M');
  });

  it('never writes a non-zero figure as 0, and fits a view of small figures', () => {
    // A sub-dollar underlying's snapshot (call +7.94, put -28.83): whole dollars, not
    // "0.00 M" beside "-0.000029 M".
    const small = gexScale([7.9375, -28.83, -20.89]);
    expect(small).toBe(USD);
    expect(gex(7.9375, small)).toBe('7.9 USD'); // two significant digits, as 0.47 has
    expect(gex(-28.83, small)).toBe('-29 USD');
    expect(gexNumber(3_012.55, small)).toBe('3,013');
    expect(gexNumber(0.47, small)).toBe('0.47');
    expect(gexNumber(0, small)).toBe('0');
    // Beside SPX, in billions, $3,012.55 and -$1,200 keep their digits and their sign.
    expect(gexNumber(3_012.55, BN)).toBe('0.0000030');
    expect(gex(-1_200, BN)).toBe('-0.0000012 Bn');
    expect(gex(0.004, M, { digits: 0 })).toBe('0.0000000040 M');
    expect(gexNumber(0, BN)).toBe('0.00');
    // The command line's columns follow the same rule.
    expect(usdIn([3_012.55, 0.47, 0])(0.47)).toBe('0.47');
    expect(usdIn([3_012.55, 0.47, 0])(3_012.55)).toBe('3,013');
    expect(usdIn([3_012.55, 0.47, 0])(0)).toBe('0');
  });

  it('writes a table cell with two significant digits, one too small for six decimals in its own scale', () => {
    const exact = (v: number) => ({ exact: gexExact(v) });
    // Beside SPX, in billions: -3.98 M keeps two significant digits.
    expect(gexCell(-3_980_000, BN)).toEqual({ text: '-0.0040', ...exact(-3_980_000) });
    expect(gexCell(-1_200, M)).toEqual({ text: '-0.0012', ...exact(-1_200) });
    expect(gexCell(-10_998_709_390.13, BN)).toEqual({
      text: '-11.00',
      exact: '-$10,998,709,390.13 per 1 % move',
    });
    // QA day F1/F2: 6.45 M read "0.01" beside 1.08 M's "0.0011"; -$432,946 read "-0.00"
    // on the board and "-0.00043" in All snapshots.
    expect(gexCell(6_452_489, BN).text).toBe('0.0065');
    expect(gexCell(1_084_594, BN).text).toBe('0.0011');
    expect(gexCell(-12_158_800, BN).text).toBe('-0.012');
    expect(gexCell(-5_621_701, BN).text).toBe('-0.0056');
    expect(gexCell(67_900_000, BN).text).toBe('0.068');
    expect(gexCell(-432_945.71, BN)).toEqual({
      text: '-0.00043',
      exact: '-$432,945.71 per 1 % move',
    });
    // -$20.89 beside SPX would need "-0.000000021": it is written in its own scale, named.
    expect(gexCell(-20.89, BN)).toEqual({ text: '-21 USD', ...exact(-20.89) });
    expect(gexCell(3_012.55, BN)).toEqual({ text: '3,013 USD', ...exact(3_012.55) });
    expect(gexCell(10_000, BN).text).toBe('0.000010');
    expect(gexCell(4_900, M).text).toBe('0.0049');
    expect(gexCell(0, BN).text).toBe('0.00');
    expect(gexCell(-0, BN).text).toBe('0.00');
    expect(gexCell(null, BN)).toEqual({ text: '—' });
    expect(gexCell(0.47, USD).text).toBe('0.47');
  });

  it('writes a submission’s total as the levels board does, in the board’s scale', () => {
    const at = (as_of: string, created_at = as_of) => ({ as_of, created_at });
    // A total of 15.50 M whose call GEX reached 1.2 Bn was said "0.02 Bn" (the snapshot's
    // own scale, from its call and put GEX too) while the board showed "15.50 M".
    const mid = {
      underlying: 'MID',
      ...at('2026-03-20T14:30:00Z'),
      total_gex: 15_500_000,
      call_gex: 1_200_000_000,
      put_gex: -1_184_500_000,
    };
    const alone = submissionsScale([mid], [mid, undefined]);
    expect(submissionTotal(mid, alone)).toBe('15.50 M');
    const board = gexScale(latestTotals([mid]));
    expect(`${gexCell(mid.total_gex, board).text} ${board.unit}`).toBe('15.50 M');
    // Beside SPX's latest -11 Bn, on the board and so in the panel, it reads billions; an
    // older SPX snapshot (its -40 Bn replaced by a later one) sets no scale.
    const spx = [
      { underlying: 'SPX', ...at('2026-03-19T20:00:00Z'), total_gex: -40e9 },
      { underlying: 'SPX', ...at('2026-03-20T20:00:00Z'), total_gex: -11e9 },
      { underlying: 'SPX', ...at('2026-03-20T20:00:00Z', '2026-03-21T00:00:00Z'), total_gex: -9e9 },
    ];
    expect(latestTotals([...spx, mid]).sort()).toEqual([-9e9, 15_500_000].sort());
    const beside = submissionsScale([...spx, mid], [mid]);
    expect(beside).toBe(gexScale(latestTotals([...spx, mid])));
    // Two significant digits, as the board's cell (QA day F1: "0.02" read 29 % high).
    expect(submissionTotal(mid, beside)).toBe('0.016 Bn');
    expect(gexCell(mid.total_gex, beside).text).toBe('0.016');
    // One too small for the board's column reads as the board's cell, in its own scale.
    expect(submissionTotal({ total_gex: -20.89 }, beside)).toBe('-21 USD');
    // A small underlying's board in millions stays in millions for the panel.
    const small = { underlying: 'SMALL', ...at('2026-03-20T14:30:00Z'), total_gex: -20.89 };
    expect(submissionTotal(mid, submissionsScale([small, mid], [mid]))).toBe('15.50 M');
  });

  it('reads out a figure with the significant digits that tell it from its neighbours', () => {
    // A $45 underlying's profile in millions: $6,094 and $13,780 read apart, not "0.01 M".
    expect(gexReadout(6_094, M, '$ per 1 % move')).toBe('0.00609 M $ per 1 % move');
    expect(gexReadout(13_780, M, '$ per 1 % move')).toBe('0.0138 M $ per 1 % move');
    expect(gexReadout(4_262, M, '$ per 1 % move')).toBe('0.00426 M $ per 1 % move');
    expect(gexReadout(-1_234_567, M, '$')).toBe('-1.23 M $');
    expect(gexReadout(0.47, USD, '$ per 1 % move')).toBe('0.470 $ per 1 % move');
    expect(gexReadout(197_799, USD, '$ per 1 % move')).toBe('197,799 $ per 1 % move');
    expect(inScale('Total GEX', USD)).toBe('Total GEX, USD');
    expect(inScale('$ per 1 % move', USD)).toBe('$ per 1 % move');
    expect(inScale('$ per 1 % move', M)).toBe('$ per 1 % move, M');
  });

  it('labels axis ticks in the axis scale with the decimals the step needs', () => {
    expect(gexTick(2_500_000_000, BN, 500_000_000)).toBe('2.5');
    expect(gexTick(-2_000_000_000, BN, 1_000_000_000)).toBe('-2');
    expect(gexTick(350_000_000, M, 50_000_000)).toBe('350');
    expect(gexTick(250_000_000, BN, 50_000_000)).toBe('0.25');
  });
});

describe('times with their zone', () => {
  it('keeps a data time in the offset the exchange wrote, and names it', () => {
    expect(asOfStamp('2024-01-07T10:52:00-05:00')).toBe('2024-01-07 10:52:00 UTC−5');
    expect(asOfStamp('2024-01-07T15:52:00Z')).toBe('2024-01-07 15:52:00 UTC');
    expect(asOfStamp('2024-01-07T21:22:00.250+05:30')).toBe('2024-01-07 21:22:00 UTC+5:30');
    expect(offsetLabel('+01:00')).toBe('UTC+1');
    expect(asOfStamp(null)).toBe('—');
  });

  it('shows the app’s own instants in a named zone', () => {
    expect(localStamp('2025-12-02T13:03:27.000Z', 'Europe/Berlin')).toMatch(
      /^2025-12-02 14:03:27 (CET|GMT\+1)$/,
    );
    expect(localStamp('2025-07-02T13:03:27Z', 'America/New_York')).toMatch(
      /^2025-07-02 09:03:27 (EDT|GMT-4)$/,
    );
    expect(localClock('2025-12-02T13:03:27Z', 'UTC')).toBe('13:03:27');
    expect(localDateTime('2025-12-02T13:03:27Z', 'UTC')).toBe('2025-12-02 13:03:27');
  });
});

describe('a time from the other side of a daylight-saving change', () => {
  it('names its own zone where the header names another', () => {
    expect(zoneIfOther('2026-12-05T08:54:40Z', 'CEST', 'Europe/Berlin')).toBe('CET');
    expect(zoneIfOther('2026-12-05T08:54:40Z', 'CET', 'Europe/Berlin')).toBe('');
    expect(zoneIfOther('2027-07-01T10:00:00Z', 'CET', 'Europe/Berlin')).toBe('CEST');
    expect(zoneIfOther(null, 'CET', 'Europe/Berlin')).toBe('');
  });
});

describe('plurals', () => {
  it('counts as a person writes', () => {
    expect(plural(1, 'job')).toBe('1 job');
    expect(plural(0, 'job')).toBe('0 jobs');
    expect(plural(1, 'entry')).toBe('1 entry');
    expect(plural(2, 'entry')).toBe('2 entries');
    expect(plural(12_000, 'snapshot')).toBe('12,000 snapshots');
  });
});

describe('files held in the inbox', () => {
  it('says how many, why without DuckDB’s own words, and when they are tried again', () => {
    expect(
      heldText(
        {
          count: 2,
          reason:
            'The database /d/gex.duckdb can no longer be written: the disk holding it is full. Free some space, then open it again (DuckDB: FATAL Error: …)',
        },
        '14:03:27',
      ),
    ).toBe(
      '2 files held in the inbox, not failed: The database /d/gex.duckdb can no longer be written: the disk holding it is full. Free some space, then open it again. Tried again from 14:03:27.',
    );
    expect(
      heldText(
        { count: 1, reason: '/in/a.csv: the disk is full: free some space, then retry (ENOSPC)' },
        '09:00:00',
      ),
    ).toBe(
      '1 file held in the inbox, not failed: /in/a.csv: the disk is full: free some space, then retry (ENOSPC). Tried again from 09:00:00.',
    );
  });
});

describe('the inbox in the status bar’s tooltip', () => {
  const status = {
    dir: '/in',
    watching: true,
    problem: null,
    counts: { failed: 8 },
    refused: { count: 2, recent: [] },
  };
  it('tells the failed files with a job from those the inbox refused, with or without a problem', () => {
    expect(inboxTitle(status)).toBe(
      '/in; failed 8: 6 jobs, 2 refused by the inbox: open the inbox',
    );
    // QA3 F3: a problem (a file too deep) hid the split, where the Queue says failed 6.
    expect(inboxTitle({ ...status, problem: '1 file lies more than 8 folders deep.' })).toBe(
      '1 file lies more than 8 folders deep. Inbox failed 8: 6 jobs, 2 refused by the inbox. Click to open the inbox.',
    );
    expect(
      inboxTitle({ ...status, problem: 'The inbox is gone.', refused: { count: 0, recent: [] } }),
    ).toBe('The inbox is gone. Click to open the inbox.');
  });
});

describe('the inbox’s counts while its folder does not answer', () => {
  it('says when they were read, or unknown, never silently zeros (QA sv F2)', () => {
    const clock = (iso: string) => iso.slice(11, 19);
    expect(countsAsOf({}, clock)).toBeNull();
    expect(countsAsOf({ counts_as_of: '2026-12-07T10:02:11.000Z' }, clock)).toBe('as of 10:02:11');
    expect(countsAsOf({ counts_as_of: null }, clock)).toBe('counts unknown');
  });
});

describe('a level that is only the rules’ upper bound', () => {
  it('is a deciding job’s, or an entry written while it was deciding; not an ended one’s', () => {
    expect(atUpperBound({ rule: 'deciding', status: 'deciding' })).toBe(true);
    expect(atUpperBound({ rule: 'deciding' })).toBe(true); // an arrival entry
    expect(atUpperBound({ rule: 'deciding', status: 'failed' })).toBe(false); // ended undecided
    expect(atUpperBound({ rule: 'fresh_spx', status: 'queued' })).toBe(false);
    expect(atUpperBound({ rule: 'unreadable' })).toBe(false);
    expect(atUpperBound({ rule: null })).toBe(false);
  });
});

describe('quality in words', () => {
  const q = {
    score: 432 / 21_038,
    rows_total: 21_038,
    rows_used: 432,
    dropped: [
      { reason: 'no gamma and no iv', rows: 10 },
      { reason: 'expired', rows: 20_596 },
    ],
  };

  it('says how much was used, why the rest was dropped (largest first), and marks it under the threshold', () => {
    const v = describeQuality(q, 0.8);
    expect(v.label).toBe('2.1 %');
    expect(v.tone).toBe('low');
    expect(v.below).toBe(true);
    expect(v.reasons).toEqual([
      '97.9 % dropped: expired expiries',
      '0.0 % dropped: no gamma and no IV',
    ]);
    expect(v.summary).toBe(
      'Quality 2.1 %: 432 of 21,038 rows used; 97.9 % dropped: expired expiries; 0.0 % dropped: no gamma and no IV; below your 80 % threshold',
    );
  });

  it('is green from 95 %, amber between the threshold and 95 %', () => {
    expect(describeQuality({ ...q, score: 0.99, dropped: [] }, 0.8).tone).toBe('good');
    expect(describeQuality({ ...q, score: 0.9 }, 0.8)).toMatchObject({
      tone: 'fair',
      below: false,
    });
    expect(describeQuality({ ...q, score: 0.9 }, 0.95)).toMatchObject({ tone: 'low', below: true });
  });

  it('says which figures the file did not give: no IV, gamma from the model', () => {
    const v = describeQuality(
      {
        ...q,
        dropped: [],
        partial: [
          { reason: 'no gamma in the file: Black-Scholes gamma from iv', rows: 432 },
          { reason: 'iv 0 or missing: vanna and charm count 0', rows: 1 },
        ],
      },
      0,
    );
    expect(v.notes).toEqual([
      '432 rows: gamma from Black-Scholes, none in the file',
      '1 row: no IV, so no vanna or charm',
    ]);
    expect(v.summary).toBe(
      'Quality 2.1 %: 432 of 21,038 rows used; 432 rows: gamma from Black-Scholes, none in the file; 1 row: no IV, so no vanna or charm',
    );
  });
});

describe('errors without the app’s folders', () => {
  const staged =
    '/home/ana/.config/gex-desk/inbox/.uploads/3f2a9c1e-1b2c-4d5e-8f90-a1b2c3d4e5f6/junk.csv';

  it('names the file by its base name and strips absolute paths from the message', () => {
    const e = cleanError({
      code: 'UNKNOWN_FORMAT',
      message: `${staged} is not a format GEX Desk reads (see docs/formats.md)`,
      file: staged,
      line: 1,
    });
    expect(e).toEqual({
      code: 'UNKNOWN_FORMAT',
      message: 'junk.csv is not a format GEX Desk reads (see docs/formats.md)',
      file: 'junk.csv',
      line: 1,
    });
    expect(stripPaths('cannot open C:\\Users\\ana\\AppData\\gex\\staging\\spx.csv: busy')).toBe(
      'cannot open spx.csv: busy',
    );
    expect(stripPaths('moved /var/lib/gex/processing/ab.csv.')).toBe('moved ab.csv.');
    // A name with a space is found whole when the error names its file.
    expect(
      cleanError({
        code: 'IO',
        message: 'cannot read /data/in/my chain.csv: busy',
        file: '/data/in/my chain.csv',
      }).message,
    ).toBe('cannot read my chain.csv: busy');
    expect(stripPaths('see http://127.0.0.1:4000/api/x and docs/formats.md')).toBe(
      'see http://127.0.0.1:4000/api/x and docs/formats.md',
    );
  });

  it('keeps the whole path of an export file and of an attached folder, which an analyst must find', async () => {
    // Snapshot files are <uuid>.parquet in folders often all called `data`: the base name
    // alone cannot be found to copy it again or remove it (the command line names it whole).
    const file = '/mnt/desk b/data/snapshots/underlying=MSFT/date=2024-04-10/0000copying.parquet';
    const error = {
      code: 'BAD_SHAPE' as const,
      message: `${file}, in an attached export folder, cannot be read as Parquet (copied only in part, or damaged): copy it again, or remove it (parquet: File out of specification: The file must end with PAR1)`,
      file,
    };
    expect(cleanError(error)).toEqual(error);
    const windows = 'D:\\exports\\data\\underlying=SPX\\date=2024-04-10\\0b1c.parquet';
    expect(stripPaths(`${windows} is missing`)).toBe(`${windows} is missing`);
    // The app's own folders still go, in the same message.
    expect(stripPaths(`${file} and /home/ana/.config/gex-desk/staging/spx.csv`, file)).toBe(
      `${file} and spx.csv`,
    );
    // An attached folder is named whole where the message calls it one.
    const gone = {
      code: 'FILE_NOT_FOUND' as const,
      message: 'The attached export folder /mnt/desk-b/data does not exist (or cannot be read).',
      file: '/mnt/desk-b/data',
    };
    expect(cleanError(gone)).toEqual(gone);
    expect(
      stripPaths(
        'There is no snapshot 9e77 (in the store or the attached folders /a/data, /b/data).',
      ),
    ).toBe('There is no snapshot 9e77 (in the store or the attached folders /a/data, /b/data).');
    expect(
      stripPaths('Snapshot 9e77 is in the attached folder /a/data, which GEX Desk only reads'),
    ).toBe('Snapshot 9e77 is in the attached folder /a/data, which GEX Desk only reads');
  });

  it('offers a retry only where it can help', () => {
    const failed = (
      code: 'WORKER_CRASHED' | 'TIMEOUT' | 'IO' | 'UNKNOWN_FORMAT' | 'TRUNCATED',
    ) => ({ status: 'failed' as const, error: { code, message: 'x' } });
    expect(retryHelps(failed('WORKER_CRASHED'))).toBe(true);
    expect(retryHelps(failed('TIMEOUT'))).toBe(true);
    expect(retryHelps(failed('IO'))).toBe(true);
    expect(retryHelps({ status: 'cancelled', error: null })).toBe(true);
    expect(retryHelps(failed('UNKNOWN_FORMAT'))).toBe(false);
    expect(retryHelps(failed('TRUNCATED'))).toBe(false);
    expect(retryHelps({ status: 'completed', error: null })).toBe(false);
    expect(noRetryReason(failed('UNKNOWN_FORMAT'))).toMatch(
      /UNKNOWN_FORMAT is a problem of the file itself/,
    );
    expect(noRetryReason(failed('IO'))).toBeNull();
  });
});

describe('a failed row’s message without its place said twice', () => {
  it('drops the file, line and field the row shows beside it, keeping what was wrong', () => {
    const cell: AppError = {
      code: 'BAD_VALUE',
      file: 'spx.csv',
      line: 10,
      field: 'Calls Gamma',
      message: 'spx.csv, line 10, field "Calls Gamma" ("0,0012") is not a number',
    };
    expect(withoutPlace(cell)).toBe('is not a number ("0,0012")');
    expect(
      withoutPlace({ ...cell, message: 'spx.csv, line 10, field "Calls Gamma" is missing' }),
    ).toBe('is missing');
    expect(
      withoutPlace({
        code: 'BAD_VALUE',
        file: 'spx.csv',
        line: 12,
        message: 'spx.csv, line 12 has 30 fields where the header has 31',
      }),
    ).toBe('has 30 fields where the header has 31');
    expect(
      withoutPlace({
        code: 'BAD_HEADER',
        file: 'spx.csv',
        line: 4,
        message: 'spx.csv, line 4: no "Strike" column in the header',
      }),
    ).toBe('no "Strike" column in the header');
    // A Parquet file's rows, and a field of its own name.
    expect(
      withoutPlace({
        code: 'BAD_VALUE',
        file: 'x.parquet',
        line: 40,
        field: 'gamma',
        message: 'x.parquet, row 40, field "gamma" ("abc") is not a number',
      }),
    ).toBe('is not a number ("abc")');
    // A message that does not open with its place stays whole.
    const other: AppError = {
      code: 'IO',
      file: 'spx.csv',
      message: 'the disk is full while writing spx.csv',
    };
    expect(withoutPlace(other)).toBe(other.message);
    expect(
      withoutPlace({ code: 'INTERNAL', message: 'spx.csv, line 3', file: 'spx.csv', line: 3 }),
    ).toBe('spx.csv, line 3');
  });
});

describe('where an attached snapshot comes from', () => {
  it('shortens the folder from the left, keeping what tells desks apart', () => {
    expect(originLabel('local')).toBeNull();
    expect(originLabel('/mnt/desk-b/gex-desk/data')).toBe('attached: /mnt/desk-b/gex-desk/data');
    // The app's default tail names no desk: the folder before it does (QA at F3).
    expect(shortFolder('/mnt/trading-floor/desk-b/gex-desk/data')).toBe('…/desk-b/gex-desk/data');
    // The folder before a long last one, cut in its middle: its end often names the desk.
    expect(shortFolder('/srv/exports/workstation-long-name-b/gex-desk-data')).toBe(
      '…/work…me-b/gex-desk-data',
    );
    expect(shortFolder('/tmp/gex-analytics-EAGblL/data')).toBe('…/gex-anal…s-EAGblL/data');
    // A last folder too long beside another: its start and end.
    expect(shortFolder('/srv/exports/desk-b/exports-of-the-trading-floor')).toBe(
      '…/exports-of-…ading-floor',
    );
    expect(shortFolder('C:\\Users\\ana\\AppData\\Roaming\\gex-desk\\data')).toBe(
      '…/ana/…/gex-desk/data',
    );
    expect(shortFolder('/Users/ana/Library/Application Support/gex-desk/data')).toBe(
      '…/ana/…/gex-desk/data',
    );
    expect(shortFolder('C:\\Users\\ana\\AppData\\Roaming\\GEX Desk\\archive')).toBe(
      '…/GEX Desk/archive',
    );
    expect(shortFolder(`/tmp/x/${'a'.repeat(20)}middle${'z'.repeat(20)}`)).toBe(
      `…/${'a'.repeat(11)}…${'z'.repeat(11)}`,
    );
  });

  it('tells two desks apart whose default data folders differ only in the home (QA at F3)', () => {
    const a = shortFolder('/home/a/.config/gex-desk/data');
    const b = shortFolder('/home/b/.config/gex-desk/data');
    expect([a, b]).toEqual(['…/a/…/gex-desk/data', '…/b/…/gex-desk/data']);
    expect(shortFolder('/tmp/qa-at/hb/.config/gex-desk/data')).toBe('…/hb/…/gex-desk/data');
    expect(shortFolder('/tmp/qa-at/hc/.config/gex-desk/data')).toBe('…/hc/…/gex-desk/data');
    // A long home or share name is cut in its middle, its start and end kept.
    expect(shortFolder('/home/workstation-of-the-trading-floor-b/.config/gex-desk/data')).toBe(
      '…/worksta…floor-b/…/gex-desk/data',
    );
    expect(originLabel('/home/a/.config/gex-desk/data')).toBe('attached: …/a/…/gex-desk/data');
  });

  it('tells apart the attached folders shown together whose short forms read alike (known list, stop 46)', () => {
    const labels = (folders: string[]) => folders.map((f) => shortFolder(f, folders));
    // The same custom tail: each gets the nearest folder before it that differs.
    const custom = ['/mnt/floor-x/exports/desk/data', '/mnt/floor-y/exports/desk/data'];
    expect(custom.map((f) => shortFolder(f))).toEqual(['…/desk/data', '…/desk/data']);
    expect(labels(custom)).toEqual(['…/floor-x/…/desk/data', '…/floor-y/…/desk/data']);
    expect(labels(['/srv/exports/desk-x/desk/data', '/srv/exports/desk-y/desk/data'])).toEqual([
      '…/desk-x/desk/data',
      '…/desk-y/desk/data',
    ]);
    // The default tail, the same home on two shares.
    expect(
      labels([
        '/srv/share-x/home/ana/.config/gex-desk/data',
        '/srv/share-y/home/ana/.config/gex-desk/data',
      ]),
    ).toEqual(['…/share-x/…/ana/…/gex-desk/data', '…/share-y/…/ana/…/gex-desk/data']);
    // Three alike: as many folders before as it takes, each told apart from both others.
    expect(
      labels([
        '/srv/p/x/q/exports/long/desk/data',
        '/srv/r/x/s/exports/long/desk/data',
        '/srv/t/y/q/exports/long/desk/data',
      ]),
    ).toEqual(['…/x/q/…/desk/data', '…/s/…/desk/data', '…/y/q/…/desk/data']);
    // A long folder that tells them apart is cut in its middle, unless both would read alike.
    expect(
      labels([
        '/a/workstation-of-the-floor-one/exports/desk/data',
        '/a/workstation-of-the-floor-two/exports/desk/data',
      ]),
    ).toEqual(['…/worksta…oor-one/…/desk/data', '…/worksta…oor-two/…/desk/data']);
    expect(
      labels([
        '/a/workstation-one-of-the-floor/exports/desk/data',
        '/a/workstation-two-of-the-floor/exports/desk/data',
      ]),
    ).toEqual([
      '…/workstation-one-of-the-floor/…/desk/data',
      '…/workstation-two-of-the-floor/…/desk/data',
    ]);
    // One path the end of the other: nothing before tells it apart, so it is shown whole.
    expect(labels(['/srv/exports/longer/desk/data', '/mnt/srv/exports/longer/desk/data'])).toEqual([
      '/srv/exports/longer/desk/data',
      '/mnt/…/desk/data',
    ]);
    // Short forms that already differ, or a folder alone, stay as they were; this desk is none.
    const apart = ['/mnt/floor-x/exports/desk/data', '/mnt/floor-x/exports/other/data'];
    expect(labels(apart)).toEqual(['…/desk/data', '…/other/data']);
    expect(shortFolder(custom[0]!, [custom[0]!, 'local'])).toBe('…/desk/data');
    expect(originLabel(custom[1]!, custom)).toBe('attached: …/floor-y/…/desk/data');
    expect(originLabel('local', custom)).toBeNull();
  });
});

describe('a file’s name as shown', () => {
  it('escapes what would act instead of being read, as the command line does, and keeps the rest', () => {
    // U+202E reversed what followed: spx_<RLO>2024-01-07_vsc.csv read "spx_vsc.csv_70-10-4202".
    expect(shownName('/in/done/spx_\u202e2024-01-07_vsc.csv')).toBe(
      'spx_\\u202e2024-01-07_vsc.csv',
    );
    expect(shownName('C:\\in\\ven\u200bdor.csv')).toBe('ven\\u200bdor.csv');
    expect(shownName('/in/Zürich 日経.csv')).toBe('Zürich 日経.csv');
    // basename keeps the name as it is (matching a path in a message needs it raw).
    expect(basename('/in/a\u202eb.csv')).toBe('a\u202eb.csv');
  });
});

describe('a justification a person reads as empty', () => {
  it('is blank: white space, control and format characters, fillers drawn as nothing, a combining mark alone', () => {
    const empty = [
      '',
      '  \t\n',
      '\u200b', // zero-width space
      ' \ufeff\u200e ', // BOM, left-to-right mark
      '\u3164', // HANGUL FILLER
      '\u115f', // HANGUL CHOSEONG FILLER
      '\u1160', // HANGUL JUNGSEONG FILLER
      '\uffa0', // HALFWIDTH HANGUL FILLER
      '\u2800', // BRAILLE PATTERN BLANK
      '\u034f', // COMBINING GRAPHEME JOINER
      '\u17b4\u17b5', // Khmer inherent vowels
      '\u180e', // MONGOLIAN VOWEL SEPARATOR
      '\u0301', // a combining accent with nothing under it
      '\ufe0f\u20dd', // a variation selector, an enclosing circle
      '\u3000\u2800\u3164 \u0301', // mixed
    ];
    for (const text of empty) expect(blank(text), JSON.stringify(text)).toBe(true);
    expect(blank(null)).toBe(true);
    expect(blank(undefined)).toBe(true);
  });

  it('is not blank with one letter, digit, punctuation or symbol a person reads', () => {
    const read = ['FOMC', 'x', '7', '?', '€', '😀', 'é', 'e\u0301', '\u3164x', '東京', ' \u2800.'];
    for (const text of read) expect(blank(text), JSON.stringify(text)).toBe(false);
  });
});

describe('echoed (what a request gave, in a message)', () => {
  it('keeps an id of 40 characters or fewer whole', () => {
    const uuid = '0f8e4c1a-6b7d-4e2f-9a3c-5d1e2f3a4b5c';
    expect(echoed(uuid)).toBe(uuid);
    expect(echoed('x'.repeat(40))).toBe('x'.repeat(40));
  });

  it('cuts a longer one to its first 40 characters, "…" when cut, its invisible characters escaped', () => {
    expect(echoed('a'.repeat(5_000_000))).toBe(`${'a'.repeat(40)}…`);
    expect(echoed(`x.\u2029\u2029NOTICE${'!'.repeat(60)}`)).toBe(
      `x.\\u2029\\u2029NOTICE${'!'.repeat(30)}…`,
    );
    // Characters, not UTF-16 units: an emoji is one, never cut in half.
    expect(echoed('😀'.repeat(41))).toBe(`${'😀'.repeat(40)}…`);
    expect(echoed('😀'.repeat(40))).toBe('😀'.repeat(40));
  });
});

// QA sv F4: a Compare side removed read "removed: choose another" beside the engine's
// "NOT_FOUND There is no snapshot <uuid>", which with another folder unreadable hinted
// that the removed snapshot might be there. One line in words, by what is known of it.
describe('a Compare side no longer found', () => {
  const x = '/mnt/floor-x/exports/desk/data';
  const y = '/mnt/floor-y/exports/desk/data';
  const id = '0b6e1f2a-9c3d-4e5f-8a7b-6c5d4e3f2a1b';
  const was = (origin: string) => ({
    underlying: 'SPX',
    as_of: '2024-01-07T11:08:00-05:00',
    origin,
  });
  it('names the side, what it was and where from, and says it was removed', () => {
    expect(goneSideText('B', id, was(x), [y], [x, y])).toBe(
      'B, the SPX snapshot of 2024-01-07 11:08:00 UTC−5 from …/floor-x/…/desk/data, was removed from its attached export folder (by the desk that exports there): choose another B.',
    );
    expect(goneSideText('A', id, was('local'), [], [x, y])).toBe(
      'A, the SPX snapshot of 2024-01-07 11:08:00 UTC−5 from this desk, was removed (here, in another window or by the command line): choose another A.',
    );
  });
  it('does not say removed what its own folder could not be read for', () => {
    expect(goneSideText('B', id, was(y), [y], [x, y])).toBe(
      'B, the SPX snapshot of 2024-01-07 11:08:00 UTC−5 from …/floor-y/…/desk/data, cannot be read now: its folder could not be read (named above). Choose another B, or wait until the folder answers.',
    );
  });
  it('names an unknown side by its id’s start, and what may hold it', () => {
    expect(goneSideText('B', id, undefined, [], [x])).toBe(
      'B (0b6e1f2a) is in neither this desk’s store nor the attached folders: it was removed. Choose another B.',
    );
    expect(goneSideText('B', id, undefined, [], [])).toBe(
      'B (0b6e1f2a) is no longer in this desk’s store: it was removed. Choose another B.',
    );
    expect(goneSideText('A', id, undefined, [y], [x, y])).toBe(
      'A (0b6e1f2a) is in neither this desk’s store nor the attached folders that could be read: it was removed, or is in a folder named above that could not be read. Choose another A.',
    );
  });
  it('names an origin as the board does', () => {
    expect(sideOrigin('local', [x, y])).toBe('this desk');
    expect(sideOrigin(x, [x, y])).toBe('…/floor-x/…/desk/data');
  });
});

describe('a fact in the drawer', () => {
  it('writes a duration in seconds with the span a person reads (QA day F8)', () => {
    expect(factValue('age_s', 87_084_619.34)).toBe('87,084,619.34 s (1,007 days)');
    expect(factValue('age_s', 45.2)).toBe('45.2 s');
    expect(factValue('age_s', 5_400)).toBe('5,400 s (90 min)');
    expect(factValue('age_s', 93_600)).toBe('93,600 s (26 h 0 min)');
    expect(factValue('impact', 0.25)).toBe('0.25');
    expect(factValue('volume', 1200)).toBe('1,200');
    expect(factValue('age_s', null)).toBe('null');
  });
  // QA gd F2: each beside the fact derived from it, which the rounded figure contradicted.
  it('never rounds a value onto or across a threshold', () => {
    expect(factValue('age_s', 4.869)).toBe('4.869 s'); // real-time: age < 5 (read "5 s")
    expect(factValue('age_s', 4.97)).toBe('4.97 s');
    expect(factValue('age_s', 4.9999999)).toBe('4.999… s');
    expect(factValue('age_s', 5)).toBe('5 s');
    expect(factValue('age_s', 299.6)).toBe('299.6 s (4 min)'); // fresh (read "300 s (5 min)")
    expect(factValue('age_s', -60.0000001)).toBe('-60.000… s');
    expect(factValue('age_s', 172_799.5)).toBe('172,799.5 s (47 h 59 min)');
    expect(factValue('gex_change', 0.100001)).toBe('0.1000…'); // large (read "0.1000")
    expect(factValue('gex_change', 0.0499981)).toBe('0.0499…'); // small (read "0.0500")
    expect(factValue('gex_change', 0.1)).toBe('0.10');
    expect(factValue('gex_change', 0.05)).toBe('0.05');
    expect(factValue('gex_change', 0.0999999)).toBe('0.0999…');
    expect(factValue('gex_change', 0)).toBe('0');
    expect(factValue('source_reliability', 0.79999)).toBe('0.7999…'); // as G4's line says it
    expect(factValue('source_reliability', 0.8)).toBe('0.80');
    expect(factValue('source_reliability', 1)).toBe('1.00');
  });
});

describe('Compare with A later than B (QA wb F5)', () => {
  it('tells a later A by instant, whatever offset each file wrote', () => {
    expect(
      aAfterB({ as_of: '2024-01-07T14:15:00-05:00' }, { as_of: '2024-01-07T10:52:00-05:00' }),
    ).toBe(true);
    expect(
      aAfterB({ as_of: '2024-01-07T10:52:00-05:00' }, { as_of: '2024-01-07T14:15:00-05:00' }),
    ).toBe(false);
    // 09:00 +09:00 is 19:00 the day before in New York: before B's 20:00 −05:00.
    expect(
      aAfterB({ as_of: '2026-03-03T09:00:00+09:00' }, { as_of: '2026-03-02T20:00:00-05:00' }),
    ).toBe(false);
    // One instant: not later.
    expect(aAfterB({ as_of: '2024-02-01T15:00:00Z' }, { as_of: '2024-02-01T10:00:00-05:00' })).toBe(
      false,
    );
  });
});
