// What `gex-desk ingest` and `gex-desk jobs retry` say on stderr while they wait for their
// jobs (QA fmt F1: a 1,000,000-contract file ran 5 minutes with nothing on either stream,
// and looked hung; a retry said nothing at all). stdout is the contract (one JSON line a
// request or job, CONTRACTS.md) and is left alone. On a terminal: one live status line —
// the first of the command's files not ended (in the command's order), its state (queued
// at its level, reading, computing with the engine's progress, storing) and its time since
// the wait began (its arrival; for a retry, the retry), and how many more have not ended —
// redrawn in place and erased before any other output and at the end. Not on a terminal
// (a log): a plain line for a file still not ended `firstMs` after the wait began (10 s),
// then every `everyMs` (30 s). A fast command says nothing either way: the live line only
// shows after a second. The state comes from the engine's job:updated events, which carry
// the progress the Queue view shows; no call of its own.
import { basename } from 'node:path';
import { isStoring, TERMINAL_STATUSES, type ProcessingJob } from '../../../shared/domain.ts';
import { visible } from '../../../shared/visible.ts';
import type { ApiClient } from './api-client.ts';
import { envNumberOr } from '../../engine/env.ts';
import { streamWriter, type Output } from './io.ts';

/** The live line waits this long (or `firstMs`, when shorter), so that a fast ingest never shows one. */
const LIVE_AFTER_MS = 1000;
/** How often the live line is redrawn. */
const LIVE_EVERY_MS = 250;

export interface StatusOptions {
  /** stderr is a terminal: the live line; else plain lines. */
  tty: boolean;
  /** Plain lines: the first for a file not ended this long after its wait began… */
  firstMs: number;
  /** …then one each this long. */
  everyMs: number;
  /** Raw writes to stderr (the live line's carriage returns and erasing). */
  write: (text: string) => void;
  /** The terminal's width (the live line is cut to it, so that it never wraps). */
  columns?: () => number | undefined;
  now?: () => number;
}

/**
 * The command's own stderr: the status line on a terminal; else a plain line for a file
 * still running after GEX_DESK_PROGRESS_MS (10 s), then every three times that (30 s).
 */
export function statusOptions(): StatusOptions {
  const firstMs = envNumberOr(process.env, 'GEX_DESK_PROGRESS_MS');
  return {
    tty: process.stderr.isTTY === true,
    firstMs,
    everyMs: 3 * firstMs,
    // Raw: the live line's carriage return and erasing; a reader gone stops it quietly.
    write: streamWriter(process.stderr),
    columns: () => process.stderr.columns,
  };
}

/** The jobs a command waits for, as the status tells them. */
export interface WaitedJobs {
  /**
   * The job's place among the command's own (its file's, in the command's order: the
   * live line names the first not ended), or undefined when the command does not wait
   * for it (another's, or one it has seen end).
   */
  place(jobId: string): number | undefined;
  /** When the command's wait for the job began (epoch ms); by default its arrival. */
  since?(job: ProcessingJob): number;
}

/** A job's state, in words: `queued at HIGH`, `reading`, `computing 60%`, `storing`. */
export function stateOf(job: ProcessingJob): string {
  if (job.status === 'queued') return `queued at ${job.effective_priority ?? job.priority}`;
  if (job.status === 'deciding') return 'reading';
  if (isStoring(job)) return 'storing';
  // The run reports its first progress once its chain is read (pipeline/index.ts: 40%).
  if (job.progress === null || job.progress === undefined) return 'reading';
  return `computing ${Math.round(job.progress * 100)}%`;
}

const seconds = (ms: number): string => `${Math.max(0, Math.floor(ms / 1000))} s`;

export class IngestStatus {
  /** The latest event of each job not ended, in the order first seen. */
  #jobs = new Map<string, ProcessingJob>();
  /** Plain lines: when each job's next one is due. */
  #due = new Map<string, number>();
  #current: ApiClient | null = null;
  #timer: NodeJS.Timeout | null = null;
  #shown = false;
  #started: number;
  readonly #opts: StatusOptions;
  readonly #waited: WaitedJobs;
  readonly #now: () => number;
  readonly #liveAfterMs: number;

  constructor(opts: StatusOptions, waited: WaitedJobs) {
    this.#opts = opts;
    this.#waited = waited;
    this.#now = opts.now ?? Date.now;
    this.#started = this.#now();
    this.#liveAfterMs = Math.min(LIVE_AFTER_MS, opts.firstMs);
    const every = Math.min(opts.tty ? LIVE_EVERY_MS : 1000, opts.firstMs);
    this.#timer = setInterval(() => this.tick(), every);
    this.#timer.unref();
  }

  /** Follows the jobs of `api` from now on (the engine that came next, after one went away). */
  watch(api: ApiClient): void {
    this.#current = api;
    api.on('job:updated', (job) => {
      if (api !== this.#current) return;
      if (TERMINAL_STATUSES.has(job.status)) {
        this.#jobs.delete(job.id);
        this.#due.delete(job.id);
      } else if ((this.#jobs.get(job.id)?.revision ?? -1) <= job.revision)
        this.#jobs.set(job.id, job);
    });
  }

  /** `out` with the live line erased before anything else is written. */
  wrap(out: Output): Output {
    const clear =
      <A extends unknown[]>(f: (...a: A) => void) =>
      (...a: A) => {
        this.#erase();
        f(...a);
      };
    return {
      line: clear((t: string) => out.line(t)),
      json: clear((v: unknown) => out.json(v)),
      error: clear((t: string) => out.error(t)),
      bytes: clear((d: string | Uint8Array) => out.bytes(d)),
    };
  }

  /**
   * The command's jobs not ended, that it waits for, in the command's order (the order
   * their events first came is the engine's: a file decided first, or read ahead, came
   * before the command's first file, and the live line named it as the first).
   */
  #open(): ProcessingJob[] {
    return [...this.#jobs.values()]
      .map((job) => ({ job, place: this.#waited.place(job.id) }))
      .filter((j): j is { job: ProcessingJob; place: number } => j.place !== undefined)
      .sort((a, b) => a.place - b.place)
      .map(({ job }) => job);
  }

  /** When the command's wait for `job` began (epoch ms). */
  #since(job: ProcessingJob): number {
    return this.#waited.since?.(job) ?? Date.parse(job.submitted_at);
  }

  /** Once a timer's turn (exported for tests): draws the live line, or says what is due. */
  tick(): void {
    const now = this.#now();
    const open = this.#open();
    if (this.#opts.tty) {
      if (open.length === 0 || now - this.#started < this.#liveAfterMs) return this.#erase();
      const first = open[0]!;
      const more = open.length > 1 ? ` (${open.length - 1} more not ended)` : '';
      const text = `gex-desk: ${visible(basename(first.file))}: ${stateOf(first)}, ${seconds(now - this.#since(first))}${more}`;
      const width = this.#opts.columns?.() ?? 0;
      const cut = width > 1 && text.length >= width ? `${text.slice(0, width - 2)}…` : text;
      this.#opts.write(`\r\x1b[K${cut}`);
      this.#shown = true;
      return;
    }
    for (const job of open) {
      const began = this.#since(job);
      const due = this.#due.get(job.id) ?? began + this.#opts.firstMs;
      if (now < due) {
        this.#due.set(job.id, due);
        continue;
      }
      this.#due.set(job.id, now + this.#opts.everyMs);
      this.#opts.write(
        `gex-desk: ${visible(basename(job.file))} running ${seconds(now - began)} (${stateOf(job)})\n`,
      );
    }
  }

  #erase(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#opts.write('\r\x1b[K');
  }

  /** Stops, the live line erased. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#erase();
  }
}
