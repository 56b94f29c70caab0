// `gex-desk ingest FILE... [--manifest FILE] [--source ID] [--priority LEVEL
// --justification TEXT] [--json]`: submits each file, waits until every request has
// ended, and reports one line per request in submission order (CONTRACTS.md); `-` is a
// chain piped in (piped-input.ts). A manifest replays a recorded arrival pattern: each
// line arrives `at_ms` after the command starts. Through the API map (api.ts): to the
// running engine when there is one, else to an engine of this process, with workers
// started on demand; each request from its submission to its end, through the engine
// that comes next if the running one goes away: ingest-request.ts; its line:
// ingest-lines.ts; a manifest's lines: manifest.ts.
import { setTimeout as delay } from 'node:timers/promises';
import type { PriorityLevel } from '../../../shared/domain.ts';
import type { Result } from '../../../shared/result.ts';
import { withApi, type ApiClient } from './api.ts';
import { authorOption, engineOptions, int, level, parse, sourceOption } from './args.ts';
import { expandFiles } from './file-patterns.ts';
import { counted, EXIT, exitFor, UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { followingWaiter } from './job-waiter.ts';
import { cancelled, humanLine, ingestJson, rejected, type IngestLine } from './ingest-lines.ts';
import { runRequest, type PlannedRequest, type Progress } from './ingest-request.ts';
import { SubmitTurns } from './submit-turns.ts';
import { readManifest } from './manifest.ts';
import { PIPED_NAME, pipedFile, pipedText, type PipedFile } from './piped-input.ts';
import { pauseNotice } from './paused-notice.ts';
import { onStopSignal } from './stop-signals.ts';
import { INGEST_USAGE } from './usage.ts';
import { MAX_WORKERS } from '../../../shared/workers.ts';
import { mayStall } from '../../engine/intake/stalling-fs.ts';
import { blank } from '../../../shared/visible.ts';
import { IngestStatus, statusOptions } from './ingest-status.ts';

const OPTIONS = {
  manifest: { type: 'string' },
  source: { type: 'string' },
  priority: { type: 'string' },
  justification: { type: 'string' },
  author: { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
} as const;
type IngestValues = ReturnType<typeof parse<typeof OPTIONS>>['values'];

export async function ingestCommand(argv: string[], out: Output): Promise<ExitCode> {
  // When the command was given its files: their arrival, however long the command then
  // takes to reach an engine (its own start-up, the database held, its engine starting),
  // and the start a manifest's at_ms count from. A chain piped in is given once its last
  // byte is read. The engine never places an arrival before one it has already taken.
  let givenMs = Date.now();
  const { values, positionals } = parse(argv, OPTIONS, { command: 'ingest', args: ['FILE...'] });
  if (values.help) {
    out.line(INGEST_USAGE);
    return EXIT.ok;
  }
  const requested_priority = level(values.priority, '--priority');
  if (requested_priority && blank(values.justification))
    throw new UsageError('--priority needs a --justification that is not blank');
  if (positionals.length === 0 && !values.manifest)
    throw new UsageError('give at least one FILE or --manifest FILE');
  if (positionals.filter((f) => f === '-').length + (values.manifest === '-' ? 1 : 0) > 1)
    throw new UsageError(
      'ingest reads standard input ("-") once: a chain piped in, or the manifest, not both',
    );
  // A chain piped in: kept in a file of its own while the command runs, named "-" in its
  // lines; no more of it than a file may hold (the configuration's limits.maxFileBytes).
  let piped: Result<PipedFile> | null = null;
  if (positionals.includes('-')) {
    const { loadConfig } = await import('../../engine/config.ts');
    const config = loadConfig(engineOptions(values));
    if (!config.ok) return refuse(out, config.error, values.json);
    piped = await pipedFile(config.value.limits.maxFileBytes);
    givenMs = Date.now();
  }
  try {
    return await ingestFiles(values, positionals, requested_priority, out, piped, givenMs);
  } finally {
    if (piped?.ok) piped.value.remove();
  }
}

async function ingestFiles(
  values: IngestValues,
  given: string[],
  requested_priority: PriorityLevel | undefined,
  out: Output,
  piped: Result<PipedFile> | null,
  givenMs: number,
): Promise<ExitCode> {
  const source = sourceOption(values.source, { given: true }) ?? 'cli';
  const request = {
    source,
    requested_priority,
    justification: values.justification,
    author: authorOption(values.author),
    at_ms: 0,
  };
  const planned: PlannedRequest[] = given.flatMap((name): PlannedRequest[] => {
    // The chain piped in, or why it could not be kept: its line, never submitted.
    if (name === '-')
      return [
        piped!.ok
          ? { ...request, file: piped!.value.path, given_as: '-' }
          : { ...request, file: '-', invalid: piped!.error },
      ];
    return expandFiles([name]).map(({ file, unmatched }) => ({
      ...request,
      file,
      ...(unmatched === undefined
        ? {}
        : {
            invalid: {
              code: 'FILE_NOT_FOUND',
              message: `no file matches the pattern ${file}`,
              file,
            },
          }),
    }));
  });
  const pipedPath = piped?.ok ? piped.value.path : null;
  const warn = (text: string) => out.error(text);
  if (values.manifest === '-') {
    const text = await pipedText(
      'ingest --manifest -',
      'give a manifest FILE, or pipe its lines in (make-manifest | gex-desk ingest --manifest -)',
    );
    planned.push(...readManifest('-', request, warn, text));
  } else if (values.manifest) planned.push(...readManifest(values.manifest, request, warn));
  // Stable: ties keep their order (a refused manifest line is at the at_ms of its place).
  planned.sort((a, b) => a.at_ms - b.at_ms);
  // Nothing to submit (the chain piped in could not be kept, every manifest line refused):
  // said at once, without an engine, which would only delay it (and on a full disk fail).
  if (planned.length > 0 && planned.every((p) => p.invalid))
    return new Report(
      planned.map((p) => Promise.resolve(rejected(p.file, p.invalid!))),
      values,
      out,
      pipedPath,
    ).inOrder(Date.now());

  // Files given at once: one worker starts at once and, while the engine starts, reads the
  // first files ahead (their runs then find them parsed and worked out); the others start
  // when work waits. A manifest replays arrivals over time: every worker starts and
  // warms up at once, so that the first urgent request of a burst does not meet a cold
  // worker started for it. A file on a file system that can stall is not read ahead (a
  // worker held by a read that never returns could not end: stalling-fs.ts).
  const atOnce = values.manifest
    ? {}
    : {
        prewarm: 1,
        readAhead: planned.filter((p) => !p.invalid && !mayStall(p.file)).map((p) => p.file),
      };
  const needs = {
    kind: 'engine',
    options: { workers: int(values.workers, '--workers', 1, MAX_WORKERS), ...atOnce },
    computes: true,
    dataFolder: true,
  } as const;
  const overrides = engineOptions(values);
  // An interrupt while the engine starts (under a second; longer on a cold machine) is
  // taken once it has: nothing is submitted, the engine is let go in order, and the files
  // not submitted are said, as at any later moment (it ended the process silently). One
  // while the command waits for another that holds the database ends the wait at once,
  // with nothing opened (it waited up to GEX_DESK_LOCK_WAIT_MS).
  const early = new AbortController();
  const offEarly = onStopSignal(() => early.abort());
  const stoppedWaiting = (): never => {
    out.error(
      interrupted(
        { stopped: true, unsent: planned.length, sending: new Set(), waiting: new Map() },
        'in-process',
      ),
    );
    process.exit(130);
  };
  try {
    return await withApi(
      { ...overrides, json: values.json },
      out,
      needs,
      async (api, session) => {
        offEarly();
        const progress: Progress = {
          stopped: false,
          unsent: planned.length,
          sending: new Set(),
          waiting: new Map(),
        };
        // What a long wait is doing, on stderr (ingest-status.ts), the files in the order
        // given; everything else written through `out` erases its live line first.
        const status = new IngestStatus(statusOptions(), {
          place: (id) => progress.waiting.get(id),
        });
        const said = status.wrap(out);
        // Beside an app whose queue is paused, the requests wait for Resume: said on stderr.
        const paused = pauseNotice(said, {
          waiting: () => progress.waiting.size,
          mine: (id) => progress.waiting.has(id),
        });
        progress.onWaiting = paused.check;
        // The API of the engine that comes next, when the running one goes away (the app quit
        // or crashed) while requests it took have not ended: closed with the first.
        const { waiter, later } = followingWaiter(api, overrides, needs, said, (a) => {
          paused.watch(a);
          status.watch(a);
        });
        // Closed on a stop: the API the command works through is asked last how its jobs
        // ended (an engine of this process, once it has let them finish; a running engine,
        // which goes on with the others, as they are then).
        const closeAll = () =>
          Promise.all(
            [session, ...later].map((s) =>
              s.close(s.api === waiter.api() ? () => waiter.settle() : undefined),
            ),
          );
        let report: Report | null = null;
        const stop = () => {
          progress.stopped = true;
          // A submission on its way is answered first (milliseconds), so that the count says
          // what the engine took; then said once closed: a running job finishes while its
          // engine shuts down. The lines of the requests that ended by then are printed, and
          // only those that had not are counted (each line is made in the turns that follow
          // its job's end: all of them done before the next check of timers).
          void settled(progress.sending, ANSWER_WAIT_MS)
            .then(closeAll)
            .catch(() => undefined) // interrupted all the same
            .then(() => new Promise((r) => setImmediate(r)))
            .then(() => {
              status.stop();
              report?.interrupted();
              said.error(interrupted(progress, waiter.api().where));
              process.exit(130);
            });
        };
        const offStop = onStopSignal(stop);
        if (early.signal.aborted) stop();
        try {
          // Each request arrives at_ms after the command was given it; one due before the
          // engine could be reached (the database held by another command, the engine
          // starting, or the next engine after one that went away) is submitted at once,
          // with its arrival then.
          const reachedMs = Date.now();
          const turns = new SubmitTurns(planned.length);
          const results = planned.map((p, i) => {
            const dueMs = givenMs + p.at_ms;
            return delay(Math.max(0, dueMs - Date.now())).then(() =>
              runRequest(
                waiter,
                p,
                progress,
                dueMs < reachedMs ? dueMs : null,
                dueMs,
                turns.turn(i),
              ),
            );
          });
          report = new Report(results, values, said, pipedPath);
          return await report.inOrder(givenMs);
        } finally {
          status.stop();
          offStop();
          await Promise.all(later.map((s) => s.close()));
        }
      },
      { signal: early.signal, stopped: stoppedWaiting },
    );
  } finally {
    offEarly();
  }
}

/**
 * The requests' lines, each printed once, in submission order: as each ends (and, without
 * --json, a count when there are several), with the exit code they make; on an interrupt,
 * the lines of every request that has ended so far (the others, not ended, are left out:
 * stderr counts them), so that a script reading stdout knows which files are done.
 */
class Report {
  #ended: (IngestLine | undefined)[];
  /** Lines printed so far, from the first: the next line in order is `#next`'s. */
  #next = 0;
  #printed = new Set<number>();
  #interrupted = false;
  #worst: ExitCode = EXIT.ok;
  #byStatus = new Map<string, number>();

  private readonly results: Promise<IngestLine>[];
  private readonly values: IngestValues;
  private readonly out: Output;
  private readonly pipedPath: string | null;

  constructor(
    results: Promise<IngestLine>[],
    values: IngestValues,
    out: Output,
    pipedPath: string | null,
  ) {
    this.results = results;
    this.values = values;
    this.out = out;
    this.pipedPath = pipedPath;
    this.#ended = results.map(() => undefined);
    results.forEach((r, i) => void r.then((line) => (this.#ended[i] = line)));
  }

  /** Prints each line as it ends, in submission order; the exit code they make. */
  async inOrder(t0: number): Promise<ExitCode> {
    for (; this.#next < this.results.length; this.#next++) {
      const line = await this.results[this.#next]!;
      if (this.#interrupted) return new Promise(() => undefined); // the process is ending
      this.#print(this.#next, line);
    }
    // Several files: how they ended, in one line, after the last one's.
    if (!this.values.json && this.results.length > 1)
      this.out.line(
        `${this.results.length} requests: ${[...this.#byStatus].map(([status, n]) => `${n} ${status}`).join(', ')}; ${seconds(Date.now() - t0)}`,
      );
    return this.#worst;
  }

  /** Interrupted: the lines of the requests that have ended and were not printed yet, in order. */
  interrupted(): void {
    this.#interrupted = true;
    this.#ended.forEach((line, i) => {
      if (line && !this.#printed.has(i)) this.#print(i, line);
    });
  }

  #print(i: number, ended: IngestLine): void {
    this.#printed.add(i);
    const line = asGiven(ended, this.pipedPath);
    const how = cancelled(line) ? 'cancelled' : line.status;
    this.#byStatus.set(how, (this.#byStatus.get(how) ?? 0) + 1);
    if (this.values.json) this.out.json(ingestJson(line));
    else this.out.line(humanLine(line));
    if (line.error && exitFor(line.error) === EXIT.environment) this.#worst = EXIT.environment;
    else if (this.#worst === EXIT.ok && (line.status === 'failed' || line.status === 'rejected'))
      this.#worst = EXIT.rejected;
  }
}

/**
 * A line as the analyst gave its file: "-" for the chain piped in (its file is only this
 * command's), and in its message "the chain piped in" (the engine names it "-", as the
 * job records it; an older engine, by the copy's path).
 */
function asGiven(line: IngestLine, piped: string | null): IngestLine {
  if (piped === null || line.file !== piped) return line;
  const error = line.error && {
    ...line.error,
    message: line.error.message.replaceAll(piped, PIPED_NAME).replace(/^-(?=[\s:])/, PIPED_NAME),
    file: undefined,
  };
  return { ...line, file: '-', ...(error ? { error } : {}) };
}

/** How long an interrupt waits for the answers to submissions already sent. */
const ANSWER_WAIT_MS = 3000;

/** Resolves when every promise has settled, or after `ms`, whichever is first. */
function settled(promises: Iterable<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.allSettled(promises).then(() => undefined),
    new Promise<void>((r) => (timer = setTimeout(r, ms))),
  ]).finally(() => clearTimeout(timer));
}

/** The line an interrupted ingest leaves on stderr: what became of what it had not finished. */
function interrupted(p: Progress, where: ApiClient['where']): string {
  const parts = [`gex-desk: interrupted.`];
  const n = p.waiting.size;
  const unanswered = p.sending.size;
  if (n > 0)
    parts.push(
      where === 'running-engine'
        ? `${counted(n, 'request')} submitted had not ended: the running engine goes on with them (its Queue view, gex-desk jobs).`
        : `${counted(n, 'request')} submitted had not ended: they stay queued, nothing is lost, and run the next time GEX Desk (the app or gex-desk serve) runs on this database, or with gex-desk queue --drain.`,
    );
  if (unanswered > 0)
    parts.push(
      `${unanswered} request${unanswered === 1 ? ' was' : 's were'} sent with no answer yet: gex-desk jobs shows whether ${unanswered === 1 ? 'it was' : 'they were'} taken.`,
    );
  if (p.unsent > 0)
    parts.push(`${p.unsent} file${p.unsent === 1 ? ' was' : 's were'} not submitted.`);
  return parts.join(' ');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
