// Queue monitoring, read from the jobs table (the truth, written before any event):
// per effective level what waits and runs, the oldest wait and the late jobs; per
// decided level the latency from submission to data available (finished_at −
// submitted_at of completed/duplicate jobs) as p50/p90/p99 over a sliding window, and
// how many of those jobs were late (that latency past the level's target: flagged or
// not, since a job is flagged only while it waits or as it starts); throughput and
// totals. Returns the QueueStats the UI shows.
import type { QueueStats } from '../../../shared/api.ts';
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import type { LevelTargets } from '../../../shared/rules.ts';
import { num, type Store } from '../store/db.ts';

export const DEFAULT_WINDOW_MS = 15 * 60_000;

export interface MonitorInput {
  nowMs: number;
  windowMs?: number;
  workers: number;
  busyWorkers: number;
  /** Of `workers`, those kept for CRITICAL work only (none when absent). */
  spareWorkers?: number;
  paused?: boolean;
  /** The active rules' level targets, shown beside each level (none: null). */
  targets?: LevelTargets;
}

const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
/** A latency percentile in whole ms: interpolation between rows gives 169.0000000000001. */
const wholeMs = (v: unknown): number | null => {
  const n = nullable(v);
  return n === null ? null : Math.round(n);
};

/** What only the table knows: latencies of finished jobs in the window, and totals. */
export interface History {
  latency: Record<
    PriorityLevel,
    {
      p50: number | null;
      p90: number | null;
      p99: number | null;
      n: number;
      /** Of the n, those whose latency passed the level's target (null: no targets given). */
      late: number | null;
    }
  >;
  totals: QueueStats['totals'];
  windowMs: number;
}

export async function history(
  store: Store,
  nowMs: number,
  windowMs = DEFAULT_WINDOW_MS,
  targets?: LevelTargets,
): Promise<History> {
  const since = new Date(nowMs - windowMs).toISOString();
  // Each level's target as a parameter ($2…): a job is late past its decided level's target.
  const targetOf = targets
    ? `CASE priority ${PRIORITY_LEVELS.map((l, i) => `WHEN '${l}' THEN $${i + 2}::BIGINT`).join(' ')} END`
    : 'NULL';
  const latency = await store.all(
    `SELECT priority AS level, count(*) AS n,
       quantile_cont(epoch_ms(finished_at) - epoch_ms(submitted_at), [0.5, 0.9, 0.99]) AS q,
       count(*) FILTER (WHERE epoch_ms(finished_at) - epoch_ms(submitted_at) > ${targetOf}) AS late
     FROM jobs WHERE status IN ('completed', 'duplicate') AND finished_at >= $1::TIMESTAMPTZ
     GROUP BY priority`,
    [since, ...(targets ? PRIORITY_LEVELS.map((l) => targets[l].target_ms) : [])],
  );
  const totals = await store.all(`SELECT status, count(*) AS n FROM jobs GROUP BY status`);
  const total = (status: string) => num(totals.find((r) => r.status === status)?.n ?? 0);
  const byLevel = Object.fromEntries(
    PRIORITY_LEVELS.map((level) => {
      const l = latency.find((r) => r.level === level);
      const q = (l?.q as unknown[] | undefined) ?? [];
      return [
        level,
        {
          p50: wholeMs(q[0]),
          p90: wholeMs(q[1]),
          p99: wholeMs(q[2]),
          n: l ? num(l.n) : 0,
          late: targets ? (l ? num(l.late) : 0) : null,
        },
      ];
    }),
  ) as History['latency'];
  return {
    latency: byLevel,
    totals: {
      queued: total('queued'),
      running: total('running'),
      storing: 0,
      completed: total('completed') + total('duplicate'),
      failed: total('failed'),
      deciding: total('deciding'),
      // Only a live scheduler knows a read on a worker: the table says deciding.
      reading: 0,
      cancelled: total('cancelled'),
    },
    windowMs,
  };
}

/** What is waiting and running now, per effective level (the scheduler knows it without the table). */
export interface OpenLevel {
  level: PriorityLevel;
  waiting: number;
  running: number;
  /** Run over, its result waiting to be stored (only a live scheduler knows: the table says running). */
  storing?: number;
  oldestSubmittedMs: number | null;
  late: number;
}

/** Puts the open queue (from memory) and the history (from the table) together. */
export function combine(open: OpenLevel[], h: History, input: MonitorInput): QueueStats {
  let finished = 0;
  const levels = PRIORITY_LEVELS.map((level) => {
    const o = open.find((x) => x.level === level);
    const l = h.latency[level];
    finished += l.n;
    return {
      level,
      waiting: o?.waiting ?? 0,
      running: o?.running ?? 0,
      storing: o?.storing ?? 0,
      oldest_wait_ms:
        o?.oldestSubmittedMs == null ? null : Math.max(0, input.nowMs - o.oldestSubmittedMs),
      oldest_submitted_at:
        o?.oldestSubmittedMs == null ? null : new Date(o.oldestSubmittedMs).toISOString(),
      late: o?.late ?? 0,
      latency_p50_ms: l.p50,
      latency_p90_ms: l.p90,
      latency_p99_ms: l.p99,
      completed_in_window: l.n,
      late_in_window: l.late,
      target_ms: input.targets?.[level].target_ms ?? null,
      on_late: input.targets?.[level].onLate ?? null,
    };
  });
  return {
    levels,
    workers: input.workers,
    busy_workers: input.busyWorkers,
    spare_workers: input.spareWorkers ?? 0,
    paused: input.paused ?? false,
    throughput_per_min: finished / (h.windowMs / 60_000),
    window_ms: h.windowMs,
    totals: h.totals,
  };
}

/** Everything from the table (for commands that run no scheduler, and to check the scheduler's view). */
export async function queueStats(store: Store, input: MonitorInput): Promise<QueueStats> {
  const rows = await store.all(
    `SELECT effective_priority AS level,
       count(*) FILTER (WHERE status IN ('queued', 'deciding')) AS waiting,
       count(*) FILTER (WHERE status = 'running') AS running,
       min(epoch_ms(submitted_at)) FILTER (WHERE status IN ('queued', 'deciding')) AS oldest,
       count(*) FILTER (WHERE late) AS late
     FROM jobs WHERE status IN ('queued', 'deciding', 'running') GROUP BY effective_priority`,
  );
  const open: OpenLevel[] = rows.map((r) => ({
    level: r.level as PriorityLevel,
    waiting: num(r.waiting),
    running: num(r.running),
    oldestSubmittedMs: nullable(r.oldest),
    late: num(r.late),
  }));
  return combine(open, await history(store, input.nowMs, input.windowMs, input.targets), input);
}
