// The watched inbox: a folder analysts and scripts drop files into. Polling (not
// fs.watch, which misses events on network shares and fires mid-write) finds files;
// a file is taken only once it is complete — size and mtime unchanged over two
// consecutive polls and for QUIET_MS, and openable — and never while it is still being written
// (dotfiles, partial downloads, `*.tmp`, lock files, and `*.reason.txt`, its own notes, are
// ignored: IGNORED). A folder dropped in brings its files: each is taken on its own, once
// complete, and keeps its folder (`batch/a.csv` goes to `processing/batch/a.csv`, then
// `done/batch/a.csv`); the emptied folder is left. A taken file is moved to `processing/` first, so that it is
// submitted exactly once even across restarts, then to `done/` or `failed/` (with
// `<name>.reason.txt` beside it, written first) when its job ends; a retried job's file follows
// its new end (failed/ → done/, its note removed; or failed/ with the new reason). done/ holds
// only what its job ran on: a file emptied or overwritten in processing/ after it was taken
// goes to failed/, FILE_CHANGED (taken-file.ts). Such a file, and one refused at the door
// (no request made of it), is told to `onSetAside` once moved, for the audit trail
// (inbox-audit.ts): a failed job's file is told there by its job's own entries. A name that already exists there, or
// that another file is being moved to, gets a suffix: no file is ever lost. A file refused for the machine's sake, not its own
// (a full disk: `AppError.transient`), is not failed: it goes back into the inbox, held,
// and is tried again after a while (10 s, doubling to 5 min), until it is taken. What keeps
// the inbox from taking files (a share gone, a read-only folder, a file it may not move or read) is
// said once, as its `problem`, not at every poll. On a file system that can stall (a
// network share: stalling-fs.ts) each poll, and each touch of the folder outside one (the
// start's work, the move of an ended job's file, a file put back, a retried job's file
// followed), first asks whether the folder answers (`silent`: a fresh probe in a copier
// process, attached-probe.ts); one that does not is not touched at all (its poll skipped,
// the moves of ended jobs put off) and said as the problem, with the code NOT_ANSWERING,
// until it answers again: a call to such a share holds the engine's thread. What remains is
// a share that stops between a probe's answer and the calls that follow it (milliseconds).
import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { HeldFiles, SubmitAck } from '../../../shared/api.ts';
import { TERMINAL_STATUSES, type ProcessingJob } from '../../../shared/domain.ts';
import type { FileIdentity } from '../../../shared/copier.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import { visible } from '../../../shared/visible.ts';
import type { Logger } from '../log.ts';
import { makeDirs } from '../make-dirs.ts';
import { settledBy } from '../settled-by.ts';
import {
  errnoWords,
  filesUnder,
  isLink,
  LINKED,
  linkedFolder,
  linkIn,
  tooDeepOf,
  deepWords,
  notAFolder,
  notAnswering,
  type NotAFile,
  type TooDeep,
  unreadable,
  unusable,
  waitingFiles,
} from './inbox-folder.ts';
import {
  checkFileName,
  fitName,
  inboxSourceOf,
  NAME_MAX,
  NOTE_ENDING,
  reasonNote,
  safeFailedName,
} from './inbox-names.ts';
import { identityOf } from './capture-copy.ts';
import { CHANGED_AFTER_TAKEN, lexists, noteDroppedAs, noteJob } from './inbox-refused.ts';
import { changedSince, type Taken, takenAs } from './taken-file.ts';

export interface InboxOptions {
  dir: string;
  /**
   * Submits one file (the engine's submit flow); the path is inside `processing/`,
   * `source` the one it was sent by (inboxSourceOf: its sub-folder, else `inbox`), and
   * `inbox` this inbox's folder, which the job records (found again at the next start),
   * `seen` the file as the inbox took it (its device and inode): the capture reads that
   * file or none, never a link or another file put in its place in processing/.
   */
  submit: (
    file: string,
    source: string,
    inbox: string,
    seen: FileIdentity,
  ) => Promise<Result<SubmitAck>>;
  /** Optional: the latest job of a file, to settle files left in `processing/` by a previous run. */
  findJob?: (file: string) => Promise<ProcessingJob | undefined>;
  pollMs?: number;
  /**
   * How long a file's size and mtime must stay the same before it is taken (default
   * QUIET_MS), beside two polls: a writer that pauses for a second between its pieces (a
   * vendor's script, a slow share) was taken half written, and its first rows stored as a
   * completed snapshot.
   */
  quietMs?: number;
  /** The first wait before a held file is tried again (it doubles, to HOLD_MAX_MS). */
  holdMs?: number;
  log?: Logger;
  /**
   * Told after a file moved (into processing/, done/ or failed/, or back into the inbox,
   * held), when the files waiting in the inbox changed in number, or when the folder could
   * no longer (or again) be read: what the inbox's status says changed.
   */
  onMoved?: () => void;
  /**
   * Told where a job's file is moving (done/, failed/), and awaited before it moves: a crash
   * between the two leaves a job naming done/ beside its file still in processing/, which
   * the next start submits again (a duplicate), never a job naming processing/ — which a
   * new file of the same name there would have been taken for, and moved unread.
   */
  onSettled?: (jobId: string, file: string) => Promise<void> | void;
  /**
   * Told, and awaited, once a file lies in failed/ that no audit entry of a failed job or
   * rejected request tells of: one changed in processing/ after it was taken (its job
   * completed, on the bytes taken) or one refused at the door (no request made of it).
   */
  onSetAside?: (aside: SetAside) => Promise<void> | void;
  /** This process's clock, for the quiet period and holds (default Date.now; tests set it). */
  clock?: () => number;
  /**
   * Whether the folder answers, asked before each poll: null when it does (at once for a
   * local folder), else why not ("did not answer within 3 s (a stalled network share?)").
   * The engine's asks a probe in a copier process (inbox-control.ts); absent: never asked.
   */
  silent?: (dir: string) => Promise<string | null>;
}

/** A file the inbox moved to failed/ of its own accord (`onSetAside`). */
export interface SetAside {
  /** Where it lies now, whole. */
  file: string;
  /** Where it lay and where it lies now, relative to the inbox (`processing/x.csv` → `failed/x.csv`). */
  from: string;
  to: string;
  /** Its note, relative to the inbox; null when it could not be written. */
  note: string | null;
  /** Why: FILE_CHANGED, or the refusal (NOT_A_FILE, INVALID_REQUEST…). */
  error: AppError;
  /** The job that ran on it (FILE_CHANGED); null for a file refused at the door. */
  jobId: string | null;
}

/** Whose a file is: its job's (none for a rejected request), its request's. */
interface Owner {
  job: string | null;
  request: string;
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen (this process's clock: a share's may differ). */
  sinceMs: number;
}

/** The default quiet period of a file before it is taken (see `quietMs`). */
const QUIET_MS = 2000;

/** A file put back after a transient refusal: why, how often, and when it is tried again. */
interface Hold {
  error: AppError;
  tries: number;
  untilMs: number;
}

/** What an ended job ran on: its content's hash and when it arrived (null when unknown). */
interface Ran {
  hash: string | null;
  at: string | null;
}

/** How often processing/ is looked at for files put there by hand (#adoptStrays). */
const STRAY_MS = 5000;

/** The longest wait before a held file is tried again. */
const HOLD_MAX_MS = 5 * 60_000;
/** Why a file could not be taken, when the inbox is on a read-only file system (see `problem`). */
const READ_ONLY = 'read-only file system';
/** Why a file could not be taken, when this process may not read it (mode 0000, another user's 0600). */
const CANNOT_READ = 'permission denied: GEX Desk cannot read it';

/** Whether something else than a folder (a file, a link to one) lies at `path`. */
function isNotAFolder(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Removes a file of ours; one that stays is no harm to the caller. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // stays
  }
}

export class Inbox {
  readonly dir: string;
  readonly processingDir: string;
  readonly doneDir: string;
  readonly failedDir: string;
  #opts: InboxOptions;
  #now = (): number => (this.#opts.clock ?? Date.now)();
  #seen = new Map<string, Seen>();
  /** Files waiting at the last poll (the count shown beside the folders'). */
  #waiting = 0;
  /** Files in processing/ whose job has not ended yet. */
  #pending = new Set<string>();
  /** Files just taken into processing/, their device and inode as taken (#take), until submitted. */
  #identity = new Map<string, FileIdentity>();
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #submits = new Set<Promise<void>>();
  /** Why the folder could not be read or used at the last poll; null when it could. */
  #problem: string | null = null;
  /** Files found complete that could not be moved into processing/, and why. */
  #stuck = new Map<string, string>();
  /** Sub-folders of the inbox it may not read at the last poll (relative to it): their files wait unseen. */
  #denied = new Set<string>();
  /** Files in folders deeper than MAX_DEPTH at the last poll (never taken): how many, and the first folder. */
  #tooDeep: TooDeep | null = null;
  /** Whether processing/, done/ and failed/ are made. */
  #ready = false;
  /** Held files by their path relative to the inbox. */
  #held = new Map<string, Hold>();
  /** Files this run took into processing/, as they were then (taken-file.ts), until they move on. */
  #taken = new Map<string, Taken>();
  /** Files of processing/ being moved to done/ or failed/ (their jobs' paths written first). */
  #finishing = new Set<string>();
  /** Files of processing/ whose jobs ended while the inbox was gone: moved once it is back. */
  #unsettled = new Map<string, { error: AppError | null; owner: Owner | null; ran: Ran | null }>();
  /**
   * Files of processing/ whose job ended but that could not be moved to done/ or failed/
   * (the inbox there), and why: said as the inbox's problem until moved (tried again at the
   * next start), never left unsaid in processing/.
   */
  #unmoved = new Map<string, { to: string; why: string }>();
  /** Files found in processing/ that the inbox did not put there, by path (#adoptStrays). */
  #strays = new Map<string, Seen>();
  /** When processing/ was last looked at for them. */
  #strayCheckMs = 0;
  /** Names in done/ and failed/ being moved to: no other file is given one meanwhile. */
  #reserved = new Set<string>();
  #stopped = false;
  /** Why the folder did not answer at the last look (`silent`); null when it did. */
  #silent: string | null = null;
  /** Whether the start's work (its folders made, processing/ settled) is done: put off while it does not answer. */
  #begun = false;

  constructor(opts: InboxOptions) {
    this.#opts = opts;
    this.dir = resolve(opts.dir);
    this.processingDir = join(this.dir, 'processing');
    this.doneDir = join(this.dir, 'done');
    this.failedDir = join(this.dir, 'failed');
  }

  /** Creates the folders, settles files a previous run left in processing/, and starts polling. */
  async start(): Promise<void> {
    // A folder that does not answer is begun with at the first poll that it does.
    if (await this.#answers()) await this.#begin();
    const every = this.#opts.pollMs ?? 500;
    const loop = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        void this.poll().finally(loop);
      }, every);
    };
    loop();
  }

  /** The start's work on the folder: its own folders made, the files left in processing/ settled. */
  async #begin(): Promise<void> {
    this.#begun = true;
    // A folder that cannot be used yet does not keep the engine from starting: it says why,
    // and is tried at every poll.
    this.#prepare(true);
    // All pending before the first look-up: a job that ends while the others are looked up
    // (the scheduler already runs) is moved by onJobUpdated, not lost until the next start.
    await this.#adopt(filesUnder(this.processingDir).map((name) => join(this.processingDir, name)));
  }

  /**
   * Whether the folder answers (`silent`); a change is said once (logged and announced).
   * Once it answers again, the files whose jobs ended meanwhile are moved.
   */
  async #answers(): Promise<boolean> {
    const silent = (await this.#opts.silent?.(this.dir)) ?? null;
    if (silent === this.#silent) return silent === null;
    this.#silent = silent;
    if (silent !== null)
      this.#opts.log?.warn('inbox.not_answering', { dir: this.dir, why: silent });
    else {
      this.#opts.log?.info('inbox.answering', { dir: this.dir });
      if (this.#begun) this.#settleUnsettled();
    }
    this.#opts.onMoved?.();
    return silent === null;
  }

  /** False while the folder does not answer (on a stalled share): the problem says so, NOT_ANSWERING. */
  get answering(): boolean {
    return this.#silent === null;
  }

  /**
   * Files of processing/ the inbox is not following: left by a previous run (at the start),
   * or put there by hand since (copied in, renamed there) — counted as processing, and never
   * taken, until the next start. Each is settled by its job: moved when it ended, submitted
   * when it has none, else moved when its job ends (one recovered from the previous run, or
   * a file submitted from processing/ by hand).
   */
  async #adopt(paths: readonly string[]): Promise<void> {
    // All pending before the first look-up: a job that ends while the others are looked up
    // (the scheduler already runs) is moved by onJobUpdated, not lost until the next start.
    for (const path of paths) this.#pending.add(path);
    for (const path of paths) {
      if (!this.#pending.has(path) || this.#finishing.has(path)) continue; // ended meanwhile
      const job = await this.#opts.findJob?.(path);
      if (job && TERMINAL_STATUSES.has(job.status)) this.onJobUpdated(job);
      else if (this.#opts.findJob && !job) this.#track(this.#submit(path));
    }
  }

  /**
   * The files of processing/ put there by hand while the inbox runs (not taken, not being
   * moved, not left unmoved), once each has kept its size and mtime for the quiet period, as
   * a file dropped in must: looked for every STRAY_MS, not at every poll.
   */
  async #adoptStrays(): Promise<void> {
    if (!this.#opts.findJob || this.#now() - this.#strayCheckMs < STRAY_MS) return;
    this.#strayCheckMs = this.#now();
    let names: string[];
    try {
      names = filesUnder(this.processingDir);
    } catch {
      return; // the folder's problem is the poll's to say
    }
    const ready: string[] = [];
    const present = new Set<string>();
    for (const name of names) {
      const path = join(this.processingDir, name);
      if (this.#pending.has(path) || this.#finishing.has(path) || this.#unmoved.has(path)) continue;
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      present.add(path);
      const before = this.#strays.get(path);
      if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs)
        this.#strays.set(path, { size: st.size, mtimeMs: st.mtimeMs, sinceMs: this.#now() });
      else if (this.#now() - before.sinceMs >= (this.#opts.quietMs ?? QUIET_MS)) ready.push(path);
    }
    for (const path of [...this.#strays.keys()])
      if (!present.has(path) || ready.includes(path)) this.#strays.delete(path);
    if (ready.length === 0) return;
    this.#opts.log?.info('inbox.strays', { count: ready.length, first: ready[0] });
    await this.#adopt(ready);
  }

  /**
   * Stops polling and waits for submissions in progress, until `deadlineMs` at most (a
   * file on a stalled share must not keep the app from quitting; what was not yet
   * acknowledged stays in processing/ and is submitted again at the next start).
   */
  async stop(deadlineMs = Infinity): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await settledBy(
      (async () => {
        await this.#polling;
        await Promise.all([...this.#submits]);
      })(),
      deadlineMs,
    );
  }

  /** One look at the folder; submits the files found complete. (Runs on a timer; tests call it directly.) */
  poll(): Promise<void> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = null;
    });
    return this.#polling;
  }

  /**
   * What keeps the inbox from taking files, in words: the folder could not be read at the
   * last poll (a network share gone, the folder moved or deleted), or used (read-only), or
   * files in it could not be moved into processing/ (another user's, on a shared folder);
   * null when nothing does.
   */
  get problem(): string | null {
    if (this.#silent !== null) return notAnswering(this.dir, this.#silent);
    if (this.#problem !== null) return this.#problem;
    const [first] = this.#stuck;
    const folders = this.#deniedProblem();
    if (!first) return folders ?? this.#unmovedProblem() ?? deepWords(this.dir, this.#tooDeep);
    // A share remounted read-only: no rights of the files' would help, the folder must change.
    if (first[1] === READ_ONLY) return unusable(this.dir, { code: 'EROFS' });
    // Each kind said with its own remedy: the first file's, the other kind counted after it.
    const alike = [...this.#stuck].filter(
      ([, why]) => (why === CANNOT_READ) === (first[1] === CANNOT_READ),
    );
    const others = alike.length - 1;
    const rest = this.#stuck.size - alike.length;
    const files = `${first[0]}${others ? ` and ${others} other file${others > 1 ? 's' : ''}` : ''} in the inbox ${this.dir}`;
    const said =
      first[1] === CANNOT_READ
        ? `${files} cannot be taken (${CANNOT_READ}): have its owner let GEX Desk read it (its permissions), or copy it in again yourself; it is taken once it can be read.`
        : `${files} cannot be moved into processing/ (${first[1]}): GEX Desk moves each file it takes, so it needs the right to: copy the file in again yourself, or have the folder's rights changed.`;
    if (!rest) return folders ? `${said} ${folders}` : said;
    const why =
      first[1] === CANNOT_READ
        ? 'cannot be moved into processing/'
        : `cannot be read (${CANNOT_READ})`;
    const all = `${said} ${rest} other file${rest > 1 ? 's' : ''} ${why}.`;
    return folders ? `${all} ${folders}` : all;
  }

  /** The sub-folders that could not be read at the last poll, in words; null when none. */
  #deniedProblem(): string | null {
    const [first] = this.#denied;
    if (first === undefined) return null;
    const others = this.#denied.size - 1;
    return `${join(this.dir, first)}${sep}${others ? ` and ${others} other folder${others > 1 ? 's' : ''}` : ''} in the inbox cannot be read (${CANNOT_READ}): its files are not taken until it can be read. Have its owner let GEX Desk read it (its permissions), or copy its files in again yourself.`;
  }

  /**
   * Whether the problem, if any, stops every file: the folder could not be read or used, or
   * is read-only; files too deep, or that it may not move, stop only themselves.
   */
  get takes(): boolean {
    const [first] = this.#stuck;
    return this.#silent === null && this.#problem === null && first?.[1] !== READ_ONLY;
  }

  /** The first file of processing/ whose job ended that could not be moved, in words; null when none. */
  #unmovedProblem(): string | null {
    let first: [string, { to: string; why: string }] | null = null;
    let count = 0;
    for (const [path, u] of this.#unmoved) {
      if (!existsSync(path)) continue; // moved by hand, or settled since
      count++;
      first ??= [path, u];
    }
    if (!first) return null;
    const [path, { to, why }] = first;
    const others = count - 1;
    return `${relative(this.processingDir, path)}${others ? ` and ${others} other file${others > 1 ? 's' : ''}` : ''} in ${this.processingDir} could not be moved to ${to}/ once its job ended (${why}); its job names it where it lies. It is tried again at the next start; move it yourself meanwhile if need be.`;
  }

  /** The files held after a transient refusal and still in the inbox; null when none. */
  held(): HeldFiles | null {
    let latest: Hold | null = null;
    let next = Infinity;
    let count = 0;
    for (const [name, hold] of this.#held) {
      // Taken, or moved away by the analyst (not looked at while the folder does not answer).
      if (this.#silent === null && !existsSync(join(this.dir, name))) continue;
      count++;
      next = Math.min(next, hold.untilMs);
      if (!latest || hold.untilMs > latest.untilMs) latest = hold;
    }
    if (!latest) return null;
    return { count, reason: latest.error.message, retry_at: new Date(next).toISOString() };
  }

  /** Files in processing/ whose job has not ended yet (a retired inbox lives until none is left). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Moves a file whose job has ended; call with every `job:updated` (others are ignored). */
  onJobUpdated(job: ProcessingJob): void {
    if (!TERMINAL_STATUSES.has(job.status)) return;
    if (!this.#pending.has(job.file)) return this.#followRetry(job);
    // A job that ended failed for the machine (a one-shot engine does not wait for it) is a
    // failed job all the same: its file goes where its job names it, and a retry of that job
    // runs it. Put back into the inbox, it was taken again as a second job of the same bytes,
    // beside a failed one still naming processing/. (A refusal at submission stores no job:
    // that file is held, #submit.)
    if (job.status === 'completed' || job.status === 'duplicate')
      this.#finish(
        job.file,
        null,
        { job: job.id, request: job.request_id },
        { hash: job.content_hash, at: job.submitted_at },
      );
    else
      this.#finish(
        job.file,
        job.error ?? { code: 'CANCELLED', message: `the job ended ${job.status}` },
        { job: job.id, request: job.request_id },
      );
  }

  /**
   * A retried job whose file lies in failed/ has ended again: its file follows — to done/
   * when it completed (its note removed), else it stays, with the new reason. Only the
   * file whose note names this job: a file of that name another job or the inbox put there
   * (or one the analyst submitted from failed/ by hand) is not its.
   */
  #followRetry(job: ProcessingJob): void {
    const path = job.file;
    if (!path.startsWith(this.failedDir + sep) || this.#finishing.has(path)) return;
    this.#finishing.add(path);
    void (async () => {
      // Its folder asked first: on a share that does not answer, the file stays in failed/
      // with its former note (its job says how it ended).
      if (!(await this.#answers())) {
        this.#opts.log?.warn('inbox.retry_not_followed', { file: path, job_id: job.id });
        return;
      }
      if (!lexists(path) || noteJob(`${path}.reason.txt`) !== job.id) return;
      await this.#refollow(path, job);
    })().finally(() => this.#finishing.delete(path));
  }

  async #refollow(path: string, job: ProcessingJob): Promise<void> {
    const note = `${path}.reason.txt`;
    if (job.status !== 'completed' && job.status !== 'duplicate') {
      const error = job.error ?? { code: 'CANCELLED', message: `the job ended ${job.status}` };
      const droppedAs = noteDroppedAs(note);
      const text = reasonNote(error, path, path, this.failedDir, job.id, droppedAs);
      if (this.#writeReason(text, path)) {
        this.#opts.log?.info('inbox.refailed', { file: path, job_id: job.id });
        this.#opts.onMoved?.();
      }
      return;
    }
    const name = relative(this.failedDir, path);
    let target = join(this.doneDir, name);
    let reserved = false;
    try {
      target = this.#unique(this.doneDir, name);
      this.#reserved.add(target);
      reserved = true;
      await this.#opts.onSettled?.(job.id, target);
      renameSync(path, target);
    } catch (e) {
      if (reserved)
        await Promise.resolve(this.#opts.onSettled?.(job.id, path)).catch(() => undefined);
      this.#opts.log?.error('inbox.move_failed', { file: path, to: target, error: String(e) });
      return;
    } finally {
      if (reserved) this.#reserved.delete(target);
    }
    removeQuietly(note);
    this.#opts.onMoved?.();
    this.#opts.log?.info('inbox.moved', { file: name, from: this.failedDir, to: target });
  }

  async #poll(): Promise<void> {
    // A folder that does not answer is not touched: a call to it would hold this thread.
    if (!(await this.#answers())) return;
    if (!this.#begun) await this.#begin();
    let files: string[];
    const deep: string[] = [];
    const denied = new Set<string>();
    try {
      files = waitingFiles(
        this.dir,
        (link, kind) => this.#refuseLink(link, kind),
        Infinity,
        (folder) => void deep.push(folder),
        (folder, e) => {
          denied.add(folder);
          if (!this.#denied.has(folder))
            this.#opts.log?.warn('inbox.read_denied', { folder, error: String(e) });
        },
      );
    } catch (e) {
      return this.#report('inbox.unreadable', unreadable(this.dir, e), e);
    }
    if (!this.#prepare(false)) return;
    if (this.#problem !== null) {
      this.#problem = null;
      this.#opts.log?.info('inbox.readable', { dir: this.dir });
      this.#opts.onMoved?.();
      this.#settleUnsettled();
    } else if (this.#unsettled.size > 0) {
      // Put off by a probe that did not answer while another found it answering again.
      this.#settleUnsettled();
    }
    const present = new Set<string>();
    for (const name of files) {
      let st;
      try {
        st = lstatSync(join(this.dir, name));
      } catch {
        continue; // gone between readdir and stat
      }
      present.add(name);
      const before = this.#seen.get(name);
      if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs) {
        this.#seen.set(name, { size: st.size, mtimeMs: st.mtimeMs, sinceMs: this.#now() });
        continue;
      }
      if (this.#now() - before.sinceMs < (this.#opts.quietMs ?? QUIET_MS)) continue;
      if ((this.#held.get(name)?.untilMs ?? 0) > this.#now()) continue;
      if (!this.#openable(name)) continue;
      const taken = this.#take(name);
      this.#seen.delete(name);
      if (taken) this.#track(this.#submit(taken));
    }
    for (const name of [...this.#seen.keys()]) if (!present.has(name)) this.#seen.delete(name);
    for (const name of [...this.#stuck.keys()])
      if (!present.has(name)) {
        this.#stuck.delete(name); // taken away
        this.#opts.onMoved?.();
      }
    // A held file the analyst took away is forgotten (one taken again is pending meanwhile).
    for (const name of [...this.#held.keys()])
      if (!present.has(name) && !this.#pending.has(join(this.processingDir, name)))
        this.#held.delete(name);
    if ([...denied].join('\0') !== [...this.#denied].join('\0')) {
      this.#denied = denied;
      this.#opts.onMoved?.();
    }
    const tooDeep = tooDeepOf(this.dir, deep);
    if (tooDeep?.count !== this.#tooDeep?.count || tooDeep?.first !== this.#tooDeep?.first) {
      this.#tooDeep = tooDeep;
      this.#opts.onMoved?.();
    }
    if (files.length !== this.#waiting) {
      this.#waiting = files.length;
      this.#opts.onMoved?.();
    }
    await this.#adoptStrays();
  }

  /**
   * Refuses, at the door, what is not a regular file: a symbolic link, or a pipe, socket or
   * device, moved to failed/ with its note (a rename: it is never opened — a pipe's open
   * would wait for a writer), not left in the inbox unsaid for ever.
   */
  #refuseLink(name: string, kind: NotAFile): void {
    const path = join(this.dir, name);
    this.#pending.add(path);
    this.#finish(path, {
      code: 'NOT_A_FILE',
      message:
        kind === 'link'
          ? `${visible(name)} is a symbolic link; the inbox takes only regular files (copy the file itself in)`
          : `${visible(name)} is not a regular file (a device, a pipe or a socket); the inbox takes only regular files`,
    });
    this.#opts.log?.warn(kind === 'link' ? 'inbox.symlink_refused' : 'inbox.special_refused', {
      file: name,
    });
  }

  /**
   * Whether a complete file can be read, as its capture must. One refused for its rights
   * (mode 0000, another user's 0600 on a shared folder) is said once, as the problem of a
   * file that cannot be moved is (#stuck), and taken once it can be read; a file still held
   * by its writer (Windows: EBUSY; EPERM there is a file being deleted) is only waited for.
   */
  #openable(name: string): boolean {
    try {
      closeSync(openSync(join(this.dir, name), 'r'));
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      const denied = code === 'EACCES' || (code === 'EPERM' && process.platform !== 'win32');
      if (denied && this.#stuck.get(name) !== CANNOT_READ) {
        this.#stuck.set(name, CANNOT_READ);
        this.#opts.log?.warn('inbox.read_denied', { file: name, error: String(e) });
        this.#opts.onMoved?.();
      }
      return false;
    }
  }

  /**
   * Makes the inbox's own folders (at start the inbox too: a first run); false when they
   * cannot be made (a read-only share, no permission), the problem said. A folder that is
   * gone is not made again after the start (see `unreadable`).
   */
  #prepare(atStart: boolean): boolean {
    if (!this.#ready) {
      if (!atStart && !existsSync(this.dir)) return false;
      for (const d of [this.dir, this.processingDir, this.doneDir, this.failedDir]) {
        try {
          makeDirs(d);
        } catch (e) {
          // A file where one of its own folders should be is that file's problem, not the
          // inbox's: it is named, with what to do.
          const sub = d !== this.dir && isNotAFolder(d);
          this.#report('inbox.unusable', sub ? notAFolder(this.dir, d) : unusable(this.dir, e), e);
          return false;
        }
      }
      this.#ready = true;
    }
    // A symbolic link in place of one of its own folders (put there at any time) is never
    // followed: nothing is taken, at each poll, until a folder is there (linkedFolder). Its
    // folders are made again then (the link moved away leaves none).
    const link = linkIn(this.dir);
    if (link) {
      this.#ready = false;
      this.#report('inbox.linked', linkedFolder(this.dir, link), link);
      return false;
    }
    return true;
  }

  /** A problem of the folder, said once (logged and announced), not at every poll: a share can stay away all weekend. */
  #report(event: string, problem: string, e: unknown): void {
    if (problem === this.#problem) return;
    this.#problem = problem;
    this.#opts.log?.warn(event, { dir: this.dir, error: String(e) });
    this.#opts.onMoved?.();
  }

  /** Moves a complete file into processing/; null when it could not be moved (tried again next poll). */
  #take(name: string): string | null {
    try {
      const target = this.#unique(this.processingDir, name);
      const from = join(this.dir, name);
      // What is taken, as it lies here (a link not followed): the capture reads this file or none.
      const seen = lstatSync(from, { bigint: true });
      renameSync(from, target);
      this.#identity.set(target, identityOf(seen));
      const taken = takenAs(target);
      if (taken) this.#taken.set(target, taken);
      this.#stuck.delete(name);
      this.#opts.onMoved?.();
      return target;
    } catch (e) {
      // Said once a file, not at every try (a file another user owns on a shared folder).
      const why = (e as NodeJS.ErrnoException)?.code === 'EROFS' ? READ_ONLY : errnoWords(e);
      if (this.#stuck.get(name) !== why) {
        this.#stuck.set(name, why);
        this.#opts.log?.warn('inbox.take_failed', { file: name, error: String(e) });
        this.#opts.onMoved?.();
      }
      return null;
    }
  }

  #track(p: Promise<void>): void {
    this.#submits.add(p);
    void p.finally(() => this.#submits.delete(p));
  }

  /**
   * The file at `path` as the inbox took it; for a file it found in processing/ (left by a
   * previous run, put there by hand), as it lies there now. One that cannot be looked at is
   * matched by no file (its capture then says why).
   */
  #seenAt(path: string): FileIdentity {
    const taken = this.#identity.get(path);
    this.#identity.delete(path);
    if (taken) return taken;
    try {
      return identityOf(lstatSync(path, { bigint: true }));
    } catch {
      return { dev: '', ino: '' };
    }
  }

  async #submit(path: string): Promise<void> {
    this.#pending.add(path);
    const seen = this.#seenAt(path);
    const source = inboxSourceOf(this.processingDir, path);
    if (!source.ok) {
      this.#opts.log?.warn('inbox.folder_refused', { file: path, error: source.error.message });
      return this.#finish(path, source.error);
    }
    const named = checkFileName(path);
    if (!named.ok) {
      this.#opts.log?.warn('inbox.name_refused', { file: path, error: named.error.message });
      return this.#finish(path, named.error);
    }
    let result: Result<SubmitAck>;
    try {
      result = await this.#opts.submit(path, source.value, this.dir, seen);
    } catch (e) {
      result = {
        ok: false,
        error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
      };
    }
    if (!result.ok)
      return result.error.transient
        ? this.#hold(path, result.error)
        : this.#finish(path, result.error);
    const ack = result.value;
    if (ack.status === 'failed' && ack.error?.transient) return this.#hold(path, ack.error);
    this.#held.delete(relative(this.processingDir, path));
    this.#opts.log?.info('inbox.submitted', { file: path, status: ack.status, job_id: ack.job_id });
    // A queued job ends later (onJobUpdated); the rest ended at submission.
    const owner = { job: ack.job_id, request: ack.request_id };
    if (ack.status === 'duplicate') this.#finish(path, null, owner);
    else if (ack.status !== 'queued' && ack.status !== 'deciding')
      this.#finish(
        path,
        ack.error ?? { code: 'INVALID_REQUEST', message: `the request was ${ack.status}` },
        owner,
      );
  }

  /** `owner` null: no request was made of the file (refused at the door). */
  #finish(
    path: string,
    error: AppError | null,
    owner: Owner | null = null,
    ran: Ran | null = null,
  ): void {
    if (!this.#pending.has(path) || this.#finishing.has(path)) return;
    this.#finishing.add(path);
    void (async () => {
      // Its folder asked first (a share may have stopped since the last poll); one that does
      // not answer: moved once it does (#answers, or a poll), never waited for here.
      if (!(await this.#answers())) return void this.#unsettled.set(path, { error, owner, ran });
      // Its folder gone (a share away, renamed): moved once the folder is back, if ever.
      if (await this.#move(path, error, owner, ran))
        this.#unsettled.set(path, { error, owner, ran });
    })()
      .catch((e: unknown) => {
        this.#opts.log?.error('inbox.move_failed', { file: path, error: String(e) });
      })
      .finally(() => {
        this.#finishing.delete(path);
        if (!this.#unsettled.has(path)) this.#pending.delete(path);
      });
  }

  /** Moves, to done/ or failed/, the files whose jobs ended while the inbox was gone: it is back. */
  #settleUnsettled(): void {
    for (const [path, { error, owner, ran }] of [...this.#unsettled]) {
      this.#unsettled.delete(path);
      if (existsSync(path)) this.#finish(path, error, owner, ran);
      else this.#pending.delete(path); // deleted with its folder
    }
  }

  /** Moves a job's file to done/ or failed/; true when it could not, its inbox gone. */
  async #move(
    path: string,
    error: AppError | null,
    owner: Owner | null,
    ran: Ran | null = null,
  ): Promise<boolean> {
    const jobId = owner?.job ?? null;
    this.#held.delete(relative(this.processingDir, path));
    // Its path under processing/ (or, for a refused link, under the inbox): a file of a
    // dropped folder keeps its folder in done/ and failed/.
    const inProcessing = path.startsWith(this.processingDir + sep);
    const name = relative(inProcessing ? this.processingDir : this.dir, path);
    // done/ holds what its job ran on: a file emptied or overwritten in processing/ after it
    // was taken goes to failed/, its note saying so (its job keeps how it ended).
    const changed = !error && inProcessing ? await this.#changed(path, name, ran) : null;
    error ??= changed;
    // Set aside by the inbox, not by a job's or a request's end: its own audit entry says so.
    const aside = changed ?? (error && !owner ? error : null);
    const dir = error ? this.failedDir : this.doneDir;
    // In failed/, a name holding control or format characters is not kept (its note says it).
    const kept = error ? safeFailedName(name) : name;
    let target = join(dir, kept);
    let reserved = false;
    let noted = false;
    let told = false;
    try {
      target = this.#unique(dir, kept);
      // Another file ending meanwhile (while its job's path is written) must not be given
      // this name too: the second rename would replace the first file.
      this.#reserved.add(target);
      reserved = true;
      if (jobId) {
        told = true;
        await this.#opts.onSettled?.(jobId, target);
      }
      // The note before the file: a kill between the two leaves the file where it was, to be
      // settled again at the next start (which writes the note anew: #unique), never a
      // failed file without its note.
      if (error) {
        // Renamed (its name taken there, too long beside its note, or not safe to keep): the
        // note says the name it came in with, which a script looking for it would not find.
        const renamed = relative(dir, target) !== name;
        const note = reasonNote(error, path, target, dir, jobId, renamed ? name : null);
        noted = this.#writeReason(note, target);
      }
      renameSync(path, target);
    } catch (e) {
      if (noted) removeQuietly(`${target}.reason.txt`); // left, a later file of its name replaces it
      // The job names the file where it still lies (or last lay: a folder deleted with it),
      // never a done/ or failed/ it did not reach.
      if (told && jobId)
        await Promise.resolve(this.#opts.onSettled?.(jobId, path)).catch(() => undefined);
      this.#opts.log?.error('inbox.move_failed', { file: path, to: target, error: String(e) });
      // A folder gone (deleted, renamed, a share away): said as its problem, not made again.
      if (!existsSync(this.dir)) {
        this.#report('inbox.unreadable', unreadable(this.dir, e), e);
        return true;
      }
      // Anything else (a name the file system refuses, a file where its folder should be):
      // said, not left silently in processing/ with an ended job.
      this.#unmoved.set(path, { to: error ? 'failed' : 'done', why: errnoWords(e) });
      this.#opts.onMoved?.();
      return false;
    } finally {
      if (reserved) this.#reserved.delete(target);
    }
    this.#unmoved.delete(path);
    this.#taken.delete(path);
    if (inProcessing) this.#pruneProcessing(dirname(path));
    this.#opts.onMoved?.();
    this.#opts.log?.info('inbox.moved', { file: name, to: target });
    if (aside) await this.#setAside(path, target, noted, aside, jobId);
    return false;
  }

  /** Tells `onSetAside` of a file just moved to failed/ of the inbox's own accord. */
  async #setAside(
    from: string,
    file: string,
    noted: boolean,
    error: AppError,
    jobId: string | null,
  ): Promise<void> {
    const to = relative(this.dir, file);
    try {
      await this.#opts.onSetAside?.({
        file,
        from: relative(this.dir, from),
        to,
        note: noted ? `${to}${NOTE_ENDING}` : null,
        error,
        jobId,
      });
    } catch (e) {
      // Its note, the dialog and `gex-desk inbox` still say it; the log says what was not written.
      this.#opts.log?.error('inbox.audit_failed', { file, error: String(e) });
    }
  }

  /** FILE_CHANGED when the file at `path` is no longer the one its job ran on; else null. */
  async #changed(path: string, name: string, ran: Ran | null): Promise<AppError | null> {
    const how = await changedSince(path, this.#taken.get(path) ?? null, ran?.hash ?? null);
    if (how === null) return null;
    const at = ran?.at ? `${ran.at.slice(11, 19)} UTC` : 'when it was taken';
    this.#opts.log?.warn('inbox.changed_in_processing', { file: path, how });
    return {
      code: 'FILE_CHANGED',
      message: `${visible(name)} ${CHANGED_AFTER_TAKEN} (${how}): its job ran on the content taken at ${at}, which this file no longer holds, so it is not put in done/ as what was ingested`,
    };
  }

  /** Writes a failed file's note; false when it could not be written. */
  #writeReason(text: string, target: string): boolean {
    try {
      writeFileSync(`${target}.reason.txt`, text);
      return true;
    } catch (e) {
      // A full disk: the file goes to failed/ all the same, and the job keeps its error.
      this.#opts.log?.error('inbox.reason_failed', { file: target, error: String(e) });
      return false;
    }
  }

  /**
   * Puts a file refused for the machine's sake back into the inbox (in its folder, under a
   * free name), to be tried again after a wait that doubles with each refusal. Should it not
   * move, it stays in processing/ and is submitted again at the next start.
   */
  async #hold(path: string, error: AppError): Promise<void> {
    if (!this.#pending.delete(path)) return;
    // Its folder asked first: on a share that does not answer, the file stays in processing/,
    // found there again once it answers (#adoptStrays) and submitted anew.
    if (!(await this.#answers())) {
      this.#opts.log?.warn('inbox.hold_deferred', { file: path, error: error.message });
      return;
    }
    let target: string;
    try {
      target = this.#unique(this.dir, relative(this.processingDir, path));
      renameSync(path, target);
    } catch (e) {
      this.#opts.log?.error('inbox.move_failed', { file: path, to: this.dir, error: String(e) });
      return;
    }
    this.#taken.delete(path);
    this.#pruneProcessing(dirname(path));
    const name = relative(this.dir, target);
    const tries = (this.#held.get(relative(this.processingDir, path))?.tries ?? 0) + 1;
    const waitMs = Math.min((this.#opts.holdMs ?? 10_000) * 2 ** (tries - 1), HOLD_MAX_MS);
    // The engine named the file in processing/: name it where it lies now.
    const held = { ...error, message: error.message.split(path).join(target) };
    this.#held.set(name, { error: held, tries, untilMs: this.#now() + waitMs });
    this.#opts.log?.warn('inbox.held', {
      file: name,
      tries,
      retry_in_ms: waitMs,
      error: held.message,
    });
    this.#opts.onMoved?.();
  }

  /** Removes the emptied folders of a dropped folder from processing/ (processing/ is ours). */
  #pruneProcessing(dir: string): void {
    for (let d = dir; d.startsWith(this.processingDir + sep); d = dirname(d)) {
      try {
        rmdirSync(d); // only when empty: another of its files may still be running
      } catch {
        return;
      }
    }
  }

  /**
   * `name`, or `stem-1.ext`, `stem-2.ext`… — the first free name in `dir`: nothing lies
   * there (a link that leads nowhere included), no other file is being moved to it and,
   * but in failed/, no reason note. In failed/ a note without its file is the one a kill
   * left between writing it and moving its file (or its file was taken away): the name
   * is free, and the note is written anew. `name` may hold folders (a file of a dropped
   * folder); they are made, and so is `dir` (processing/, done/, failed/), but only inside
   * an inbox that exists: a folder deleted or renamed (a share unmounted) is not made again
   * in its place (see `unreadable`), the move fails (ENOENT). A name is kept to NAME_MAX
   * bytes (in failed/, with its note's ending): its stem shortened (fitName).
   */
  #unique(dir: string, name: string): string {
    const folder = dirname(name);
    const base = basename(name);
    if (!existsSync(this.dir))
      throw Object.assign(new Error(`ENOENT: no such directory, ${this.dir}`), {
        code: 'ENOENT',
      });
    // Never into what a link in place of processing/, done/ or failed/ leads to (linkedFolder).
    if (dir !== this.dir && isLink(dir))
      throw Object.assign(new Error(`${dir} is a symbolic link`), { code: LINKED });
    makeDirs(join(dir, folder));
    // In failed/ the note `<name>.reason.txt` must fit beside the file too.
    const max = dir === this.failedDir ? NAME_MAX - NOTE_ENDING.length : NAME_MAX;
    for (let i = 0; ; i++) {
      const candidate = join(dir, folder, fitName(base, i === 0 ? '' : `-${i}`, max));
      if (
        !this.#reserved.has(candidate) &&
        !lexists(candidate) &&
        (dir === this.failedDir || !existsSync(`${candidate}.reason.txt`))
      )
        return candidate;
    }
  }
}
