// `gex-desk jobs retry ID...` and `gex-desk jobs cancel ID...`: what the Queue view's Retry
// and Cancel buttons do, for a script or a machine without a display. Beside the app (or
// `serve`) they go through it; otherwise this command's own engine does the work: a retry
// runs the job, as `ingest` runs its own (the queue's other jobs with it, by priority) and
// waits for its end, saying on stderr what a long wait is doing as `ingest` does
// (ingest-status.ts); a cancel starts its engine paused, so that it runs nothing. A retry
// interrupted (Ctrl-C, SIGTERM, SIGHUP) stops as an interrupted `ingest` does: its engine
// lets the running jobs finish and shuts down in order, the lines of the retried jobs
// that had ended by then are printed, stderr says what stays queued, and it exits 130
// (it used to die of the signal mid-run, with no word).
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { noRetryReason } from '../../../shared/retry.ts';
import { withApi, type ApiClient, type ApiSession, type LocalNeeds } from './api.ts';
import { authorOption, engineOptions, parse } from './args.ts';
import { fromJob, humanLine, ingestJson, notSeenToEnd, type IngestLine } from './ingest-lines.ts';
import {
  counted,
  describeError,
  EXIT,
  exitFor,
  UsageError,
  type ExitCode,
  type Output,
  refuse,
} from './io.ts';
import { followingWaiter } from './job-waiter.ts';
import { IngestStatus, statusOptions } from './ingest-status.ts';
import { pauseNotice } from './paused-notice.ts';
import { jobJson } from './listings.ts';
import { echoed } from '../../../shared/visible.ts';
import { JOBS_USAGE } from './usage.ts';
import { onStopSignal } from './stop-signals.ts';

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
    message: `${job.file}: cannot retry: a retry runs the bytes captured when the file arrived, and they are no longer kept (never captured, kept keepStagedHours after the job ended, 72 by default; 0 keeps none, or let go when the disk was full, as a job that failed on its file's content or whose content is stored already is). Ingest the file again.`,
    file: job.file,
  };
}

/** The worse of two exit codes (0 ok, 1 refused or failed, 3 the environment). */
const worse = (a: ExitCode, b: ExitCode): ExitCode => Math.max(a, b) as ExitCode;

/** How long an interrupted retry waits for the answer to a retry already asked for. */
const ANSWER_WAIT_MS = 3000;

/** The line an interrupted `jobs retry` leaves on stderr: what became of the jobs it had not seen end. */
function interrupted(waiting: number, unasked: number, where: ApiClient['where'] | null): string {
  const parts = ['gex-desk: interrupted.'];
  if (waiting > 0)
    parts.push(
      where === 'running-engine'
        ? `${counted(waiting, 'retried job')} had not ended: the running engine goes on with ${waiting === 1 ? 'it' : 'them'} (its Queue view, gex-desk jobs).`
        : `${counted(waiting, 'retried job')} had not ended: ${waiting === 1 ? 'it stays' : 'they stay'} queued, nothing is lost, and ${waiting === 1 ? 'runs' : 'run'} the next time GEX Desk (the app or gex-desk serve) runs on this database, or with gex-desk queue --drain.`,
    );
  if (unasked > 0) parts.push(`${unasked} job${unasked === 1 ? ' was' : 's were'} not retried.`);
  return parts.join(' ');
}

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
  // An interrupt while the engine starts (or while the command waits for a database another
  // holds) is taken once it has, as `ingest` does: nothing is retried, the engine is let go.
  const early = new AbortController();
  const offEarly = action === 'retry' ? onStopSignal(() => early.abort()) : () => undefined;
  const stoppedWaiting = (): never => {
    out.error(interrupted(0, ids.length, null));
    process.exit(130);
  };
  try {
    return await withApi(
      { ...overrides, json: values.json },
      out,
      needs,
      async (api, session) => {
        offEarly();
        return await act(api, session);
      },
      action === 'retry' ? { signal: early.signal, stopped: stoppedWaiting } : undefined,
    );
  } finally {
    offEarly();
  }

  async function act(api: ApiClient, session: ApiSession): Promise<ExitCode> {
    let code: ExitCode = EXIT.ok;
    /** Each job retried, in order: its line, known once it has ended; `at`: when it was retried. */
    const retried: {
      job: ProcessingJob;
      at: number;
      end: Promise<IngestLine>;
      line?: IngestLine;
      printed?: boolean;
    }[] = [];
    /** Where the retried job of that id is among the command's, while not seen to end; else -1. */
    const waitedFor = (id: string) => retried.findIndex((r) => r.job.id === id && !r.line);
    // What a long wait is doing, on stderr, as `ingest` says it, its time counted from the
    // retry (the job's arrival may be hours before); everything else written through `said`
    // erases its live line first.
    const status =
      action === 'retry'
        ? new IngestStatus(statusOptions(), {
            place: (id) => {
              const i = waitedFor(id);
              return i < 0 ? undefined : i;
            },
            since: (job) => retried[waitedFor(job.id)]?.at ?? Date.parse(job.submitted_at),
          })
        : null;
    const said = status?.wrap(out) ?? out;
    // A line among the others' on stdout; with --json, said on stderr too, as every refusal.
    const refused = (id: string, error: AppError) => {
      if (values.json) refuse(said, error, true, { job_id: id });
      else said.line(`✗ ${echoed(id)}  ${describeError(error)}`);
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
    const print = (entry: (typeof retried)[number], line: IngestLine) => {
      entry.printed = true;
      if (values.json) said.json({ job_id: entry.job.id, ...ingestJson(line) });
      else said.line(humanLine(line));
      if (line.error) code = worse(code, exitFor(line.error));
      else if (line.status !== 'completed' && line.status !== 'duplicate')
        code = worse(code, EXIT.rejected);
    };
    // Beside an app whose queue is paused, the retried jobs wait for Resume: said on stderr.
    const paused = pauseNotice(
      said,
      {
        waiting: () => retried.filter((r) => !r.line).length,
        mine: (id) => retried.some(({ job }) => job.id === id),
      },
      'jobs',
    );
    // Subscribed before the first retry, so that no job can end unseen.
    const { waiter, later } = followingWaiter(api, overrides, needs, said, (a) => {
      paused.watch(a);
      status?.watch(a);
    });
    let stopping = false;
    /** The retry asked for and not answered yet (answered before a stop closes the engine). */
    let asking: Promise<unknown> = Promise.resolve();
    let unasked = ids.length;
    // Interrupted: the engine this command works through is asked last how its retried jobs
    // ended (its own, once it has let the running ones finish: JobWaiter.settle; a running
    // engine, which goes on with them, as they are then); the lines of those that ended are
    // printed in order, and stderr counts the others.
    const stop = () => {
      stopping = true;
      const wait = new Promise((r) => setTimeout(r, ANSWER_WAIT_MS).unref());
      void Promise.race([asking, wait])
        .then(() =>
          Promise.all(
            [session, ...later].map((s) =>
              s.close(s.api === waiter.api() ? () => waiter.settle() : undefined),
            ),
          ),
        )
        .catch(() => undefined) // interrupted all the same
        .then(() => new Promise((r) => setImmediate(r)))
        .then(() => {
          status?.stop();
          for (const entry of retried) if (entry.line && !entry.printed) print(entry, entry.line);
          said.error(
            interrupted(retried.filter((r) => !r.line).length, unasked, waiter.api().where),
          );
          process.exit(130);
        });
    };
    const offStop = onStopSignal(stop);
    if (early.signal.aborted) stop(); // interrupted as its engine started: nothing is retried
    const ending = new Promise<never>(() => undefined); // the process is ending
    try {
      for (const given of ids) {
        if (stopping) return ending;
        const job = await named(given, waiter.api());
        if (stopping) return ending;
        unasked -= 1;
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
        if (stopping) return ((unasked += 1), ending);
        const at = Date.now();
        const call = waiter.api().call('jobs:retry', { id: job.id, author });
        asking = call;
        const r = await call;
        if (!r.ok) {
          if (stopping) return ((unasked += 1), ending); // refused by the engine shutting down
          refused(job.id, r.error);
          continue;
        }
        // Waited for at once, so that a stop's settle knows it ran. Not seen to its end
        // because the command is stopping (its engine closed under the wait): no line, and
        // counted among those that had not ended.
        const retry = r.value;
        const end = waiter.waitForEnd(retry.id).then((e) => {
          if (!e.ok && stopping) return ending;
          return e.ok
            ? fromJob(retry.file, e.value, at)
            : notSeenToEnd(retry.file, retry.request_id, retry.id, e.error);
        });
        const entry: (typeof retried)[number] = { job: retry, at, end };
        void end.then((line) => (entry.line = line));
        retried.push(entry);
        paused.check();
      }
      for (const entry of retried) {
        const line = await entry.end;
        if (stopping) return ending;
        print(entry, line);
      }
      return code;
    } finally {
      status?.stop();
      offStop();
      await Promise.all(later.map((s) => s.close()));
    }
  }
}
