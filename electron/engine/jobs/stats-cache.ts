// Queue statistics for a live scheduler: what waits and runs comes from the scheduler's
// own mirror of rows already written (no query), latencies and totals from the table,
// re-read at most every `everyMs` and only after jobs ended (or now and then, so that old
// completions leave the sliding window), so a UI asking several times a second does not
// load a busy store.
import type { QueueStats } from '../../../shared/api.ts';
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import type { LevelTargets } from '../../../shared/rules.ts';
import type { Store } from '../store/db.ts';
import { combine, history, type History, type OpenLevel } from './monitor.ts';
import type { ReadyQueue } from './ready-queue.ts';
import type { QueuedRow } from './repository.ts';

export interface StatsInput {
  nowMs: number;
  ready: ReadyQueue;
  /** Rows in service (running, or being decided), by the level they occupy. */
  running: Iterable<QueuedRow>;
  /** Rows whose run has ended, their result waiting to be stored. */
  storing: Iterable<QueuedRow>;
  workers: number;
  busyWorkers: number;
  paused: boolean;
  /** Nothing waits or runs: a stale history is re-read at once. */
  idle: boolean;
  targets?: LevelTargets;
}

export class StatsCache {
  #store: Store;
  #windowMs: number;
  #everyMs: number;
  #clock: () => number;
  #history: { at: number; value: Promise<History> } | null = null;
  #stale = false;

  constructor(opts: { store: Store; windowMs: number; everyMs: number; clock: () => number }) {
    this.#store = opts.store;
    this.#windowMs = opts.windowMs;
    this.#everyMs = opts.everyMs;
    this.#clock = opts.clock;
  }

  /** A job has ended (or was queued again): the table's figures changed. */
  markStale(): void {
    this.#stale = true;
  }

  /**
   * `live` is read twice: before the table's figures, to know whether they must be
   * re-read, and after them, as those may wait behind commits (a job's completion among
   * them): what waits and runs is then as of the figures, never older.
   */
  async stats(live: () => StatsInput): Promise<QueueStats> {
    const before = live();
    const h = await this.#historyFor(before.nowMs, before.idle);
    const input = live();
    const open: OpenLevel[] = PRIORITY_LEVELS.map((level) =>
      openLevel(level, input.ready, input.running, input.storing),
    );
    let queued = 0;
    let deciding = 0;
    for (const r of input.ready.all()) {
      if (r.phase === 'decide') deciding++;
      else queued++;
    }
    let running = 0;
    for (const r of input.running) {
      if (r.phase === 'decide') deciding++;
      else running++;
    }
    const storing = [...input.storing].length;
    const stats = combine(open, h, {
      nowMs: input.nowMs,
      workers: input.workers,
      busyWorkers: input.busyWorkers,
      paused: input.paused,
      targets: input.targets,
    });
    return { ...stats, totals: { ...stats.totals, queued, running, storing, deciding } };
  }

  #historyFor(nowMs: number, idle: boolean): Promise<History> {
    const age = this.#history ? this.#clock() - this.#history.at : Infinity;
    const expired = age >= 30 * this.#everyMs || (this.#stale && (age >= this.#everyMs || idle));
    if (expired || !this.#history) {
      this.#stale = false;
      const value = history(this.#store, nowMs, this.#windowMs);
      value.catch(() => {
        this.#history = null;
      });
      this.#history = { at: this.#clock(), value };
    }
    return this.#history.value;
  }
}

function openLevel(
  level: PriorityLevel,
  ready: ReadyQueue,
  inService: Iterable<QueuedRow>,
  storingRows: Iterable<QueuedRow>,
): OpenLevel {
  const waiting = ready.at(level);
  let running = 0;
  let late = 0;
  let oldest: number | null = null;
  for (const r of waiting) {
    if (r.late) late++;
    if (oldest === null || r.submittedAtMs < oldest) oldest = r.submittedAtMs;
  }
  for (const r of inService) {
    if (r.level !== level) continue;
    running++;
    if (r.late) late++;
  }
  let storing = 0;
  for (const r of storingRows) {
    if (r.level !== level) continue;
    storing++;
    if (r.late) late++;
  }
  return { level, waiting: waiting.length, running, storing, oldestSubmittedMs: oldest, late };
}
