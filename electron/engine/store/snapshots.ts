// Snapshots in DuckDB. A pipeline worker hands over one Parquet file of (expiry,
// strike) rows; DuckDB reads it into gex_strikes in one statement, inside the same
// transaction that writes the snapshot row, its gamma profile and (through the
// caller's hook) the job's completion — so a snapshot is stored exactly once, even
// when the engine dies half-way. content_hash is UNIQUE: the same content twice is a
// duplicate, never a second snapshot.
import { rmSync } from 'node:fs';
import type { SnapshotDetail } from '../../../shared/api.ts';
import type { GEXSnapshot, JobStatus } from '../../../shared/domain.ts';
import type { PipelineOutput } from '../../../shared/pipeline.ts';
import { iso, num, type Store, type Tx } from './db.ts';

const COLUMNS = `id, underlying, as_of_text, spot, contracts, total_gex, call_gex, put_gex, zero_gamma, call_wall,
  put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format, source_file, parquet,
  epoch_ms(created_at) AS created_at, request_id, job_id`;

export interface SaveOutcome {
  status: Extract<JobStatus, 'completed' | 'duplicate'>;
  snapshot: GEXSnapshot;
}

/**
 * Stores a pipeline run. `inTransaction` runs inside the same transaction (the
 * scheduler marks the job completed there). A duplicate leaves the existing snapshot
 * and removes the new Parquet file.
 */
export async function saveSnapshot(
  store: Store,
  output: PipelineOutput,
  ids: { request_id: string | null; job_id: string | null },
  inTransaction?: (tx: Tx, outcome: SaveOutcome) => Promise<void>,
): Promise<SaveOutcome> {
  const s = output.snapshot;
  const outcome = await store.transaction(async (tx) => {
    const existing = await findByHash(tx, s.content_hash);
    if (existing) {
      const dup: SaveOutcome = { status: 'duplicate', snapshot: existing };
      await inTransaction?.(tx, dup);
      return dup;
    }
    const created = new Date();
    await tx.run(
      `INSERT INTO gex_snapshots (id, underlying, as_of, as_of_text, spot, contracts, total_gex, call_gex, put_gex,
         zero_gamma, call_wall, put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format,
         source_file, parquet, created_at, request_id, job_id)
       VALUES ($1, $2, $3::TIMESTAMPTZ, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::JSON, $16, $17, $18, $19,
         $20::TIMESTAMPTZ, $21, $22)`,
      [
        s.id, s.underlying, s.as_of, s.spot, s.contracts, s.total_gex, s.call_gex, s.put_gex, s.zero_gamma,
        s.call_wall, s.put_wall, s.max_pain, s.total_open_interest, s.total_volume, JSON.stringify(s.quality),
        s.content_hash, s.format, s.source_file, s.parquet, created.toISOString(), ids.request_id, ids.job_id,
      ],
    );
    await tx.run(
      `INSERT INTO gex_strikes SELECT snapshot_id, CAST(expiry AS DATE), strike, call_gex, put_gex, net_gex,
         call_open_interest, put_open_interest, call_volume, put_volume, CAST(contracts AS BIGINT)
       FROM read_parquet($1, hive_partitioning = false)`,
      [output.strikesParquet],
    );
    const points = output.profile.filter((p) => Number.isFinite(p.level) && Number.isFinite(p.gex));
    if (points.length > 0) {
      // Numbers only (checked finite above), so inlining them is safe and one statement.
      const values = points.map((p) => `($1, ${p.level}, ${p.gex})`).join(', ');
      await tx.run(`INSERT INTO gamma_profiles VALUES ${values}`, [s.id]);
    }
    const done: SaveOutcome = {
      status: 'completed',
      snapshot: { ...s, created_at: created.toISOString(), request_id: ids.request_id, job_id: ids.job_id },
    };
    await inTransaction?.(tx, done);
    return done;
  });
  if (outcome.status === 'duplicate' && outcome.snapshot.parquet !== output.strikesParquet) {
    rmSync(output.strikesParquet, { force: true });
  }
  return outcome;
}

async function findByHash(db: Store | Tx, hash: string): Promise<GEXSnapshot | undefined> {
  const rows = await db.all<Record<string, unknown>>(`SELECT ${COLUMNS} FROM gex_snapshots WHERE content_hash = $1`, [hash]);
  return rows[0] && toSnapshot(rows[0]);
}

export async function getSnapshot(store: Store, id: string): Promise<GEXSnapshot | undefined> {
  const row = await store.one<Record<string, unknown>>(`SELECT ${COLUMNS} FROM gex_snapshots WHERE id = $1`, [id]);
  return row && toSnapshot(row);
}

export async function listSnapshots(store: Store, opts: { underlying?: string; limit: number }): Promise<GEXSnapshot[]> {
  const where = opts.underlying ? 'WHERE upper(underlying) = upper($2)' : '';
  const params = opts.underlying ? [opts.limit, opts.underlying] : [opts.limit];
  const rows = await store.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM gex_snapshots ${where} ORDER BY created_at DESC, as_of DESC LIMIT $1`,
    params,
  );
  return rows.map(toSnapshot);
}

/**
 * What a new request is decided from, in one statement (submissions come in bursts):
 * whether its content is already stored, the total GEX of the latest snapshot of its
 * underlying (for `gex_change`), and its source's ingest counts (for reliability).
 */
export async function requestContext(
  store: Store,
  q: { content_hash: string; underlying: string; source: string },
): Promise<{ duplicate_of: string | null; previous_total_gex: number | null; source_ok: number | null; source_failed: number | null }> {
  const row = await store.one<Record<string, unknown>>(
    `SELECT
       (SELECT id FROM gex_snapshots WHERE content_hash = $1) AS duplicate_of,
       (SELECT total_gex FROM gex_snapshots WHERE upper(underlying) = upper($2) ORDER BY as_of DESC, created_at DESC LIMIT 1) AS previous_total_gex,
       (SELECT ingests_ok FROM sources WHERE id = $3) AS source_ok,
       (SELECT ingests_failed FROM sources WHERE id = $3) AS source_failed`,
    [q.content_hash, q.underlying, q.source],
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : num(v));
  return {
    duplicate_of: (row?.duplicate_of as string | null) ?? null,
    previous_total_gex: n(row?.previous_total_gex),
    source_ok: n(row?.source_ok),
    source_failed: n(row?.source_failed),
  };
}

export async function snapshotDetail(store: Store, id: string): Promise<SnapshotDetail | undefined> {
  const snapshot = await getSnapshot(store, id);
  if (!snapshot) return undefined;
  const strikes = await store.all<Record<string, number>>(
    `SELECT strike, call_gex, put_gex, net_gex, call_open_interest, put_open_interest, call_volume, put_volume
       FROM gex_by_strike WHERE snapshot_id = $1 ORDER BY strike`,
    [id],
  );
  const expiries = await store.all<Record<string, unknown>>(
    `SELECT strftime(expiry, '%Y-%m-%d') AS expiry, call_gex, put_gex, net_gex, call_open_interest, put_open_interest
       FROM gex_by_expiry WHERE snapshot_id = $1 ORDER BY expiry`,
    [id],
  );
  const profile = await store.all<{ level: number; gex: number }>(
    `SELECT level, gex FROM gamma_profiles WHERE snapshot_id = $1 ORDER BY level`,
    [id],
  );
  return {
    snapshot,
    strikes: strikes.map((r) => ({
      snapshot_id: id, expiry: null, strike: r.strike!, call_gex: r.call_gex!, put_gex: r.put_gex!, net_gex: r.net_gex!,
      call_open_interest: r.call_open_interest!, put_open_interest: r.put_open_interest!,
      call_volume: r.call_volume!, put_volume: r.put_volume!,
    })),
    expiries: expiries.map((r) => ({
      snapshot_id: id, expiry: r.expiry as string, call_gex: r.call_gex as number, put_gex: r.put_gex as number,
      net_gex: r.net_gex as number, call_open_interest: r.call_open_interest as number,
      put_open_interest: r.put_open_interest as number,
    })),
    profile,
  };
}

function toSnapshot(r: Record<string, unknown>): GEXSnapshot {
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
  };
}
