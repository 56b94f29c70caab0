// One snapshot's strike × expiry cells, column-wise (SnapshotCells): from the store's
// gex_strikes table, where the pipeline keeps one row per (expiry, strike), or from an
// attached export folder's strike file, which holds the same rows. The heatmap draws
// them, and the by-strike chart sums them under an expiry filter. With a window around
// spot, the query keeps only the cells of its strikes (DuckDB's WHERE, Polars' filter on
// the lazy scan): a 30× SPX chain's 391,770 cells made 40.9 MB of JSON, while the heatmap
// draws those of spot ± 10 %. The expiries axis stays the snapshot's whole.
import { strikeWindow, type SnapshotCells } from '../../../shared/api.ts';
import type { DataFrame } from 'nodejs-polars';
import type { Store } from '../store/db.ts';
import { readExportFile, type ExportFolder } from './export-folder.ts';
import { polars } from '../native-modules.ts';

type Row = Record<string, unknown>;
const FIGURES = [
  'call_gex',
  'put_gex',
  'net_gex',
  'call_open_interest',
  'put_open_interest',
] as const;
const MEASURES = ['dex', 'vex', 'cex'] as const;

type Window = NonNullable<SnapshotCells['window']>;

/** The window of spot ± share (none without a share). */
function windowOf(spot: number, share: number | undefined): Window | null {
  if (share === undefined) return null;
  const { lo, hi } = strikeWindow(spot, share);
  return { share, strike_min: lo, strike_max: hi };
}

/**
 * Rows (expiry as YYYY-MM-DD, strike and the figures) to columns with indexed axes; the
 * expiries axis is `allExpiries` when given (a window's rows may miss some).
 */
export function toCells(
  id: string,
  rows: Row[],
  window: Window | null = null,
  allExpiries?: string[],
): SnapshotCells {
  const expiries = allExpiries ?? [...new Set(rows.map((r) => String(r.expiry)))].sort();
  const strikes = [...new Set(rows.map((r) => Number(r.strike)))].sort((a, b) => a - b);
  const ei = new Map(expiries.map((e, i) => [e, i]));
  const si = new Map(strikes.map((s, i) => [s, i]));
  const col = (name: string) => rows.map((r) => Number(r[name]));
  // Before schema version 3 these were not computed: the whole column is null then.
  const measure = (name: string) =>
    rows.length > 0 && rows.every((r) => r[name] !== null && r[name] !== undefined)
      ? col(name)
      : rows.length === 0
        ? []
        : null;
  const figures = Object.fromEntries(FIGURES.map((f) => [f, col(f)])) as Record<
    (typeof FIGURES)[number],
    number[]
  >;
  const measures = Object.fromEntries(MEASURES.map((m) => [m, measure(m)])) as Record<
    (typeof MEASURES)[number],
    number[] | null
  >;
  return {
    id,
    expiries,
    strikes,
    expiry_index: rows.map((r) => ei.get(String(r.expiry))!),
    strike_index: rows.map((r) => si.get(Number(r.strike))!),
    ...figures,
    ...measures,
    window,
  };
}

const STORE_SUMS = `strftime(expiry, '%Y-%m-%d') AS expiry, strike, sum(call_gex) AS call_gex,
  sum(put_gex) AS put_gex, sum(net_gex) AS net_gex, sum(dex) AS dex, sum(vex) AS vex,
  sum(cex) AS cex, sum(call_open_interest) AS call_open_interest,
  sum(put_open_interest) AS put_open_interest`;

/** A stored snapshot's cells, all or those of spot ± `share`; undefined: no such snapshot. */
export async function storeCells(
  store: Store,
  id: string,
  share?: number,
): Promise<SnapshotCells | undefined> {
  const known = await store.one<{ spot: number }>(`SELECT spot FROM gex_snapshots WHERE id = $1`, [
    id,
  ]);
  if (!known) return undefined;
  const window = windowOf(Number(known.spot), share);
  if (!window) {
    const rows = await store.all<Row>(
      `SELECT ${STORE_SUMS} FROM gex_strikes WHERE snapshot_id = $1
       GROUP BY expiry, strike ORDER BY expiry, strike`,
      [id],
    );
    return toCells(id, rows);
  }
  const rows = await store.all<Row>(
    `SELECT ${STORE_SUMS} FROM gex_strikes
     WHERE snapshot_id = $1 AND strike BETWEEN $2::DOUBLE AND $3::DOUBLE
     GROUP BY expiry, strike ORDER BY expiry, strike`,
    [id, window.strike_min, window.strike_max],
  );
  const expiries = await store.all<{ expiry: string }>(
    `SELECT DISTINCT strftime(expiry, '%Y-%m-%d') AS expiry FROM gex_strikes
     WHERE snapshot_id = $1 ORDER BY expiry`,
    [id],
  );
  return toCells(
    id,
    rows,
    window,
    expiries.map((e) => e.expiry),
  );
}

/** An attached folder's snapshot's cells, all or those of spot ± `share`. */
export async function exportCells(
  folder: ExportFolder,
  id: string,
  share?: number,
): Promise<SnapshotCells | undefined> {
  const rel = folder.locate(id);
  if (!rel) return undefined;
  const pl = polars();
  const file = folder.strikesFile(rel);
  const day = pl.col('expiry').cast(pl.Utf8).str.slice(0, 10).alias('expiry');
  const group = (frame: DataFrame) => {
    const has = new Set(frame.columns);
    const sums = [...FIGURES, ...MEASURES.filter((m) => has.has(m))].map((c) => pl.col(c).sum());
    return frame
      .withColumns(day)
      .groupBy(['expiry', 'strike'])
      .agg(...sums)
      .sort(['expiry', 'strike'])
      .toRecords() as Row[];
  };
  if (share === undefined)
    return toCells(id, group(await readExportFile(file, () => pl.readParquet(file))));
  const rowFile = folder.snapshotFile(rel);
  const [row] = (
    await readExportFile(rowFile, () => pl.readParquet(rowFile, { columns: ['spot'] }))
  ).toRecords() as Row[];
  if (!row) return undefined;
  const window = windowOf(Number(row.spot), share);
  if (!window) return undefined;
  // The window's rows only, filtered in the scan; and the expiries of the whole file.
  const [inWindow, expiries] = await readExportFile(file, () =>
    Promise.all([
      pl
        .scanParquet(file)
        .filter(
          pl.col('strike').gtEq(window.strike_min).and(pl.col('strike').ltEq(window.strike_max)),
        )
        .collect(),
      pl.scanParquet(file).select(day).unique().sort('expiry').collect(),
    ]),
  );
  return toCells(
    id,
    group(inWindow),
    window,
    (expiries.getColumn('expiry').toArray() as string[]).map(String),
  );
}
