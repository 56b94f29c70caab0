// The snapshot's one row in the `snapshots/` export dataset: every figure of the snapshot
// (what `snapshot --json` shows, but the strikes and expiries, which have their own files),
// so that a workstation that attaches this folder reads history and levels from these
// small files alone. Column names and types are declared here once; the analytics'
// export reader (electron/engine/analytics/) reads them back by these names.
import {
  conventionsKey,
  type GammaProfilePoint,
  type SnapshotMeasures,
} from '../../../shared/domain.ts';
import type { PipelineSnapshot } from '../../../shared/pipeline.ts';
import { datasetPath, SNAPSHOTS_DATASET } from '../export-layout.ts';
import { snapshotFrame, writeFrameAtomically, type SnapshotRow } from './parquet-out.ts';

export const SNAPSHOT_ROW_TYPES = {
  snapshot_id: 'string',
  underlying: 'string',
  as_of: 'string',
  /** as_of as epoch milliseconds: the instant, for ordering across offsets. */
  as_of_ms: 'int',
  spot: 'float',
  contracts: 'int',
  total_gex: 'float',
  call_gex: 'float',
  put_gex: 'float',
  zero_gamma: 'float',
  call_wall: 'float',
  put_wall: 'float',
  max_pain: 'float',
  absolute_gamma_strike: 'float',
  exposure_gex: 'float',
  exposure_dex: 'float',
  exposure_vex: 'float',
  exposure_cex: 'float',
  total_open_interest: 'float',
  total_volume: 'float',
  /** JSON text: DataQuality. */
  quality: 'string',
  /** JSON text: BucketFigures[]. */
  buckets: 'string',
  /** JSON text: the gamma profile, [{level, gex}]. */
  profile: 'string',
  measures_version: 'int',
  content_hash: 'string',
  format: 'string',
  source_file: 'string',
  /**
   * JSON text: the conventions the figures were computed under (shared/domain.ts
   * conventionsKey); absent from files written before 2026-12-06, null when not recorded.
   */
  conventions: 'string',
  /**
   * When the snapshot was created, epoch ms: what the store keeps as its created_at and what
   * orders a tie on as_of (analytics/snapshot-order.ts). Absent from files written before
   * 2026-12-06, whose readers fall back to the file's modification time.
   */
  created_at_ms: 'int',
} as const satisfies Record<string, 'string' | 'float' | 'int'>;

export function snapshotRow(
  s: PipelineSnapshot,
  m: SnapshotMeasures,
  profile: GammaProfilePoint[],
  createdMs: number,
): SnapshotRow {
  return {
    snapshot_id: s.id,
    underlying: s.underlying,
    as_of: s.as_of,
    as_of_ms: Date.parse(s.as_of),
    spot: s.spot,
    contracts: s.contracts,
    total_gex: s.total_gex,
    call_gex: s.call_gex,
    put_gex: s.put_gex,
    zero_gamma: s.zero_gamma,
    call_wall: s.call_wall,
    put_wall: s.put_wall,
    max_pain: s.max_pain,
    absolute_gamma_strike: m.absolute_gamma_strike,
    exposure_gex: m.exposures.gex,
    exposure_dex: m.exposures.dex,
    exposure_vex: m.exposures.vex,
    exposure_cex: m.exposures.cex,
    total_open_interest: s.total_open_interest,
    total_volume: s.total_volume,
    quality: JSON.stringify(s.quality),
    buckets: JSON.stringify(m.buckets),
    profile: JSON.stringify(profile),
    measures_version: m.measures_version,
    content_hash: s.content_hash,
    format: s.format,
    source_file: s.source_file,
    conventions: s.conventions === null ? null : conventionsKey(s.conventions),
    created_at_ms: createdMs,
  };
}

export async function writeSnapshotParquet(
  s: PipelineSnapshot,
  m: SnapshotMeasures,
  profile: GammaProfilePoint[],
  meta: { dataDir: string; date: string },
  createdMs: number,
): Promise<string> {
  const path = datasetPath(SNAPSHOTS_DATASET, meta.dataDir, s.underlying, meta.date, s.id);
  writeFrameAtomically(
    snapshotFrame(snapshotRow(s, m, profile, createdMs), SNAPSHOT_ROW_TYPES),
    path,
  );
  return path;
}
