// The workstation's own snapshots, from the store's tables (DuckDB): history, latest per
// underlying, one snapshot's summary and strikes. Measured against the Parquet exports
// (bench/analytics.bench.ts): the tables answer in about a millisecond where a scan of
// thousands of small files takes tens to hundreds.
import { LOCAL_ORIGIN } from '../../../shared/api.ts';
import type { Store } from '../store/db.ts';
import { LATEST_FIRST_SQL, OLDEST_FIRST_SQL } from './snapshot-order.ts';
import { strikeSumsQuery } from './strike-sums.ts';
import {
  STRIKE_ROW_FIGURES,
  toSummary,
  type Readable,
  type SnapshotOrigin,
  type SnapshotSummary,
  type StrikeRow,
} from './summary.ts';

const SUMMARY = `id, underlying, as_of_text AS as_of, epoch_ms(as_of) AS as_of_ms,
  epoch_ms(created_at) AS created_ms, spot, total_gex, zero_gamma,
  call_wall, put_wall, exposure_dex AS dex, exposure_vex AS vex, exposure_cex AS cex, absolute_gamma_strike,
  measures_version, content_hash, conventions`;

export class StoreOrigin implements SnapshotOrigin {
  readonly origin = LOCAL_ORIGIN;
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async history(
    underlying: string,
    fromMs: number,
    toMs: number,
  ): Promise<Readable<SnapshotSummary>> {
    const rows = await this.#store.all(
      `SELECT ${SUMMARY} FROM gex_snapshots
       WHERE upper(underlying) = upper($1) AND epoch_ms(as_of) BETWEEN $2 AND $3
       ORDER BY ${OLDEST_FIRST_SQL}`,
      [underlying, fromMs, toMs],
    );
    return { rows: rows.map((r) => toSummary(r, this.origin)), unreadable: [] };
  }

  async hasUnderlying(underlying: string): Promise<boolean> {
    const row = await this.#store.one(
      `SELECT 1 AS found FROM gex_snapshots WHERE upper(underlying) = upper($1) LIMIT 1`,
      [underlying],
    );
    return row !== undefined;
  }

  async latest(): Promise<Readable<SnapshotSummary>> {
    const rows = await this.#store.all(
      `SELECT ${SUMMARY} FROM gex_snapshots
       QUALIFY row_number() OVER (PARTITION BY upper(underlying) ORDER BY ${LATEST_FIRST_SQL}) = 1`,
    );
    return { rows: rows.map((r) => toSummary(r, this.origin)), unreadable: [] };
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const row = await this.#store.one(`SELECT ${SUMMARY} FROM gex_snapshots WHERE id = $1`, [id]);
    return row && toSummary(row, this.origin);
  }

  async idsStartingWith(prefix: string, limit: number): Promise<string[]> {
    const rows = await this.#store.all<{ id: string }>(
      `SELECT id FROM gex_snapshots WHERE starts_with(id, $1) ORDER BY id LIMIT ${limit}`,
      [prefix],
    );
    return rows.map((r) => r.id);
  }

  async strikes(id: string): Promise<StrikeRow[]> {
    return this.#store.all<StrikeRow>(strikeSumsQuery(STRIKE_ROW_FIGURES), [id]);
  }
}
