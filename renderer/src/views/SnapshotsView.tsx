// Recent snapshots with their key figures, newest first, and the selected snapshot's
// charts: GEX by strike and the gamma profile with its zero-gamma level.
import { useEffect, useMemo, useState } from 'react';
import type { SnapshotDetail } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from '../state/store.ts';
import { basename, bn, int, num, price, stamp } from '../format.ts';
import { ErrorLine } from '../components/common.tsx';
import { GexByStrikeChart, ProfileChart } from '../components/charts.tsx';

export function SnapshotsView() {
  const snapshots = useApp((s) => s.snapshots);
  const selected = useApp((s) => s.snapshotId);
  const open = useApp((s) => s.openSnapshot);
  const loadError = useApp((s) => s.loadError);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toUpperCase();
    return q ? snapshots.filter((s) => s.underlying.toUpperCase().includes(q)) : snapshots;
  }, [snapshots, filter]);

  return (
    <div className="view snapshots-view" data-testid="snapshots-view">
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Filter by underlying"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          spellCheck={false}
        />
        <span className="spacer" />
        <span className="muted num">
          {shown.length} of {snapshots.length} snapshots
        </span>
      </div>
      <div className="table snap-table">
        <div className="thead row">
          <span className="c-und">Underl.</span>
          <span className="c-asof">As of</span>
          <span className="num">Spot</span>
          <span className="num">Total GEX</span>
          <span className="num">Call GEX</span>
          <span className="num">Put GEX</span>
          <span className="num">Zero γ</span>
          <span className="num">Call wall</span>
          <span className="num">Put wall</span>
          <span className="num">Contracts</span>
          <span className="num">Quality</span>
          <span className="c-file">Source file</span>
        </div>
        <div className="tbody">
          {shown.length === 0 && (
            <div className="empty">{loadError ? <ErrorLine error={loadError} /> : snapshots.length ? 'No snapshot matches.' : 'No snapshots yet. A finished ingest appears here.'}</div>
          )}
          {shown.map((s) => (
            <button
              key={s.id}
              className={`row snap-row ${selected === s.id ? 'selected' : ''}`}
              onClick={() => open(s.id)}
              data-testid="snapshot-row"
            >
              <span className="c-und underlying">{s.underlying}</span>
              <span className="c-asof">{stamp(s.as_of)}</span>
              <span className="num">{price(s.spot)}</span>
              <span className={`num strong ${s.total_gex < 0 ? 'neg' : 'pos'}`} data-testid="snapshot-total">
                {bn(s.total_gex)}
              </span>
              <span className="num pos">{bn(s.call_gex)}</span>
              <span className="num neg">{bn(s.put_gex)}</span>
              <span className="num">{price(s.zero_gamma)}</span>
              <span className="num">{price(s.call_wall)}</span>
              <span className="num">{price(s.put_wall)}</span>
              <span className="num">{int(s.contracts)}</span>
              <span className="num">{num(s.quality.score * 100, 1)}%</span>
              <span className="c-file muted" title={s.source_file}>
                {basename(s.source_file)}
              </span>
            </button>
          ))}
        </div>
      </div>
      {selected && <SnapshotPanel id={selected} />}
    </div>
  );
}

function Figure({ label, value, tone }: { label: string; value: string; tone?: 'pos' | 'neg' }) {
  return (
    <div className="kf">
      <div className="kf-label">{label}</div>
      <div className={`kf-value num ${tone ?? ''}`}>{value}</div>
    </div>
  );
}

function SnapshotPanel({ id }: { id: string }) {
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

  if (error) return <div className="snapshot-panel"><ErrorLine error={error} /></div>;
  if (!detail || detail.snapshot.id !== id) return <div className="snapshot-panel empty">Loading snapshot…</div>;
  const s = detail.snapshot;
  const strikes = detail.strikes.filter((k) => k.expiry === null);

  return (
    <section className="snapshot-panel" data-testid="snapshot-detail">
      <div className="snapshot-head">
        <h2>
          {s.underlying} <span className="muted">{stamp(s.as_of)}</span>
        </h2>
        <span className="muted">
          {s.format} · {basename(s.source_file)} · {int(s.quality.rows_used)}/{int(s.quality.rows_total)} rows used
        </span>
        <button className="btn small ghost close" onClick={() => useApp.setState({ snapshotId: null })}>
          Close
        </button>
      </div>
      <div className="key-figures">
        <Figure label="Spot" value={price(s.spot)} />
        <Figure label="Total GEX / 1%" value={bn(s.total_gex)} tone={s.total_gex < 0 ? 'neg' : 'pos'} />
        <Figure label="Call GEX" value={bn(s.call_gex)} tone="pos" />
        <Figure label="Put GEX" value={bn(s.put_gex)} tone="neg" />
        <Figure label="Zero gamma" value={price(s.zero_gamma)} />
        <Figure label="Call wall" value={price(s.call_wall)} />
        <Figure label="Put wall" value={price(s.put_wall)} />
        <Figure label="Max pain" value={price(s.max_pain)} />
        <Figure label="Open interest" value={int(s.total_open_interest)} />
        <Figure label="Volume" value={int(s.total_volume)} />
      </div>
      <div className="charts">
        <div className="chart-box">
          <div className="chart-title">Net GEX by strike <span className="muted">(spot ±15%)</span></div>
          <GexByStrikeChart strikes={strikes} spot={s.spot} callWall={s.call_wall} putWall={s.put_wall} />
        </div>
        <div className="chart-box">
          <div className="chart-title">Gamma profile <span className="muted">(total GEX vs. spot level)</span></div>
          <ProfileChart profile={detail.profile} spot={s.spot} zeroGamma={s.zero_gamma} />
        </div>
      </div>
    </section>
  );
}
