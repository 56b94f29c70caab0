// When the store checkpoints. DuckDB checkpoints on its own when the WAL passes
// `checkpoint_threshold` (16 MB by default), inside whichever commit crosses it: during a
// burst that rewrites the growing cell tables every dozen SPX-size snapshots, on the
// path of a waiting request. The store raises the threshold (WAL_CHECKPOINT_THRESHOLD)
// and checkpoints once it has been idle for a moment after writing instead: measured on
// 150 SPX-size snapshots, 25–30 % less DuckDB CPU per stored snapshot (docs/performance.md).
// The price: a longer WAL to replay after a crash (about 1.5 s per 170 MB here), and a
// request that arrives while such a checkpoint runs waits for it (it runs alone, taken
// from the lowest lane, so only when nothing else was waiting).
import { statSync } from 'node:fs';
import type { CommitQueue } from './group-commit.ts';
import { DEFAULT_LANE } from './group-commit.ts';

/** The WAL size at which DuckDB checkpoints by itself, mid-burst or not. */
export const WAL_CHECKPOINT_THRESHOLD = '256MB';
/** How long the store must have been idle after a write before it checkpoints. */
export const IDLE_CHECKPOINT_MS = 1500;

export class IdleCheckpoint {
  /** Checkpoints made while idle (tests and the bench read it). */
  count = 0;
  #timer: NodeJS.Timeout | null = null;
  /** The queue's settled-work count after the last checkpoint: no new work, no checkpoint. */
  #worksAtCheckpoint: number;
  readonly #queue: CommitQueue;
  readonly #wal: string;
  readonly #idleMs: number;

  /** `database`: the DuckDB file, whose WAL (`<file>.wal`) says whether there is anything to fold in. */
  constructor(queue: CommitQueue, database: string, idleMs = IDLE_CHECKPOINT_MS) {
    this.#queue = queue;
    this.#wal = `${database}.wal`;
    this.#idleMs = idleMs;
    this.#worksAtCheckpoint = queue.stats.works;
    queue.onIdle = () => this.#arm();
    queue.onBusy = () => this.#disarm();
  }

  #arm(): void {
    this.#disarm();
    if (this.#queue.closed || this.#queue.stats.works === this.#worksAtCheckpoint) return;
    this.#timer = setTimeout(() => void this.#checkpoint(), this.#idleMs);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #checkpoint(): Promise<void> {
    this.#timer = null;
    if (this.#queue.closed) return;
    // Works that only read leave no WAL behind.
    if ((statSync(this.#wal, { throwIfNoEntry: false })?.size ?? 0) === 0) {
      this.#worksAtCheckpoint = this.#queue.stats.works;
      return;
    }
    try {
      await this.#queue.push('raw', (tx) => tx.run('CHECKPOINT'), { lane: DEFAULT_LANE });
      this.count++;
    } catch {
      // Closed meanwhile, or refused by DuckDB: the next idle period tries again.
    } finally {
      this.#worksAtCheckpoint = this.#queue.stats.works;
    }
  }

  stop(): void {
    this.#disarm();
  }
}
