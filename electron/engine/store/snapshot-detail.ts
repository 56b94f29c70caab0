// One stored snapshot with everything an analyst reads from it (ANALYTICS.md): figures,
// exposures, absolute-gamma strike, buckets, expiries with their buckets and walls,
// strikes with dex/vex/cex and open interest, the gamma profile. A snapshot stored
// before schema version 3 answers with nulls for what was not computed then, and a note.
import { LOCAL_ORIGIN, type SnapshotDetail } from '../../../shared/api.ts';
import { STRIKE_FIGURES, type BucketFigures, type ExpiryBucket } from '../../../shared/domain.ts';
import { expiryOfRow, numberOrNull, strikeOfRow } from '../analytics/detail-rows.ts';
import { strikeSumsQuery } from '../analytics/strike-sums.ts';
import type { Store } from './db.ts';
import { getSnapshot, MEASURE_COLUMNS, measuresOf, STALE_NOTE } from './snapshots.ts';

type Row = Record<string, unknown>;

export async function snapshotDetail(
  store: Store,
  id: string,
): Promise<SnapshotDetail | undefined> {
  const snapshot = await getSnapshot(store, id);
  if (!snapshot) return undefined;
  const measureRow = (await store.one<Row>(
    `SELECT ${MEASURE_COLUMNS} FROM gex_snapshots WHERE id = $1`,
    [id],
  ))!;
  const measured = measureRow.measures_version !== null;
  const strikes = await store.all<Row>(strikeSumsQuery(STRIKE_FIGURES), [id]);
  const expiries = await store.all<Row>(
    measured
      ? `SELECT strftime(expiry, '%Y-%m-%d') AS expiry, bucket, call_gex, put_gex, net_gex, dex, vex, cex,
           call_open_interest, put_open_interest, call_volume, put_volume, call_wall, put_wall
         FROM gex_expiries WHERE snapshot_id = $1 ORDER BY expiry`
      : `SELECT strftime(expiry, '%Y-%m-%d') AS expiry, NULL AS bucket, call_gex, put_gex, net_gex, dex, vex, cex,
           call_open_interest, put_open_interest, call_volume, put_volume, NULL AS call_wall, NULL AS put_wall
         FROM gex_by_expiry WHERE snapshot_id = $1 ORDER BY expiry`,
    [id],
  );
  const buckets = measured
    ? await store.all<Row>(
        `SELECT bucket, net_gex, call_wall, put_wall FROM gex_buckets WHERE snapshot_id = $1
           ORDER BY CASE bucket WHEN '0dte' THEN 0 WHEN 'weekly' THEN 1 ELSE 2 END`,
        [id],
      )
    : [];
  const profile = await store.all<{ level: number; gex: number }>(
    `SELECT level, gex FROM gamma_profiles WHERE snapshot_id = $1 ORDER BY level`,
    [id],
  );
  const measures = measuresOf(measureRow, buckets.map(toBucket));
  return {
    snapshot,
    strikes: strikes.map((r) => strikeOfRow(id, r)),
    expiries: expiries.map((r) => expiryOfRow(id, r)),
    profile,
    exposures: measures?.exposures ?? null,
    absolute_gamma_strike: measures?.absolute_gamma_strike ?? null,
    buckets: measures?.buckets ?? null,
    measures_version: measures?.measures_version ?? null,
    note: measures ? null : STALE_NOTE,
    origin: LOCAL_ORIGIN,
  };
}

export const toBucket = (r: Row): BucketFigures => ({
  bucket: r.bucket as ExpiryBucket,
  net_gex: r.net_gex as number,
  call_wall: numberOrNull(r.call_wall),
  put_wall: numberOrNull(r.put_wall),
});
