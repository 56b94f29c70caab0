// Snapshots of an attached export folder (another workstation's data folder), read
// read-only from its Parquet files with nodejs-polars: history from one underlying's
// partitions, the latest per underlying from the latest date partitions, a snapshot's
// summary and strikes from its own files. Measured against DuckDB's read_parquet of the
// same files (bench/analytics.bench.ts, docs/analytics.md): a partition's glob as one lazy
// scan, collected off the event loop, and a few files read one by one, were the fastest.
// Rows already read are kept per file (path, modification time): a second query reads
// only new files.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { polars } from '../native-modules.ts';
import { readExportFile, type ExportFolder } from './export-folder.ts';
import { strikeSums } from './strike-sums.ts';
import {
  STRIKE_ROW_FIGURES,
  toSummary,
  type SnapshotOrigin,
  type SnapshotSummary,
  type StrikeRow,
} from './summary.ts';

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
    const pl = polars();
    const read = (r: Record<string, unknown>, file: string, mtimeMs: number) => {
      const summary = toSummary(r, this.origin);
      this.#cache.set(file, { mtimeMs, summary });
      out.push(summary);
    };
    for (const [partition, wanted] of missing) {
      // Most of the partition: one lazy scan of its glob, collected off the event loop. Should
      // one of its files be unreadable (a copy still arriving), the files are read one by one,
      // which names it.
      const frame =
        wanted.length >= GLOB_SHARE * this.folder.partitionFileCount(partition)
          ? await pl
              .scanParquet(`${partition}/*/*.parquet`, { includeFilePaths: FILE })
              .select(pl.col(FILE), ...SUMMARY_COLUMNS.map(([c, as]) => pl.col(c).alias(as)))
              .collect()
              .catch(() => null)
          : null;
      if (frame) {
        const times = new Map(wanted.map((w) => [w.file, w.mtimeMs]));
        for (const r of frame.toRecords() as Record<string, unknown>[]) {
          const m = times.get(String(r[FILE]));
          if (m !== undefined) read(r, String(r[FILE]), m);
        }
      } else {
        // A few files: read one by one (a lazy concat of many single-file scans measured far
        // slower), yielding to the event loop now and then.
        for (const [i, w] of wanted.entries()) {
          if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
          const [r] = await readExportFile(
            w.file,
            () =>
              pl
                .readParquet(w.file, { columns: SUMMARY_COLUMNS.map(([c]) => c) })
                .toRecords() as Record<string, unknown>[],
          );
          if (r)
            read(
              Object.fromEntries(SUMMARY_COLUMNS.map(([c, as]) => [as, r[c]])),
              w.file,
              w.mtimeMs,
            );
        }
      }
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

  /**
   * Whether a file of the folder is the underlying's: its folder holding files is not
   * enough where the folder is named the older way and may hold others' (`underlying=BRK_B`
   * for BRK/B), so there the files' own underlying column answers.
   */
  async hasUnderlying(underlying: string): Promise<boolean> {
    if (this.folder.hasOwnFiles(underlying)) return true;
    return (await this.history(underlying, -8.64e15, 8.64e15)).length > 0;
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

  async idsStartingWith(prefix: string, limit: number): Promise<string[]> {
    return this.folder.idsStartingWith(prefix, limit);
  }

  async strikes(id: string): Promise<StrikeRow[]> {
    const rel = this.folder.locate(id);
    if (!rel) return [];
    const pl = polars();
    const file = this.folder.strikesFile(rel);
    const cells = await readExportFile(file, () =>
      pl.readParquet(file, { columns: ['strike', 'expiry', ...STRIKE_ROW_FIGURES] }),
    );
    return strikeSums(cells, STRIKE_ROW_FIGURES) as StrikeRow[];
  }
}
