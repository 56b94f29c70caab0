// An underlying's history (`snapshots:history`, as_of order): spot, the zero-gamma flip
// and both walls against time on one chart, the chosen total exposure below it on the
// same time window (zoom one, the other follows); a slider steps through the snapshots
// (or plays them) and replays each one's by-strike chart under them; the snapshot replayed
// is in the address (`history/SPX/ID`, none at the newest), written in place as the slider
// moves, so that Back from "Open this snapshot" or a reload replays it again; a link's id
// given by its first characters is completed, in place (use-replayed.ts). Points computed under
// more than one set of conventions are said to be so, each change marked on the charts. Marks
// `history:data` and `history:drawn` (User Timing) for the e2e speed check.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryPoint, SnapshotDetail, UnreadableFile } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { showPane, useCompletePane } from '../../state/workbench.ts';
import { inPlace } from '../../state/in-place.ts';
import type { PlotSpec, Window } from '../../components/plot/draw.ts';
import { Plot } from '../../components/plot/Plot.tsx';
import { useAlignedLeft } from '../../components/plot/aligned-left.ts';
import type { Cursor } from '../../components/plot/cursor.ts';
import { historyAbout, snapshotAbout } from '../../components/plot/chart-about.ts';
import { stamp, timeTickFormat } from '../../components/plot/ticks.ts';
import {
  exchangeStamp,
  exchangeZoneOf,
  wallClockX,
  zoneTitle,
} from '../../components/plot/exchange-time.ts';
import { useEngineZone } from '../../state/use-exchange-zone.ts';
import { gapOver } from '../../components/plot/gaps.ts';
import { ErrorLine } from '../../components/common.tsx';
import { tickNumber } from '../../text/numbers.ts';
import { GEX_UNIT, gexReadout, gexScale, gexTick, inScale } from '../../text/scale.ts';
import { DEFAULT_WINDOW, levelMarkers, StrikeChart } from './StrikeChart.tsx';
import { ALL, levelsOf, strikeRows } from './snapshot-data.ts';
import { plural } from '../../text/words.ts';
import { useLevels } from './use-levels.ts';
import { useStartUnderlying } from './use-start-underlying.ts';
import { UnreadableNotice, unreadableOf } from './UnreadableNotice.tsx';
import { ConventionsNote } from './ConventionsNote.tsx';
import {
  fieldsChangedAt,
  historyConventions,
  historyConventionsNotes,
} from '../../../../shared/conventions-compare.ts';
import { newestStoredOf, useArrivals } from '../../state/use-arrivals.ts';
import { useLatestCall } from '../../state/use-latest-call.ts';
import { historyPane as paneOf, useReplayed } from './use-replayed.ts';
import { sameInstantTags } from './same-instant.ts';
import { levelSeries } from './history-series.ts';
import { visibleName } from '../../../../shared/visible.ts';

const TOTALS = [
  { id: 'total_gex', label: 'Total GEX', unit: GEX_UNIT },
  { id: 'dex', label: 'DEX', unit: '$ of delta' },
  { id: 'vex', label: 'VEX', unit: '$ of delta per vol point' },
  { id: 'cex', label: 'CEX', unit: '$ of delta per day' },
] as const;
type Total = (typeof TOTALS)[number]['id'];
/** The mark of a change of conventions: a violet, apart from the levels' colours. */
const CONVENTIONS_MARK = '#b48cff';

export function HistoryView({ underlying, replayed }: { underlying: string; replayed?: string }) {
  const client = useApp((s) => s.client);
  const {
    rows: levels,
    error: levelsError,
    unreadable: levelsUnreadable,
    not_exports: notExports,
  } = useLevels();
  const underlyings = useMemo(() => (levels ?? []).map((l) => l.underlying), [levels]);
  const [points, setPoints] = useState<HistoryPoint[] | null>(null);
  const [pointsUnreadable, setPointsUnreadable] = useState<UnreadableFile[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [total, setTotal] = useState<Total>('total_gex');
  // The stacked charts draw their one x axis at the same pixels.
  const align = useAlignedLeft();
  const [playing, setPlaying] = useState(false);
  const [win, setWin] = useState<Window | undefined>(undefined);
  // One cursor for both charts: a time, kept while a snapshot arrives or goes (cursor.ts).
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [replay, setReplay] = useState<SnapshotDetail | null>(null);
  const cache = useRef(new Map<string, SnapshotDetail>());
  const engineZone = useEngineZone();

  // With no underlying named, that of the newest snapshot stored (as Compare opens on it),
  // else the first one on the board, once known (use-start-underlying.ts); none on a desk
  // with no snapshot yet.
  const start = useStartUnderlying(levels);
  const complete = useCompletePane();
  useEffect(() => {
    if (!underlying && start) complete(paneOf(start));
  }, [underlying, start, complete]);
  const none = !underlying && !start && levels?.length === 0;
  // With none named, the board's error is why none is: said, not "Loading…" for good.
  const shownError = error ?? (underlying ? null : levelsError);

  // Loaded again when a snapshot is removed (it may be one of these points), when an
  // attached folder changed (use-attached-watch.ts), and when one of this underlying arrives (looked at no more than once a second: use-arrivals.ts).
  // The replay stays where the analyst left it (its id in the address), unless at the
  // newest point (none in the address): it follows.
  const removals = useApp((s) => s.removals);
  const attachedChanges = useApp((s) => s.attachedChanges);
  const arrivals = useArrivals();
  const [arrived, setArrived] = useState(0);
  const newestLoaded = useRef<{ underlying: string; id: string | undefined } | null>(null);
  // One call at a time: a snapshot arriving meanwhile asks for one more (use-latest-call.ts).
  useLatestCall(
    () => {
      if (!client || !underlying) return null;
      newestLoaded.current = { underlying, id: newestStoredOf(underlying) };
      return client.call('snapshots:history', { underlying }).then((r) => ({ r, underlying }));
    },
    ({ r, underlying }) => {
      performance.mark('history:data', { detail: underlying });
      if (!r.ok) {
        // Not the last underlying's points under this one's name.
        setPoints(null);
        setPointsUnreadable([]);
        return setError(r.error);
      }
      setError(null);
      setPoints(r.value.rows);
      setPointsUnreadable(r.value.unreadable);
    },
    [client, underlying],
    [removals, arrived, attachedChanges],
  );
  useEffect(() => {
    const loaded = newestLoaded.current;
    if (loaded && newestStoredOf(loaded.underlying) !== loaded.id) setArrived((n) => n + 1);
  }, [arrivals]);

  // The point replayed: the address's, else (none, or one not among the points) the newest.
  const last = Math.max(0, (points?.length ?? 0) - 1);
  const found = replayed && points ? points.findIndex((p) => p.id === replayed) : -1;
  const at = found >= 0 ? found : last;
  // An id not among them: its first characters completed, in place; one removed since, the
  // newest, in place; else why it names none of these is said (use-replayed.ts).
  const unresolved = useReplayed(underlying, replayed, points);
  // A step of the slider (or of Play) is no step for Back: the address is rewritten.
  const setAt = useCallback(
    (i: number) => {
      if (!points) return;
      const id = i < points.length - 1 ? points[i]?.id : undefined;
      inPlace(() => showPane(paneOf(underlying, id)));
    },
    [points, underlying],
  );
  // Play's timer reads the point and the writer as they are now.
  const step = useRef({ at, setAt });
  useEffect(() => {
    step.current = { at, setAt };
  }, [at, setAt]);

  useEffect(() => {
    if (!points) return;
    const id = requestAnimationFrame(() =>
      performance.mark('history:drawn', { detail: points.length }),
    );
    return () => cancelAnimationFrame(id);
  }, [points]);

  // The replayed snapshot's by-strike figures (kept once fetched).
  const current = points?.[at];
  useEffect(() => {
    if (!client || !current) return;
    const hit = cache.current.get(current.id);
    if (hit) return setReplay(hit);
    let live = true;
    void client.call('snapshots:get', { id: current.id }).then((r) => {
      if (!r.ok) return;
      cache.current.set(current.id, r.value);
      if (live) setReplay(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, current]);

  useEffect(() => {
    if (!playing || !points) return;
    const t = setInterval(() => {
      const { at: i, setAt: go } = step.current;
      if (i + 1 >= points.length) setPlaying(false);
      else go(i + 1);
    }, 700);
    return () => clearInterval(t);
  }, [playing, points]);

  const specs = useMemo(() => {
    if (!points || points.length === 0) return null;
    // Each point at its exchange wall-clock time (exchange-time.ts wallClock): the instant
    // on the exchange's clock, whatever offset its file wrote (15:00 −05:00 and 20:00Z are
    // one point; 09:00 +09:00 is 19:00 the day before in New York). The axis is read at
    // offset 0: across a change of daylight saving time, 09:45 −04:00 and 09:45 −05:00 both
    // sit at 09:45 of their day.
    const zone = exchangeZoneOf(points, engineZone);
    const x = wallClockX(
      points.map((p) => p.as_of),
      zone,
    );
    const asOfAt = new Map(points.map((p, i) => [x[i]!, p.as_of]));
    // Two points of one instant (placed a millisecond apart: wallClockX) are told apart
    // by their spot and id, in the readouts and the slider alike (same-instant.ts).
    const tags = sameInstantTags(points);
    const tagAt = new Map(points.map((p, i) => [x[i]!, tags.get(p.id) ?? '']));
    const pointStamp = (p: HistoryPoint) => exchangeStamp(p.as_of, zone) + (tags.get(p.id) ?? '');
    const time = (v: number) => {
      const own = asOfAt.get(v);
      return own
        ? exchangeStamp(own, zone) + (tagAt.get(v) ?? '')
        : `${stamp(v, 0)} ${zoneTitle(zone)}`;
    };
    const base = {
      x,
      // The CSV's As of as stored: as each snapshot's file wrote it, in whatever offset
      // (as the levels CSV and the command line write it); the axis, the readouts and the
      // slider read it on the exchange's clock.
      xColumns: {
        titles: ['As of'],
        values: (v: number) => [asOfAt.get(v) ?? stamp(v, 0)],
      },
      about: historyAbout(underlying, points, zone),
      xTitle: 'As of',
      // The axis says whose clock it reads: "As of (New York time)".
      xAxisTitle: `As of (${zoneTitle(zone)})`,
      xFormat: time,
      xTickFormat: timeTickFormat(0),
      xKind: 'time' as const,
      xOffsetMin: 0,
      // A hole of days with no snapshot breaks the lines (gaps.ts).
      xBreak: gapOver(x),
    };
    const levels: PlotSpec = {
      ...base,
      label: `${underlying} spot, flip and walls over time`,
      yTitle: 'Price',
      yTick: (v, step) => tickNumber(v, step),
      series: levelSeries(points),
    };
    const info = TOTALS.find((t) => t.id === total)!;
    const values = points.map((p) => p[total]);
    const scale = gexScale(values);
    const totals: PlotSpec = {
      ...base,
      label: `${underlying} ${info.label} over time`,
      yTitle: inScale(info.unit, scale),
      yTick: (v, step) => gexTick(v, scale, step),
      series: [
        {
          label: info.label,
          values,
          kind: 'line',
          color: '#4c9dff',
          unit: `USD, ${info.unit}`,
          format: (v) => gexReadout(v, scale, info.unit),
        },
      ],
      yZero: true,
    };
    return { levels, totals, time, zone, pointStamp };
  }, [points, underlying, total, engineZone]);

  // Where the recorded conventions change: a mark on both charts, titled with the change.
  const conventions = useMemo(() => {
    if (!points || !specs) return { notes: [], markers: [] };
    return {
      notes: historyConventionsNotes(points, (iso) => exchangeStamp(iso, specs.zone)),
      markers: historyConventions(points).changes.map((i) => ({
        // Where the charts draw the point (its exchange wall-clock time).
        x: specs.levels.x[i]!,
        // Short on the chart; the note above names what changed.
        label: `conventions change: ${fieldsChangedAt(points, i)}`,
        color: CONVENTIONS_MARK,
        kind: 'conventions',
      })),
    };
  }, [points, specs]);
  const replayMarker = useMemo(
    () => [
      ...conventions.markers,
      ...(specs && current
        ? [{ x: specs.levels.x[at]!, label: 'replay', color: '#5fd3e6', kind: 'replay' }]
        : []),
    ],
    [specs, current, at, conventions],
  );
  const withReplay = useCallback(
    (s: PlotSpec): PlotSpec => ({ ...s, markers: replayMarker }),
    [replayMarker],
  );
  const levelsSpec = useMemo(() => specs && withReplay(specs.levels), [specs, withReplay]);
  const totalsSpec = useMemo(() => specs && withReplay(specs.totals), [specs, withReplay]);
  // On History's clock, as the slider over it reads it (its title names the as-of so).
  const replayAbout = useMemo(
    () =>
      replay &&
      specs &&
      snapshotAbout(
        {
          id: replay.snapshot.id,
          underlying: replay.snapshot.underlying,
          as_of: replay.snapshot.as_of,
        },
        specs.zone,
        // Its spot and id when another point shares its instant, as the slider says it.
        sameInstantTags(points ?? []).get(replay.snapshot.id),
      ),
    [replay, specs, points],
  );
  const replayRows = useMemo(() => replay && strikeRows(replay, null, ALL), [replay]);
  const replayMarkers = useMemo(
    () =>
      replay &&
      replayRows &&
      levelMarkers(
        replay.snapshot.spot,
        replay.snapshot.zero_gamma,
        levelsOf(replay, ALL, replayRows),
      ),
    [replay, replayRows],
  );
  const missing = points?.some((p) => p.dex === null);

  return (
    <section
      className="history-view"
      aria-label={`History of ${underlying}`}
      // Where the focus lands when the analyst opens it (route-focus.ts).
      tabIndex={-1}
      data-testid="history-view"
    >
      <div className="toolbar">
        <label>
          Underlying{' '}
          <select
            value={underlying}
            onChange={(e) => showPane(paneOf(e.target.value))}
            data-testid="history-underlying"
          >
            {!underlyings.includes(underlying) && (
              <option value={underlying}>{visibleName(underlying) || '—'}</option>
            )}
            {underlyings.map((u) => (
              <option key={u} value={u}>
                {visibleName(u)}
              </option>
            ))}
          </select>
        </label>
        <span className="row-count" data-testid="history-count">
          {points ? plural(points.length, 'snapshot') : none || shownError ? '' : 'Loading…'}
        </span>
        {missing && (
          <span className="muted">
            Exposures of snapshots stored before schema version 3: re-ingest to see.
          </span>
        )}
      </div>
      <UnreadableNotice
        files={unreadableOf(levelsUnreadable, pointsUnreadable)}
        folders={notExports}
      />
      {shownError && <ErrorLine error={shownError} />}
      {unresolved && (
        <div className="history-unresolved" data-testid="history-unresolved">
          <ErrorLine error={unresolved.error} />
          <span className="muted">
            The newest snapshot of {underlying} is replayed; the slider chooses another.
          </span>
          {unresolved.elsewhere && (
            <button
              className="btn small ghost"
              onClick={() =>
                showPane(paneOf(unresolved.elsewhere!.underlying, unresolved.elsewhere!.id))
              }
              data-testid="history-elsewhere"
            >
              History of {unresolved.elsewhere.underlying} ›
            </button>
          )}
        </div>
      )}
      <ConventionsNote notes={conventions.notes} testId="history-conventions" />
      {points && points.length === 0 && <div className="empty">No snapshots of {underlying}.</div>}
      {none && (
        <div className="empty" data-testid="history-empty">
          No snapshots yet. Drop option-chain files anywhere, or use “Open files…”; each
          underlying’s history is drawn here from its first snapshot.
        </div>
      )}
      {levelsSpec && totalsSpec && specs && (
        <>
          <div className="chart-box">
            <Plot
              spec={levelsSpec}
              title={levelsSpec.label}
              testId="chart-history-levels"
              align={align}
              height={220}
              window={win}
              onWindow={setWin}
              cursor={cursor}
              onCursor={setCursor}
            />
          </div>
          <div className="chart-box">
            <Plot
              spec={totalsSpec}
              title={totalsSpec.label}
              testId="chart-history-totals"
              align={align}
              height={170}
              window={win}
              onWindow={setWin}
              cursor={cursor}
              onCursor={setCursor}
              controls={
                <select
                  aria-label="Exposure over time"
                  value={total}
                  onChange={(e) => setTotal(e.target.value as Total)}
                  data-testid="history-total"
                >
                  {TOTALS.map((t) => (
                    <option key={t.id} value={t.id}>{`${t.label} (${t.unit})`}</option>
                  ))}
                </select>
              }
            />
          </div>
          <div className="replay-bar">
            <button
              className="btn small"
              onClick={() => {
                // From the newest point (where it opens), Play replays from the first.
                if (!playing && at >= points!.length - 1) setAt(0);
                setPlaying(!playing);
              }}
              disabled={points!.length < 2}
              data-testid="history-play"
            >
              {playing ? 'Pause' : 'Play'}
            </button>
            <input
              type="range"
              min={0}
              max={Math.max(0, points!.length - 1)}
              value={at}
              onChange={(e) => setAt(Number(e.target.value))}
              aria-label="Snapshot to replay"
              aria-valuetext={current && specs ? specs.pointStamp(current) : ''}
              data-testid="history-slider"
            />
            <span className="num replay-at" data-testid="history-at">
              {current ? `${at + 1} / ${points!.length} · ${specs.pointStamp(current)}` : ''}
            </span>
            {current && (
              <button
                className="btn small ghost"
                onClick={() => useApp.getState().openSnapshot(current.id)}
              >
                Open this snapshot
              </button>
            )}
          </div>
          <div className="chart-box">
            {replay && replayRows && replayMarkers && replay.snapshot.id === current?.id ? (
              <StrikeChart
                underlying={`${underlying} ${replayAbout?.stamp ?? ''}`}
                about={replayAbout ?? undefined}
                rows={replayRows}
                measure="net"
                filter={ALL}
                markers={replayMarkers}
                spot={replay.snapshot.spot}
                windowShare={DEFAULT_WINDOW}
                height={220}
              />
            ) : (
              <div className="empty">Loading the snapshot…</div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
