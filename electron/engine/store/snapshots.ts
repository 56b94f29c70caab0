// Snapshots in DuckDB. A pipeline worker hands over Parquet files of (expiry, strike)
// rows and of expiry rows; DuckDB reads them into gex_strikes and gex_expiries, inside
// the same transaction that writes the snapshot row (with its exposures), its buckets,
// its gamma profile and (through the caller's hook) the job's completion — so a snapshot
// is stored exactly once, even when the engine dies half-way. (content_hash, conventions)
// is UNIQUE: the same content under the same conventions twice is a duplicate, never a
// second snapshot; under other conventions it is another snapshot (its figures differ). A
// snapshot stored before conventions were recorded (NULL: not known) stays the duplicate of
// its content, as it was; and a duplicate of a snapshot stored before the current measures
// brings them to it (snapshot-refresh.ts). A duplicate is the same chain, not only the same
// bytes: a run whose chain fingerprint (pipeline/chain-fingerprint.ts) is a stored
// snapshot's under the same conventions — its file re-saved with CRLF, a BOM, rows in
// another order — is that snapshot's duplicate too; one stored before fingerprints were
// recorded (NULL) is matched by its content hash only.
import { rmSync } from 'node:fs';
import {
  conventionsKey,
  GexConventions,
  MEASURES_VERSION,
  type GEXSnapshot,
  type JobStatus,
  type SnapshotMeasures,
} from '../../../shared/domain.ts';
import type { PipelineOutput } from '../../../shared/pipeline.ts';
import { LATEST_FIRST_SQL, OLDEST_FIRST_SQL } from '../analytics/snapshot-order.ts';
import { iso, num, type Params, type Store, type Tx } from './db.ts';
import { Filters } from './filters.ts';
import { insertDetail } from './snapshot-insert.ts';
import { refreshMeasures, type Refresh } from './snapshot-refresh.ts';

/** Columns of gex_snapshots that came with schema version 3, read back by measuresOf(). */
export const MEASURE_COLUMNS = `measures_version, absolute_gamma_strike, exposure_gex, exposure_dex, exposure_vex, exposure_cex`;

const COLUMNS = `id, underlying, as_of_text, spot, contracts, total_gex, call_gex, put_gex, zero_gamma, call_wall,
  put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format, source_file, parquet,
  epoch_ms(created_at) AS created_at, request_id, job_id, measures_version, conventions`;

export interface SaveOutcome {
  status: Extract<JobStatus, 'completed' | 'duplicate'>;
  snapshot: GEXSnapshot;
  /** A duplicate whose snapshot was stored before the current measures, now brought up to them. */
  refreshed?: boolean;
  /** A duplicate by its chain, not its bytes: the same chain saved differently (CRLF, a BOM, rows reordered). */
  sameChain?: boolean;
}

/** What a duplicate's `completed` entry says when it matched by its chain, not its bytes. */
export const SAME_CHAIN_NOTE = 'the same chain, saved differently';

/**
 * Stores a pipeline run. `inTransaction` runs inside the same transaction (the
 * scheduler marks the job completed there). A duplicate leaves the existing snapshot
 * (bringing its measures up to date when it predates them) and removes the new
 * Parquet files.
 */
/**
 * When the snapshot was created: the instant its run recorded in its export row
 * (`created_at_ms`), which is what a desk that attaches this folder reads as its created_at,
 * so both order a tie on as_of alike (analytics/snapshot-order.ts) — kept here as the
 * store's own value, not read from the file's time, which moves when the file is rewritten
 * (a refresh of its measures) or copied.
 */
const createdAt = (output: PipelineOutput): Date => new Date(output.created_ms);

export async function saveSnapshot(
  store: Store,
  output: PipelineOutput,
  ids: { request_id: string | null; job_id: string | null },
  inTransaction?: (tx: Tx, outcome: SaveOutcome) => Promise<void>,
): Promise<SaveOutcome> {
  const s = output.snapshot;
  let refresh: Refresh | null = null;
  let outcome: SaveOutcome;
  try {
    outcome = await store.transaction(async (tx) => {
      const conventions = s.conventions === null ? null : conventionsKey(s.conventions);
      // The same conventions first; else one stored before they were recorded (at most one:
      // content_hash alone was unique then).
      const found = await tx.all<Record<string, unknown>>(
        `SELECT ${COLUMNS} FROM gex_snapshots
         WHERE content_hash = $1 AND (conventions = $2::JSON OR conventions IS NULL)
         ORDER BY conventions NULLS LAST LIMIT 1`,
        [s.content_hash, conventions],
      );
      // Else the same chain saved differently (CRLF, a BOM, rows reordered: other bytes, the
      // same figures) under the same conventions; a snapshot stored before fingerprints were
      // recorded (NULL) is matched by its content only.
      if (!found[0] && conventions !== null)
        found.push(
          ...(await tx.all<Record<string, unknown>>(
            `SELECT ${COLUMNS} FROM gex_snapshots
             WHERE chain_fingerprint = $1 AND conventions = $2::JSON
             ORDER BY ${OLDEST_FIRST_SQL} LIMIT 1`,
            [output.chain_fingerprint, conventions],
          )),
        );
      if (found[0]) {
        const existing = toSnapshot(found[0]);
        const sameChain = existing.content_hash !== s.content_hash;
        // Stored before the current measures: this run brings them to it.
        const stale =
          found[0].measures_version === null || num(found[0].measures_version) < MEASURES_VERSION;
        if (stale) refresh = await refreshMeasures(tx, existing, output);
        const dup: SaveOutcome = {
          status: 'duplicate',
          snapshot: existing,
          ...(stale ? { refreshed: true } : {}),
          ...(sameChain ? { sameChain: true } : {}),
        };
        await inTransaction?.(tx, dup);
        return dup;
      }
      const created = createdAt(output);
      const m = output.measures;
      await tx.run(
        `INSERT INTO gex_snapshots (id, underlying, as_of, as_of_text, spot, contracts, total_gex, call_gex, put_gex,
         zero_gamma, call_wall, put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format,
         source_file, parquet, created_at, request_id, job_id, ${MEASURE_COLUMNS}, conventions, chain_fingerprint)
       VALUES ($1, $2, $3::TIMESTAMPTZ, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::JSON, $16, $17, $18, $19,
         $20::TIMESTAMPTZ, $21, $22, $23, $24, $25, $26, $27, $28, $29::JSON, $30)`,
        [
          s.id,
          s.underlying,
          s.as_of,
          s.spot,
          s.contracts,
          s.total_gex,
          s.call_gex,
          s.put_gex,
          s.zero_gamma,
          s.call_wall,
          s.put_wall,
          s.max_pain,
          s.total_open_interest,
          s.total_volume,
          JSON.stringify(s.quality),
          s.content_hash,
          s.format,
          s.source_file,
          s.parquet,
          created.toISOString(),
          ids.request_id,
          ids.job_id,
          m.measures_version,
          m.absolute_gamma_strike,
          m.exposures.gex,
          m.exposures.dex,
          m.exposures.vex,
          m.exposures.cex,
          conventions,
          output.chain_fingerprint,
        ],
      );
      await insertDetail(tx, s.id, output);
      const points = output.profile.filter(
        (p) => Number.isFinite(p.level) && Number.isFinite(p.gex),
      );
      if (points.length > 0) {
        // One statement whose text depends only on the number of points (60 by default),
        // so the store prepares it once and binds every snapshot's values.
        const values = points.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
        await tx.run(`INSERT INTO gamma_profiles VALUES ${values}`, [
          s.id,
          ...points.flatMap((p) => [p.level, p.gex]),
        ]);
      }
      const done: SaveOutcome = {
        status: 'completed',
        snapshot: {
          ...s,
          created_at: created.toISOString(),
          request_id: ids.request_id,
          job_id: ids.job_id,
        },
      };
      await inTransaction?.(tx, done);
      return done;
    });
  } catch (e) {
    (refresh as Refresh | null)?.abort();
    throw e;
  }
  (refresh as Refresh | null)?.commit();
  if (outcome.status === 'duplicate' && outcome.snapshot.parquet !== output.strikesParquet)
    removeHandOff(output);
  return outcome;
}

/** Removes a run's three Parquet files: what is not stored leaves none of them behind. */
export function removeHandOff(output: PipelineOutput): void {
  for (const path of [output.strikesParquet, output.expiriesParquet, output.snapshotParquet])
    rmSync(path, { force: true });
}

/** A snapshot's measures (schema version 3 on); null when it was stored before them. */
export function measuresOf(
  r: Record<string, unknown>,
  buckets: SnapshotMeasures['buckets'],
): SnapshotMeasures | null {
  if (r.measures_version === null || r.measures_version === undefined) return null;
  return {
    measures_version: num(r.measures_version),
    exposures: {
      gex: r.exposure_gex as number,
      dex: r.exposure_dex as number,
      vex: r.exposure_vex as number,
      cex: r.exposure_cex as number,
    },
    absolute_gamma_strike: (r.absolute_gamma_strike as number | null) ?? null,
    buckets,
  };
}

/** What outputs say about a snapshot stored before the current measures. */
export const STALE_NOTE = `stored before schema version ${MEASURES_VERSION} (exposures, expiries, buckets); ingest the same file again to compute them`;

export async function getSnapshot(store: Store, id: string): Promise<GEXSnapshot | undefined> {
  const row = await store.one<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM gex_snapshots WHERE id = $1`,
    [id],
  );
  return row && toSnapshot(row);
}

/** The stored snapshots with these ids that exist, in no particular order. */
export async function getSnapshots(store: Store, ids: readonly string[]): Promise<GEXSnapshot[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const placeholders = unique.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await store.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM gex_snapshots WHERE id IN (${placeholders})`,
    unique,
  );
  return rows.map(toSnapshot);
}

/** The stored snapshots a condition selects, oldest first, read inside a transaction. */
export async function snapshotsWhere(
  tx: Tx,
  where: string,
  params: Params,
): Promise<GEXSnapshot[]> {
  const rows = await tx.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM gex_snapshots WHERE ${where} ORDER BY ${OLDEST_FIRST_SQL}`,
    params,
  );
  return rows.map(toSnapshot);
}

/**
 * Newest as-of first, on the project's one order (snapshot-order.ts: as_of, then
 * created_at, then id), as the UI's list and the levels board read them: a day's files
 * ingested after later days' do not go ahead of those. One total order, so that pages
 * meet exactly; `after` the snapshot of that id, when a list is read a page at a time.
 */
export async function listSnapshots(
  store: Store,
  opts: { underlying?: string; limit: number; after?: string },
): Promise<GEXSnapshot[]> {
  const f = new Filters(opts.limit);
  if (opts.underlying) f.add('upper(underlying) = upper(?)', opts.underlying);
  if (opts.after)
    f.add(
      '(s.as_of, s.created_at, s.id) < (SELECT (as_of, created_at, id) FROM gex_snapshots WHERE id = ?)',
      opts.after,
    );
  const rows = await store.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM gex_snapshots s ${f.where} ORDER BY ${LATEST_FIRST_SQL} LIMIT $1`,
    f.values,
  );
  return rows.map(toSnapshot);
}

/** How many snapshots are stored. */
export async function countSnapshots(store: Store): Promise<number> {
  const row = await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM gex_snapshots');
  return row?.n ?? 0;
}

export function toSnapshot(r: Record<string, unknown>): GEXSnapshot {
  return {
    id: r.id as string,
    underlying: r.underlying as string,
    as_of: r.as_of_text as string,
    spot: r.spot as number,
    contracts: num(r.contracts),
    total_gex: r.total_gex as number,
    call_gex: r.call_gex as number,
    put_gex: r.put_gex as number,
    zero_gamma: (r.zero_gamma as number | null) ?? null,
    call_wall: (r.call_wall as number | null) ?? null,
    put_wall: (r.put_wall as number | null) ?? null,
    max_pain: (r.max_pain as number | null) ?? null,
    total_open_interest: r.total_open_interest as number,
    total_volume: r.total_volume as number,
    quality: JSON.parse(r.quality as string),
    content_hash: r.content_hash as string,
    format: r.format as string,
    source_file: r.source_file as string,
    parquet: r.parquet as string,
    created_at: iso(r.created_at)!,
    request_id: (r.request_id as string | null) ?? null,
    job_id: (r.job_id as string | null) ?? null,
    conventions: conventionsOf(r.conventions),
  };
}

/** The conventions column: null when not recorded (stored before 2026-12-06). */
export function conventionsOf(v: unknown): GexConventions | null {
  if (typeof v !== 'string') return null;
  const parsed = GexConventions.safeParse(JSON.parse(v));
  return parsed.success ? parsed.data : null;
}
