// A snapshot by expiry: the chosen exposure of each expiry (net GEX for call & put),
// one bar per expiry in date order, coloured by its bucket (0DTE, weekly, monthly —
// ANALYTICS.md); the expiries outside the filter are dimmed.
import { useMemo } from 'react';
import type { SnapshotDetail } from '../../../../shared/api.ts';
import { snapshotAbout } from '../../components/plot/chart-about.ts';
import { useEngineZone } from '../../state/use-exchange-zone.ts';
import type { PlotSpec } from '../../components/plot/draw.ts';
import { Plot } from '../../components/plot/Plot.tsx';
import { gexReadout, gexScale, gexTick, inScale } from '../../text/scale.ts';
import {
  BUCKET_COLOR,
  BUCKET_LABEL,
  filterLabel,
  inFilter,
  measureInfo,
  type ExpiryFilter,
  type Measure,
} from './snapshot-data.ts';

const DIM = '#3a4452';

export function ExpiryChart({
  detail,
  measure,
  filter,
}: {
  detail: SnapshotDetail;
  measure: Measure;
  filter: ExpiryFilter;
}) {
  const engineZone = useEngineZone();
  const spec = useMemo((): PlotSpec => {
    const m = measure === 'callput' ? 'net' : measure;
    const info = measureInfo(m);
    const ex = detail.expiries;
    const values = ex.map((e) => (m === 'net' ? e.net_gex : e[m]));
    const scale = gexScale(values);
    const take = inFilter(detail, filter);
    return {
      label: `${detail.snapshot.underlying} ${info.label} by expiry`,
      about: snapshotAbout(detail.snapshot, engineZone),
      x: ex.map((_, i) => i),
      xTitle: 'Expiry',
      xFormat: (i) => {
        const e = ex[Math.round(i)];
        return e ? `${e.expiry}${e.bucket ? ` ${BUCKET_LABEL[e.bucket]}` : ''}` : '';
      },
      xKind: 'category',
      xColumns: {
        titles: ['Expiry', 'Bucket'],
        values: (i) => [ex[i]!.expiry, ex[i]!.bucket ?? null],
      },
      yTitle: inScale(info.unit, scale),
      yTick: (v, step) => gexTick(v, scale, step),
      series: [
        {
          label: info.label,
          values,
          kind: 'bar',
          color: BUCKET_COLOR.weekly,
          colorAt: (i) => {
            const e = ex[i]!;
            if (!take(e.expiry)) return DIM;
            return e.bucket ? BUCKET_COLOR[e.bucket] : '#8f99a7';
          },
          unit: `USD, ${info.unit}`,
          format: (v) => gexReadout(v, scale, info.unit),
        },
      ],
      yZero: true,
    };
  }, [detail, measure, filter, engineZone]);
  if (detail.expiries.length === 0) return <div className="empty">No expiries.</div>;
  // The buckets' key fills the title's line up to PNG and CSV (wrapping inside itself when
  // narrow); what the filter shows goes on a line of its own below, never pushing an
  // export button onto a line alone.
  const legend = (
    <>
      <span className="legend fill" aria-label="Buckets">
        {(Object.keys(BUCKET_LABEL) as (keyof typeof BUCKET_LABEL)[]).map((b) => (
          <span key={b}>
            <i style={{ background: BUCKET_COLOR[b] }} /> {BUCKET_LABEL[b]}
          </span>
        ))}
      </span>
      {filter !== 'all' && (
        <span className="muted plot-note" data-testid="chart-expiries-note">
          others dimmed: {filterLabel(filter)} shown
        </span>
      )}
    </>
  );
  return (
    <Plot spec={spec} title={spec.label} testId="chart-expiries" controls={legend} height={230} />
  );
}
