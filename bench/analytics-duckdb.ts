// DuckDB over the Parquet exports, for the bench's comparison with nodejs-polars (the
// engine reads attached folders with Polars, which measured faster on many small files):
// an in-memory DuckDB of its own, opened on first use, one query at a time.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A SQL string literal. */
export const sqlText = (s: string): string => `'${s.replaceAll("'", "''")}'`;
/** read_parquet over these files (their union by column name: older exports may lack newer columns). */
export const readFiles = (files: string[]): string =>
  `read_parquet([${files.map(sqlText).join(', ')}], hive_partitioning = false, union_by_name = true)`;

export class ParquetReader {
  #db: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  #open(): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
    this.#db ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      return { instance, conn: await instance.connect() };
    })();
    return this.#db;
  }

  all<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const run = this.#queue.then(async () => {
      const { conn } = await this.#open();
      return (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    const db = this.#db;
    this.#db = null;
    if (!db) return;
    const { instance, conn } = await db;
    conn.closeSync();
    instance.closeSync();
  }
}
