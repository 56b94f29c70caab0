// One snapshot's strike × expiry cells, column-wise (SnapshotCells): from the store's
// gex_strikes table, where the pipeline keeps one row per (expiry, strike), or from an
// attached export folder's strike file, which holds the same rows. The heatmap draws
// them, and the by-strike chart sums them under an expiry filter.
import type { SnapshotCells } from '../../../shared/api.ts';
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

/** Rows (expiry as YYYY-MM-DD, strike and the figures) to columns with indexed axes. */
export function toCells(id: string, rows: Row[]): SnapshotCells {
  const expiries = [...new Set(rows.map((r) => String(r.expiry)))].sort();
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
  };
}

export async function storeCells(store: Store, id: string): Promise<SnapshotCells | undefined> {
  const known = await store.one(`SELECT 1 AS found FROM gex_snapshots WHERE id = $1`, [id]);
  if (!known) return undefined;
  const rows = await store.all<Row>(
    `SELECT strftime(expiry, '%Y-%m-%d') AS expiry, strike, sum(call_gex) AS call_gex,
       sum(put_gex) AS put_gex, sum(net_gex) AS net_gex, sum(dex) AS dex, sum(vex) AS vex,
       sum(cex) AS cex, sum(call_open_interest) AS call_open_interest,
       sum(put_open_interest) AS put_open_interest
     FROM gex_strikes WHERE snapshot_id = $1 GROUP BY expiry, strike ORDER BY expiry, strike`,
    [id],
  );
  return toCells(id, rows);
}

export async function exportCells(
  folder: ExportFolder,
  id: string,
): Promise<SnapshotCells | undefined> {
  const rel = folder.locate(id);
  if (!rel) return undefined;
  const pl = polars();
  const file = folder.strikesFile(rel);
  const frame = await readExportFile(file, () => pl.readParquet(file));
  const has = new Set(frame.columns);
  const sums = [...FIGURES, ...MEASURES.filter((m) => has.has(m))].map((c) => pl.col(c).sum());
  const rows = frame
    .withColumns(pl.col('expiry').cast(pl.Utf8).str.slice(0, 10).alias('expiry'))
    .groupBy(['expiry', 'strike'])
    .agg(...sums)
    .sort(['expiry', 'strike'])
    .toRecords() as Row[];
  return toCells(id, rows);
}
