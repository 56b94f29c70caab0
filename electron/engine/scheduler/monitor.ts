// Queue monitoring, read from the jobs table (the truth, written before any event):
// per effective level what waits and runs, the oldest wait and the late jobs; per
// decided level the latency from submission to data available (finished_at −
// submitted_at of completed/duplicate jobs) as p50/p90/p99 over a sliding window;
// throughput and totals. Returns the QueueStats the UI shows.
import type { QueueStats } from '../../../shared/api.ts';
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import { num, type Store } from '../store/db.ts';

export const DEFAULT_WINDOW_MS = 15 * 60_000;

export interface MonitorInput {
  nowMs: number;
  windowMs?: number;
  workers: number;
  busyWorkers: number;
}

const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

export async function queueStats(store: Store, input: MonitorInput): Promise<QueueStats> {
  const windowMs = input.windowMs ?? DEFAULT_WINDOW_MS;
  const since = new Date(input.nowMs - windowMs).toISOString();
  const [open, latency, totals] = [
    await store.all(
      `SELECT effective_priority AS level,
         count(*) FILTER (WHERE status = 'queued') AS waiting,
         count(*) FILTER (WHERE status = 'running') AS running,
         min(epoch_ms(submitted_at)) FILTER (WHERE status = 'queued') AS oldest,
         count(*) FILTER (WHERE late) AS late
       FROM jobs WHERE status IN ('queued', 'running') GROUP BY effective_priority`,
    ),
    await store.all(
      `SELECT priority AS level, count(*) AS n,
         quantile_cont(epoch_ms(finished_at) - epoch_ms(submitted_at), [0.5, 0.9, 0.99]) AS q
       FROM jobs WHERE status IN ('completed', 'duplicate') AND finished_at >= $1::TIMESTAMPTZ
       GROUP BY priority`,
      [since],
    ),
    await store.all(`SELECT status, count(*) AS n FROM jobs GROUP BY status`),
  ];
  const byLevel = <T extends { level?: unknown }>(rows: T[], level: PriorityLevel) => rows.find((r) => r.level === level);
  let completedInWindow = 0;
  const levels = PRIORITY_LEVELS.map((level) => {
    const o = byLevel(open, level);
    const l = byLevel(latency, level);
    const q = (l?.q as unknown[] | undefined) ?? [];
    const n = l ? num(l.n) : 0;
    completedInWindow += n;
    const oldest = nullable(o?.oldest);
    return {
      level,
      waiting: o ? num(o.waiting) : 0,
      running: o ? num(o.running) : 0,
      oldest_wait_ms: oldest === null ? null : Math.max(0, input.nowMs - oldest),
      late: o ? num(o.late) : 0,
      latency_p50_ms: nullable(q[0]),
      latency_p90_ms: nullable(q[1]),
      latency_p99_ms: nullable(q[2]),
      completed_in_window: n,
    };
  });
  const total = (status: string) => num(totals.find((r) => r.status === status)?.n ?? 0);
  return {
    levels,
    workers: input.workers,
    busy_workers: input.busyWorkers,
    throughput_per_min: completedInWindow / (windowMs / 60_000),
    window_ms: windowMs,
    totals: {
      queued: total('queued'),
      running: total('running'),
      completed: total('completed') + total('duplicate'),
      failed: total('failed'),
    },
  };
}
