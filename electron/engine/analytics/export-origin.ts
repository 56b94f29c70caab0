// Snapshots of an attached export folder (another workstation's data folder), read
// read-only from its Parquet files with nodejs-polars: history from one underlying's
// partitions, the latest per underlying from the latest date partitions, a snapshot's
// summary and strikes from its own files. Measured against DuckDB's read_parquet of the
// same files (bench/analytics.bench.ts, docs/analytics.md): a partition's glob as one lazy
// scan, collected off the event loop, and a few files read one by one, were the fastest.
// Rows already read are kept per file (path, modification time): a second query reads
// only new files. A file that cannot be read (a copy still arriving, a damaged one) is
// named beside what the others gave (history, latest), and tried again by the next query.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { polars } from '../native-modules.ts';
import { readExportFile, UnreadableExport, type ExportFolder } from './export-folder.ts';
import { SNAPSHOT_ROW_TYPES } from '../pipeline/snapshot-row.ts';
import { createdMs, isLater } from './snapshot-order.ts';
import { strikeSums } from './strike-sums.ts';
import {
  STRIKE_ROW_FIGURES,
  toSummary,
  type Readable,
  type SnapshotOrigin,
  type SnapshotSummary,
  type StrikeRow,
} from './summary.ts';

/** The snapshot row's columns a summary reads (snapshot-row.ts), under the summary's names. */
const SUMMARY_COLUMNS: [keyof typeof SNAPSHOT_ROW_TYPES, string][] = [
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
  // Absent from files written before 2026-12-06: read as null (SCAN below).
  ['conventions', 'conventions'],
  ['created_at_ms', 'created_at_ms'],
];
/**
 * How the row files are scanned: by the row's declared types (snapshot-row.ts), a column a
 * file does not have (an older file: no conventions, no created_at_ms) read as null, the
 * columns not read ignored.
 */
const SCAN = () => {
  const pl = polars();
  const types = { string: pl.Utf8, float: pl.Float64, int: pl.Int64 } as const;
  return {
    schema: Object.fromEntries(SUMMARY_COLUMNS.map(([c]) => [c, types[SNAPSHOT_ROW_TYPES[c]]])),
    missingColumns: 'insert',
    extraColumns: 'ignore',
  } as const;
};
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

  /**
   * The summaries of these snapshot files: from the cache, else read (a partition's glob
   * when most of it is wanted); and the files that could not be read.
   */
  async #summaries(files: string[]): Promise<Readable<SnapshotSummary>> {
    const out: SnapshotSummary[] = [];
    const unreadable: UnreadableExport[] = [];
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
    if (missing.size === 0) return { rows: out, unreadable };
    const pl = polars();
    const read = (r: Record<string, unknown>, file: string, mtimeMs: number) => {
      // created_at as the row records it; an older file's, its modification time.
      const recorded = r.created_at_ms;
      const created =
        recorded === null || recorded === undefined ? createdMs(mtimeMs) : Number(recorded);
      const summary = { ...toSummary(r, this.origin), created_ms: created };
      this.#cache.set(file, { mtimeMs, summary });
      out.push(summary);
    };
    for (const [partition, wanted] of missing) {
      // Most of the partition: one lazy scan of its glob, collected off the event loop. Should
      // one of its files be unreadable (a copy still arriving), the files are read one by one,
      // which names it and reads the others.
      const frame =
        wanted.length >= GLOB_SHARE * this.folder.partitionFiles(partition).length
          ? await pl
              .scanParquet(`${partition}/*/*.parquet`, { includeFilePaths: FILE, ...SCAN() })
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
            async () =>
              (
                await pl
                  .scanParquet(w.file, SCAN())
                  .select(...SUMMARY_COLUMNS.map(([c]) => pl.col(c)))
                  .collect()
              ).toRecords() as Record<string, unknown>[],
          ).catch((e: unknown) => {
            if (!(e instanceof UnreadableExport)) throw e;
            unreadable.push(e);
            return [];
          });
          if (r)
            read(
              Object.fromEntries(SUMMARY_COLUMNS.map(([c, as]) => [as, r[c]])),
              w.file,
              w.mtimeMs,
            );
        }
      }
    }
    return { rows: out, unreadable };
  }

  async history(
    underlying: string,
    fromMs: number,
    toMs: number,
  ): Promise<Readable<SnapshotSummary>> {
    const read = await this.#summaries(this.folder.historyFiles(underlying, fromMs, toMs));
    const u = underlying.toUpperCase();
    return {
      rows: read.rows.filter(
        (s) => s.underlying.toUpperCase() === u && s.as_of_ms >= fromMs && s.as_of_ms <= toMs,
      ),
      unreadable: read.unreadable,
    };
  }

  /**
   * Whether a file of the folder is the underlying's: its folder holding files is not
   * enough where the folder is named the older way and may hold others' (`underlying=BRK_B`
   * for BRK/B), so there the files' own underlying column answers.
   */
  async hasUnderlying(underlying: string): Promise<boolean> {
    if (this.folder.hasOwnFiles(underlying)) return true;
    return (await this.history(underlying, -8.64e15, 8.64e15)).rows.length > 0;
  }

  async latest(): Promise<Readable<SnapshotSummary>> {
    const read = await this.#summaries(this.folder.latestFiles());
    // A partition whose latest files could not all be read: its underlying's latest readable
    // snapshot may be older than the dates read, so the rest of the partition is read too.
    const tried = new Set(read.unreadable.map((u) => u.file));
    const partitions = new Set([...tried].map((f) => dirname(dirname(f))));
    if (partitions.size > 0) {
      const more = await this.#summaries(
        [...partitions].flatMap((p) => this.folder.partitionFiles(p)).filter((f) => !tried.has(f)),
      );
      read.rows.push(...more.rows);
      read.unreadable.push(...more.unreadable);
    }
    const best = new Map<string, SnapshotSummary>();
    for (const s of read.rows) {
      const key = s.underlying.toUpperCase();
      const b = best.get(key);
      if (!b || isLater(s, b)) best.set(key, s);
    }
    return { rows: [...best.values()], unreadable: read.unreadable };
  }

  /** One snapshot's summary; its file unreadable is an error naming it (UnreadableExport). */
  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const rel = this.folder.locate(id);
    if (!rel) return undefined;
    const { rows, unreadable } = await this.#summaries([this.folder.snapshotFile(rel)]);
    if (unreadable[0]) throw unreadable[0];
    return rows[0];
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
