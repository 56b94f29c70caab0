// A snapshot's strike and expiry rows, from a row of whichever reader found them (the
// store's query, an attached export folder's files), written once so that a stored and
// an attached snapshot answer with the same objects. The store's columns are already
// numbers and text (DOUBLE, strftime), so Number() and String() leave them as they are.
import type { ExpiryBucket, GEXExpiry, GEXStrike } from '../../../shared/domain.ts';

type Row = Record<string, unknown>;

/** A figure that may be missing (null before schema version 3, a wall without one). */
export const numberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

/** A strike summed over all expiries (expiry null). */
export const strikeOfRow = (id: string, r: Row): GEXStrike => ({
  snapshot_id: id,
  expiry: null,
  strike: Number(r.strike),
  call_gex: Number(r.call_gex),
  put_gex: Number(r.put_gex),
  net_gex: Number(r.net_gex),
  dex: numberOrNull(r.dex),
  vex: numberOrNull(r.vex),
  cex: numberOrNull(r.cex),
  call_open_interest: Number(r.call_open_interest),
  put_open_interest: Number(r.put_open_interest),
  call_volume: Number(r.call_volume),
  put_volume: Number(r.put_volume),
});

export const expiryOfRow = (id: string, r: Row): GEXExpiry => ({
  snapshot_id: id,
  expiry: String(r.expiry),
  bucket: (r.bucket as ExpiryBucket | null) ?? null,
  call_gex: Number(r.call_gex),
  put_gex: Number(r.put_gex),
  net_gex: Number(r.net_gex),
  dex: numberOrNull(r.dex),
  vex: numberOrNull(r.vex),
  cex: numberOrNull(r.cex),
  call_open_interest: Number(r.call_open_interest),
  put_open_interest: Number(r.put_open_interest),
  call_volume: numberOrNull(r.call_volume),
  put_volume: numberOrNull(r.put_volume),
  call_wall: numberOrNull(r.call_wall),
  put_wall: numberOrNull(r.put_wall),
});
