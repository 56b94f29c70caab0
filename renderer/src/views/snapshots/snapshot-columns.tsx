// The Snapshots table's columns: full names, GEX in the view's one scale (named in
// the header), the data's as-of in its own offset, and the quality badge. On a
// narrow window the source file and zero gamma give way first (the open snapshot
// shows them).
import type { GEXSnapshot } from '../../../../shared/domain.ts';
import { compareBy, type Column } from '../../components/table/columns.ts';
import { QualityBadge } from '../../components/QualityBadge.tsx';
import { basename, price, spotPrice, shownName } from '../../text/numbers.ts';
import { GEX_UNIT, inScale, type GexScale } from '../../text/scale.ts';
import { GexCell } from '../../components/GexCell.tsx';
import { asOfStamp } from '../../text/time.ts';

const t = (iso: string) => Date.parse(iso);
const tone = (v: number) => (v < 0 ? 'neg' : 'pos');

export function snapshotColumns(scale: GexScale): Column<GEXSnapshot, undefined>[] {
  const gexTitle = (what: string) => `${what}, ${GEX_UNIT}, in ${scale.words}`;
  return [
    {
      id: 'underlying',
      label: 'Underlying',
      width: 86,
      className: 'underlying',
      sort: compareBy((s) => s.underlying),
      cell: (s) => s.underlying,
    },
    {
      id: 'asof',
      label: 'As of',
      title: 'When the data was observed, in the offset the exchange wrote it',
      width: 176,
      className: 'num-left',
      sort: compareBy((s) => t(s.as_of)),
      cell: (s) => asOfStamp(s.as_of),
    },
    {
      id: 'spot',
      label: 'Spot',
      title: 'Price of the underlying at the as-of',
      width: 78,
      align: 'right',
      sort: compareBy((s) => s.spot),
      cell: (s) => spotPrice(s.spot),
    },
    {
      id: 'total',
      label: inScale('Total GEX', scale),
      title: gexTitle('Net gamma exposure of calls and puts'),
      width: 106,
      align: 'right',
      sort: compareBy((s) => s.total_gex),
      cell: (s) => (
        <GexCell
          value={s.total_gex}
          scale={scale}
          className={tone(s.total_gex)}
          testId="snapshot-total"
          bold
        />
      ),
    },
    {
      id: 'call',
      label: inScale('Call GEX', scale),
      title: gexTitle('Gamma exposure of the calls'),
      width: 102,
      align: 'right',
      optional: 2,
      className: 'pos',
      sort: compareBy((s) => s.call_gex),
      cell: (s) => <GexCell value={s.call_gex} scale={scale} />,
    },
    {
      id: 'put',
      label: inScale('Put GEX', scale),
      title: gexTitle('Gamma exposure of the puts'),
      width: 98,
      align: 'right',
      optional: 2,
      className: 'neg',
      sort: compareBy((s) => s.put_gex),
      cell: (s) => <GexCell value={s.put_gex} scale={scale} />,
    },
    {
      id: 'zero',
      label: 'Zero gamma',
      title: 'The spot level where total GEX changes sign',
      width: 90,
      align: 'right',
      optional: 1,
      sort: compareBy((s) => s.zero_gamma),
      cell: (s) => price(s.zero_gamma),
    },
    {
      id: 'quality',
      label: 'Quality',
      title: 'Share of the chain’s rows the figures use; the tooltip gives the reasons',
      width: 146,
      sort: compareBy((s) => s.quality.score),
      cell: (s) => <QualityBadge quality={s.quality} />,
    },
    {
      id: 'file',
      label: 'Source file',
      width: 110,
      min: 80,
      flex: true,
      className: 'c-file',
      optional: 3,
      sort: compareBy((s) => basename(s.source_file).toLowerCase()),
      cell: (s) => shownName(s.source_file),
      title_of: (s) => shownName(s.source_file),
    },
  ];
}
