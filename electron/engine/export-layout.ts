// Where a snapshot's exports live: three Hive-style datasets under the data folder (the
// strike files at its root, `expiries/` and `snapshots/` beside them), one file per
// snapshot per dataset. Declared apart from the writers so that what only needs the
// layout (the store, the analytics over attached folders) does not load Polars.
//
// The underlying's folder name is its value percent-encoded as DuckDB's own Hive writer
// encodes it (`underlying=BRK%2FB`), so that `read_parquet(…, hive_partitioning)` reads
// the very underlying back (tests/analytics/underlying-folders.test.ts checks every
// printable character against real DuckDB). Folders written before 2026-12-05 replaced each
// character outside [A-Za-z0-9._-] with `_` (`BRK/B`, `BRK\B` and `BRK_B` all in
// `underlying=BRK_B`): those files stay where they are (their paths were handed out by
// `ingest --json` and the store keeps them), and readers look in both folders and go by
// the `underlying` column inside the files (analytics/export-folder.ts).
import { dirname, join, relative } from 'node:path';

/** Sibling dataset roots of the strike files' root (the data folder itself). */
export const EXPIRIES_DATASET = 'expiries';
export const SNAPSHOTS_DATASET = 'snapshots';

/**
 * The name of a file or folder that is not a partition value (a date, a snapshot id) as
 * it always was; also the partition value as exports written before 2026-12-05 named it.
 */
export const segment = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** Bytes a partition value keeps as they are: RFC 3986's unreserved characters, as DuckDB's writer. */
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * A Hive partition value as a folder name: each UTF-8 byte of any other character as
 * `%XX` (upper-case hex), as DuckDB writes it, so that `/`, `\`, `%`, `=`, a space and the
 * characters Windows refuses in names (`: * ? " < > |`) all survive; also a final `.`,
 * which Windows would drop from the name (DuckDB decodes `%2E` as any other escape).
 */
export function partitionValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) out += ch;
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.endsWith('.') ? `${out.slice(0, -1)}%2E` : out;
}

/** The partition folder of an underlying: `underlying=<value percent-encoded>`. */
export const underlyingFolder = (underlying: string): string =>
  `underlying=${partitionValue(underlying)}`;

/**
 * The folders an underlying's files may be in: its own, and the one exports written before
 * 2026-12-05 named it (the same for most tickers). The older one may hold other underlyings
 * too (`BRK/B` and `BRK_B` both in `underlying=BRK_B`): go by the files' own column.
 */
export const underlyingFolders = (underlying: string): string[] => [
  ...new Set([underlyingFolder(underlying), `underlying=${segment(underlying)}`]),
];

/**
 * Whether a partition folder may hold files of several underlyings: only one named the
 * older way after a ticker with a character it replaced, so a name with `_` and without
 * `%` (in either layout a name without `_` is its one underlying's, and the older names
 * never hold `%`). Readers go by each file's own `underlying` there.
 */
export const mayHoldSeveral = (folderName: string): boolean =>
  folderName.includes('_', 'underlying='.length) && !folderName.includes('%');

export function snapshotParquetPath(
  dataDir: string,
  underlying: string,
  date: string,
  snapshotId: string,
): string {
  return join(
    dataDir,
    underlyingFolder(underlying),
    `date=${segment(date)}`,
    `${segment(snapshotId)}.parquet`,
  );
}

/** The same file name and partition folders, under the `dataset` root beside the strike files. */
export const datasetPath = (
  dataset: string,
  dataDir: string,
  underlying: string,
  date: string,
  snapshotId: string,
): string => snapshotParquetPath(join(dataDir, dataset), underlying, date, snapshotId);

/** The datasets' root of a strike file (`<root>/underlying=U/date=D/<id>.parquet`). */
export const exportRootOf = (strikesParquet: string): string =>
  dirname(dirname(dirname(strikesParquet)));

/**
 * A stored snapshot's three export files, from its strike file's path
 * (`<root>/underlying=U/date=D/<id>.parquet`: the datasets' root is three levels up).
 */
export function exportFilesOf(strikesParquet: string): {
  strikes: string;
  expiries: string;
  snapshot: string;
} {
  const root = exportRootOf(strikesParquet);
  const rel = relative(root, strikesParquet);
  return {
    strikes: strikesParquet,
    expiries: join(root, EXPIRIES_DATASET, rel),
    snapshot: join(root, SNAPSHOTS_DATASET, rel),
  };
}

/**
 * A stored snapshot's three export files in the data folder in use: its strike file's
 * partition path under `dataDir`. Not the absolute path stored with it, which names another
 * desk's folder once the database and its data folder were copied (a removal there deleted
 * the other desk's files) and no folder once they were moved.
 */
export const exportFilesIn = (dataDir: string, storedParquet: string) =>
  exportFilesOf(join(dataDir, relative(exportRootOf(storedParquet), storedParquet)));
