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
import type { BucketFigures, ExpiryBucket, GammaProfilePoint } from '../../../shared/domain.ts';
import { STRIKE_FIGURES } from '../../../shared/domain.ts';
import { conventionsOf, STALE_NOTE } from '../store/snapshots.ts';
import { readExportFile, type ExportFolder } from './export-folder.ts';
import { createdMs } from './snapshot-order.ts';
import { strikeSums } from './strike-sums.ts';

type Row = Record<string, unknown>;
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
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
      zero_gamma: n(r.zero_gamma),
      call_wall: n(r.call_wall),
      put_wall: n(r.put_wall),
      max_pain: n(r.max_pain),
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
    strikes: strikes.map((s) => ({
      snapshot_id: id,
      expiry: null,
      strike: Number(s.strike),
      call_gex: Number(s.call_gex),
      put_gex: Number(s.put_gex),
      net_gex: Number(s.net_gex),
      dex: n(s.dex),
      vex: n(s.vex),
      cex: n(s.cex),
      call_open_interest: Number(s.call_open_interest),
      put_open_interest: Number(s.put_open_interest),
      call_volume: Number(s.call_volume),
      put_volume: Number(s.put_volume),
    })),
    expiries: expiries.map((e) => ({
      snapshot_id: id,
      expiry: String(e.expiry),
      bucket: (e.bucket as ExpiryBucket | null) ?? null,
      call_gex: Number(e.call_gex),
      put_gex: Number(e.put_gex),
      net_gex: Number(e.net_gex),
      dex: n(e.dex),
      vex: n(e.vex),
      cex: n(e.cex),
      call_open_interest: Number(e.call_open_interest),
      put_open_interest: Number(e.put_open_interest),
      call_volume: n(e.call_volume),
      put_volume: n(e.put_volume),
      call_wall: n(e.call_wall),
      put_wall: n(e.put_wall),
    })),
    profile: json<GammaProfilePoint[]>(r.profile, []),
    exposures,
    absolute_gamma_strike: n(r.absolute_gamma_strike),
    buckets: measured ? json<BucketFigures[]>(r.buckets, []) : null,
    measures_version: n(r.measures_version),
    note: measured ? null : STALE_NOTE,
    origin: folder.root,
  };
}
