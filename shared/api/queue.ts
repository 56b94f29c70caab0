// The queue as the UI and the command line see it: per-level counts, waits and latency
// against the active rules' targets (`queue:stats`), a job with its snapshot's figures
// (`jobs:get`), and what `queue:drain` reports once the queue is empty.
import { z } from 'zod';
import { GEXSnapshot, PriorityLevel, ProcessingJob } from '../domain.ts';

export const LevelStats = z.object({
  level: PriorityLevel,
  waiting: z.number().int(),
  running: z.number().int(),
  /** Run over, its result waiting to be stored (in no worker, not counted as running). */
  storing: z.number().int().default(0),
  oldest_wait_ms: z.number().nullable(),
  /** When the oldest waiting job arrived: the Queue view counts its wait on from it each second, as its rows do. */
  oldest_submitted_at: z.string().nullable().default(null),
  late: z.number().int(),
  latency_p50_ms: z.number().nullable(),
  latency_p90_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  completed_in_window: z.number().int(),
  /**
   * Of those, the jobs that were late: arrival → data available past the level's target
   * (the ACTIVE rules'), whether or not they were flagged (a job is flagged only while it
   * waits or as it starts, never while deciding). `late` counts the open jobs flagged
   * late; this counts the window's ended ones. Null when no targets are known.
   */
  late_in_window: z.number().int().nullable().default(null),
  /** The level's target (arrival → data available) and what happens to a late job, from the ACTIVE rules. */
  target_ms: z.number().nullable().default(null),
  on_late: z.enum(['flag', 'escalate']).nullable().default(null),
});
export type LevelStats = z.infer<typeof LevelStats>;
export const QueueStats = z.object({
  levels: z.array(LevelStats),
  /** The pool's workers, the spare ones included (0: no engine runs jobs, a command's own store). */
  workers: z.number().int(),
  /** Of `workers`, those computing a job now (on a spare one too). */
  busy_workers: z.number().int(),
  /**
   * Of `workers`, those kept for CRITICAL work only (docs/scheduler.md, "Capacity"):
   * `workers - spare_workers` is the workers setting (`--workers`). Absent from an older
   * engine's answer: 0.
   */
  spare_workers: z.number().int().default(0),
  /** Dispatch held by an analyst: queued jobs wait (and may turn late), running ones finish. */
  paused: z.boolean().default(false),
  throughput_per_min: z.number(),
  window_ms: z.number(),
  totals: z.object({
    queued: z.number().int(),
    running: z.number().int(),
    /** Run over, its result waiting to be stored (see LevelStats.storing). */
    storing: z.number().int().default(0),
    completed: z.number().int(),
    failed: z.number().int(),
    /** Arrived, waiting for (or in) the facts read that decides their level. */
    deciding: z.number().int().default(0),
    /**
     * Of `deciding`, those whose facts read holds a worker now (counted in `busy_workers`);
     * the others wait for a worker, for an earlier file of their underlying to be read, or
     * for a retry. 0 from a command with no engine, and absent from an older engine's answer.
     */
    reading: z.number().int().default(0),
    cancelled: z.number().int().default(0),
  }),
});
export type QueueStats = z.infer<typeof QueueStats>;

/** A job and, once it has one, its snapshot's figures (the job drawer; `gex-desk ingest`). */
export const JobDetail = z.object({
  job: ProcessingJob,
  snapshot: GEXSnapshot.nullable(),
  /**
   * Whether a file lies at the job's `file` when asked: false once the analyst moved,
   * renamed or deleted it (the app follows only the inbox's own moves); null when `file`
   * is no path to look at (`-`, a chain piped in), or lies on a file system that can
   * stall (a network share: not looked at, a stalled one would hold the engine).
   */
  file_here: z.boolean().nullable().default(null),
});
export type JobDetail = z.infer<typeof JobDetail>;

/** `queue:drain`: the queue once empty, and how the jobs that ended meanwhile ended. */
export const DrainResult = z.object({
  stats: QueueStats,
  completed: z.number().int(),
  failed: z.number().int(),
});
export type DrainResult = z.infer<typeof DrainResult>;
