// Prepared statements kept per SQL text. A statement with parameters run through
// `conn.run(sql, params)` is parsed, planned and destroyed every time: three trips to
// DuckDB's thread pool and most of a job transition's cost. The app runs the same few
// dozen texts over and over (one UPDATE per state change), so the second time a text
// is seen it is prepared once and kept; texts seen once (inlined values) never are.
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { Params, Row } from './group-commit.ts';
import { messageOf } from '../../../shared/result.ts';

export class StatementCache {
  readonly #conn: DuckDBConnection;
  readonly #max: number;
  /** Most recently used last. */
  readonly #prepared = new Map<string, DuckDBPreparedStatement>();
  /** Texts seen once, most recent last; only these are worth preparing when seen again. */
  readonly #seen = new Set<string>();
  /** Texts DuckDB cannot prepare as one statement (several statements): run as given. */
  readonly #unpreparable = new Set<string>();

  /** `max` 0: never prepare (the bench's baseline). */
  constructor(conn: DuckDBConnection, max = 128) {
    this.#conn = conn;
    this.#max = max;
  }

  async all<R = Row>(sql: string, params: Params): Promise<R[]> {
    const prepared = await this.#lookup(sql, params);
    if (!prepared)
      return (
        await this.#conn.runAndReadAll(sql, params.length > 0 ? params : undefined)
      ).getRowObjectsJS() as R[];
    prepared.bind(params);
    return (await prepared.runAndReadAll()).getRowObjectsJS() as R[];
  }

  /** The number of rows the statement changed. */
  async run(sql: string, params: Params): Promise<number> {
    const prepared = await this.#lookup(sql, params);
    if (!prepared)
      return (await this.#conn.run(sql, params.length > 0 ? params : undefined)).rowsChanged;
    prepared.bind(params);
    return (await prepared.run()).rowsChanged;
  }

  async #lookup(sql: string, params: Params): Promise<DuckDBPreparedStatement | undefined> {
    if (params.length === 0 || this.#max === 0 || this.#unpreparable.has(sql)) return undefined;
    const hit = this.#prepared.get(sql);
    if (hit) {
      this.#prepared.delete(sql);
      this.#prepared.set(sql, hit);
      return hit;
    }
    if (!this.#seen.delete(sql)) {
      this.#seen.add(sql);
      if (this.#seen.size > this.#max * 4) this.#seen.delete(this.#seen.values().next().value!);
      return undefined;
    }
    let prepared: DuckDBPreparedStatement;
    try {
      prepared = await this.#conn.prepare(sql);
    } catch (e) {
      // Several statements in one text are run as given from now on; any other error
      // is left for the plain run to report.
      if (/multiple statements/i.test(messageOf(e))) this.#unpreparable.add(sql);
      return undefined;
    }
    this.#prepared.set(sql, prepared);
    if (this.#prepared.size > this.#max) {
      const [oldest, statement] = this.#prepared.entries().next().value!;
      this.#prepared.delete(oldest);
      statement.destroySync();
    }
    return prepared;
  }
}
