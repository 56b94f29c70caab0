// The open snapshot: its key figures (GEX in the view's scale, $ per 1 % move), its
// data quality with the reasons, and the two charts.
import { useEffect, useState } from 'react';
import type { SnapshotDetail } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { basename, int, price } from '../../text/numbers.ts';
import { GEX_UNIT, gex, type GexScale } from '../../text/scale.ts';
import { asOfStamp } from '../../text/time.ts';
import { ErrorLine } from '../../components/common.tsx';
import { QualityBadge } from '../../components/QualityBadge.tsx';
import { GexByStrikeChart, ProfileChart } from '../../components/charts.tsx';

function Figure({
  label,
  value,
  tone,
  title,
}: {
  label: string;
  value: string;
  tone?: 'pos' | 'neg';
  title?: string;
}) {
  return (
    <div className="kf" title={title}>
      <div className="kf-label">{label}</div>
      <div className={`kf-value num ${tone ?? ''}`}>{value}</div>
    </div>
  );
}

export function SnapshotPanel({ id, scale }: { id: string; scale: GexScale }) {
  const client = useApp((s) => s.client);
  const [detail, setDetail] = useState<SnapshotDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('snapshots:get', { id }).then((res) => {
      if (!live) return;
      if (res.ok) {
        setDetail(res.value);
        setError(null);
      } else setError(res.error);
    });
    return () => {
      live = false;
    };
  }, [client, id]);

  const close = () => useApp.getState().openSnapshot(null);
  if (error)
    return (
      <section className="snapshot-panel" aria-label="Snapshot">
        <ErrorLine error={error} />
        <button className="btn small ghost" onClick={close}>
          Close
        </button>
      </section>
    );
  if (!detail || detail.snapshot.id !== id)
    return <div className="snapshot-panel empty">Loading the snapshot…</div>;
  const s = detail.snapshot;
  const strikes = detail.strikes.filter((k) => k.expiry === null);
  const unitTitle = `${GEX_UNIT}`;

  return (
    <section
      className="snapshot-panel"
      data-testid="snapshot-detail"
      aria-labelledby="snapshot-title"
    >
      <div className="snapshot-head">
        <h2 id="snapshot-title">
          {s.underlying} <span className="muted">{asOfStamp(s.as_of)}</span>
        </h2>
        <QualityBadge quality={s.quality} reasons="inline" />
        <span
          className="muted snapshot-source"
          title={`${int(s.quality.rows_used)} of ${int(s.quality.rows_total)} rows used`}
        >
          {s.format} · {basename(s.source_file)} · {int(s.quality.rows_used)} of{' '}
          {int(s.quality.rows_total)} rows used
        </span>
        <button className="btn small ghost close" onClick={close}>
          Close
        </button>
      </div>
      <div className="key-figures">
        <Figure label="Spot" value={price(s.spot)} />
        <Figure
          label="Total GEX"
          title={unitTitle}
          value={gex(s.total_gex, scale)}
          tone={s.total_gex < 0 ? 'neg' : 'pos'}
        />
        <Figure label="Call GEX" title={unitTitle} value={gex(s.call_gex, scale)} tone="pos" />
        <Figure label="Put GEX" title={unitTitle} value={gex(s.put_gex, scale)} tone="neg" />
        <Figure label="Zero gamma" value={price(s.zero_gamma)} />
        <Figure
          label="Call wall"
          title="Strike with the largest call GEX"
          value={price(s.call_wall)}
        />
        <Figure
          label="Put wall"
          title="Strike with the largest put GEX"
          value={price(s.put_wall)}
        />
        <Figure label="Max pain" value={price(s.max_pain)} />
        <Figure label="Open interest" title="Contracts" value={int(s.total_open_interest)} />
        <Figure label="Volume" title="Contracts" value={int(s.total_volume)} />
      </div>
      <p className="unit-note muted">
        GEX figures are {GEX_UNIT} of the underlying, in{' '}
        {scale.unit === 'Bn' ? 'billions' : 'millions'} of dollars.
      </p>
      <div className="charts">
        <div className="chart-box">
          <div className="chart-title">
            Net GEX by strike <span className="muted">(spot ±15 %)</span>
          </div>
          <GexByStrikeChart
            strikes={strikes}
            spot={s.spot}
            callWall={s.call_wall}
            putWall={s.put_wall}
          />
        </div>
        <div className="chart-box">
          <div className="chart-title">
            Gamma profile <span className="muted">(total GEX if spot moved to each level)</span>
          </div>
          <ProfileChart profile={detail.profile} spot={s.spot} zeroGamma={s.zero_gamma} />
        </div>
      </div>
    </section>
  );
}
