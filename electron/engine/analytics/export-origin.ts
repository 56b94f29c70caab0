// Snapshots of an attached export folder (another workstation's data folder), read
// read-only from its Parquet files with nodejs-polars: history from one underlying's
// partitions, the latest per underlying from the latest date partitions, a snapshot's
// summary and strikes from its own files. A row file (one row) is read from its bytes,
// fetched asynchronously and parsed in slices between which the event loop runs: the
// engine's reads must never hold the store's commits of a burst's results (lazy scans, on
// Polars' threads, did; readRows below). Rows already read are kept per file (path,
// modification time): a second query reads only new files. A file that cannot be read (a
// copy still arriving, a damaged one) is named beside what the others gave (history,
// latest), and tried again by the next query.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { polars } from '../native-modules.ts';
import { readExportFile, UnreadableExport, type ExportFolder } from './export-folder.ts';
import { SNAPSHOT_ROW_TYPES } from '../pipeline/snapshot-row.ts';
import { createdMs, isLater } from './snapshot-order.ts';
import { strikeSums } from './strike-sums.ts';
import { underlyingOfRoot, underlyingProblem } from '../../../shared/underlyings.ts';
import { quotedEcho } from '../../../shared/visible.ts';
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
  // Absent from files written before 2026-12-06: read as null (parseRow below).
  ['conventions', 'conventions'],
  ['created_at_ms', 'created_at_ms'],
];
const COLUMNS = SUMMARY_COLUMNS.map(([c]) => c);

/** Row files whose bytes are being read at once, ahead of the one parsed. */
const READ_AHEAD = 4;
/** Parsing gives the event loop back after this long (ms): the store's commits run between. */
const SLICE_MS = 4;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One row file's summary columns, under the summary's names, from its bytes: read eagerly
 * (a row file is one row), only these columns; a file written before 2026-12-06 lacks
 * conventions and created_at_ms, so where a column is missing the whole row is read and
 * the absent ones are null.
 */
function parseRow(bytes: Buffer): Record<string, unknown> | undefined {
  const pl = polars();
  let frame;
  try {
    frame = pl.readParquet(bytes, { columns: COLUMNS });
  } catch (e) {
    if (!/unable to find column/i.test(String(e))) throw e;
    frame = pl.readParquet(bytes);
  }
  const [r] = frame.toRecords() as Record<string, unknown>[];
  return r && Object.fromEntries(SUMMARY_COLUMNS.map(([c, as]) => [as, r[c] ?? null]));
}

/**
 * The rows of these files, each as it is read, or the file that could not be read. The
 * bytes are read asynchronously (a few files ahead) and parsed on the event loop, which is
 * given back every SLICE_MS. Not a lazy scan: a Polars scan cost 12–29 ms of CPU per file on
 * Polars' own threads, whatever the file's size (one row here); a cold levels read of 980
 * files took 27 s, and all that time the store committed a burst's finished jobs a few a
 * second (docs/analytics.md, "A cold read beside a burst"). Parsing a row file's bytes
 * takes under a millisecond.
 */
async function* readRows(
  files: { file: string; mtimeMs: number }[],
): AsyncGenerator<
  { row: Record<string, unknown>; file: string; mtimeMs: number } | UnreadableExport
> {
  const bytes = (file: string) =>
    readFile(file).then(
      (b) => ({ ok: true as const, b }),
      (e: unknown) => ({ ok: false as const, e }),
    );
  const ahead = files.slice(0, READ_AHEAD).map((f) => bytes(f.file));
  let slice = performance.now();
  for (const [i, { file, mtimeMs }] of files.entries()) {
    const read = await ahead.shift()!;
    const next = files[i + READ_AHEAD];
    if (next) ahead.push(bytes(next.file));
    let got;
    try {
      if (!read.ok) throw read.e;
      const row = parseRow(read.b);
      got = row && { row, file, mtimeMs };
    } catch (e) {
      got = new UnreadableExport(file, e);
    }
    if (got) yield got;
    if (performance.now() - slice >= SLICE_MS) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
}

const mtime = (file: string): number | null => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Why a row file's underlying is not taken: one a file ingested here could not name either
 * (shared/underlyings.ts: a zero-width space or U+034F in `SP\u200bX`, longer than a
 * ticker), so that an attached folder, damaged or forged, cannot add a second "SPX" to the
 * levels board; the file is named among the unreadable ones with this reason.
 */
function underlyingRefused(u: unknown): string | null {
  if (typeof u !== 'string') return null;
  const why = underlyingProblem(u);
  return why === null
    ? null
    : `names the underlying ${quotedEcho(u)}, which ${why}; a file ingested here would be refused, so it is not shown: fix the desk that wrote it, or remove it`;
}

export class ExportOrigin implements SnapshotOrigin {
  readonly origin: string;
  readonly folder: ExportFolder;
  readonly #cache = new Map<string, { mtimeMs: number; summary: SnapshotSummary }>();

  constructor(folder: ExportFolder) {
    this.folder = folder;
    this.origin = folder.root;
  }

  /**
   * The summaries of these snapshot files: from the cache, else read (readRows); and the
   * files that could not be read.
   */
  async #summaries(files: string[]): Promise<Readable<SnapshotSummary>> {
    const out: SnapshotSummary[] = [];
    const missing: { file: string; mtimeMs: number }[] = [];
    for (const file of files) {
      const m = mtime(file);
      if (m === null) continue;
      const hit = this.#cache.get(file);
      if (hit && hit.mtimeMs === m) out.push(hit.summary);
      else missing.push({ file, mtimeMs: m });
    }
    const unreadable: UnreadableExport[] = [];
    for await (const got of readRows(missing)) {
      if (got instanceof UnreadableExport) {
        unreadable.push(got);
        continue;
      }
      const { row: r, file, mtimeMs } = got;
      const refused = underlyingRefused(r.underlying);
      if (refused) {
        unreadable.push(new UnreadableExport(file, null, refused));
        continue;
      }
      // created_at as the row records it; an older file's, its modification time.
      const recorded = r.created_at_ms;
      const created =
        recorded === null || recorded === undefined ? createdMs(mtimeMs) : Number(recorded);
      // Its underlying as the engine names it now: a class share exported under a vendor's
      // spelling (`BRK.B`, before 2026-12-07) is BRKB's (shared/underlyings.ts).
      const summary = {
        ...toSummary(r, this.origin),
        underlying: underlyingOfRoot(String(r.underlying)),
        created_ms: created,
      };
      this.#cache.set(file, { mtimeMs, summary });
      out.push(summary);
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
