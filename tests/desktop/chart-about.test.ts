// What an exported chart says of whose figures it holds (chart-about.ts): the file name
// carries the underlying and the as-of in the exchange's time (a comparison its two
// snapshot ids), so two snapshots' exports never share a name, whatever offset the file
// wrote its as-of in; the CSV's time column is in the exchange's offset, as the levels CSV
// and the command line write it.
import { describe, expect, it } from 'vitest';
import {
  asOfName,
  compareAbout,
  exportStem,
  exportTitle,
  historyAbout,
  snapshotAbout,
} from '../../renderer/src/components/plot/chart-about.ts';
import { sameInstantTags } from '../../renderer/src/views/snapshots/same-instant.ts';
import { isoInOffset } from '../../renderer/src/components/plot/ticks.ts';
import { DEFAULT_CONVENTIONS } from '../../shared/domain.ts';

const NY = 'America/New_York';

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
    const about = historyAbout(
      'SPX',
      [
        { id: 'x1', as_of: '2024-01-05T15:00:00-05:00' },
        { id: 'x2', as_of: '2024-01-08T10:00:00-05:00' },
      ],
      NY,
    );
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

  it('titles a comparison with both as-ofs on the exchange clock, as Compare’s heading reads them', () => {
    // 09:00 +09:00 is 19:00 the day before in New York, an hour before B: the title read
    // "A 2026-03-03 09:00:00 UTC+9 to B 2026-03-02 20:00:00 UTC−5", backwards (QA wb3 F2).
    const about = compareAbout(
      meta('d1', '2026-03-03T09:00:00+09:00'),
      meta('e1', '2026-03-02T20:00:00-05:00'),
      NY,
    );
    expect(about.title).toBe('A 2026-03-02 19:00:00 UTC−5 to B 2026-03-02 20:00:00 UTC−5');
    // The CSV keeps each as-of as stored.
    expect(about.columns[1]!.value(0)).toBe('2026-03-03T09:00:00+09:00');
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

  it('names a snapshot by its as-of on the exchange clock, whatever offset its file wrote', () => {
    // Friday 19:30 in New York, as a file in UTC writes it: named Friday's 19:30 −05:00,
    // as the engine dates the snapshot, not "2024-01-20_0030+0000".
    const utc = { id: 'u1', underlying: 'SPX', as_of: '2024-01-20T00:30:00Z' };
    const label = 'SPX net GEX by strike, all expiries';
    for (const about of [
      snapshotAbout(utc),
      snapshotAbout({ ...utc, conventions: DEFAULT_CONVENTIONS }),
      snapshotAbout({ ...utc, conventions: null }, NY),
    ]) {
      expect(exportStem(label, about)).toBe(
        'spx-net-gex-by-strike-all-expiries_2024-01-19_1930-0500',
      );
      expect(exportTitle(label, about)).toBe(
        'SPX net GEX by strike, all expiries · as of 2024-01-19 19:30:00 UTC−5',
      );
      // The CSV keeps the as-of as stored.
      expect(about.columns.find((c) => c.title === 'as_of')!.value(0)).toBe(utc.as_of);
    }
    // The zone its conventions record, else the engine's.
    const tokyo = { ...DEFAULT_CONVENTIONS, exchange_time_zone: 'Asia/Tokyo' };
    expect(snapshotAbout({ ...utc, conventions: tokyo }, NY).name).toBe('2024-01-20_0930+0900');
    expect(snapshotAbout({ ...utc, conventions: null }, 'Europe/London').name).toBe(
      '2024-01-20_0030+0000',
    );
    // Summer: −04:00.
    expect(snapshotAbout({ ...utc, as_of: '2024-07-19T23:30:00+03:00' }).name).toBe(
      '2024-07-19_1630-0400',
    );
  });

  it('names a history by its first and last as-of on the exchange clock', () => {
    const about = historyAbout(
      'QZ',
      [
        { id: 'a', as_of: '2024-02-01T15:00:00-05:00' },
        { id: 'd', as_of: '2024-02-02T09:00:00+09:00' },
        { id: 'b', as_of: '2024-02-01T21:00:00Z' },
      ],
      NY,
    );
    expect(about.name).toBe('2024-02-01_1500-0500_to_2024-02-01_1600-0500');
    expect(about.title).toBe('2024-02-01 15:00:00 UTC−5 to 2024-02-01 16:00:00 UTC−5');
  });

  it('tells two snapshots of one instant apart in the PNG title, as the headings do (QA day2 D4)', () => {
    // b8be6e41 written −05:00 and e5cefaf8 written +09:00: one instant, other figures.
    const a = { ...meta('b8be6e41-0000', '2024-03-05T10:30:00-05:00'), spot: 412.05 };
    const b = { ...meta('e5cefaf8-0000', '2024-03-06T00:30:00+09:00'), spot: 414.06 };
    const tags = sameInstantTags([a, b]);
    const label = 'Change of net GEX by strike, A to B';
    expect(
      exportTitle(
        label,
        compareAbout(a, b, 'America/New_York', { a: tags.get(a.id), b: tags.get(b.id) }),
      ),
    ).toBe(
      'META Change of net GEX by strike, A to B · A 2024-03-05 10:30:00 UTC−5 · spot 412.05 · b8be6e41 to B 2024-03-05 10:30:00 UTC−5 · spot 414.06 · e5cefaf8',
    );
    // History's replayed chart: its on-screen label carries the stamp with its tag; the
    // PNG's title says it once.
    const about = snapshotAbout(b, 'America/New_York', tags.get(b.id));
    expect(about.stamp).toBe('2024-03-05 10:30:00 UTC−5 · spot 414.06 · e5cefaf8');
    expect(exportTitle(`META ${about.stamp} Net GEX by strike, all expiries`, about)).toBe(
      'META Net GEX by strike, all expiries · as of 2024-03-05 10:30:00 UTC−5 · spot 414.06 · e5cefaf8',
    );
    // Alone at its instant: no tag.
    expect(exportTitle(label, compareAbout(a, a, 'America/New_York'))).toBe(
      'META Change of net GEX by strike, A to B · A 2024-03-05 10:30:00 UTC−5 to B 2024-03-05 10:30:00 UTC−5',
    );
  });
});
