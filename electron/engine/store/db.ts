// The one owner of the DuckDB file. Opens it (refusing clearly when another process
// holds it), brings it to the current schema, serialises statements on one
// connection, and checkpoints and closes on shutdown. Every other module talks to
// DuckDB through a Store.
//
// Statements wait in two lanes: the urgent lane (running jobs: their state changes
// and their snapshots) goes before anything waiting in the normal lane (new requests,
// listings), so a burst of submissions never holds up the data analysts are waiting
// for. `store.urgent()` is the same store seen through the urgent lane.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { err, ok, type Result } from '../../../shared/result.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[];

/** The connection and its two waiting lanes, shared by a store and its urgent view. */
class Lanes {
  urgent: (() => Promise<void>)[] = [];
  normal: (() => Promise<void>)[] = [];
  busy = false;
  closed = false;
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  constructor(instance: DuckDBInstance, conn: DuckDBConnection) {
    this.instance = instance;
    this.conn = conn;
  }

  push<T>(work: () => Promise<T>, urgent: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise<T>((resolve, reject) => {
      (urgent ? this.urgent : this.normal).push(() => work().then(resolve, reject));
      void this.pump();
    });
  }

  async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.urgent.shift() ?? this.normal.shift(); next; next = this.urgent.shift() ?? this.normal.shift())
        await next();
    } finally {
      this.busy = false;
    }
  }
}

export class Store {
  readonly path: string;
  #lanes: Lanes;
  #urgent: boolean;

  private constructor(path: string, lanes: Lanes, urgent: boolean) {
    this.path = path;
    this.#lanes = lanes;
    this.#urgent = urgent;
  }

  /** This store, with its statements going before those waiting in the normal lane. */
  urgent(): Store {
    return new Store(this.path, this.#lanes, true);
  }

  static async open(path: string, migrations: Migration[] = MIGRATIONS): Promise<Result<Store>> {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const instance = await DuckDBInstance.create(path);
      const conn = await instance.connect();
      const store = new Store(path, new Lanes(instance, conn), false);
      await store.#migrate(migrations);
      return ok(store);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/Could not set lock|Conflicting lock/i.test(message)) {
        const holder = /PID (\d+)/.exec(message)?.[1];
        return err(
          'DB_LOCKED',
          `The database ${path} is in use by another GEX Desk process${holder ? ` (PID ${holder})` : ''}; close the desktop app or that command first.`,
          { file: path },
        );
      }
      return err('IO', `Cannot open the database ${path}: ${message}`, { file: path });
    }
  }

  /** Runs statements one after another on the single connection, in order within a lane. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    return this.#lanes.push(work, this.#urgent);
  }

  all<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.#serial(async () => {
      const reader = await this.#lanes.conn.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    });
  }

  async one<T = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params: Params = []): Promise<void> {
    return this.#serial(async () => {
      await this.#lanes.conn.run(sql, params);
    });
  }

  /** Runs `work` inside one transaction; nothing else interleaves on the connection. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const conn = this.#lanes.conn;
      const tx: Tx = {
        all: async <R = Row>(sql: string, params: Params = []) =>
          (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as R[],
        run: async (sql: string, params: Params = []) => {
          await conn.run(sql, params);
        },
      };
      await conn.run('BEGIN TRANSACTION');
      try {
        const value = await work(tx);
        await conn.run('COMMIT');
        return value;
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return row?.v ?? 0;
  }

  async #migrate(migrations: Migration[]): Promise<void> {
    await this.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await this.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await this.transaction(async (tx) => {
        for (const statement of m.statements) await tx.run(statement);
        await tx.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      });
    }
  }

  /** CHECKPOINT and close; safe to call twice. */
  async close(): Promise<void> {
    const lanes = this.#lanes;
    if (lanes.closed) return;
    // Refuse new statements at once; those already waiting run first, then the
    // checkpoint and the close, on the connection's own turn.
    const last = lanes.push(async () => {
      try {
        if (this.path !== ':memory:') await lanes.conn.run('CHECKPOINT');
      } finally {
        lanes.conn.closeSync();
        lanes.instance.closeSync();
      }
    }, false);
    lanes.closed = true;
    await last.catch(() => undefined);
  }
}

export interface Tx {
  all<R = Row>(sql: string, params?: Params): Promise<R[]>;
  run(sql: string, params?: Params): Promise<void>;
}

/** DuckDB hands BIGINT back as bigint; the app's numbers are far below 2^53. */
export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
/** An epoch-ms column (`epoch_ms(col)`) as ISO-8601 with milliseconds and a Z offset. */
export const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(num(v)).toISOString());
