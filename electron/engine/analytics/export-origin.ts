// Snapshots of an attached export folder (another workstation's data folder), read
// read-only from its Parquet files with nodejs-polars lazy scans, collected off the event
// loop: history from one underlying's partitions, the latest per underlying from the
// latest date partitions, a snapshot's summary and strikes from its own files. Measured
// against DuckDB's read_parquet of the same files (bench/analytics.bench.ts): many small
// files are where the two differ, and Polars opened them 2–4× faster. Rows already read
// are kept per file (path, modification time), so a second query reads only new files.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { polars } from './polars.ts';
import type { ExportFolder } from './export-folder.ts';
import { toSummary, type SnapshotOrigin, type SnapshotSummary, type StrikeRow } from './summary.ts';

/** The snapshot row's columns a summary reads (snapshot-row.ts), under the summary's names. */
const SUMMARY_COLUMNS: [string, string][] = [
  ['snapshot_id', 'id'],
  ['underlying', 'underlying'],
  ['as_of', 'as_of'],
  ['as_of_ms', 'as_of_ms'],
  ['spot', 'spot'],
  ['total_gex', 'total_gex'],
  ['zero_gamma', 'zero_gamma'],
  ['call_wall', 'call_wall'],
  ['put_wall', 'put_wall'],
  ['exposure_dex', 'dex'],
  ['exposure_vex', 'vex'],
  ['exposure_cex', 'cex'],
  ['absolute_gamma_strike', 'absolute_gamma_strike'],
  ['measures_version', 'measures_version'],
  ['content_hash', 'content_hash'],
];
const FILE = '__file';
/** Below this share of a partition's files, they are read one by one rather than by the partition's glob. */
const GLOB_SHARE = 0.5;

const mtime = (file: string): number | null => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

export class ExportOrigin implements SnapshotOrigin {
  readonly origin: string;
  readonly folder: ExportFolder;
  readonly #cache = new Map<string, { mtimeMs: number; summary: SnapshotSummary }>();

  constructor(folder: ExportFolder) {
    this.folder = folder;
    this.origin = folder.root;
  }

  /** The summaries of these snapshot files: from the cache, else read (a partition's glob when most of it is wanted). */
  async #summaries(files: string[]): Promise<SnapshotSummary[]> {
    const out: SnapshotSummary[] = [];
    const missing = new Map<string, { file: string; mtimeMs: number }[]>();
    for (const file of files) {
      const m = mtime(file);
      if (m === null) continue;
      const hit = this.#cache.get(file);
      if (hit && hit.mtimeMs === m) out.push(hit.summary);
      else {
        // Partition of the underlying: <root>/snapshots/underlying=U
        const partition = dirname(dirname(file));
        if (!missing.has(partition)) missing.set(partition, []);
        missing.get(partition)!.push({ file, mtimeMs: m });
      }
    }
    if (missing.size === 0) return out;
    const pl = await polars();
    const scans: ReturnType<typeof pl.scanParquet>[] = [];
    for (const [partition, wanted] of missing) {
      const inPartition = this.folder.partitionFileCount(partition);
      if (wanted.length >= GLOB_SHARE * inPartition)
        scans.push(pl.scanParquet(`${partition}/*/*.parquet`, { includeFilePaths: FILE }));
      else for (const w of wanted) scans.push(pl.scanParquet(w.file, { includeFilePaths: FILE }));
    }
    const lazy = scans.length === 1 ? scans[0]! : pl.concat(scans, { how: 'vertical' });
    const frame = await lazy
      .select(pl.col(FILE), ...SUMMARY_COLUMNS.map(([c, as]) => pl.col(c).alias(as)))
      .collect();
    const wantedTimes = new Map([...missing.values()].flat().map((w) => [w.file, w.mtimeMs]));
    for (const r of frame.toRecords() as Record<string, unknown>[]) {
      const file = String(r[FILE]);
      const m = wantedTimes.get(file);
      if (m === undefined) continue;
      const summary = toSummary(r, this.origin);
      this.#cache.set(file, { mtimeMs: m, summary });
      out.push(summary);
    }
    return out;
  }

  async history(underlying: string, fromMs: number, toMs: number): Promise<SnapshotSummary[]> {
    const rows = await this.#summaries(this.folder.historyFiles(underlying, fromMs, toMs));
    const u = underlying.toUpperCase();
    return rows.filter(
      (s) => s.underlying.toUpperCase() === u && s.as_of_ms >= fromMs && s.as_of_ms <= toMs,
    );
  }

  async hasUnderlying(underlying: string): Promise<boolean> {
    return this.folder.historyFiles(underlying, -8.64e15, 8.64e15).length > 0;
  }

  async latest(): Promise<SnapshotSummary[]> {
    const best = new Map<string, SnapshotSummary>();
    for (const s of await this.#summaries(this.folder.latestFiles())) {
      const key = s.underlying.toUpperCase();
      const b = best.get(key);
      if (!b || s.as_of_ms > b.as_of_ms) best.set(key, s);
    }
    return [...best.values()];
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const rel = this.folder.locate(id);
    return rel ? (await this.#summaries([this.folder.snapshotFile(rel)]))[0] : undefined;
  }

  async strikes(id: string): Promise<StrikeRow[]> {
    const rel = this.folder.locate(id);
    if (!rel) return [];
    const pl = await polars();
    const frame = await pl
      .scanParquet(this.folder.strikesFile(rel))
      .groupBy('strike')
      .agg(
        pl.col('net_gex').sum(),
        pl.col('call_open_interest').sum(),
        pl.col('put_open_interest').sum(),
      )
      .sort('strike')
      .collect();
    return frame.toRecords() as StrikeRow[];
  }
}
