// The one owner of the DuckDB file. Opens it (refusing clearly when another process
// holds it), brings it to the current schema, runs statements on one connection through
// the commit queue (group-commit.ts), and checkpoints and closes on shutdown. Every other
// module talks to DuckDB through a Store.
//
// Statements wait in lanes by priority: the work of a CRITICAL request or job (its
// arrival, its state changes, its snapshot) goes before any HIGH work waiting, and so
// on down to LOW; listings and other reads come last. So a burst of LOW arrivals or LOW
// snapshots never holds up the data a CRITICAL request is waiting for.
// `store.at(level)` is the same store seen through that level's lane.
//
// Works waiting together share one COMMIT (group commit); every promise settles after
// the COMMIT that contains its work. A transaction's work may therefore run more than
// once (when a neighbour in its batch fails): it must not act outside the database —
// no events, no pushes into outside arrays, no files — but return what it found, or
// be queued with `{ solo: true }`. It must not wait on anything but its own `tx`.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { levelRank, type PriorityLevel } from '../../../shared/domain.ts';
import {
  err,
  messageOf,
  ok,
  type AppError,
  type Err,
  type ErrorCode,
  type Result,
} from '../../../shared/result.ts';
import {
  CommitQueue,
  DEFAULT_GROUP_COMMIT,
  DEFAULT_LANE,
  type CommitStats,
  type GroupCommitOptions,
  type Params,
  type Row,
  type Tx,
  type WorkKind,
} from './group-commit.ts';
import { IdleCheckpoint, WAL_CHECKPOINT_THRESHOLD } from './idle-checkpoint.ts';
import { loadDuckDB } from '../native-modules.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { StatementCache } from './statement-cache.ts';
import { makePrivateDirs, PRIVATE_FILE, restrict } from '../private-files.ts';
import { checkDatabaseFile } from './database-file.ts';
import { isDiskFull } from '../disk-full.ts';

export type { CommitStats, GroupCommitOptions, Params, Row, Tx } from './group-commit.ts';

export interface StoreOptions {
  migrations?: Migration[];
  /** Folders DuckDB may reach besides the database's own: the data folder, attached export folders. */
  allowedDirectories?: string[];
  /** Group commit's caps, or `false` for one commit per transaction and per statement (the bench's baseline). */
  groupCommit?: Partial<GroupCommitOptions> | false;
  /** Keep prepared statements of repeated texts (statement-cache.ts); `false` for the bench's baseline. */
  statementCache?: boolean;
  /** DuckDB's threads (config.ts, storeThreads); DuckDB's default, one per core, when absent. */
  threads?: number;
  /** Where the path came from (config.ts, originOf), for a refusal's message. */
  origin?: string;
}

export interface TransactionOptions {
  /**
   * Its own BEGIN … COMMIT, never shared: for a work that cannot run twice. Costs a
   * commit of its own.
   */
  solo?: boolean;
}

/** The connection, its instance and its queue, shared by a store and its views by lane. */
interface Connection {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  queue: CommitQueue;
  /** Checkpoints between bursts (a file database only). */
  checkpoints: IdleCheckpoint | null;
  /** Told once when DuckDB invalidates the database (Store.whenFatal). */
  fatalListeners: Set<(error: AppError) => void>;
}

export class Store {
  readonly path: string;
  #db: Connection;
  #lane: number;

  private constructor(path: string, db: Connection, lane: number) {
    this.path = path;
    this.#db = db;
    this.#lane = lane;
  }

  /** This store, its statements in the lane of `level`'s work (before lower levels' and the rest). */
  at(level: PriorityLevel): Store {
    return new Store(this.path, this.#db, levelRank(level));
  }

  /**
   * This store, its statements in the first lane: a job's moves between queued and running
   * (its start, its escalation while it waits, its return to the queue), whatever its level.
   * They are a row and an audit entry each, and the run has already begun: in the lane of a
   * LOW job they waited behind a burst's LOW stores, and the job list said queued for seconds
   * while the scheduler ran the job. In one lane they also keep their order, which a start
   * depends on (it finds its row queued), and anything a level's lane writes of the job
   * afterwards (its completion, its cancel) comes after them.
   */
  forMoves(): Store {
    return this.at('CRITICAL');
  }

  /**
   * `opts`: the migrations (tests), the folders DuckDB may read and write besides the
   * database's own, and group commit's settings.
   */
  static async open(path: string, opts: Migration[] | StoreOptions = {}): Promise<Result<Store>> {
    const o: StoreOptions = Array.isArray(opts) ? { migrations: opts } : opts;
    const { migrations = MIGRATIONS, allowedDirectories = [] } = o;
    // A database file GEX Desk creates is the user's alone (private-files.ts); one the user
    // pointed at that exists keeps its mode.
    let created = false;
    try {
      if (path !== ':memory:') {
        const file = checkDatabaseFile(path, o.origin);
        if (!file.ok) return file;
        makePrivateDirs(dirname(path));
        created = !existsSync(path);
      }
      const instance = await loadDuckDB().DuckDBInstance.create(path, {
        ...(o.threads === undefined ? {} : { threads: String(o.threads) }),
        // DuckDB keeps by default every Parquet file read_parquet reads, in memory, until
        // its memory limit (80% of the machine's): each snapshot's files are read once, at
        // its insert, and the engine grew by their size with every request (docs/performance.md).
        enable_external_file_cache: 'false',
      });
      if (created) restrict(path);
      const conn = await instance.connect();
      const group = o.groupCommit === false ? null : { ...DEFAULT_GROUP_COMMIT, ...o.groupCommit };
      const statements = new StatementCache(conn, o.statementCache === false ? 0 : undefined);
      const queue = new CommitQueue(conn, group, statements);
      const fatalListeners = new Set<(error: AppError) => void>();
      queue.onFatal = (e) => {
        for (const listener of [...fatalListeners]) listener(fatalError(path, e));
        fatalListeners.clear();
      };
      const store = new Store(
        path,
        { instance, conn, queue, checkpoints: null, fatalListeners },
        DEFAULT_LANE,
      );
      try {
        await store.#migrate(migrations);
        if (path !== ':memory:') {
          await store.run(`SET checkpoint_threshold = '${WAL_CHECKPOINT_THRESHOLD}'`);
          store.#db.checkpoints = new IdleCheckpoint(queue, path);
          // DuckDB deletes its WAL at each checkpoint and makes it anew (0666 less the
          // umask) at the next write: a private database's is made private again once the
          // writes of a burst are done.
          if ((statSync(path).mode & 0o077) === 0) {
            const idle = queue.onIdle;
            queue.onIdle = () => {
              restrict(`${path}.wal`, PRIVATE_FILE);
              idle?.();
            };
          }
        }
        // Locked after the migrations (which SET and RESET checkpoint_threshold) and our threshold.
        await lockDown(store, [
          ...(path === ':memory:' ? [] : [dirname(path)]),
          ...allowedDirectories,
        ]);
      } catch (e) {
        await store.close(); // release the file: it was opened, but cannot be used
        throw e;
      }
      return ok(store);
    } catch (e) {
      return openFailure(path, messageOf(e));
    }
  }

  #push<T>(kind: WorkKind, fn: (tx: Tx) => Promise<T>, solo = false): Promise<T> {
    return this.#db.queue.push(kind, fn, { lane: this.#lane, solo }).catch((e: unknown) => {
      const message = messageOf(e);
      throw DAMAGED.test(message) && !(e instanceof DatabaseDamaged)
        ? new DatabaseDamaged(this.path, message)
        : e;
    });
  }

  /** One statement, in order within its lane; it resolves once its effect is committed. */
  all<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.#push('statement', (tx) => tx.all<T>(sql, params));
  }

  /**
   * The rows of a read of many rows, handed over as one JSON text (`to_json(list(row))`):
   * @duckdb/node-api converts one value at a time (about 2 µs a string), a third of
   * loading 20,000 snapshots and their hashes at start (IntakeMemory). Only for
   * columns whose JSON is exact: text, booleans, integers below 2^53 and doubles (written
   * shortest round-trip); times as `epoch_ms(…)::DOUBLE`, integers cast to DOUBLE too, so
   * that the rows are the same when they come the slow way. In no particular order.
   */
  async allJson<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    const [row] = await this.all<{ rows: string | null }>(
      `SELECT to_json(list(q))::VARCHAR AS rows FROM (${sql}) q`,
      params,
    );
    if (!row?.rows) return [];
    try {
      return JSON.parse(row.rows) as T[];
    } catch {
      // A NaN or an infinity, which DuckDB writes into its JSON as such: row by row instead.
      return this.all<T>(sql, params);
    }
  }

  async one<T = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Resolves with the number of rows the statement changed. */
  run(sql: string, params: Params = []): Promise<number> {
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

  /** Checkpoints made between bursts so far (idle-checkpoint.ts). */
  idleCheckpoints(): number {
    return this.#db.checkpoints?.count ?? 0;
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    return row?.v ?? 0;
  }

  /** Every pending migration in one transaction (one commit on a new file): all apply, or none. */
  async #migrate(migrations: Migration[]): Promise<void> {
    const applied = await this.transaction(async (tx) => {
      await tx.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      return (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map(
        (r) => r.version,
      );
    });
    // A file a newer GEX Desk has migrated (an app rolled back after an update): its tables
    // may not be the ones this version reads and writes. Refused before anything is written.
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known)
      throw new Error(
        `it was last used by a newer GEX Desk (schema version ${newest}; this one knows up to ${known}): open it with that version, or give this one another database (--db); nothing was changed`,
      );
    const pending = [...migrations]
      .sort((a, b) => a.version - b.version)
      .filter((m) => !applied.includes(m.version));
    if (pending.length === 0) return;
    // The migrations' commit goes straight into the database file, never into the WAL:
    // DuckDB cannot replay an ALTER TABLE of a table with a sequence default from its WAL
    // (tests/store/migrations-wal.test.ts opens the files as a process killed right after a
    // migration leaves them).
    await this.run("SET checkpoint_threshold = '0b'");
    try {
      // All of them in one text, one trip to DuckDB: a new file's fifty-odd statements took
      // about 55 ms one by one, nearly all of it in the trips (docs/performance.md).
      const script = pending.flatMap((m) => [
        ...m.statements,
        `INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}')`,
      ]);
      await this.transaction((tx) => tx.run(script.join(';\n')), { solo: true });
    } finally {
      await this.run('RESET checkpoint_threshold');
    }
  }

  /**
   * The database's fatal failure, once DuckDB has invalidated it (a full disk, say): from
   * then on every statement fails with it, until the file is opened again.
   */
  get fatal(): AppError | null {
    const e = this.#db.queue.fatal;
    return e && fatalError(this.path, e);
  }

  /** Calls `listener` once the database has failed fatally (at once if it has); returns how to stop. */
  whenFatal(listener: (error: AppError) => void): () => void {
    const { queue, fatalListeners } = this.#db;
    if (queue.fatal) {
      listener(fatalError(this.path, queue.fatal));
      return () => undefined;
    }
    fatalListeners.add(listener);
    return () => fatalListeners.delete(listener);
  }

  /** CHECKPOINT and close; safe to call twice. */
  async close(): Promise<void> {
    const { queue, conn, instance } = this.#db;
    if (queue.closed) return;
    this.#db.checkpoints?.stop();
    // Refuse new statements at once; those already waiting run (and commit) first,
    // then the checkpoint and the close, on the connection's own turn.
    const last = queue.push(
      'raw',
      async () => {
        try {
          // After a fatal error DuckDB can write nothing; its WAL is folded in at the next open.
          if (this.path !== ':memory:' && !queue.fatal) await conn.run('CHECKPOINT');
        } finally {
          conn.closeSync();
          instance.closeSync();
        }
      },
      { lane: DEFAULT_LANE, evenIfFatal: true },
    );
    queue.closed = true;
    await last.catch(() => undefined);
  }
}

/**
 * DuckDB reaches only the given folders (no /etc/passwd through read_csv, whatever SQL
 * runs), installs and loads no extension, and no setting can be changed afterwards.
 */
async function lockDown(store: Store, dirs: string[]): Promise<void> {
  const list = dirs.map((d) => `'${resolve(d).replaceAll("'", "''")}'`).join(', ');
  await store.run(`SET allowed_directories = [${list}]`);
  for (const setting of [
    'enable_external_access',
    'autoload_known_extensions',
    'autoinstall_known_extensions',
  ])
    await store.run(`SET ${setting} = false`);
  await store.run('SET lock_configuration = true');
}

/** DuckDB hands BIGINT back as bigint; the app's numbers are far below 2^53. */
export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
/** An epoch-ms column (`epoch_ms(col)`) as ISO-8601 with milliseconds and a Z offset. */
export const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(num(v)).toISOString();

/** Why DuckDB could not open `path`, in words an analyst acts on: who holds it, a full disk. */
export function openFailure(path: string, message: string): Result<never> {
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    const holder = /PID (\d+)/.exec(message)?.[1];
    return err(
      'DB_LOCKED',
      // Who it is is not known here: GEX Desk's own holders are named by the callers that
      // can find them (whoRuns, the command line's discovery); this one may be any program.
      `The database ${path} is in use by another process${holder ? ` (PID ${holder})` : ''}: another GEX Desk (the desktop app, gex-desk serve or a command) or another program that opened it; close that first.`,
      { file: path },
    );
  }
  // DuckDB says a full disk deep in its own words ("Failed to create checkpoint …"); lead with it.
  if (isDiskFull(message))
    return err(
      'IO',
      `Cannot open the database ${path}: the disk holding it is full; free some space and try again (${message})`,
      { file: path },
    );
  if (DAMAGED.test(message)) return { ok: false, error: damagedError(path, message) };
  return err('IO', `Cannot open the database ${path}: ${message}`, { file: path });
}

/** DuckDB's words for a file cut short (a copy, or a crash on a full disk) or damaged. */
const DAMAGED = /Could not read enough bytes|corrupt|checksum/i;

/** A damaged database: what to do, the snapshots' own Parquet files being safe in the data folder. */
function damagedError(path: string, message: string): AppError {
  return {
    code: 'IO',
    message: `The database ${path} is damaged (${message}): restore it from a copy, or move it aside and GEX Desk makes a new one; the snapshots stay readable from their Parquet files in the data folder (gex-desk levels --attach DATA_FOLDER)`,
    file: path,
  };
}

/**
 * Damage DuckDB finds only when a statement reads the part of the file that holds it (a
 * file truncated past its first blocks, a bad block among old snapshots'): thrown as the
 * same IO error the open gives, which the API's dispatcher answers as it is (not INTERNAL).
 */
/**
 * What a caller answers for `e`, thrown under it: a damaged database's own error as it
 * is (it says what to do), else `code` with `prefix` and the thrown message.
 */
export function errorOfThrown(e: unknown, code: ErrorCode, prefix: string): Err {
  if (e instanceof DatabaseDamaged) return { ok: false, error: e.error };
  return err(code, `${prefix}${messageOf(e)}`);
}

export class DatabaseDamaged extends Error {
  readonly error: AppError;
  constructor(path: string, message: string) {
    const error = damagedError(path, message);
    super(error.message);
    this.error = error;
  }
}

/** A fatal DuckDB error in words: the file cannot be written until it is opened again. */
function fatalError(path: string, e: Error): AppError {
  const full = isDiskFull(e);
  return {
    code: 'IO',
    message: `The database ${path} can no longer be written${full ? ': the disk holding it is full. Free some space, then' : '. Then'} open it again (the app, gex-desk serve or gex-desk queue --drain): what was queued is kept and runs then (DuckDB: ${e.message})`,
    file: path,
    transient: true,
  };
}
