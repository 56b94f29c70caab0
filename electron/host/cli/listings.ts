// The read-mostly commands: `jobs`, `snapshots` and `queue` (whose `--drain` runs the
// queued jobs, including those recovered after a crash, until none is left). `jobs` and
// `snapshots` only read the store: they open it alone, without the engine (no rules,
// no worker pool, no scheduler), so they start fast.
import { JobStatus } from '../../../shared/domain.ts';
import type { Engine } from '../../engine/engine.ts';
import { listJobs } from '../../engine/jobs/repository.ts';
import { num } from '../../engine/store/db.ts';
import { listSnapshots } from '../../engine/store/snapshots.ts';
import { engineOptions, int, parse, withEngine, withStore } from './args.ts';
import { bn, describeError, EXIT, snapshotJson, table, UsageError, type ExitCode, type Output } from './io.ts';
import { JOBS_USAGE, QUEUE_USAGE, SNAPSHOTS_USAGE } from './usage.ts';

export async function jobsCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(argv, { json: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' } });
  if (values.help) return (out.line(JOBS_USAGE), EXIT.ok);
  const status = values.status === undefined ? undefined : JobStatus.safeParse(values.status.toLowerCase());
  if (status && !status.success) throw new UsageError(`--status must be one of ${JobStatus.options.join(', ')}`);
  const limit = int(values.limit, '--limit') ?? 100_000;
  return withStore(engineOptions(values), out, async (store) => {
    const jobs = await listJobs(store, { status: status?.data, limit });
    if (values.json) {
      for (const j of jobs)
        out.json({
          id: j.id, request_id: j.request_id, file: j.file, underlying: j.underlying, priority: j.priority,
          effective_priority: j.effective_priority, status: j.status, submitted_at: j.submitted_at,
          decided_at: j.decided_at, started_at: j.started_at, finished_at: j.finished_at, attempts: j.attempts, error: j.error,
          late: j.late, rule: j.rule, rule_version: j.rule_version, source: j.source, snapshot_id: j.snapshot_id,
        });
    } else {
      out.line(
        table(
          ['submitted', 'status', 'level', 'effective', 'underlying', 'attempts', 'file'],
          jobs.map((j) => [j.submitted_at, j.status + (j.late ? ' (late)' : ''), j.priority, j.effective_priority, j.underlying, j.attempts, j.file]),
        ),
      );
    }
    return EXIT.ok;
  });
}

export async function snapshotsCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(argv, { json: { type: 'boolean' }, underlying: { type: 'string' }, limit: { type: 'string' } });
  if (values.help) return (out.line(SNAPSHOTS_USAGE), EXIT.ok);
  const limit = int(values.limit, '--limit') ?? 10_000;
  return withStore(engineOptions(values), out, async (store) => {
    const snapshots = await listSnapshots(store, { underlying: values.underlying, limit });
    if (values.json) {
      for (const s of snapshots) out.json({ ...snapshotJson(s), request_id: s.request_id, job_id: s.job_id, created_at: s.created_at });
    } else {
      out.line(
        table(
          ['as_of', 'underlying', 'spot', 'total GEX', 'zero gamma', 'call wall', 'put wall', 'contracts'],
          snapshots.map((s) => [s.as_of, s.underlying, s.spot, bn(s.total_gex), s.zero_gamma, s.call_wall, s.put_wall, s.contracts]),
        ),
      );
    }
    return EXIT.ok;
  });
}

export async function queueCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(argv, { json: { type: 'boolean' }, drain: { type: 'boolean' }, workers: { type: 'string' } });
  if (values.help) return (out.line(QUEUE_USAGE), EXIT.ok);
  const workers = int(values.workers, '--workers');
  return withEngine({ ...engineOptions(values), runJobs: Boolean(values.drain), workers, prewarm: 0 }, out, async (engine) => {
    const failedBefore = values.drain ? await failedJobs(engine) : 0;
    if (values.drain) await engine.drain();
    const r = await engine.handlers['queue:stats']({});
    if (!r.ok) return (out.error(describeError(r.error)), EXIT.rejected);
    const stats = r.value;
    if (values.json) out.json(stats);
    else {
      const ms = (v: number | null) => (v === null ? null : Math.round(v));
      out.line(
        table(
          ['level', 'waiting', 'running', 'oldest wait ms', 'late', 'p50 ms', 'p90 ms', 'p99 ms'],
          stats.levels.map((l) => [l.level, l.waiting, l.running, ms(l.oldest_wait_ms), l.late, ms(l.latency_p50_ms), ms(l.latency_p90_ms), ms(l.latency_p99_ms)]),
        ),
      );
      out.line(`workers ${stats.workers}, throughput ${stats.throughput_per_min.toFixed(1)}/min; totals: ${JSON.stringify(stats.totals)}`);
    }
    // Exit 1 when a drained job failed.
    if (values.drain && (await failedJobs(engine)) > failedBefore) return EXIT.rejected;
    return EXIT.ok;
  });
}

async function failedJobs(engine: Engine): Promise<number> {
  const row = await engine.store.one<{ n: bigint }>(`SELECT count(*) AS n FROM jobs WHERE status = 'failed'`);
  return num(row?.n ?? 0);
}
