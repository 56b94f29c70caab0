// What the snapshot's charts draw, derived from the engine's figures without computing
// any measure anew: the by-strike rows of all expiries (the engine's own sums), or, under
// an expiry filter, the sums of that filter's strike × expiry cells; the walls of the
// filter (the engine's per-bucket or per-expiry walls); the measures with their units.
import type { SnapshotCells, SnapshotDetail } from '../../../../shared/api.ts';
import type { ExpiryBucket } from '../../../../shared/domain.ts';
import { GEX_UNIT } from '../../text/scale.ts';

export type Measure = 'net' | 'callput' | 'dex' | 'vex' | 'cex';
export const MEASURES: { id: Measure; label: string; unit: string; hint: string }[] = [
  {
    id: 'net',
    label: 'Net GEX',
    unit: GEX_UNIT,
    hint: 'Gamma exposure of calls and puts (puts negative)',
  },
  { id: 'callput', label: 'Call & put GEX', unit: GEX_UNIT, hint: 'Calls and puts side by side' },
  { id: 'dex', label: 'DEX', unit: '$ of delta', hint: 'Delta exposure' },
  { id: 'vex', label: 'VEX', unit: '$ of delta per vol point', hint: 'Vanna exposure' },
  { id: 'cex', label: 'CEX', unit: '$ of delta per day', hint: 'Charm exposure' },
];
export const measureInfo = (m: Measure) => MEASURES.find((x) => x.id === m)!;

export const BUCKET_LABEL: Record<ExpiryBucket, string> = {
  '0dte': '0DTE',
  weekly: 'Weekly',
  monthly: 'Monthly',
};
export const BUCKET_COLOR: Record<ExpiryBucket, string> = {
  '0dte': '#e8b33c',
  weekly: '#4c9dff',
  monthly: '#b48cff',
};

/** `all`, a bucket (`0dte`, `weekly`, `monthly`), or one expiry (`YYYY-MM-DD`). */
export type ExpiryFilter = string;
export const ALL = 'all';

export function filterLabel(f: ExpiryFilter): string {
  if (f === ALL) return 'all expiries';
  if (f in BUCKET_LABEL) return `${BUCKET_LABEL[f as ExpiryBucket]} expiries`;
  return `expiry ${f}`;
}

export interface StrikeRows {
  strike: number[];
  call: number[];
  put: number[];
  net: number[];
  dex: (number | null)[];
  vex: (number | null)[];
  cex: (number | null)[];
  callOi: number[];
  putOi: number[];
}

/** Whether an expiry is in the filter (its bucket from the engine). */
export function inFilter(detail: SnapshotDetail, f: ExpiryFilter): (expiry: string) => boolean {
  if (f === ALL) return () => true;
  if (f in BUCKET_LABEL) {
    const set = new Set(detail.expiries.filter((e) => e.bucket === f).map((e) => e.expiry));
    return (e) => set.has(e);
  }
  return (e) => e === f;
}

export function strikeRows(
  detail: SnapshotDetail,
  cells: SnapshotCells | null,
  f: ExpiryFilter,
): StrikeRows {
  if (f === ALL || !cells) {
    const s = detail.strikes;
    return {
      strike: s.map((r) => r.strike),
      call: s.map((r) => r.call_gex),
      put: s.map((r) => r.put_gex),
      net: s.map((r) => r.net_gex),
      dex: s.map((r) => r.dex),
      vex: s.map((r) => r.vex),
      cex: s.map((r) => r.cex),
      callOi: s.map((r) => r.call_open_interest),
      putOi: s.map((r) => r.put_open_interest),
    };
  }
  const take = inFilter(detail, f);
  const keep = cells.expiries.map(take);
  const n = cells.strikes.length;
  const z = () => new Array<number>(n).fill(0);
  const acc = {
    call: z(),
    put: z(),
    net: z(),
    dex: z(),
    vex: z(),
    cex: z(),
    callOi: z(),
    putOi: z(),
  };
  const used = new Uint8Array(n);
  for (let i = 0; i < cells.net_gex.length; i++) {
    if (!keep[cells.expiry_index[i]!]) continue;
    const k = cells.strike_index[i]!;
    used[k] = 1;
    acc.call[k]! += cells.call_gex[i]!;
    acc.put[k]! += cells.put_gex[i]!;
    acc.net[k]! += cells.net_gex[i]!;
    if (cells.dex) acc.dex[k]! += cells.dex[i]!;
    if (cells.vex) acc.vex[k]! += cells.vex[i]!;
    if (cells.cex) acc.cex[k]! += cells.cex[i]!;
    acc.callOi[k]! += cells.call_open_interest[i]!;
    acc.putOi[k]! += cells.put_open_interest[i]!;
  }
  const idx = [...Array(n).keys()].filter((k) => used[k]);
  const pick = (a: number[]) => idx.map((k) => a[k]!);
  const measure = (a: number[], present: boolean) => (present ? pick(a) : idx.map(() => null));
  return {
    strike: idx.map((k) => cells.strikes[k]!),
    call: pick(acc.call),
    put: pick(acc.put),
    net: pick(acc.net),
    dex: measure(acc.dex, !!cells.dex),
    vex: measure(acc.vex, !!cells.vex),
    cex: measure(acc.cex, !!cells.cex),
    callOi: pick(acc.callOi),
    putOi: pick(acc.putOi),
  };
}

export interface Levels {
  callWall: number | null;
  putWall: number | null;
  absGamma: number | null;
  /** Where the walls come from (the engine's figures of this filter). */
  source: string;
}

/** The strike with the largest call GEX + |put GEX| (first on a tie), as ANALYTICS.md defines it. */
function absGammaOf(rows: StrikeRows): number | null {
  let best: number | null = null;
  let value = 0;
  rows.strike.forEach((s, i) => {
    const v = rows.call[i]! + Math.abs(rows.put[i]!);
    if (v > value) [best, value] = [s, v];
  });
  return best;
}

export function levelsOf(detail: SnapshotDetail, f: ExpiryFilter, rows: StrikeRows): Levels {
  const s = detail.snapshot;
  if (f === ALL)
    return {
      callWall: s.call_wall,
      putWall: s.put_wall,
      absGamma: detail.absolute_gamma_strike,
      source: 'all expiries',
    };
  if (f in BUCKET_LABEL) {
    const b = detail.buckets?.find((x) => x.bucket === f);
    return {
      callWall: b?.call_wall ?? null,
      putWall: b?.put_wall ?? null,
      absGamma: absGammaOf(rows),
      source: filterLabel(f),
    };
  }
  const e = detail.expiries.find((x) => x.expiry === f);
  return {
    callWall: e?.call_wall ?? null,
    putWall: e?.put_wall ?? null,
    absGamma: absGammaOf(rows),
    source: filterLabel(f),
  };
}

/** Whether the snapshot has the measures of schema version 3 (else: re-ingest to see them). */
export const measured = (d: SnapshotDetail) => d.measures_version !== null;
export const REINGEST = 're-ingest to see';
