// One snapshot of an attached export folder in full (the same SnapshotDetail as a stored
// one): its row from the snapshots dataset, its strikes summed over expiries from the
// strike file (in the store's order, strike-sums.ts), its expiries from the expiries file
// (nodejs-polars; three small files, read at once); created_at is the row's (an older
// file's: its modification time). The
// three are written together, so a missing one is an error naming it (BAD_SHAPE), never a
// shorter answer; only a row without measures (a snapshot from before expiries were
// computed) has no expiries to read.
import { existsSync, statSync } from 'node:fs';
import { polars } from '../native-modules.ts';
import type { SnapshotDetail } from '../../../shared/api.ts';
import type { BucketFigures, GammaProfilePoint } from '../../../shared/domain.ts';
import { STRIKE_FIGURES } from '../../../shared/domain.ts';
import { conventionsOf, STALE_NOTE } from '../store/snapshots.ts';
import { readExportFile, type ExportFolder } from './export-folder.ts';
import { expiryOfRow, numberOrNull, strikeOfRow } from './detail-rows.ts';
import { createdMs } from './snapshot-order.ts';
import { strikeSums } from './strike-sums.ts';

type Row = Record<string, unknown>;
const json = <T>(v: unknown, fallback: T): T =>
  typeof v === 'string' ? (JSON.parse(v) as T) : fallback;

export async function exportDetail(
  folder: ExportFolder,
  id: string,
): Promise<SnapshotDetail | undefined> {
  const rel = folder.locate(id);
  if (!rel) return undefined;
  const rowFile = folder.snapshotFile(rel);
  const pl = polars();
  const [r] = (await readExportFile(rowFile, () => pl.readParquet(rowFile))).toRecords() as Row[];
  if (!r) return undefined;
  const strikesFile = folder.strikesFile(rel);
  const strikes = strikeSums(
    await readExportFile(strikesFile, () => pl.readParquet(strikesFile)),
    STRIKE_FIGURES,
  );
  const measured = r.measures_version !== null && r.measures_version !== undefined;
  const expiryFile = folder.expiriesFile(rel);
  const expiries =
    measured || existsSync(expiryFile)
      ? ((await readExportFile(expiryFile, () => pl.readParquet(expiryFile)))
          .sort('expiry')
          .toRecords() as Row[])
      : [];
  const exposures = measured
    ? {
        gex: Number(r.exposure_gex),
        dex: Number(r.exposure_dex),
        vex: Number(r.exposure_vex),
        cex: Number(r.exposure_cex),
      }
    : null;
  return {
    snapshot: {
      id,
      underlying: String(r.underlying),
      as_of: String(r.as_of),
      spot: Number(r.spot),
      contracts: Number(r.contracts),
      total_gex: Number(r.total_gex),
      call_gex: Number(r.call_gex),
      put_gex: Number(r.put_gex),
      zero_gamma: numberOrNull(r.zero_gamma),
      call_wall: numberOrNull(r.call_wall),
      put_wall: numberOrNull(r.put_wall),
      max_pain: numberOrNull(r.max_pain),
      total_open_interest: Number(r.total_open_interest),
      total_volume: Number(r.total_volume),
      quality: json(r.quality, { score: 0, rows_total: 0, rows_used: 0, dropped: [] }),
      content_hash: String(r.content_hash),
      format: String(r.format),
      source_file: String(r.source_file),
      parquet: folder.strikesFile(rel),
      // As the row records it; a file written before 2026-12-06, its modification time.
      created_at: new Date(
        r.created_at_ms === null || r.created_at_ms === undefined
          ? createdMs(statSync(rowFile).mtimeMs)
          : Number(r.created_at_ms),
      ).toISOString(),
      request_id: null,
      job_id: null,
      // Files written before 2026-12-06 have no such column: not recorded.
      conventions: conventionsOf(r.conventions),
    },
    strikes: strikes.map((s) => strikeOfRow(id, s)),
    expiries: expiries.map((e) => expiryOfRow(id, e)),
    profile: json<GammaProfilePoint[]>(r.profile, []),
    exposures,
    absolute_gamma_strike: numberOrNull(r.absolute_gamma_strike),
    buckets: measured ? json<BucketFigures[]>(r.buckets, []) : null,
    measures_version: numberOrNull(r.measures_version),
    note: measured ? null : STALE_NOTE,
    origin: folder.root,
  };
}
