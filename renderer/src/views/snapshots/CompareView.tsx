// Two snapshots of an underlying compared (`snapshots:diff`, A → B): the moves of total
// GEX, the zero-gamma flip and both walls with where each was and is; the change of net
// GEX by strike and the change of open interest (calls and puts) by strike, over every
// strike where anything changed. Either side is chosen from the underlying's history;
// opened from a snapshot, A is the snapshot before it (or it is A, and the next one B, when
// it is the first); choosing an underlying compares its latest snapshot (stored here or
// in an attached folder) with the one before, and so does opening Compare on none: the
// underlying of the newest snapshot stored here, else the first on the board. A and B
// computed under different conventions (or either's not recorded) are said to be so; A
// and B of two underlyings (a link made of two rows' ids) are said to be so, as the CLI
// says it, each choice naming its own snapshot. A side removed while the view is open
// reads "removed: choose another" and its figures go, a status line saying in words which
// side it was and what, when known (compare-sides.ts), not the engine's NOT_FOUND; each
// choice and the figures' heading name where each snapshot comes from ("this desk", or its
// attached folder as the board names it) on a desk that attaches folders; an underlying's only snapshot
// joined by a second is compared with it, as a fresh load of the address would. Another
// desk's change to an attached folder (a snapshot added, removed or replaced there) is
// followed the same way while the view is open (snapshots:attachedChanged). Every as-of is
// read on the exchange's clock, as History reads it; two snapshots of one instant carry
// their spot and id (same-instant.ts); no strike changed is said of the strikes alone,
// the levels that moved named (compare-unchanged.ts). A later than B is said, with a swap;
// A and B stepped through with the keys are taken on Enter or on leaving the choice, not at
// every step (KeyedSelect.tsx).
import { useEffect, useMemo, useRef, useState } from 'react';
import { LOCAL_ORIGIN } from '../../../../shared/api.ts';
import type { HistoryPoint, SnapshotDiff, UnreadableFile } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import type { GEXSnapshot } from '../../../../shared/domain.ts';
import { useApp } from '../../state/store.ts';
import { panePath, showPane, useCompletePane } from '../../state/workbench.ts';
import { compareAbout } from '../../components/plot/chart-about.ts';
import type { Marker, PlotSpec } from '../../components/plot/draw.ts';
import { Plot } from '../../components/plot/Plot.tsx';
import { useAlignedLeft } from '../../components/plot/aligned-left.ts';
import { ErrorLine } from '../../components/common.tsx';
import { DASH, int, price, spotPrice, tickNumber } from '../../text/numbers.ts';
import { GEX_UNIT, gex, gexReadout, gexScale, gexTick, inScale } from '../../text/scale.ts';
import { exchangeStamp, exchangeZoneOf } from '../../components/plot/exchange-time.ts';
import { useEngineZone } from '../../state/use-exchange-zone.ts';
import {
  DEFAULT_WINDOW,
  MARK,
  NEG,
  POS,
  NoStrikeInWindow,
  StrikeWindowSelect,
  windowAround,
  windowMissesAll,
} from './StrikeChart.tsx';
import { plural } from '../../text/words.ts';
import { useLevels } from './use-levels.ts';
import { useStartUnderlying } from './use-start-underlying.ts';
import { UnreadableNotice, unreadableOf } from './UnreadableNotice.tsx';
import { ConventionsNote } from './ConventionsNote.tsx';
import { diffConventionsNote } from '../../../../shared/conventions-compare.ts';
import { newestStoredOf, useArrivals } from '../../state/use-arrivals.ts';
import { useLatestCall } from '../../state/use-latest-call.ts';
import { FULL_ID, idShaped, notAnId } from '../../text/ids.ts';
import { useShownFolders } from '../../state/shown-folders.ts';
import { A_AFTER_B, aAfterB, goneSideText, sideOrigin, type KnownSide } from './compare-sides.ts';
import { KeyedSelect } from '../../components/KeyedSelect.tsx';
import { sameInstantTags } from './same-instant.ts';
import { unchangedStrikesText } from './compare-unchanged.ts';

// The figures' own minus (hyphen-minus, as "-67.53 M" beside it), not the typographic one.
const signed = (v: number | null, f: (v: number) => string) =>
  v === null ? DASH : `${v > 0 ? '+' : v < 0 ? '-' : '±'}${f(Math.abs(v))}`;

function Move({
  label,
  from,
  to,
  move,
  fmt,
  title,
  testId,
}: {
  label: string;
  from: string;
  to: string;
  move: string;
  fmt?: string;
  /** The figure's unit, as the snapshot panel's figures carry it ("$ per 1 % move"). */
  title?: string;
  testId: string;
}) {
  return (
    <div className="kf" data-testid={testId} title={title}>
      <div className="kf-label">{label}</div>
      <div className="kf-value num">{move}</div>
      <div className="kf-sub muted num">
        {from} → {to}
        {fmt ? ` ${fmt}` : ''}
      </div>
    </div>
  );
}

/**
 * A side of the address that names no one snapshot, and what its choice says of it;
 * `removed`: a full id the engine no longer finds, with what it was when known (`was`).
 */
type Unresolved = { id: string; text: string; removed: boolean; was?: KnownSide };

/** A full id the engine no longer finds: removed (or in a folder that could not be read). */
const isGone = (id: string, e: AppError) =>
  idShaped(id) && id.length >= FULL_ID && e.code === 'NOT_FOUND';

/**
 * What a side's choice says when its id names no snapshot: removed since (an id in full),
 * no such start, or a start that begins several ids (the error line names them).
 */
function unresolvedText(id: string, e: AppError): string {
  if (!idShaped(id)) return 'not an id: choose another';
  if (e.code === 'VALIDATION') return 'ambiguous: choose one';
  return id.length < FULL_ID ? 'unknown id: choose another' : 'removed: choose another';
}

export function CompareView({ ids }: { ids: string[] }) {
  const client = useApp((s) => s.client);
  const {
    rows,
    error: levelsError,
    unreadable: levelsUnreadable,
    not_exports: notExports,
  } = useLevels();
  const levels = rows ?? [];
  const [underlying, setUnderlying] = useState<string | null>(null);
  const [points, setPoints] = useState<HistoryPoint[] | null>(null);
  const [pointsUnreadable, setPointsUnreadable] = useState<UnreadableFile[]>([]);
  const [diff, setDiff] = useState<SnapshotDiff | null>(null);
  // The stacked charts draw their one x axis at the same pixels.
  const align = useAlignedLeft();
  const [error, setError] = useState<AppError | null>(null);
  // Both charts start from a window around B's spot, as a snapshot's do: a chain's far
  // strikes would otherwise squeeze every change near spot into a few pixels.
  const [windowShare, setWindowShare] = useState(DEFAULT_WINDOW);
  // The exchange's clock of snapshots whose conventions were not recorded (the engine's).
  const engineZone = useEngineZone();
  const [aId, bId] = ids.length >= 2 ? [ids[0]!, ids[1]!] : [null, ids[0] ?? null];

  // None named: as if its underlying were chosen (use-start-underlying.ts), once that is
  // known and on the board: its latest there (stored or attached) against the one before.
  const start = useStartUnderlying(rows);
  const complete = useCompletePane();
  useEffect(() => {
    const latest = rows?.find((l) => l.underlying === start);
    if (ids.length === 0 && latest) complete(panePath('compare', latest.id));
  }, [ids.length, rows, start, complete]);

  // B's underlying and its history (the choices on both sides). A saved link whose B was
  // removed since: the error says so, and A's underlying and history stay, A chosen, for
  // another B to be chosen (and the mirror for A). A link with the first characters of
  // the ids (as the engine and the CLI take them) is written with the full ids, in place;
  // a start that begins several ids, or none, is said in its side's choice and the error.
  const [goneB, setGoneB] = useState<Unresolved | null>(null);
  const [goneA, setGoneA] = useState<Unresolved | null>(null);
  // Each side's own snapshot, as the engine answered for it: A's figures and underlying
  // when A is not of B's underlying (so not among the choices of B's history).
  const [sides, setSides] = useState<{
    a: GEXSnapshot | null;
    b: GEXSnapshot | null;
    /** Each side's origin, by id (LOCAL_ORIGIN or its attached folder). */
    origins: Record<string, string>;
  }>({ a: null, b: null, origins: {} });
  // The snapshots Compare has had (the choices, the sides), kept to name a side once it is
  // removed: the engine then knows nothing of it.
  const known = useRef(new Map<string, KnownSide>());
  // A snapshot removed (here or anywhere), or an attached folder changed (another desk
  // added, removed or replaced snapshots there, or the folder went: use-attached-watch.ts):
  // both sides asked again, the choices reloaded, the pair chosen kept.
  const removals = useApp((s) => s.removals);
  const attachedChanges = useApp((s) => s.attachedChanges);
  useEffect(() => {
    if (!client || !bId) return;
    let live = true;
    void (async () => {
      // A side whose text has no id's shape (a crafted address) is not sent to the engine.
      const get = (id: string) =>
        idShaped(id) ? client.call('snapshots:get', { id }) : Promise.resolve(notAnId(id));
      const [fromB, fromA] = await Promise.all([get(bId), aId ? get(aId) : null]);
      if (!live) return;
      const fullB = fromB.ok ? fromB.value.snapshot.id : bId;
      const fullA = fromA?.ok ? fromA.value.snapshot.id : aId;
      if (fullB !== bId || fullA !== aId)
        return complete(panePath('compare', ...(fullA ? [fullA] : []), fullB));
      const found = fromB.ok || !fromA ? fromB : fromA;
      const origins: Record<string, string> = {};
      for (const r of [fromA, fromB]) if (r?.ok) origins[r.value.snapshot.id] = r.value.origin;
      setSides({
        a: fromA?.ok ? fromA.value.snapshot : null,
        b: fromB.ok ? fromB.value.snapshot : null,
        origins,
      });
      const unresolved = (id: string, e: AppError): Unresolved => ({
        id,
        text: unresolvedText(id, e),
        removed: isGone(id, e),
        was: known.current.get(id),
      });
      const goneOfB = fromB.ok ? null : unresolved(bId, fromB.error);
      const goneOfA = !fromA || fromA.ok ? null : unresolved(aId!, fromA.error);
      setGoneB(goneOfB);
      setGoneA(goneOfA);
      // A side removed is said in words (its status line), not as the engine's error.
      if (!fromB.ok && !goneOfB?.removed) setError(fromB.error);
      else if (fromA && !fromA.ok && !goneOfA?.removed) setError(fromA.error);
      if (!found.ok) {
        // Neither side is stored: no underlying's choices left standing as if they were theirs.
        setUnderlying(null);
        setPoints(null);
        if (!(found === fromB ? goneOfB : goneOfA)?.removed) setError(found.error);
        return;
      }
      const h = await client.call('snapshots:history', {
        underlying: found.value.snapshot.underlying,
      });
      if (!live) return;
      setUnderlying(found.value.snapshot.underlying);
      if (!h.ok) return setError(h.error);
      setPoints(h.value.rows);
      setPointsUnreadable(h.value.unreadable);
    })();
    return () => {
      live = false;
    };
  }, [client, aId, bId, removals, attachedChanges, complete]);

  // B alone in the address: the pair completed from B's history, as soon as it holds
  // another snapshot (at load, or when a second one of an underlying's only snapshot
  // arrives). A before B, always: the underlying's first snapshot is compared with the
  // next one (A = it), never with a later one as A, which would turn every move around.
  // The address completed, in place: Back from it never lands on `compare/B` again.
  useEffect(() => {
    if (aId || !bId || !points) return;
    const i = points.findIndex((p) => p.id === bId);
    if (i < 0) return;
    if (i > 0) complete(panePath('compare', points[i - 1]!.id, bId));
    else if (points[i + 1]) complete(panePath('compare', bId, points[i + 1]!.id));
  }, [aId, bId, points, complete]);

  // A new snapshot of the underlying joins the choices as it arrives (looked at no more
  // than once a second: use-arrivals.ts; one call at a time: use-latest-call.ts); the pair
  // compared stays as chosen.
  const arrivals = useArrivals();
  // The newest asked for: its answer may be applied while `points` here are not yet its.
  const asked = useRef<string | undefined>(undefined);
  useLatestCall(
    () => {
      if (!client || !underlying || !points) return null;
      const newest = newestStoredOf(underlying);
      if (!newest || newest === asked.current || points.some((p) => p.id === newest)) return null;
      asked.current = newest;
      return client.call('snapshots:history', { underlying });
    },
    (h) => {
      if (!h.ok) return (asked.current = undefined);
      setPoints(h.value.rows);
      setPointsUnreadable(h.value.unreadable);
    },
    [client, underlying],
    [arrivals],
  );

  // The pair whose figures are on screen: asked again after a removal or an attached
  // folder's change, they stay until the answer (no flicker for another snapshot's
  // removal), and go if a side is gone.
  const shownPair = useRef<string | null>(null);
  useEffect(() => {
    const pair = aId && bId ? `${aId}/${bId}` : null;
    // Another pair (or none): the last pair's figures must not stay on screen meanwhile.
    if (pair !== shownPair.current) setDiff(null);
    shownPair.current = pair;
    if (!client || !aId || !bId || !idShaped(aId) || !idShaped(bId)) return;
    let live = true;
    void client.call('snapshots:diff', { from: aId, to: bId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setDiff(r.value);
        setError(null);
      } else {
        setDiff(null);
        // A side not found is the sides' own to say (their choice, their status line).
        if (r.error.code !== 'NOT_FOUND') setError(r.error);
      }
    });
    return () => {
      live = false;
    };
  }, [client, aId, bId, removals, attachedChanges, complete]);

  // Every snapshot seen, kept to name a side once it is removed (the load above reads it).
  useEffect(() => {
    const keep = (id: string, k: KnownSide) => known.current.set(id, k);
    if (underlying) for (const p of points ?? []) keep(p.id, { ...p, underlying });
    for (const s of [sides.a, sides.b])
      if (s) keep(s.id, { ...s, origin: sides.origins[s.id] ?? LOCAL_ORIGIN });
  }, [points, sides, underlying]);
  // Every attached folder (as the board names them); none: the desk attaches none.
  const folders = useShownFolders((f) => f.folders);
  const originOf = (id: string) =>
    points?.find((p) => p.id === id)?.origin ?? sides.origins[id] ?? LOCAL_ORIGIN;
  const fromWhere = (id: string) =>
    folders.length > 0 ? ` · ${sideOrigin(originOf(id), folders)}` : '';
  // The attached folders that could not be read now: a side of theirs is not said removed.
  const unread = notExports.filter((f) => f.cannot_read).map((f) => f.path);
  const goneOption = (g: Unresolved) =>
    g.removed && g.was && unread.includes(g.was.origin) ? 'cannot be read: choose another' : g.text;

  // A side's figures: from B's history, else (A of another underlying) its own snapshot.
  const ownA = sides.a?.id === aId ? sides.a : null;
  const ownB = sides.b?.id === bId ? sides.b : null;
  const a = points?.find((p) => p.id === aId) ?? (goneA ? undefined : (ownA ?? undefined));
  const b = points?.find((p) => p.id === bId);
  // A and B of two underlyings: said, as the CLI says it; A's own choice names it.
  const mixed = ownA && ownB && ownA.underlying !== ownB.underlying ? { a: ownA, b: ownB } : null;
  const aOutside = ownA && points && !points.some((p) => p.id === ownA.id) ? ownA : null;
  // Snapshots of one instant (a file re-sent with other figures, two vendors, one time in
  // two offsets) are told apart by their spot and id: two identical choices would hide
  // which is which (same-instant.ts); so would the exported charts' titles.
  const sameInstant = useMemo(
    () => sameInstantTags([...(points ?? []), ...(aOutside ? [aOutside] : [])]),
    [points, aOutside],
  );
  const specs = useMemo(() => {
    if (!diff || diff.strikes.length === 0) return null;
    const x = diff.strikes.map((s) => s.strike);
    const net = diff.strikes.map((s) => s.net_gex_change);
    const scale = gexScale(net);
    const markers: Marker[] = [];
    if (b) {
      markers.push({ x: b.spot, label: `spot B ${spotPrice(b.spot)}`, color: MARK.spot });
      if (b.zero_gamma !== null)
        markers.push({ x: b.zero_gamma, label: `flip B ${price(b.zero_gamma)}`, color: MARK.flip });
      if (a?.zero_gamma != null && a.zero_gamma !== b.zero_gamma)
        markers.push({ x: a.zero_gamma, label: `flip A ${price(a.zero_gamma)}`, color: '#8a6d2a' });
      if (b.call_wall !== null)
        markers.push({
          x: b.call_wall,
          label: `call wall B ${price(b.call_wall)}`,
          color: MARK.call,
        });
      if (b.put_wall !== null)
        markers.push({ x: b.put_wall, label: `put wall B ${price(b.put_wall)}`, color: MARK.put });
    }
    const about =
      a && b && underlying
        ? compareAbout(
            { ...a, underlying: mixed?.a.underlying ?? underlying },
            { ...b, underlying },
            engineZone,
            { a: sameInstant.get(a.id) ?? '', b: sameInstant.get(b.id) ?? '' },
          )
        : undefined;
    const gexSpec: PlotSpec = {
      label: `Change of net GEX by strike, A to B`,
      about,
      x,
      xTitle: 'Strike',
      xFormat: price,
      xKind: 'number',
      yTitle: inScale(GEX_UNIT, scale),
      yTick: (v, step) => gexTick(v, scale, step),
      series: [
        {
          label: 'net GEX change',
          values: net,
          kind: 'bar',
          color: POS,
          colorAt: (_, v) => (v < 0 ? NEG : POS),
          unit: `USD, ${GEX_UNIT}`,
          format: (v) => signed(v, (u) => gexReadout(u, scale, GEX_UNIT)),
        },
      ],
      markers,
      yZero: true,
    };
    const oiSpec: PlotSpec = {
      label: `Change of open interest by strike, A to B`,
      about,
      x,
      xTitle: 'Strike',
      xFormat: price,
      xKind: 'number',
      yTitle: 'Contracts',
      yTick: (v, step) => tickNumber(v, step),
      series: [
        {
          label: 'call OI change',
          values: diff.strikes.map((s) => s.call_open_interest_change),
          kind: 'bar',
          color: POS,
          unit: 'contracts',
          format: (v) => `${signed(v, int)} contracts`,
        },
        {
          label: 'put OI change',
          values: diff.strikes.map((s) => s.put_open_interest_change),
          kind: 'bar',
          color: NEG,
          unit: 'contracts',
          format: (v) => `${signed(v, int)} contracts`,
        },
      ],
      markers,
      yZero: true,
    };
    return { gexSpec, oiSpec, strikes: x };
  }, [diff, a, b, underlying, mixed?.a.underlying, engineZone, sameInstant]);

  // Every time on the exchange's clock, as History's axis and slider read it, whatever
  // offset the file wrote (09:00 +09:00 is 19:00 the day before in New York): the choices,
  // in instant order, then read in order, and the heading never runs backwards (QA wb3 F2).
  // A of another underlying: its own conventions' zone.
  const zone = useMemo(() => exchangeZoneOf(points ?? [], engineZone), [points, engineZone]);
  const stampOf = (s: { as_of: string; conventions?: HistoryPoint['conventions'] }) =>
    exchangeStamp(s.as_of, s === aOutside ? exchangeZoneOf([s], engineZone) : zone);
  const sideTag = (s: { id: string }) => sameInstant.get(s.id) ?? '';
  const option = (p: HistoryPoint) => (
    <option key={p.id} value={p.id}>
      {stampOf(p)}
      {sameInstant.get(p.id) ?? ''}
      {fromWhere(p.id)}
    </option>
  );
  const totalScale = gexScale([diff?.total_gex_change, a?.total_gex, b?.total_gex]);

  return (
    <section
      className="compare-view"
      aria-label="Compare two snapshots"
      data-testid="compare-view"
      // Where the focus lands when the analyst opens it (route-focus.ts).
      tabIndex={-1}
    >
      <div className="toolbar">
        <label>
          Underlying{' '}
          <select
            value={underlying ?? ''}
            onChange={(e) => {
              const latest = levels.find((l) => l.underlying === e.target.value);
              if (latest) showPane(panePath('compare', latest.id));
            }}
            data-testid="compare-underlying"
          >
            {underlying === null && <option value="">—</option>}
            {underlying !== null && !levels.some((l) => l.underlying === underlying) && (
              <option value={underlying}>{underlying}</option>
            )}
            {levels.map((l) => (
              <option key={l.underlying}>{l.underlying}</option>
            ))}
          </select>
        </label>
        <label>
          A{' '}
          <KeyedSelect
            value={aId ?? ''}
            onChoose={(v) => showPane(panePath('compare', v, bId ?? undefined))}
            testId="compare-a"
          >
            {aId === null && <option value="">—</option>}
            {goneA !== null && goneA.id === aId && (
              <option value={aId} disabled>
                {goneOption(goneA)}
              </option>
            )}
            {goneA === null && aOutside && (
              <option value={aOutside.id}>
                {aOutside.underlying} {stampOf(aOutside)}
                {sameInstant.get(aOutside.id) ?? ''}
                {fromWhere(aOutside.id)}
              </option>
            )}
            {points?.map(option)}
          </KeyedSelect>
        </label>
        <span aria-hidden>→</span>
        <label>
          B{' '}
          <KeyedSelect
            value={bId ?? ''}
            onChoose={(v) => showPane(panePath('compare', aId ?? undefined, v))}
            testId="compare-b"
          >
            {goneB !== null && goneB.id === bId && (
              <option value={goneB.id} disabled>
                {goneOption(goneB)}
              </option>
            )}
            {points?.map(option)}
          </KeyedSelect>
        </label>
        <StrikeWindowSelect value={windowShare} onChange={setWindowShare} testId="compare-window" />
        {b && points && (
          <span className="muted">{plural(points.length, 'snapshot')} of this underlying</span>
        )}
      </div>
      <UnreadableNotice
        files={unreadableOf(levelsUnreadable, pointsUnreadable)}
        folders={notExports}
      />
      {!bId && levelsError && <ErrorLine error={levelsError} />}
      {!bId && !levelsError && (
        <div className="empty">{rows?.length === 0 ? 'No snapshots yet.' : 'Loading…'}</div>
      )}
      {points && points.length < 2 && (
        <div className="empty" data-testid="compare-needs-two">
          {underlying} has one snapshot: a comparison needs two. Ingest another {underlying} chain,
          or choose another underlying.
        </div>
      )}
      {[goneA, goneB].map(
        (g, i) =>
          g?.removed && (
            <div
              key={g.id}
              role="status"
              className="banner paused"
              data-testid={`compare-gone-${i === 0 ? 'a' : 'b'}`}
            >
              <p>
                {goneSideText(i === 0 ? 'A' : 'B', g.id, g.was, unread, folders, (iso) =>
                  exchangeStamp(iso, zone),
                )}
              </p>
            </div>
          ),
      )}
      {error && <ErrorLine error={error} />}
      {mixed && (
        <div role="note" className="banner paused" data-testid="compare-underlyings">
          <p>
            A is {mixed.a.underlying} and B is {mixed.b.underlying}: their strikes are of two
            underlyings, so the changes by strike compare unrelated contracts.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => showPane(panePath('compare', mixed.b.id))}
              data-testid="compare-same-underlying"
            >
              Compare B with another {mixed.b.underlying} snapshot
            </button>
          </p>
        </div>
      )}
      {diff && a && b && (
        <ConventionsNote
          notes={[diffConventionsNote(diff.conventions) ?? ''].filter(Boolean)}
          testId="compare-conventions"
        />
      )}
      {diff && a && b && (
        // Which snapshots the figures are of, and where each comes from.
        <p className="compare-sides muted" data-testid="compare-sides">
          A {mixed ? `${mixed.a.underlying} ` : ''}
          {stampOf(a)}
          {sideTag(a)}
          {fromWhere(a.id)} → B {stampOf(b)}
          {sideTag(b)}
          {fromWhere(b.id)}
        </p>
      )}
      {diff && a && b && aAfterB(a, b) && (
        <p className="compare-backwards" role="note" data-testid="compare-a-after-b">
          {A_AFTER_B}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => showPane(panePath('compare', b.id, a.id))}
            data-testid="compare-swap"
          >
            Swap A and B
          </button>
        </p>
      )}
      {diff && a && b && (
        <div className="key-figures compare-figures">
          <Move
            testId="move-total"
            label={inScale('Total GEX', totalScale)}
            title={GEX_UNIT}
            from={gex(a.total_gex, totalScale)}
            to={gex(b.total_gex, totalScale)}
            move={signed(diff.total_gex_change, (v) => gex(v, totalScale))}
          />
          <Move
            testId="move-flip"
            label="Zero gamma (flip)"
            from={price(a.zero_gamma)}
            to={price(b.zero_gamma)}
            move={signed(diff.zero_gamma_move, price)}
          />
          <Move
            testId="move-call-wall"
            label="Call wall"
            from={price(a.call_wall)}
            to={price(b.call_wall)}
            move={signed(diff.call_wall_move, price)}
          />
          <Move
            testId="move-put-wall"
            label="Put wall"
            from={price(a.put_wall)}
            to={price(b.put_wall)}
            move={signed(diff.put_wall_move, price)}
          />
          <div className="kf">
            <div className="kf-label">Strikes changed</div>
            <div className="kf-value num" data-testid="compare-strikes">
              {int(diff.strikes.length)}
            </div>
          </div>
        </div>
      )}
      {diff && a && b && diff.strikes.length === 0 && (
        // Held to the strikes, the levels that moved named (the CLI's "no strike changed").
        <div className="empty" data-testid="compare-no-strike">
          {unchangedStrikesText(diff, a, b, (v) => `${gex(v, totalScale)}`)}
        </div>
      )}
      {/* A window around spot holding no changed strike says so, as a snapshot's charts do. */}
      {specs && b && windowMissesAll(b.spot, specs.strikes, windowShare) && (
        <NoStrikeInWindow
          spot={b.spot}
          strikes={specs.strikes}
          share={windowShare}
          onWiden={setWindowShare}
          noun="changed strike"
        />
      )}
      {specs && b && !windowMissesAll(b.spot, specs.strikes, windowShare) && (
        <>
          <div className="chart-box">
            <Plot
              spec={specs.gexSpec}
              title={specs.gexSpec.label}
              testId="chart-diff-gex"
              align={align}
              initial={windowAround(b.spot, windowShare)}
              height={240}
            />
          </div>
          <div className="chart-box">
            <Plot
              spec={specs.oiSpec}
              title={specs.oiSpec.label}
              testId="chart-diff-oi"
              align={align}
              initial={windowAround(b.spot, windowShare)}
              height={200}
            />
          </div>
        </>
      )}
    </section>
  );
}
