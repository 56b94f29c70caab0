// Whether an attached export folder on a file system that can stall (a network share, any
// FUSE file system: intake/stalling-fs.ts) answers, asked before a query touches it. The
// queries list and read attached folders in the engine's process (export-folder.ts, with
// synchronous stats on its thread; export-origin.ts, with reads on libuv's four threads,
// which DuckDB's calls share): a share that does not answer would freeze the engine's
// thread, or starve every query and capture, and a process cannot end while one of its
// threads waits in such a call (QA nf F1–F3). So the probe (folder-look.ts) runs in a
// copier process of its own (intake/copier.ts), abandoned past its deadline: the folder
// is then left out and named as one that did not answer, as a folder that cannot be read
// is. A local folder is never probed. A "did not answer" holds for a few seconds; an
// "it answered" is never reused (callers at the same moment share one probe): a share that
// stopped answering since the last probe would otherwise hold the engine's thread at the
// next query or poll (QA sv F1, F6: with a good answer held 5 s, an inbox share stalling
// mid-session froze the engine 7 times in 8). While the copier abandoned for a folder has
// not ended (its read still held), the folder is still silent and no new probe starts: a
// share down for an hour leaves one process behind, not one every few seconds. A watched
// inbox on such a file system is probed the same way before each poll and status
// (intake/inbox-control.ts: `look: 'inbox'`, the folder and its processing/ listed).
import type { ProbeLook } from '../../../shared/copier.ts';
import type { Logger } from '../log.ts';
import { Copier, CopierGone, type CopierOptions } from '../intake/copier.ts';
import { mayStall } from '../intake/stalling-fs.ts';

/** How long a probe may take (ms) before its folder is said not to answer. */
export const PROBE_DEADLINE_MS = 3000;
/** How long a "did not answer" holds (ms); an "it answered" is never reused. */
export const PROBE_FRESH_MS = 5000;

export interface ProbeOptions {
  copier?: CopierOptions;
  log?: Logger;
  deadlineMs?: number;
  freshMs?: number;
  /** Whether a folder is probed: default, when it lies on a file system that can stall. */
  mayStall?: (root: string) => boolean;
  now?: () => number;
  /** What is looked at (folder-look.ts): an attached export folder (default), or an inbox. */
  look?: ProbeLook;
}

interface Probed {
  atMs: number;
  /** null: it answered; else why it is left out. */
  silent: string | null;
}

export class AttachedProbes {
  readonly #opts: ProbeOptions;
  readonly #deadlineMs: number;
  readonly #freshMs: number;
  readonly #now: () => number;
  /** A copier per folder: one folder's stalled probe, abandoned, takes no other's with it. */
  readonly #copiers = new Map<string, Copier>();
  #closed = false;
  readonly #known = new Map<string, Probed>();
  readonly #under = new Map<string, Promise<string | null>>();
  /** Probes sent to a copier so far (tests). */
  sent = 0;
  #started = 0;

  constructor(opts: ProbeOptions = {}) {
    this.#opts = opts;
    this.#deadlineMs = opts.deadlineMs ?? PROBE_DEADLINE_MS;
    this.#freshMs = opts.freshMs ?? PROBE_FRESH_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Abandoned probe copiers that have not ended yet (tests and diagnostics). */
  get leftBehind(): number {
    let n = 0;
    for (const c of this.#copiers.values()) n += c.leftBehind;
    return n;
  }

  /** Copier processes started for probes so far (tests). */
  get started(): number {
    return this.#started;
  }

  /**
   * Why `root` is left out (it did not answer within the deadline), or null: it answered,
   * or it is local and is not probed. Callers at once share one probe.
   */
  silent(root: string): Promise<string | null> {
    if (!(this.#opts.mayStall ?? mayStall)(root)) return Promise.resolve(null);
    const known = this.#known.get(root);
    if (known?.silent != null && this.#now() - known.atMs < this.#freshMs)
      return Promise.resolve(known.silent);
    let under = this.#under.get(root);
    if (!under) {
      under = this.#probe(root).then((silent) => {
        this.#known.set(root, { atMs: this.#now(), silent });
        this.#under.delete(root);
        return silent;
      });
      this.#under.set(root, under);
    }
    return under;
  }

  /** The last probe's word on `root`, without probing (null: it answered, or was never probed). */
  lastSilent(root: string): string | null {
    return this.#known.get(root)?.silent ?? null;
  }

  async #probe(root: string): Promise<string | null> {
    if (this.#closed) return 'was not looked at (the engine is stopping)';
    const seconds = Math.round(this.#deadlineMs / 100) / 10;
    const late = `did not answer within ${seconds} s (a stalled network share?)`;
    const inbox = this.#opts.look === 'inbox';
    const what = inbox ? 'inbox' : 'attached';
    const folder = inbox ? 'inbox' : 'attached folder';
    let copier = this.#copiers.get(root);
    if (!copier) {
      copier = new Copier({ log: this.#opts.log, ...this.#opts.copier });
      this.#copiers.set(root, copier);
    }
    // The last probe's copier is still held: the share still does not answer.
    if (copier.leftBehind > 0) return late;
    const before = copier.started;
    this.sent++;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.#deadlineMs);
    });
    try {
      const answer = await Promise.race([copier.probe(root, this.#opts.look), deadline]);
      if (answer !== 'late') {
        // An error answered fast (a folder gone, forbidden): the queries' own look names it.
        if (answer !== null) this.#opts.log?.info(`${what}.probe`, { root, error: answer });
        return null;
      }
      // Left behind, never waited for: the next probe starts another copier.
      copier.abandon(`was abandoned (the ${folder} ${root} ${late})`);
      return late;
    } catch (e) {
      // Its copier went away (crashed, or the engine is stopping).
      if (e instanceof CopierGone) return `could not be looked at: ${e.message}`;
      throw e;
    } finally {
      this.#started += copier.started - before;
      clearTimeout(timer);
    }
  }

  /** The shutdown: the probes' copier is killed, never waited for. */
  close(): void {
    this.#closed = true;
    for (const copier of this.#copiers.values()) copier.close();
    this.#copiers.clear();
  }
}
