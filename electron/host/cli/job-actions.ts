// `gex-desk jobs retry ID...` and `gex-desk jobs cancel ID...`: what the Queue view's Retry
// and Cancel buttons do, for a script or a machine without a display. Beside the app (or
// `serve`) they go through it; otherwise this command's own engine does the work: a retry
// runs the job, as `ingest` runs its own (the queue's other jobs with it, by priority) and
// waits for its end; a cancel starts its engine paused, so that it runs nothing.
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { noRetryReason } from '../../../shared/retry.ts';
import { withApi, type ApiClient, type LocalNeeds } from './api.ts';
import { authorOption, engineOptions, parse } from './args.ts';
import { fromJob, humanLine, ingestJson, notSeenToEnd } from './ingest-lines.ts';
import { describeError, EXIT, exitFor, UsageError, type ExitCode, type Output } from './io.ts';
import { followingWaiter } from './job-waiter.ts';
import { pauseNotice } from './paused-notice.ts';
import { jobJson } from './listings.ts';
import { echoed } from '../../../shared/visible.ts';
import { JOBS_USAGE } from './usage.ts';

const OPTIONS = {
  author: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/**
 * Why an ended job cannot be retried because the bytes captured at its arrival, which a
 * retry runs, are no longer kept (`jobs:bytesKept`); null when they are, or cannot be told.
 */
async function bytesGone(job: ProcessingJob, api: ApiClient): Promise<AppError | null> {
  if (job.status !== 'failed' && job.status !== 'cancelled') return null;
  const kept = await api.call('jobs:bytesKept', { id: job.id });
  if (!kept.ok || kept.value.kept) return null;
  return {
    code: 'CONFLICT',
    message: `${job.file}: cannot retry: a retry runs the bytes captured when the file arrived, and they are no longer kept (never captured, or kept keepStagedHours after the job ended, 72 by default; 0 keeps none). Ingest the file again.`,
    file: job.file,
  };
}

/** The worse of two exit codes (0 ok, 1 refused or failed, 3 the environment). */
const worse = (a: ExitCode, b: ExitCode): ExitCode => Math.max(a, b) as ExitCode;

export async function jobActionCommand(
  action: 'retry' | 'cancel',
  argv: string[],
  out: Output,
): Promise<ExitCode> {
  const { values, positionals: ids } = parse(argv, OPTIONS, {
    command: `jobs ${action}`,
    args: ['ID...'],
  });
  if (values.help) return (out.line(JOBS_USAGE), EXIT.ok);
  if (ids.length === 0)
    throw new UsageError(
      `jobs ${action} takes the ID of each job (gex-desk jobs --status ${action === 'retry' ? 'failed' : 'queued'} lists them)`,
    );
  const author = authorOption(values.author);
  const overrides = engineOptions(values);
  const needs: LocalNeeds = {
    kind: 'engine',
    options: { paused: action === 'cancel' },
    computes: action === 'retry',
    // A retry's run writes its exports (and reads its captured bytes) in the data folder.
    ...(action === 'retry' ? { dataFolder: true as const } : {}),
  };
  return withApi(overrides, out, needs, async (api) => {
    let code: ExitCode = EXIT.ok;
    const refused = (id: string, error: AppError) => {
      if (values.json) out.json({ job_id: id, error });
      else out.line(`✗ ${echoed(id)}  ${describeError(error)}`);
      code = worse(code, exitFor(error));
    };
    // The job each argument names: its id, its request's, or the start of either.
    const named = async (id: string, via = api) => {
      const r = await via.call('jobs:get', { id });
      if (!r.ok) refused(id, r.error);
      return r.ok ? r.value.job : null;
    };
    if (action === 'cancel') {
      for (const given of ids) {
        const job = await named(given);
        if (!job) continue;
        const r = await api.call('jobs:cancel', { id: job.id, author });
        if (!r.ok) refused(job.id, r.error);
        else if (values.json) out.json(jobJson(r.value));
        else out.line(`✓ ${job.id}  cancelled  ${r.value.file}`);
      }
      return code;
    }
    const retried: { job: ProcessingJob; at: number }[] = [];
    let ended = 0;
    // Beside an app whose queue is paused, the retried jobs wait for Resume: said on stderr.
    const paused = pauseNotice(
      out,
      {
        waiting: () => retried.length - ended,
        mine: (id) => retried.some(({ job }) => job.id === id),
      },
      'jobs',
    );
    // Subscribed before the first retry, so that no job can end unseen.
    const { waiter, later } = followingWaiter(api, overrides, needs, out, paused.watch);
    try {
      for (const given of ids) {
        const job = await named(given, waiter.api());
        if (!job) continue;
        // As the Queue view offers none: a job that failed on its file's content would fail
        // the same way (a retry runs the bytes captured at arrival), unless --force (after
        // an update that reads such files).
        // But first whether there is anything to retry: a job whose bytes are no longer kept
        // (never captured, its file refused at arrival; or kept past its retention) cannot
        // be retried at all, --force or not, as the Queue drawer says.
        const gone = await bytesGone(job, waiter.api());
        if (gone) {
          refused(job.id, gone);
          continue;
        }
        const why = values.force ? null : noRetryReason(job);
        if (why) {
          refused(job.id, {
            code: 'CONFLICT',
            message: `${why.replace('submit it again', 'ingest it again')} (--force retries it all the same)`,
          });
          continue;
        }
        const at = Date.now();
        const r = await waiter.api().call('jobs:retry', { id: job.id, author });
        if (!r.ok) refused(job.id, r.error);
        else {
          retried.push({ job: r.value, at });
          paused.check();
        }
      }
      for (const { job, at } of retried) {
        const end = await waiter.waitForEnd(job.id);
        ended += 1;
        const line = end.ok
          ? fromJob(job.file, end.value, at)
          : notSeenToEnd(job.file, job.request_id, job.id, end.error);
        if (values.json) out.json({ job_id: job.id, ...ingestJson(line) });
        else out.line(humanLine(line));
        if (line.error) code = worse(code, exitFor(line.error));
        else if (line.status !== 'completed' && line.status !== 'duplicate')
          code = worse(code, EXIT.rejected);
      }
      return code;
    } finally {
      await Promise.all(later.map((s) => s.close()));
    }
  });
}
