// Snapshots of an attached export folder (another workstation's data folder), read
// read-only from its Parquet files with DuckDB (parquet-reader.ts): history from one
// underlying's partitions, the latest per underlying from the latest date partitions,
// a snapshot's summary and strikes from its own files. bench/analytics.bench.ts measures
// these DuckDB scans against nodejs-polars lazy scans of the same files.
import type { ExportFolder } from './export-folder.ts';
import { readFiles, sqlText, type ParquetReader } from './parquet-reader.ts';
import { toSummary, type SnapshotOrigin, type SnapshotSummary, type StrikeRow } from './summary.ts';

export const SUMMARY_COLUMNS = `snapshot_id AS id, underlying, as_of, as_of_ms, spot, total_gex, zero_gamma, call_wall,
  put_wall, exposure_dex AS dex, exposure_vex AS vex, exposure_cex AS cex, absolute_gamma_strike, measures_version,
  content_hash`;

export class ExportOrigin implements SnapshotOrigin {
  readonly origin: string;
  readonly folder: ExportFolder;
  readonly #reader: ParquetReader;

  constructor(folder: ExportFolder, reader: ParquetReader) {
    this.folder = folder;
    this.origin = folder.root;
    this.#reader = reader;
  }

  async #summaries(files: string[], where = 'true'): Promise<SnapshotSummary[]> {
    if (files.length === 0) return [];
    const rows = await this.#reader.all(
      `SELECT ${SUMMARY_COLUMNS} FROM ${readFiles(files)} WHERE ${where}`,
    );
    return rows.map((r) => toSummary(r, this.origin));
  }

  history(underlying: string, fromMs: number, toMs: number): Promise<SnapshotSummary[]> {
    const files = this.folder.historyFiles(underlying, fromMs, toMs);
    return this.#summaries(
      files,
      `upper(underlying) = upper(${sqlText(underlying)}) AND as_of_ms BETWEEN ${Math.trunc(fromMs)} AND ${Math.trunc(toMs)}`,
    );
  }

  async hasUnderlying(underlying: string): Promise<boolean> {
    return this.folder.historyFiles(underlying, -8.64e15, 8.64e15).length > 0;
  }

  async latest(): Promise<SnapshotSummary[]> {
    const all = await this.#summaries(this.folder.latestFiles());
    const best = new Map<string, SnapshotSummary>();
    for (const s of all) {
      const key = s.underlying.toUpperCase();
      const b = best.get(key);
      if (!b || s.as_of_ms > b.as_of_ms) best.set(key, s);
    }
    return [...best.values()];
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const rel = this.folder.locate(id);
    if (!rel) return undefined;
    return (await this.#summaries([this.folder.snapshotFile(rel)]))[0];
  }

  async strikes(id: string): Promise<StrikeRow[]> {
    const rel = this.folder.locate(id);
    if (!rel) return [];
    return this.#reader.all<StrikeRow>(
      `SELECT strike, sum(net_gex) AS net_gex, sum(call_open_interest) AS call_open_interest,
         sum(put_open_interest) AS put_open_interest
       FROM ${readFiles([this.folder.strikesFile(rel)])} GROUP BY strike ORDER BY strike`,
    );
  }
}
