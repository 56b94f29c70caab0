// The watched inbox as the app sees it (inbox:get, inbox:set, the inbox:updated event):
// which folder, how many files ended in done/ and failed/, and changing the folder while
// the engine runs. A change is kept in the config file first (config.json in the per-user
// folder, or GEX_DESK_CONFIG), then the engine watches the new folder; the old inbox stops
// taking files but stays alive until the jobs of the files in its processing/ have ended
// and moved them to its done/ or failed/, so that no file is stranded. Files dropped into
// the old folder and not taken by then (still being written, or too deep to be taken) stay
// there: they are said (`left_behind`), so that the analyst moves them into the new one.
// A folder on a file system that can stall (a network share) is probed in a copier process
// (analytics/attached-probe.ts, `look: 'inbox'`) before each poll, status, change and move,
// afresh each time (a good answer is never reused: a share stops answering mid-session); one
// that does not answer within 3 s is not touched, and said (`problem_code` NOT_ANSWERING,
// its counts the last read, `counts_as_of`), so that a share that stops answering does not
// hold the engine's thread (but in the milliseconds between a probe's answer and the calls
// after it). Such a folder is polled every second (STALLING_POLL_MS), not every 500 ms: each
// poll costs a probe. A local folder is never probed.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { InboxStatus } from '../../../shared/api.ts';
import type { InboxFrom } from '../../../shared/api/engine.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { saveConfigValue, userDataDir } from '../config.ts';
import { endpointFor, enginesFolder, runFolder } from '../../host/local/discovery.ts';
import type { EngineEvents } from '../events.ts';
import type { Logger } from '../log.ts';
import { AttachedProbes, type ProbeOptions } from '../analytics/attached-probe.ts';
import { mayStall } from './stalling-fs.ts';
import {
  countUnder,
  deepProblem,
  folderProblem,
  leftFiles,
  NOT_ANSWERING,
  notAnswering,
  waitingFiles,
} from './inbox-folder.ts';
import { Inbox, type InboxOptions } from './inbox.ts';
import { makeDirs } from '../make-dirs.ts';
import { changedFiles, refusedFiles } from './inbox-refused.ts';

export interface InboxControlOptions {
  dir: string;
  configFile: string;
  /** Where `dir` came from (config.ts `inboxFrom`); undefined when not known. */
  from: InboxFrom | undefined;
  events: EngineEvents;
  log?: Logger;
  /** Null: nothing is watched (a one-shot command); the folder can still be chosen. */
  watch: {
    submit: InboxOptions['submit'];
    findJob: (file: string) => Promise<ProcessingJob | undefined>;
    /** A job's file has moved to done/ or failed/: where it lies now. */
    settled?: (jobId: string, file: string) => Promise<void> | void;
    /** A file moved to failed/ of the inbox's own accord (inbox.ts `onSetAside`): audited. */
    setAside?: InboxOptions['onSetAside'];
    /** The folders whose processing/ the jobs' files lie in (this and earlier inboxes). */
    inboxesOfJobs?: () => Promise<string[]>;
    pollMs?: number;
  } | null;
  /**
   * The files under a folder that a job names (jobs/repository.ts jobFilesUnder): done/
   * counts only those, the files GEX Desk moved there; absent (or failing: a database that
   * can no longer be read), every file there counts.
   */
  recorded?: (dir: string) => Promise<ReadonlySet<string>>;
  /** Spacing of inbox:updated events while files move. */
  announceEveryMs?: number;
  /** GEX Desk's own files and folders (ownPaths): no inbox may hold them. */
  own?: OwnPath[];
  /** The probe of a folder on a file system that can stall (its copier, `mayStall`, deadline). */
  probe?: ProbeOptions;
  /** Whether a folder answers, instead of the probe (tests): null when it does, else why not. */
  silent?: (dir: string) => Promise<string | null>;
}

/** One of GEX Desk's own files or folders, named for the analyst. */
export interface OwnPath {
  what: string;
  path: string;
  /** A folder GEX Desk writes in: no inbox may lie in it either (it would take what is written). */
  writes?: boolean;
}

/**
 * What an inbox must never hold, of a configuration and the per-user folder `home`: the
 * database, the data folder, the config file, and the folders of the running engines'
 * discovery files (`engines/`, each holding its engine's token) and sockets (`run/`, or the
 * private folder in the temporary one when that path is too long). An inbox there took the
 * engine's own discovery file as a file dropped in: moved to failed/, every command beside
 * the engine found none (DB_LOCKED), and the token was copied into the staged files.
 */
export function ownPaths(
  cfg: { dbPath: string; dataDir: string; configFile: string },
  home: string = userDataDir(),
): OwnPath[] {
  const sockets = dirname(endpointFor(home, cfg.dbPath));
  return [
    { what: 'database', path: cfg.dbPath },
    { what: 'data folder (exports and staged files)', path: cfg.dataDir, writes: true },
    { what: 'config file', path: cfg.configFile },
    {
      what: "folder of discovery files (the running engines' tokens)",
      path: enginesFolder(home),
      writes: true,
    },
    { what: 'folder of local endpoints (sockets)', path: runFolder(home), writes: true },
    ...(process.platform !== 'win32' && sockets !== runFolder(home)
      ? [{ what: 'folder of local endpoints (sockets)', path: sockets, writes: true }]
      : []),
  ].filter((o) => o.path);
}

/** How often an inbox on a file system that can stall is polled (ms): each poll probes it first. */
export const STALLING_POLL_MS = 1000;

/** Files named in a refusal, of those a folder holds. */
const NAMED = 3;
/** Files counted in a folder chosen as the inbox, at most (a home folder is not walked to its end). */
const COUNTED = 10_000;

/** Whether `path` is `dir` or lies under it. */
function within(dir: string, path: string): boolean {
  const r = relative(dir, resolve(path));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

export class InboxControl {
  #opts: InboxControlOptions;
  #dir: string;
  #inbox: Inbox | null = null;
  /**
   * Inboxes whose start is still going through their processing/: the jobs that end
   * meanwhile are theirs to move (the scheduler runs before the inbox starts).
   */
  #starting = new Set<Inbox>();
  /** Inboxes of earlier folders, alive until their files in processing/ have ended. */
  #retired = new Set<Inbox>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  /**
   * Why the configured folder is not watched: it holds GEX Desk's own files or lies in them
   * (a config.json edited by hand: `"inbox": "."` beside the database would take the
   * database itself). Cleared once another folder is chosen.
   */
  #notWatched: string | null = null;
  /** The folder watched before the last change: the files left there are said (`left_behind`). */
  #previous: string | null = null;
  /** The last counts read, of which folder and when: shown while it does not answer. */
  #lastCounts: { dir: string; counts: InboxStatus['counts']; at: string } | null = null;

  /** Where the folder came from (InboxStatus `from`); the config file once chosen here. */
  #from: InboxFrom | undefined;

  /** The probes of folders on a file system that can stall; their copiers go at stop(). */
  readonly #probes: AttachedProbes;
  /** Why a folder does not answer (the probe's, or the tests'); null when it does or is local. */
  readonly #silent: (dir: string) => Promise<string | null>;

  constructor(opts: InboxControlOptions) {
    this.#opts = opts;
    this.#dir = resolve(opts.dir);
    this.#from = opts.from;
    this.#probes = new AttachedProbes({
      log: opts.log,
      ...opts.probe,
      look: 'inbox',
    });
    this.#silent = opts.silent ?? ((dir) => this.#probes.silent(dir));
  }

  /** The folder chosen (watched or not). */
  get dir(): string {
    return this.#dir;
  }

  async start(): Promise<void> {
    if (!this.#opts.watch) return;
    const own = this.#ownFiles(this.#dir);
    if (own) {
      this.#notWatched = `${own} Nothing is taken from it until another folder is chosen.`;
      this.#opts.log?.error('inbox.refused', { dir: this.#dir, why: own });
      return;
    }
    this.#inbox = await this.#watch(this.#dir);
    this.#starting.delete(this.#inbox);
    await this.#resumeEarlier();
  }

  /**
   * The inboxes this one was changed from whose processing/ still holds files (the app
   * stopped before they ended): retired again, so that their files reach their done/ or
   * failed/ as their jobs end. Not even the changes' folders were known at the next start.
   */
  async #resumeEarlier(): Promise<void> {
    const earlier = (await this.#opts.watch?.inboxesOfJobs?.()) ?? [];
    for (const dir of new Set(earlier.map((d) => resolve(d)))) {
      // The current inbox settles its own processing/, folders in it included (a job
      // stored before migration 8 may name one, inboxesOfJobs).
      if (within(this.#dir, dir) || this.#ownFiles(dir)) continue;
      // On a share that does not answer: its files are settled at a start that it does.
      const silent = await this.#silent(dir);
      if (silent !== null) {
        this.#opts.log?.warn('inbox.not_resumed', { dir, why: silent });
        continue;
      }
      if (!existsSync(join(dir, 'processing'))) continue;
      const old = await this.#watch(dir);
      await old.stop();
      if (old.pendingCount > 0) this.#retired.add(old);
      this.#starting.delete(old);
      this.#opts.log?.info('inbox.resumed', { dir, draining: old.pendingCount });
    }
  }

  /**
   * The inbox as the app shows it. A folder that does not answer (on a stalled share) is not
   * looked at: its counts are the last read (`counts_as_of` when; null: none read, 0 each),
   * its problem says so (`problem_code` NOT_ANSWERING).
   */
  async status(): Promise<InboxStatus> {
    const dir = this.#dir;
    const [processing, done, failed] = ['processing', 'done', 'failed'].map((d) =>
      join(dir, d),
    ) as [string, string, string];
    const silent = await this.#silent(dir);
    // The previous folder's files left behind are looked for only where it answers too.
    const previousSilent = this.#previous ? await this.#silent(this.#previous) : null;
    const notHere = silent === null && this.#inbox !== null && !this.#inbox.answering;
    if (silent !== null || notHere) {
      const last = this.#lastCounts?.dir === dir ? this.#lastCounts : null;
      return {
        dir,
        processing,
        done,
        failed,
        counts: last?.counts ?? { waiting: 0, processing: 0, done: 0, failed: 0 },
        counts_as_of: last?.at ?? null,
        refused: { count: 0, recent: [] },
        changed: { count: 0, recent: [] },
        // Held files are looked at only by an inbox that knows its folder silent (not touched).
        held: this.#inbox && !this.#inbox.answering ? this.#inbox.held() : null,
        problem: silent !== null ? notAnswering(dir, silent) : this.#inbox!.problem,
        problem_code: NOT_ANSWERING,
        takes: false,
        left_behind: previousSilent === null ? this.#leftBehind() : null,
        watching: this.#inbox !== null && !this.#stopped,
        config_file: this.#opts.configFile,
        ...this.#origin(),
      };
    }
    // A file dropped into done/ by hand was never taken: done counts the files jobs name
    // (every file there while the database cannot answer: the status is still given).
    const recorded = await this.#opts.recorded?.(done).catch(() => undefined);
    const counts = {
      waiting: waitingCount(dir),
      processing: countUnder(processing),
      done: countUnder(done, false, recorded ? (f) => recorded.has(join(done, f)) : undefined),
      failed: countUnder(failed, true),
    };
    this.#lastCounts = { dir, counts, at: new Date().toISOString() };
    return {
      dir,
      processing,
      done,
      failed,
      counts,
      refused: refusedFiles(failed),
      changed: changedFiles(failed),
      held: this.#inbox?.held() ?? null,
      ...this.#problem(),
      left_behind: previousSilent === null ? this.#leftBehind() : null,
      watching: this.#inbox !== null && !this.#stopped,
      config_file: this.#opts.configFile,
      ...this.#origin(),
    };
  }

  /**
   * Keeps `dir` in the config file and, when watching, watches it from now on. A folder that
   * holds GEX Desk's own files is refused; one that already holds files, unless
   * `takeExisting`: the inbox ingests every file under it and moves each into its done/ or
   * failed/, so a slip (a home folder, a project, an empty argument taken as the current
   * folder) would take and move all of them.
   */
  async set(dirInput: string, takeExisting = false): Promise<Result<InboxStatus>> {
    if (this.#stopped) return err('SHUTTING_DOWN', 'The engine is shutting down.');
    const dir = resolve(dirInput);
    // A folder on a share that does not answer: nothing of it is touched (nor kept).
    const silent = await this.#silent(dir);
    if (silent !== null)
      return err(
        'TIMEOUT',
        `Cannot use ${dir} as the inbox: not answering: ${dir} ${silent}. Nothing was changed; choose it again once it answers.`,
        // The machine's doing, not the choice's: the same choice may succeed later (exit 3).
        { file: dir, transient: true },
      );
    if (dir !== this.#dir) {
      const refused = this.#refusal(dir, takeExisting);
      if (refused) return refused;
    }
    try {
      for (const d of [dir, join(dir, 'processing'), join(dir, 'done'), join(dir, 'failed')])
        makeDirs(d);
    } catch (e) {
      return err('IO', `Cannot use ${dir} as the inbox: ${(e as Error).message}`, { file: dir });
    }
    const saved = saveConfigValue(this.#opts.configFile, 'inbox', dir);
    if (!saved.ok) return saved;
    this.#from = 'config';
    if (dir !== this.#dir) {
      const old = this.#inbox;
      // Its files not taken yet stay there (the old inbox stops taking them), and are said.
      this.#previous = this.#ownFiles(this.#dir) ? null : this.#dir;
      this.#dir = dir;
      if (old) {
        await old.stop();
        if (old.pendingCount > 0) this.#retired.add(old);
      }
      if (old || this.#notWatched !== null) {
        this.#notWatched = null;
        this.#inbox = await this.#watch(dir);
        this.#starting.delete(this.#inbox);
      }
      this.#opts.log?.info('inbox.changed', { dir, draining: this.#retired.size });
    }
    const status = await this.status();
    this.#opts.events.emit('inbox:updated', status);
    return ok(status);
  }

  #origin(): Pick<InboxStatus, 'from'> {
    return this.#from ? { from: this.#from } : {};
  }

  /**
   * The files dropped into the previous folder and not taken before the change, still there:
   * those that were waiting, and those it would not have taken either (more than MAX_DEPTH
   * folders deep, symbolic links), which it said while watched and no inbox says now. Those
   * of the new folder, should it lie in the old one, left out (a deep folder holding it too);
   * null when none.
   */
  #leftBehind(): InboxStatus['left_behind'] {
    const old = this.#previous;
    if (!old) return null;
    const left = leftFiles(old, (f) => {
      const path = join(old, f);
      return !within(this.#dir, path) && !within(path, this.#dir);
    });
    if (!left.count) return null;
    return {
      dir: old,
      count: left.count,
      ...(left.tooDeep ? { too_deep: left.tooDeep } : {}),
      ...(left.links ? { links: left.links } : {}),
    };
  }

  /** What keeps the inbox from taking files, and whether it keeps it from taking any (`takes`). */
  #problem(): Pick<InboxStatus, 'problem' | 'takes'> {
    if (this.#inbox) return { problem: this.#inbox.problem, takes: this.#inbox.takes };
    if (this.#notWatched !== null) return { problem: this.#notWatched, takes: false };
    return this.#unwatchedProblem();
  }

  /**
   * A one-shot command watches nothing: what an engine would say of the folder, so that
   * `gex-desk inbox` without the app says it as the app does: the folder's problem, else
   * the files dropped too deep to be taken (what only a try to move them tells, files it may
   * not move, is the watching inbox's to say).
   */
  #unwatchedProblem(): Pick<InboxStatus, 'problem' | 'takes'> {
    if (this.#opts.watch) return { problem: null, takes: true };
    const own = this.#ownFiles(this.#dir);
    if (own)
      return {
        problem: `${own} An engine takes nothing from it until another folder is chosen.`,
        takes: false,
      };
    const folder = folderProblem(this.#dir);
    if (folder) return { problem: folder, takes: false };
    return { problem: deepProblem(this.#dir), takes: true };
  }

  /** Why `dir` cannot be the inbox, when it holds GEX Desk's own files or lies in them. */
  #ownFiles(dir: string): string | null {
    for (const own of this.#opts.own ?? []) {
      const why = within(dir, own.path)
        ? `it holds GEX Desk's own ${own.what}, ${own.path}`
        : own.writes && within(own.path, dir)
          ? `it lies in GEX Desk's own ${own.what}, ${own.path}`
          : null;
      if (why)
        return `${dir} cannot be the inbox: ${why}, whose files it would take as files dropped in. Choose a folder of its own.`;
    }
    return null;
  }

  #refusal(dir: string, takeExisting: boolean): Result<never> | null {
    const own = this.#ownFiles(dir);
    if (own) return err('VALIDATION', own, { file: dir, field: 'dir' });
    if (takeExisting) return null;
    let there: string[];
    try {
      there = waitingFiles(dir, undefined, COUNTED);
    } catch {
      return null; // not made yet, or said when its folders are made below
    }
    if (there.length === 0) return null;
    const names = there.sort().slice(0, NAMED).join(', ') + (there.length > NAMED ? ', …' : '');
    return err(
      'CONFLICT',
      `${dir} already holds ${there.length === 1 ? '1 file' : `${there.length.toLocaleString('en-US')}${there.length >= COUNTED ? ' or more' : ''} files`} (${names}): as the inbox it would ingest each and move it into its done/ or failed/ folder. Choose an empty folder, or confirm that it should take them.`,
      { file: dir, field: 'take_existing' },
    );
  }

  /** Moves the file of a job that ended (in whichever inbox took it). */
  onJobUpdated(job: ProcessingJob): void {
    this.#inbox?.onJobUpdated(job);
    for (const s of this.#starting) s.onJobUpdated(job);
    for (const r of this.#retired) {
      r.onJobUpdated(job);
      if (r.pendingCount === 0) this.#retired.delete(r);
    }
  }

  async stop(deadlineMs = Infinity): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#inbox?.stop(deadlineMs);
    this.#probes.close();
  }

  async #watch(dir: string): Promise<Inbox> {
    const w = this.#opts.watch!;
    const inbox = new Inbox({
      dir,
      log: this.#opts.log,
      submit: w.submit,
      findJob: w.findJob,
      pollMs:
        w.pollMs ?? ((this.#opts.probe?.mayStall ?? mayStall)(dir) ? STALLING_POLL_MS : undefined),
      onMoved: () => this.#announceSoon(),
      onSettled: w.settled,
      onSetAside: w.setAside,
      silent: this.#silent,
    });
    // Left there by the caller once it has placed the inbox (#inbox, #retired): no event between.
    this.#starting.add(inbox);
    await inbox.start();
    return inbox;
  }

  /** One inbox:updated event for the moves of a short while (a burst moves many files). */
  #announceSoon(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#stopped) return;
      void this.status().then((status) => {
        if (!this.#stopped) this.#opts.events.emit('inbox:updated', status);
      });
    }, this.#opts.announceEveryMs ?? 250);
    this.#timer.unref();
  }
}

/** Files dropped in and not taken yet (those `keep` keeps); 0 when the folder cannot be read (or is not made yet). */
function waitingCount(dir: string, keep: (file: string) => boolean = () => true): number {
  try {
    return waitingFiles(dir).filter(keep).length;
  } catch {
    return 0;
  }
}
