// Where a snapshot's exports live: three Hive-style datasets under the data folder (the
// strike files at its root, `expiries/` and `snapshots/` beside them), one file per
// snapshot per dataset. Declared apart from the writers so that what only needs the
// layout (the store, the analytics over attached folders) does not load Polars.
import { dirname, join, relative } from 'node:path';

/** Sibling dataset roots of the strike files' root (the data folder itself). */
export const EXPIRIES_DATASET = 'expiries';
export const SNAPSHOTS_DATASET = 'snapshots';

/** A path segment safe on every OS (tickers like BRK.B stay readable). */
export const segment = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');

export function snapshotParquetPath(
  dataDir: string,
  underlying: string,
  date: string,
  snapshotId: string,
): string {
  return join(
    dataDir,
    `underlying=${segment(underlying)}`,
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

/**
 * A stored snapshot's three export files, from its strike file's path
 * (`<root>/underlying=U/date=D/<id>.parquet`: the datasets' root is three levels up).
 */
export function exportFilesOf(strikesParquet: string): {
  strikes: string;
  expiries: string;
  snapshot: string;
} {
  const root = dirname(dirname(dirname(strikesParquet)));
  const rel = relative(root, strikesParquet);
  return {
    strikes: strikesParquet,
    expiries: join(root, EXPIRIES_DATASET, rel),
    snapshot: join(root, SNAPSHOTS_DATASET, rel),
  };
}
