// The read-mostly commands: `jobs`, `snapshots` and `queue` (whose `--drain` runs the
// queued jobs, including those recovered after a crash, until none is left). All go
// through the API map (api.ts): the running engine's when there is one, else one served
// from the store alone (`jobs`, `snapshots`, `queue` start fast: no workers, no
// scheduler), or by a whole engine of this process for `--drain`.
import type { JobLine } from '../../../shared/cli-lines.ts';
import {
  decidedLevel,
  atUpperBound,
  endedUndecided,
  JobStatus,
  type GEXSnapshot,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import type { PruneResult, QueueStats } from '../../../shared/api.ts';
import { leftExportsText } from '../../../shared/left-exports.ts';
import { READS_WHY, readsPhrase } from '../../../shared/facts-reads.ts';
import { READS, withApi } from './api.ts';
import { eachPage } from './pages.ts';
import { drainNeeds, drainQueue } from './queue-drain.ts';
import { sayUnknownSource } from './source-filter.ts';
import { authorOption, engineOptions, extraWords, int, parse, sourceOption } from './args.ts';
import {
  counted,
  money,
  usd,
  withUnits,
  duration,
  elapsed,
  EXIT,
  snapshotJson,
  table,
  UsageError,
  type ExitCode,
  type Output,
  refuse,
} from './io.ts';
import { timeOption } from './time-option.ts';
import { JOB_STATUSES, JOBS_USAGE, QUEUE_USAGE, SNAPSHOTS_USAGE } from './usage.ts';
import { MAX_WORKERS } from '../../../shared/workers.ts';
import { blank } from '../../../shared/visible.ts';

export async function jobsCommand(argv: string[], out: Output): Promise<ExitCode> {
  if (argv[0] === 'retry' || argv[0] === 'cancel')
    return (await import('./job-actions.ts')).jobActionCommand(argv[0], argv.slice(1), out);
  const { values } = parse(
    argv,
    {
      json: { type: 'boolean' },
      status: { type: 'string' },
      source: { type: 'string' },
      limit: { type: 'string' },
    },
    {
      command: 'jobs',
      subcommands: ['retry', 'cancel'],
      hint: (w) =>
        (JOB_STATUSES as readonly string[]).includes(w.toLowerCase())
          ? `did you mean \`jobs --status ${w.toLowerCase()}\`?`
          : undefined,
    },
  );
  if (values.help) return (out.line(JOBS_USAGE), EXIT.ok);
  const source = sourceOption(values.source);
  const status =
    values.status === undefined ? undefined : JobStatus.safeParse(values.status.toLowerCase());
  if (status && !status.success)
    throw new UsageError(`--status must be one of ${JobStatus.options.join(', ')}`);
  const limit = int(values.limit, '--limit', 1);
  return withApi({ ...engineOptions(values), json: values.json }, out, READS, async (api) => {
    const jobs: ProcessingJob[] = [];
    let listed = 0;
    const r = await eachPage<ProcessingJob>(
      (page, after) => api.call('jobs:list', { status: status?.data, source, limit: page, after }),
      limit,
      (some) => {
        listed += some.length;
        if (values.json) some.forEach((j) => out.json(jobJson(j)));
        else jobs.push(...some);
      },
    );
    if (!r.ok) return refuse(out, r.error, values.json);
    // Nothing listed for a name no source has (`acmee`): said on stderr, stdout as ever.
    if (listed === 0 && source !== undefined) await sayUnknownSource(api, source, out);
    if (!values.json)
      out.line(
        table(
          [
            'submitted',
            'status',
            'level',
            'effective',
            'underlying',
            'attempts',
            'file',
            'id',
            'error',
          ],
          jobs.map((j) => [
            j.submitted_at,
            j.status + (j.late ? ' (late)' : ''),
            // Ended before its facts read: only the upper bound it waited at, no level.
            // Waiting for it: ranked at that bound, ≤HIGH as the Queue shows it.
            ...(endedUndecided(j)
              ? ['not decided', '—']
              : atUpperBound(j)
                ? [`≤${j.priority}`, `≤${j.effective_priority}`]
                : [j.priority, j.effective_priority]),
            j.underlying,
            j.attempts,
            j.file,
            j.id,
            // Why it failed, in a word a script or a person can look up; the message with
            // --json, or in `audit --request`.
            j.error ? `${j.error.code}${j.error.line ? ` (line ${j.error.line})` : ''}` : '',
          ]),
        ),
      );
    return EXIT.ok;
  });
}

/**
 * A `jobs --json` line (CONTRACTS.md, and the fields added since). A job no rule decided
 * says so with null levels, rule and decision time: its stored ones are no decision.
 */
export const jobJson = (j: ProcessingJob): JobLine => {
  const level = decidedLevel(j);
  return {
    id: j.id,
    request_id: j.request_id,
    file: j.file,
    underlying: j.underlying,
    priority: level.priority,
    effective_priority: level.effective_priority,
    status: j.status,
    submitted_at: j.submitted_at,
    decided_at: level.decided_at,
    started_at: j.started_at,
    run_ended_at: j.run_ended_at,
    finished_at: j.finished_at,
    attempts: j.attempts,
    error: j.error,
    late: j.late,
    rule: level.rule,
    rule_version: j.rule_version,
    source: j.source,
    snapshot_id: j.snapshot_id,
  };
};

/** A word that reads as an underlying's symbol (`snapshots META` for `--underlying META`). */
const SYMBOL = /^\^?[A-Za-z][A-Za-z.]{0,9}$/;

export async function snapshotsCommand(argv: string[], out: Output): Promise<ExitCode> {
  if (argv[0] === 'remove') return removeCommand(argv.slice(1), out);
  const { values } = parse(
    argv,
    {
      json: { type: 'boolean' },
      underlying: { type: 'string' },
      limit: { type: 'string' },
    },
    {
      command: 'snapshots',
      subcommands: ['remove'],
      hint: (w) =>
        SYMBOL.test(w) ? `did you mean \`snapshots --underlying ${w.toUpperCase()}\`?` : undefined,
    },
  );
  if (values.help) return (out.line(SNAPSHOTS_USAGE), EXIT.ok);
  const limit = int(values.limit, '--limit', 1);
  return withApi({ ...engineOptions(values), json: values.json }, out, READS, async (api) => {
    const snapshots: GEXSnapshot[] = [];
    const r = await eachPage<GEXSnapshot>(
      (page, after) =>
        api.call('snapshots:list', { underlying: values.underlying, limit: page, after }),
      limit,
      (some) => {
        if (!values.json) return snapshots.push(...some);
        for (const s of some)
          out.json({
            ...snapshotJson(s),
            request_id: s.request_id,
            job_id: s.job_id,
            created_at: s.created_at,
          });
      },
    );
    if (!r.ok) return refuse(out, r.error, values.json);
    if (!values.json)
      out.line(
        table(
          withUnits([
            'as_of',
            'underlying',
            'spot',
            'total GEX',
            'zero gamma',
            'call wall',
            'put wall',
            'contracts',
            'id',
          ]),
          snapshots.map((s) => [
            s.as_of,
            s.underlying,
            s.spot,
            money(s.total_gex),
            s.zero_gamma,
            s.call_wall,
            s.put_wall,
            s.contracts,
            s.id,
          ]),
        ),
      );
    return EXIT.ok;
  });
}

/**
 * `snapshots remove ID --justification TEXT [--author NAME] [--json]`, or every snapshot
 * before a date: `snapshots remove --before DATE [--underlying SYM] [--dry-run] …`.
 */
const REMOVE_OPTIONS = {
  before: { type: 'string' },
  underlying: { type: 'string' },
  'dry-run': { type: 'boolean' },
  justification: { type: 'string' },
  author: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function removeCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(argv, REMOVE_OPTIONS, {
    command: 'snapshots remove',
    args: ['ID'],
    says: 'one snapshot ID, or --before DATE',
  });
  if (values.help) return (out.line(SNAPSHOTS_USAGE), EXIT.ok);
  const prune = timeOption(values.before, 'before') !== undefined;
  if (prune && positionals.length > 0)
    throw new UsageError(
      extraWords(
        { command: 'snapshots remove', says: 'no snapshot ID with --before DATE' },
        REMOVE_OPTIONS,
        positionals,
      ),
    );
  if (!prune && positionals.length !== 1)
    throw new UsageError('snapshots remove takes one snapshot ID, or --before DATE');
  if (!prune && (values.underlying !== undefined || values['dry-run']))
    throw new UsageError('--underlying and --dry-run go with --before DATE');
  if (blank(values.justification))
    throw new UsageError('snapshots remove needs a --justification that is not blank');
  const why = { justification: values.justification!, author: authorOption(values.author) };
  // Its export files are deleted in the data folder in use: the engine's, beside one.
  const needs = { kind: 'store', dataFolder: true } as const;
  return withApi({ ...engineOptions(values), json: values.json }, out, needs, async (api) => {
    if (prune) {
      const r = await api.call('snapshots:prune', {
        before: values.before!,
        underlying: values.underlying,
        dry_run: values['dry-run'] ?? false,
        ...why,
      });
      if (!r.ok) return refuse(out, r.error, values.json);
      if (values.json) out.json(r.value);
      else out.line(prunedText(r.value, values.before!, values.underlying));
      return EXIT.ok;
    }
    const r = await api.call('snapshots:remove', { id: positionals[0]!, ...why });
    if (!r.ok) return refuse(out, r.error, values.json);
    const s = r.value.snapshot;
    if (values.json) out.json({ ...snapshotJson(s), files: r.value.files, left: r.value.left });
    else {
      const left = r.value.left;
      out.line(
        `removed snapshot ${s.id} (${s.underlying} as of ${s.as_of}, total GEX ${usd(s.total_gex)}); ${counted(r.value.files.length, 'export file')} deleted${left.length ? `; ${leftExportsText(left)}` : ''}`,
      );
      for (const f of left.flatMap((l) => l.files ?? [])) out.line(`  left: ${f}`);
    }
    return EXIT.ok;
  });
}

function prunedText(p: PruneResult, before: string, underlying: string | undefined): string {
  if (p.count === 0)
    return `no snapshot${underlying ? ` of ${underlying.toUpperCase()}` : ''} before ${before}`;
  const when = p.oldest === p.newest ? `as of ${p.oldest}` : `as of ${p.oldest} to ${p.newest}`;
  const what = `${counted(p.count, 'snapshot')} of ${p.underlyings.join(', ')}, ${when}`;
  return p.dry_run
    ? `would remove ${what} (a dry run: nothing removed)`
    : `removed ${what}; ${counted(p.files, 'export file')} deleted${p.left.length ? `; ${leftExportsText(p.left)}` : ''}`;
}

export async function queueCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(
    argv,
    {
      json: { type: 'boolean' },
      drain: { type: 'boolean' },
      workers: { type: 'string' },
    },
    { command: 'queue' },
  );
  if (values.help) return (out.line(QUEUE_USAGE), EXIT.ok);
  const workers = int(values.workers, '--workers', 1, MAX_WORKERS);
  const needs = values.drain ? drainNeeds(workers) : READS;
  const overrides = engineOptions(values);
  return withApi({ ...overrides, json: values.json }, out, needs, async (api, session) => {
    let stats: QueueStats;
    /** How the jobs the drain counted ended (a duplicate counts as completed). */
    let drained: { completed: number; failed: number } | null = null;
    if (values.drain) {
      const r = await drainQueue(session, overrides, needs, out);
      // Refused (a paused queue: CONFLICT, exit 1) or failed: with --json an error object,
      // as every refusal gives one (refuse), not an empty stdout; no `drained` key, so a
      // script tells it from a drain whose jobs failed (`drained.failed`, exit 1 too).
      if (!r.ok) return refuse(out, r.error, values.json);
      stats = r.value.stats;
      drained = { completed: r.value.completed, failed: r.value.failed };
    } else {
      const r = await api.call('queue:stats', {});
      if (!r.ok) return refuse(out, r.error, values.json);
      stats = r.value;
    }
    // A drain's counts come after the queue's figures: one more key, one more line.
    if (values.json) out.json(drained ? { ...stats, drained } : stats);
    else {
      printQueue(stats, out);
      if (drained) out.line(`drained: ${drained.completed} completed, ${drained.failed} failed`);
    }
    // Exit 1 when a drained job failed.
    return drained && drained.failed > 0 ? EXIT.rejected : EXIT.ok;
  });
}

/**
 * Per level, beside its figures, the target and late behaviour of the ACTIVE rules: `late`
 * the open jobs flagged late, `ended late` those of the latency window that ended past it.
 */
function printQueue(stats: QueueStats, out: Output): void {
  out.line(
    table(
      [
        'level',
        'target',
        'when late',
        'waiting',
        'running',
        'oldest wait',
        'late',
        'p50',
        'p90',
        'p99',
        'ended late',
      ],
      stats.levels.map((l) => [
        l.level,
        duration(l.target_ms),
        l.on_late,
        l.waiting,
        l.running,
        elapsed(l.oldest_wait_ms),
        l.late,
        elapsed(l.latency_p50_ms),
        elapsed(l.latency_p90_ms),
        elapsed(l.latency_p99_ms),
        // Of the jobs completed in the latency window, those past the target (from arrival).
        l.late_in_window === null ? '—' : `${l.late_in_window} of ${l.completed_in_window}`,
      ]),
    ),
  );
  const t = stats.totals;
  // A command that opened the database itself runs no workers: say whose figures these are.
  const engine =
    stats.workers === 0
      ? 'no engine running'
      : `${workersText(stats)}${readsText(stats)}, throughput ${stats.throughput_per_min.toFixed(1)}/min${stats.paused ? ', PAUSED' : ''}`;
  out.line(
    `${engine}; jobs: ${t.deciding} deciding, ${t.queued} queued, ${t.running} running${t.storing ? `, ${t.storing} storing (run over, result waiting for the store)` : ''}, ${t.completed} completed, ${t.failed} failed, ${t.cancelled} cancelled`,
  );
}

/**
 * The workers as the status bar names them: of those the workers setting gives (`--workers
 * 1`), and the spare kept for CRITICAL work apart — `workers 0/1 busy (+1 spare for CRITICAL
 * work)`, never `0/2` —, a CRITICAL job on the spare while every other is busy said there
 * (`1/1 busy (+1 spare for CRITICAL work, busy)`).
 */
export function workersText(
  stats: Pick<QueueStats, 'workers' | 'busy_workers' | 'spare_workers'>,
): string {
  const spare = Math.min(stats.spare_workers, stats.workers);
  const set = stats.workers - spare;
  const busy = Math.min(stats.busy_workers, stats.workers);
  const spareBusy = Math.max(0, busy - set);
  if (spare === 0) return `workers ${busy}/${set} busy`;
  const onSpare = spareBusy === 0 ? '' : spareBusy === spare ? ', busy' : `, ${spareBusy} busy`;
  return `workers ${busy - spareBusy}/${set} busy (+${spare} spare for CRITICAL work${onSpare})`;
}

/**
 * The files waiting for their facts read, as the status bar says them beside the workers:
 * `, reading 1 of 3 files (a file's facts are read before the rules can give its level)`;
 * nothing when none waits (the line then reads as before).
 */
export function readsText(stats: Pick<QueueStats, 'totals'>): string {
  const phrase = readsPhrase(stats.totals.reading, stats.totals.deciding);
  return phrase === null ? '' : `, ${phrase} (${READS_WHY})`;
}
