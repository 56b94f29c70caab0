// The one owner of the DuckDB file. Opens it (refusing clearly when another process
// holds it), brings it to the current schema, runs statements on one connection through
// the commit queue (group-commit.ts), and checkpoints and closes on shutdown. Every other
// module talks to DuckDB through a Store.
//
// Statements wait in two lanes: the urgent lane (running jobs: their state changes
// and their snapshots) goes before anything waiting in the normal lane (new requests,
// listings), so a burst of submissions never holds up the data analysts are waiting
// for. `store.urgent()` is the same store seen through the urgent lane.
//
// Works waiting together share one COMMIT (group commit); every promise settles after
// the COMMIT that contains its work. A transaction's work may therefore run more than
// once (when a neighbour in its batch fails): it must not act outside the database —
// no events, no pushes into outside arrays, no files — but return what it found, or
// be queued with `{ solo: true }`. It must not wait on anything but its own `tx`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { err, ok, type Result } from '../../../shared/result.ts';
import {
  CommitQueue,
  DEFAULT_GROUP_COMMIT,
  type CommitStats,
  type GroupCommitOptions,
  type Params,
  type Row,
  type Tx,
  type WorkKind,
} from './group-commit.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { StatementCache } from './statement-cache.ts';

export type { CommitStats, GroupCommitOptions, Params, Row, Tx } from './group-commit.ts';

export interface StoreOptions {
  /** Group commit's caps, or `false` for one commit per transaction and per statement (the bench's baseline). */
  groupCommit?: Partial<GroupCommitOptions> | false;
  /** Keep prepared statements of repeated texts (statement-cache.ts); `false` for the bench's baseline. */
  statementCache?: boolean;
}

export interface TransactionOptions {
  /**
   * Its own BEGIN … COMMIT, never shared: for a work that cannot run twice. Costs a
   * commit of its own.
   */
  solo?: boolean;
}

/** The connection, its instance and its queue, shared by a store and its urgent view. */
interface Connection {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  queue: CommitQueue;
}

export class Store {
  readonly path: string;
  #db: Connection;
  #urgent: boolean;

  private constructor(path: string, db: Connection, urgent: boolean) {
    this.path = path;
    this.#db = db;
    this.#urgent = urgent;
  }

  /** This store, with its statements going before those waiting in the normal lane. */
  urgent(): Store {
    return new Store(this.path, this.#db, true);
  }

  static async open(
    path: string,
    migrations: Migration[] = MIGRATIONS,
    opts: StoreOptions = {},
  ): Promise<Result<Store>> {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const instance = await DuckDBInstance.create(path);
      const conn = await instance.connect();
      const group =
        opts.groupCommit === false ? null : { ...DEFAULT_GROUP_COMMIT, ...opts.groupCommit };
      const statements = new StatementCache(conn, opts.statementCache === false ? 0 : undefined);
      const store = new Store(
        path,
        { instance, conn, queue: new CommitQueue(conn, group, statements) },
        false,
      );
      try {
        await store.#migrate(migrations);
      } catch (e) {
        await store.close(); // release the file: it was opened, but cannot be used
        throw e;
      }
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

  #push<T>(kind: WorkKind, fn: (tx: Tx) => Promise<T>, solo = false): Promise<T> {
    return this.#db.queue.push(kind, fn, { urgent: this.#urgent, solo });
  }

  /** One statement, in order within its lane; it resolves once its effect is committed. */
  all<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.#push('statement', (tx) => tx.all<T>(sql, params));
  }

  async one<T = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params: Params = []): Promise<void> {
    return this.#push('statement', (tx) => tx.run(sql, params));
  }

  /**
   * Runs `work` atomically: all its statements commit, or none. Nothing else
   * interleaves with it on the connection. It may share its COMMIT with works waiting
   * beside it, and may run more than once (see the header): keep it free of effects
   * outside the database, or pass `{ solo: true }`. A statement that fails fails the
   * work, even if the work catches the error (DuckDB aborts the transaction).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    return this.#push('transaction', work, opts.solo === true);
  }

  /** How the commit queue has batched so far (the bench prints it). */
  commitStats(): Readonly<CommitStats> {
    return { ...this.#db.queue.stats };
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    return row?.v ?? 0;
  }

  /** Every pending migration in one transaction (one commit on a new file): all apply, or none. */
  async #migrate(migrations: Migration[]): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const applied = new Set(
        (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map(
          (r) => r.version,
        ),
      );
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        for (const statement of m.statements) await tx.run(statement);
        await tx.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
      }
    });
  }

  /** CHECKPOINT and close; safe to call twice. */
  async close(): Promise<void> {
    const { queue, conn, instance } = this.#db;
    if (queue.closed) return;
    // Refuse new statements at once; those already waiting run (and commit) first,
    // then the checkpoint and the close, on the connection's own turn.
    const last = queue.push(
      'raw',
      async () => {
        try {
          if (this.path !== ':memory:') await conn.run('CHECKPOINT');
        } finally {
          conn.closeSync();
          instance.closeSync();
        }
      },
      { urgent: false },
    );
    queue.closed = true;
    await last.catch(() => undefined);
  }
}

/** DuckDB hands BIGINT back as bigint; the app's numbers are far below 2^53. */
export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
/** An epoch-ms column (`epoch_ms(col)`) as ISO-8601 with milliseconds and a Z offset. */
export const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(num(v)).toISOString();
