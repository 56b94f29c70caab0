// Group commit: the queue in front of the store's one DuckDB connection. A commit costs
// milliseconds (the WAL is written and synced) while a job transition's statement costs
// a fraction of one, so works that are waiting when the connection frees up run one
// after another inside ONE transaction and share its COMMIT. Every work's promise
// settles only after the COMMIT that contains it: nothing is announced before it is
// durable.
//
// DuckDB has no savepoints, and one failed statement aborts the whole transaction. So
// when a work fails, the batch is rolled back and the works that had succeeded in it run
// again, in the same order, before anything else; the failed one is rejected in its
// place. Hence the contract of a batched work: it may run more than once, so it must do
// nothing outside the database but return its value (or be queued `solo`).
//
// Lanes by priority: the work of CRITICAL requests and jobs (lane 0, with the arrivals
// and every job's moves between queued and running) is always taken before HIGH's (1),
// MEDIUM's (2), LOW's (3), and those before everything else (4: the listings and the UI's
// reads) — which go first, after CRITICAL's, once the oldest has waited
// LAST_LANE_WAIT_MS; each lane keeps its order.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { StatementCache } from './statement-cache.ts';

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[];

export interface Tx {
  all<R = Row>(sql: string, params?: Params): Promise<R[]>;
  /** The number of rows the statement changed. */
  run(sql: string, params?: Params): Promise<number>;
}

export interface GroupCommitOptions {
  /** At most this many works share one commit. */
  maxWorks: number;
  /** No work joins a batch that has held the connection this long (ms). */
  maxMs: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxWorks: 128, maxMs: 20 };

/** Lanes 0–3: the work of CRITICAL, HIGH, MEDIUM and LOW requests and jobs; 4: everything else. */
export const LANES = 5;
export const DEFAULT_LANE = LANES - 1;

/**
 * `transaction`: a Store.transaction (alone: its own BEGIN … COMMIT).
 * `statement`: one plain statement (alone: autocommit). A statement that fails inside a
 * batch runs again alone, so that it fails or succeeds exactly as it would have alone.
 * `raw`: runs alone on the bare connection (checkpoint and close).
 */
export type WorkKind = 'transaction' | 'statement' | 'raw';

interface Work {
  kind: WorkKind;
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A place in a lane. `failure` marks a work already failed in a rolled-back batch: it is rejected in its turn. */
interface Entry {
  work: Work;
  alone: boolean;
  failure?: { error: unknown };
  /** When it was queued (the queue's clock). */
  at: number;
}

/**
 * How long the oldest work of the last lane (the listings and the UI's reads) waits behind
 * the jobs' before it goes first, after CRITICAL's only. Under a burst of LOW jobs lanes
 * 1–3 never empty: the reads that show a CRITICAL job's stored result (its job, its
 * snapshot, the levels, `ingest`'s own wait for its job) waited until the burst's end,
 * about three minutes for 3,000 files.
 */
export const LAST_LANE_WAIT_MS = 100;

export interface CommitStats {
  /** Works settled (resolved or rejected). */
  works: number;
  /** COMMITs of shared batches. */
  commits: number;
  /** Batches rolled back because one of their works failed (its neighbours ran again). */
  rollbacks: number;
  /** Works run alone (solo, raw, failed statements, group commit off). */
  alone: number;
  /** The largest batch committed. */
  largestBatch: number;
  /** Time spent waiting for COMMITs of shared batches (ms). */
  commitMs: number;
}

/** A transaction handle for one run of one work: remembers a failed statement, refuses use after the work returned. */
class TxRun {
  failed = false;
  error: unknown;
  #ended = false;
  readonly api: Tx;

  constructor(statements: StatementCache) {
    const guard = <T>(p: () => Promise<T>): Promise<T> => {
      if (this.#ended)
        return Promise.reject(new Error('a transaction was used after its work had returned'));
      return p().catch((e: unknown) => {
        if (!this.failed) {
          this.failed = true;
          this.error = e;
        }
        throw e;
      });
    };
    this.api = {
      all: <R = Row>(sql: string, params: Params = []) =>
        guard(() => statements.all<R>(sql, params)),
      run: (sql: string, params: Params = []) => guard(() => statements.run(sql, params)),
    };
  }

  /** A statement that failed aborts the transaction even when the work caught it: that work failed. */
  check(): void {
    if (this.failed) throw this.error;
  }

  end(): void {
    this.#ended = true;
  }
}

/** DuckDB's words for an error after which the database must be opened again. */
export const isFatal = (e: unknown): e is Error =>
  e instanceof Error && /FATAL Error|database has been invalidated/i.test(e.message);

export class CommitQueue {
  closed = false;
  readonly stats: CommitStats = {
    works: 0,
    commits: 0,
    rollbacks: 0,
    alone: 0,
    largestBatch: 0,
    commitMs: 0,
  };
  /** Lanes by priority, 0 first; see LANES. */
  #lanes: Entry[][] = Array.from({ length: LANES }, () => []);
  /** Works of a rolled-back batch, to run again in their order before anything else. */
  #replay: Entry[] = [];
  #busy = false;
  /** Called once the lanes have emptied (idle-checkpoint.ts). */
  onIdle: (() => void) | null = null;
  /** Called when work arrives at an idle queue. */
  onBusy: (() => void) | null = null;
  /**
   * DuckDB's fatal error, once it has invalidated the database (a checkpoint that could not
   * write, on a full disk): nothing can be read or written until the file is opened again,
   * so every work from then on fails at once with it.
   */
  fatal: Error | null = null;
  /** Called once, when DuckDB first reports a fatal error. */
  onFatal: ((error: Error) => void) | null = null;
  readonly #conn: DuckDBConnection;
  readonly #statements: StatementCache;
  readonly #group: GroupCommitOptions | null;

  /** The clock a work's wait is counted by (milliseconds; tests replace it). */
  readonly #now: () => number;

  constructor(
    conn: DuckDBConnection,
    group: GroupCommitOptions | null,
    statements: StatementCache,
    now: () => number = () => performance.now(),
  ) {
    this.#now = now;
    this.#conn = conn;
    this.#statements = statements;
    this.#group = group;
  }

  push<T>(
    kind: WorkKind,
    fn: (tx: Tx) => Promise<T>,
    opts: { lane: number; solo?: boolean; evenIfFatal?: boolean },
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    if (this.fatal && !opts.evenIfFatal) return Promise.reject(this.fatal);
    return new Promise<T>((resolve, reject) => {
      const work: Work = { kind, fn, resolve: resolve as (v: unknown) => void, reject };
      const alone = kind === 'raw' || opts.solo === true || this.#group === null;
      this.#lanes[Math.max(0, Math.min(LANES - 1, opts.lane))]!.push({
        work,
        alone,
        at: this.#now(),
      });
      void this.#pump();
    });
  }

  #first(): Entry[] | undefined {
    if (this.#replay.length > 0) return this.#replay;
    const last = this.#lanes[DEFAULT_LANE]!;
    if (
      last.length > 0 &&
      this.#lanes[0]!.length === 0 &&
      this.#now() - last[0]!.at >= LAST_LANE_WAIT_MS
    )
      return last;
    return this.#lanes.find((l) => l.length > 0);
  }

  #peek(): Entry | undefined {
    return this.#first()?.[0];
  }

  /**
   * Takes the entry `#peek` gave: the lane it heads, not the lane first now — the last
   * lane's head may have become old enough to go first in between, and taking from it
   * instead lost that work (never settled: its caller waited for good) and ran the peeked
   * one twice.
   */
  #take(entry: Entry): void {
    const lane = this.#replay[0] === entry ? this.#replay : this.#lanes.find((l) => l[0] === entry);
    lane?.shift();
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.onBusy?.();
    try {
      for (let next = this.#peek(); next; next = this.#peek()) {
        if (next.failure) {
          this.#take(next);
          this.#settle(next.work, false, next.failure.error);
        } else if (next.alone) {
          this.#take(next);
          await this.#runAlone(next.work);
        } else {
          await this.#runBatch(this.#group!);
        }
      }
    } finally {
      this.#busy = false;
      this.onIdle?.();
    }
  }

  #settle(work: Work, ok: boolean, value: unknown): void {
    this.stats.works++;
    if (!ok && !this.fatal && isFatal(value)) {
      this.fatal = value as Error;
      this.onFatal?.(this.fatal);
    }
    if (ok) work.resolve(value);
    else work.reject(value);
  }

  async #rollback(): Promise<void> {
    await this.#conn.run('ROLLBACK').catch(() => undefined);
  }

  /** One work on its own: a transaction gets its own BEGIN … COMMIT, a statement autocommits. */
  async #runAlone(work: Work): Promise<void> {
    this.stats.alone++;
    const tx = new TxRun(this.#statements);
    try {
      if (work.kind !== 'transaction') {
        this.#settle(work, true, await work.fn(tx.api));
        return;
      }
      await this.#conn.run('BEGIN TRANSACTION');
      let value: unknown;
      try {
        value = await work.fn(tx.api);
        tx.check();
        await this.#conn.run('COMMIT');
      } catch (e) {
        await this.#rollback();
        throw e;
      }
      this.#settle(work, true, value);
    } catch (e) {
      this.#settle(work, false, e);
    } finally {
      tx.end();
    }
  }

  /**
   * Works waiting at the head of the lanes, one after another in one transaction, until
   * the lanes are empty, a solo work is next, or the batch reached its cap; then one
   * COMMIT, then every promise of the batch settles in order.
   */
  async #runBatch(cap: GroupCommitOptions): Promise<void> {
    const started = performance.now();
    try {
      await this.#conn.run('BEGIN TRANSACTION');
    } catch (e) {
      const first = this.#peek()!;
      this.#take(first);
      this.#settle(first.work, false, e);
      return;
    }
    const done: { entry: Entry; ok: boolean; value: unknown }[] = [];
    let failed: { entry: Entry; error: unknown } | null = null;
    while (
      done.length === 0 ||
      (done.length < cap.maxWorks && performance.now() - started < cap.maxMs)
    ) {
      const entry = this.#peek();
      if (!entry || entry.alone) break;
      this.#take(entry);
      if (entry.failure) {
        done.push({ entry, ok: false, value: entry.failure.error });
        continue;
      }
      const tx = new TxRun(this.#statements);
      try {
        const value = await entry.work.fn(tx.api);
        tx.check();
        done.push({ entry, ok: true, value });
      } catch (error) {
        failed = { entry, error };
        break;
      } finally {
        tx.end();
      }
    }
    if (failed) {
      // The failed work took the batch down with it: run the others again, in their
      // order and ahead of everything; a failed statement runs again alone (as it
      // would have without batching), a failed transaction is rejected in its turn.
      await this.#rollback();
      this.stats.rollbacks++;
      const { entry, error } = failed;
      const retry: Entry =
        entry.work.kind === 'statement'
          ? { work: entry.work, alone: true, at: entry.at }
          : { work: entry.work, alone: false, failure: { error }, at: entry.at };
      this.#replay.unshift(...done.map((d) => d.entry), retry);
      return;
    }
    const committing = performance.now();
    try {
      await this.#conn.run('COMMIT');
    } catch {
      // A COMMIT that fails cannot say whose work caused it: each runs again on its own.
      await this.#rollback();
      this.stats.rollbacks++;
      this.#replay.unshift(
        ...done.map((d) =>
          d.entry.failure ? d.entry : { work: d.entry.work, alone: true, at: d.entry.at },
        ),
      );
      return;
    }
    this.stats.commits++;
    this.stats.commitMs += performance.now() - committing;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, done.length);
    for (const d of done) this.#settle(d.entry.work, d.ok, d.value);
  }
}
