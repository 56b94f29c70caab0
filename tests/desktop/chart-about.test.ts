// What an exported chart says of whose figures it holds (chart-about.ts): the file name
// carries the underlying and the as-of in the exchange's time (a comparison its two
// snapshot ids), so two snapshots' exports never share a name; the CSV's time column is
// in the exchange's offset, as the levels CSV and the command line write it.
import { describe, expect, it } from 'vitest';
import {
  asOfName,
  compareAbout,
  exportStem,
  exportTitle,
  historyAbout,
  snapshotAbout,
} from '../../renderer/src/components/plot/chart-about.ts';
import { isoInOffset } from '../../renderer/src/components/plot/ticks.ts';

const meta = (id: string, as_of: string) => ({ id, underlying: 'META', as_of });

describe('chart exports named for their snapshot', () => {
  it('writes an as-of in the exchange time, file-name safe', () => {
    expect(asOfName('2025-09-05T16:00:00-04:00')).toBe('2025-09-05_1600-0400');
    expect(asOfName('2024-01-07T10:52:30.125-05:00')).toBe('2024-01-07_105230-0500');
    expect(asOfName('2024-01-07T15:52:00Z')).toBe('2024-01-07_1552+0000');
  });

  it('tells two snapshots of one underlying apart', () => {
    const label = 'META net GEX by strike, all expiries';
    const a = exportStem(label, snapshotAbout(meta('a1', '2025-09-05T16:00:00-04:00')));
    const b = exportStem(label, snapshotAbout(meta('b2', '2025-09-06T10:30:00-04:00')));
    expect(a).toBe('meta-net-gex-by-strike-all-expiries_2025-09-05_1600-0400');
    expect(b).not.toBe(a);
    expect(exportTitle(label, snapshotAbout(meta('a1', '2025-09-05T16:00:00-04:00')))).toBe(
      'META net GEX by strike, all expiries · as of 2025-09-05 16:00:00 UTC−4',
    );
  });

  it('names a comparison by its underlying and both snapshot ids', () => {
    const about = compareAbout(
      meta('0193a1b2', '2025-09-05T16:00:00-04:00'),
      meta('0193c3d4', '2025-09-06T10:30:00-04:00'),
    );
    const label = 'Change of net GEX by strike, A to B';
    expect(exportStem(label, about)).toBe(
      'meta-change-of-net-gex-by-strike-a-to-b_0193a1b2_to_0193c3d4',
    );
    expect(exportTitle(label, about)).toBe(
      'META Change of net GEX by strike, A to B · A 2025-09-05 16:00:00 UTC−4 to B 2025-09-06 10:30:00 UTC−4',
    );
    expect(about.columns.map((c) => c.title)).toEqual([
      'underlying',
      'a_as_of',
      'a_snapshot_id',
      'b_as_of',
      'b_snapshot_id',
    ]);
  });

  it('names a history by its first and last as-of, its rows by their snapshot', () => {
    const about = historyAbout('SPX', [
      { id: 'x1', as_of: '2024-01-05T15:00:00-05:00' },
      { id: 'x2', as_of: '2024-01-08T10:00:00-05:00' },
    ]);
    expect(exportStem('SPX Total GEX over time', about)).toBe(
      'spx-total-gex-over-time_2024-01-05_1500-0500_to_2024-01-08_1000-0500',
    );
    expect(about.columns.map((c) => [c.title, c.value(1)])).toEqual([
      ['underlying', 'SPX'],
      ['snapshot_id', 'x2'],
    ]);
  });

  it('writes a time-axis instant in the exchange offset, not UTC', () => {
    expect(isoInOffset(Date.parse('2024-01-05T20:00:00Z'), -300)).toBe('2024-01-05T15:00:00-05:00');
    expect(isoInOffset(Date.parse('2024-07-05T14:30:00.250Z'), 330)).toBe(
      '2024-07-05T20:00:00.250+05:30',
    );
  });

  it("names History's replayed chart as any snapshot's: <underlying>-<chart>_<as-of>, the as-of once", () => {
    // The replay's title carries the as-of after the underlying (HistoryView), which the
    // file name repeated: spx-2024-01-09-09-45-00-utc-5-net-gex-…_2024-01-09_0945-0500.csv.
    const about = snapshotAbout({
      id: 's1',
      underlying: 'SPX',
      as_of: '2024-01-09T09:45:00-05:00',
    });
    const label = 'SPX 2024-01-09 09:45:00 UTC−5 Net GEX by strike, all expiries';
    expect(exportStem(label, about)).toBe(
      'spx-net-gex-by-strike-all-expiries_2024-01-09_0945-0500',
    );
    expect(exportTitle(label, about)).toBe(
      'SPX Net GEX by strike, all expiries · as of 2024-01-09 09:45:00 UTC−5',
    );
  });
});
