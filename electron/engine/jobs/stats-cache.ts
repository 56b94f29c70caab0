// Queue statistics for a live scheduler: what waits and runs comes from the scheduler's
// own mirror of rows already written (no query), latencies and totals from the table,
// re-read at most every `everyMs` and only after jobs ended (or now and then, so that old
// completions leave the sliding window), so a UI asking several times a second does not
// load a busy store. "Running" is a run on a worker: a job in its facts read (on a
// worker, or its worker freed while the decision is written) is deciding, counted per
// level as waiting at its upper bound, so that the levels and the totals agree; of those,
// the reads holding a worker now are `reading` (the status bar's "reading 1 of 3 files").
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
  /**
   * Rows in service whose run has not ended: runs (phase `run`) and facts reads (phase
   * `decide`, counted as deciding, not running), by the level they occupy.
   */
  running: Iterable<QueuedRow>;
  /** Rows whose run has ended, their result waiting to be stored. */
  storing: Iterable<QueuedRow>;
  /** Of the facts reads in `running`, those holding a worker now (not yet writing their decision). */
  reading?: number;
  workers: number;
  busyWorkers: number;
  /** Of `workers`, those kept for CRITICAL work only. */
  spareWorkers?: number;
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
  #history: { at: number; targets: string; value: Promise<History> } | null = null;
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
    const h = await this.#historyFor(before.nowMs, before.idle, before.targets);
    const input = live();
    const runs: QueuedRow[] = [];
    const reads: QueuedRow[] = [];
    for (const r of input.running) (r.phase === 'decide' ? reads : runs).push(r);
    const open: OpenLevel[] = PRIORITY_LEVELS.map((level) =>
      openLevel(level, input.ready, reads, runs, input.storing),
    );
    let queued = 0;
    let deciding = 0;
    for (const r of input.ready.all()) {
      if (r.phase === 'decide') deciding++;
      else queued++;
    }
    deciding += reads.length;
    const reading = Math.min(input.reading ?? 0, reads.length);
    const running = runs.length;
    const storing = [...input.storing].length;
    const stats = combine(open, h, {
      nowMs: input.nowMs,
      workers: input.workers,
      busyWorkers: input.busyWorkers,
      spareWorkers: input.spareWorkers,
      paused: input.paused,
      targets: input.targets,
    });
    return { ...stats, totals: { ...stats.totals, queued, running, storing, deciding, reading } };
  }

  #historyFor(nowMs: number, idle: boolean, targets: LevelTargets | undefined): Promise<History> {
    const age = this.#history ? this.#clock() - this.#history.at : Infinity;
    const expired = age >= 30 * this.#everyMs || (this.#stale && (age >= this.#everyMs || idle));
    // Another rule set's targets: the late counts are re-read against them at once.
    const against = JSON.stringify(targets ?? null);
    if (expired || !this.#history || this.#history.targets !== against) {
      this.#stale = false;
      const value = history(this.#store, nowMs, this.#windowMs, targets);
      value.catch(() => {
        this.#history = null;
      });
      this.#history = { at: this.#clock(), targets: against, value };
    }
    return this.#history.value;
  }
}

/**
 * A level's open jobs: waiting (in the ready queue, or in the facts read that decides
 * them, at their upper bound), running (a run on a worker), storing (run over).
 */
function openLevel(
  level: PriorityLevel,
  ready: ReadyQueue,
  reads: readonly QueuedRow[],
  runs: Iterable<QueuedRow>,
  storingRows: Iterable<QueuedRow>,
): OpenLevel {
  const queued = ready.ownAt(level);
  const reading = reads.filter((r) => r.level === level);
  let running = 0;
  let late = 0;
  let oldest: number | null = null;
  for (const list of [queued, reading])
    for (const r of list) {
      if (r.late) late++;
      if (oldest === null || r.submittedAtMs < oldest) oldest = r.submittedAtMs;
    }
  for (const r of runs) {
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
  return {
    level,
    waiting: queued.length + reading.length,
    running,
    storing,
    oldestSubmittedMs: oldest,
    late,
  };
}
