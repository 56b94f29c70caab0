// The CSV files the UI's charts and the levels board export: a text cell a spreadsheet
// would run as a formula (an underlying `=1+1` or `@SUM(A1)` is accepted at ingest) is
// written with a leading `'` (OWASP's CSV injection advice), while numbers, negative ones
// included, stay numbers.
import { describe, expect, it } from 'vitest';
// (csvText is what chart-export.ts's plotCsv, the heatmap and the levels board write with.)
import { csvText } from '../../renderer/src/components/plot/csv-text.ts';

describe("the UI's CSV export", () => {
  it('neutralises text cells that start a formula, and leaves numbers alone', () => {
    const text = csvText(
      // A header made from a chart's label holds the underlying too.
      ['underlying', '=1+1 net GEX (USD)', '-net GEX (USD)'],
      [
        ['=1+1', -1234.5, -0.25],
        ['@SUM(A1)', 0, 12],
        ['+1', '-1', '\tTAB'],
        ['\rCR', '=A,B', '=HYPERLINK("x")'],
        ['SPX', 'BRK/B', '2024-03-15T10:30:00-04:00'],
        [null, Number.NaN, -7],
      ],
    );
    expect(text.split('\n')).toEqual([
      `underlying,'=1+1 net GEX (USD),'-net GEX (USD)`,
      `'=1+1,-1234.5,-0.25`,
      `'@SUM(A1),0,12`,
      `'+1,'-1,'\tTAB`,
      `"'\rCR","'=A,B","'=HYPERLINK(""x"")"`,
      'SPX,BRK/B,2024-03-15T10:30:00-04:00',
      ',,-7',
      '',
    ]);
  });
});
