// The bytes a request was decided on, captured at the door. Analysts move or delete what
// they dropped, or rewrite it in place under the same name; so on arrival the file's
// bytes are put in a content-addressed staging folder — a copy-on-write clone where the
// file system can clone, a copy otherwise (never a hard link: it would share the bytes
// the analyst can still overwrite) — hashed as they are captured, and the job runs on
// the staged bytes. A file that changes while it is captured is refused, never half
// taken. A staged blob is shared by every job of the same content and removed when the
// last of them no longer needs it (reference counts, rebuilt from the jobs table at
// start); a failed job keeps its bytes for a retry until its retention ends. What could
// not be removed when it was let go (a data folder remounted read-only meanwhile: a blob
// no job needs, a half-written capture) is removed once the folder can be written again —
// after the next capture, or at the next try every `retryMs` — not left until the next
// start; a blob a job took again meanwhile is kept. A file on a file system that can stall
// is captured in a copier process (copier.ts), abandoned at the capture's timeout: the
// captures that shared it are tried again on a fresh one (their own timeout still bounds
// them), and while it is held by a read that never returned, a file on the share it was
// abandoned for is refused at once (TIMEOUT, nothing taken) rather than left to stall
// another process.
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fdatasyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDiskFull } from '../disk-full.ts';
import { folderFault } from '../folder-fault.ts';
import { readError } from '../read-error.ts';
import type { FileIdentity } from '../../../shared/copier.ts';
import { err, messageOf, ok, type Result } from '../../../shared/result.ts';
import type { Logger } from '../log.ts';
import { privateDir } from '../private-files.ts';
import { copyOut, EDGE_BYTES, type Copied } from './capture-copy.ts';
import { Copier, CopierGone, type CopierOptions } from './copier.ts';
import { stallingShare } from './stalling-fs.ts';

export { EDGE_BYTES };

export interface StagingOptions {
  dir: string;
  /**
   * The data folder the staging area lies in: a copy it refuses (a full disk, a read-only
   * file system) names it, not the analyst's file. Default: the staging folder itself.
   */
  dataDir?: string;
  /** Told when a capture is refused for a full disk (kept bytes no retry needs yield: staged-jobs.ts). */
  onNoSpace?: () => void;
  /** Largest file accepted (FILE_TOO_LARGE beyond). */
  maxBytes: number;
  /** A capture that takes longer (a stalled network share) ends with TIMEOUT. */
  timeoutMs?: number;
  /** Captures reading at once; the rest wait (a stalled share cannot hold every I/O thread). */
  concurrency?: number;
  /** fsync copied bytes before they are acknowledged (default true). */
  durable?: boolean;
  log?: Logger;
  /**
   * Where staged bytes were kept before each database had a staging area of its own (one
   * folder for every database of the data folder): a live job's blob found there at start
   * is moved into this one; the rest there is left alone (another database's, perhaps).
   */
  legacyDir?: string;
  /** How often the files that could not be removed are tried again (default 10 s). */
  retryMs?: number;
  /** How the copier process is started (the capture of a file on a file system that can stall). */
  copier?: CopierOptions;
  /**
   * Where captures run: `auto` (default) in this process for a local file, in the copier
   * for one on a file system that can stall (stalling-fs.ts); `copier`: every one there (tests).
   */
  route?: 'auto' | 'copier';
  /**
   * The share a file lies on when it may stall, else null (default stalling-fs.ts's
   * stallingShare; tests name shares of local folders).
   */
  shareOf?: (file: string) => string | null;
}

/**
 * How many times a capture is tried again on a fresh copier after another capture's
 * timeout abandoned the one it shared (each such abandon is another capture's own timeout;
 * its own timeout bounds the whole capture anyway).
 */
export const COPIER_TRIES_AGAIN = 3;

export interface CaptureOptions {
  /**
   * The level rank of the request (0 = CRITICAL, the default: the highest its rules could
   * give it). Captures waiting for a slot go by rank, then by arrival.
   */
  rank?: number;
  /** Called when the capture has its slot and starts reading. */
  started?: () => void;
  /** A file the watched inbox took: read only if it is still that file (capture-copy.ts). */
  seen?: FileIdentity;
}

/** A captured file: its content hash, the staged path, and both ends of it for the cheap facts. */
export interface Staged {
  hash: string;
  path: string;
  size: number;
  /** The first and last bytes (up to EDGE_BYTES each; the same bytes for a small file). */
  head: Buffer;
  tail: Buffer;
}

/** A staged copy: read-only, and the user's alone (private-files.ts; it was 0444). */
export const STAGED_MODE = 0o400;
export class Staging {
  readonly dir: string;
  #opts: StagingOptions;
  #refs = new Map<string, number>();
  #active = 0;
  /** Captures waiting for a slot, one first-in first-out queue per level rank (CRITICAL first). */
  #waiting: (() => void)[][] = [[], [], [], []];
  /** Files let go that could not be removed (a read-only folder): tried again. */
  #leftover = new Set<string>();
  #retryTimer: NodeJS.Timeout | null = null;
  /** The copier process's client, made at the first capture that needs it. */
  #copier: Copier | null = null;

  constructor(opts: StagingOptions) {
    this.#opts = opts;
    this.dir = opts.dir;
    privateDir(this.dir);
  }

  pathOf(hash: string): string {
    return join(this.dir, hash);
  }

  /** Where a facts read leaves the parsed chain for the run (read once). */
  chainPathOf(hash: string): string {
    return join(this.dir, `${hash}.chain`);
  }

  /** Live references of a hash (tests and diagnostics). */
  refs(hash: string): number {
    return this.#refs.get(hash) ?? 0;
  }

  /** Takes one more reference to a staged blob (a job that will need its bytes). */
  acquire(hash: string): void {
    this.#refs.set(hash, (this.#refs.get(hash) ?? 0) + 1);
  }

  /** Gives a reference back; the blob and its parsed chain go when none is left. */
  release(hash: string): void {
    const n = (this.#refs.get(hash) ?? 0) - 1;
    if (n > 0) {
      this.#refs.set(hash, n);
      return;
    }
    this.#refs.delete(hash);
    this.#remove(this.pathOf(hash));
    this.#remove(this.chainPathOf(hash));
  }

  /** Files let go that are still to be removed (tests and diagnostics). */
  get leftover(): number {
    return this.#leftover.size;
  }

  /** Removes a file let go; one that cannot be (a read-only folder) is tried again later, never thrown. */
  #remove(path: string): void {
    try {
      rmSync(path, { force: true });
      this.#leftover.delete(path);
    } catch (e) {
      if (!this.#leftover.has(path))
        this.#opts.log?.warn('staging.remove_failed', { file: path, error: String(e) });
      this.#leftover.add(path);
      this.#retrySoon();
    }
  }

  #retrySoon(): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.retryLeftover();
    }, this.#opts.retryMs ?? 10_000);
    this.#retryTimer.unref();
  }

  /**
   * Tries again to remove what could not be removed when it was let go; a blob (or parsed
   * chain) a job has taken again since is kept. Runs after a capture was written, and on a
   * timer while anything is left.
   */
  retryLeftover(): void {
    for (const path of [...this.#leftover]) {
      const name = basename(path);
      const hash = name.endsWith('.chain') ? name.slice(0, -'.chain'.length) : name;
      if (this.#refs.has(hash)) this.#leftover.delete(path);
      else this.#remove(path);
    }
  }

  /** Stops the retries (the engine's shutdown); what is left is swept at the next start. */
  close(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    // Killed, never waited for: a copier held by a stalled share cannot hold the quit.
    this.#copier?.close();
  }

  /** Copier processes started so far (tests and diagnostics). */
  get copiersStarted(): number {
    return this.#copier?.started ?? 0;
  }

  /** Abandoned copiers not ended yet, held by a read that never returned (tests and diagnostics). */
  get copiersLeftBehind(): number {
    return this.#copier?.leftBehind ?? 0;
  }

  /**
   * Starts from the references the jobs table holds, and removes every staged file that no
   * live job needs (blobs of jobs that ended while the engine was down, half-written copies).
   */
  recover(liveHashes: Iterable<string>): { removed: number } {
    this.#refs.clear();
    this.#leftover.clear();
    for (const h of liveHashes) this.acquire(h);
    if (this.#opts.legacyDir) this.#adopt(this.#opts.legacyDir);
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      const hash = name.endsWith('.chain') ? name.slice(0, -'.chain'.length) : name;
      if (this.#refs.has(hash)) continue;
      rmSync(join(this.dir, name), { force: true });
      removed++;
    }
    for (const hash of this.#refs.keys()) this.#unshare(hash);
    return { removed };
  }

  /**
   * Earlier versions staged a file on the same file system as a hard link to it: a live
   * job's blob that still shares its inode with another name becomes a copy of its own
   * (synced under a temporary name, then renamed over it: a crash leaves the link).
   */
  #unshare(hash: string): void {
    const path = this.pathOf(hash);
    const tmp = join(this.dir, `.capture-${randomUUID()}`);
    try {
      if (statSync(path).nlink < 2) return;
      copyFileSync(path, tmp, constants.COPYFILE_FICLONE);
      chmodSync(tmp, STAGED_MODE);
      const fd = openSync(tmp, 'r');
      try {
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#opts.log?.warn('staging.unshare', { file: path, error: String(e) });
    }
  }

  /** Moves the live jobs' blobs (and parsed chains) that are missing here from `legacy`. */
  #adopt(legacy: string): void {
    for (const hash of this.#refs.keys())
      for (const name of [hash, `${hash}.chain`]) {
        const from = join(legacy, name);
        const to = join(this.dir, name);
        if (existsSync(to) || !existsSync(from) || !statSync(from).isFile()) continue;
        try {
          renameSync(from, to);
        } catch (e) {
          this.#opts.log?.warn('staging.adopt', { file: from, error: String(e) });
        }
      }
  }

  /**
   * Captures `file` into staging and takes a reference to it for the caller, who must
   * `release` it when the request no longer needs the bytes.
   */
  async capture(file: string, opts: CaptureOptions = {}): Promise<Result<Staged>> {
    await this.#slot(opts.rank ?? 0);
    opts.started?.();
    const timeoutMs = this.#opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | null = null;
    const abandon = new AbortController();
    // Told without touching the file's file system (stalling-fs.ts).
    const share = (this.#opts.shareOf ?? stallingShare)(file);
    const remote = this.#opts.route === 'copier' || share !== null;
    try {
      const timeout = new Promise<Result<Staged>>((resolve) => {
        timer = setTimeout(() => {
          abandon.abort();
          resolve(
            err(
              'TIMEOUT',
              `${file} could not be read within ${Math.round(timeoutMs / 1000)} s (a stalled network share?)`,
              { file },
            ),
          );
          // A copier whose read does not return is left behind, held for this file's share:
          // the next capture elsewhere starts another; one there is refused while it is held.
          if (remote) this.#copier?.abandon(undefined, share);
        }, timeoutMs);
      });
      const captured = this.#capture(file, abandon.signal, remote ? { share } : null, opts.seen);
      const result = await Promise.race([captured, timeout]);
      if (!result.ok && result.error.code === 'TIMEOUT') {
        // The read may still return later: drop what it staged then.
        void captured.then((late) => late.ok && this.release(late.value.hash));
      }
      return result;
    } finally {
      if (timer) clearTimeout(timer);
      this.#active--;
      this.#waiting.find((q) => q.length > 0)?.shift()?.();
    }
  }

  /** A capture's turn: the waiting ones go by level (their request's), then by arrival. */
  async #slot(rank: number): Promise<void> {
    if (this.#active < (this.#opts.concurrency ?? 4)) {
      this.#active++;
      return;
    }
    const queue = this.#waiting[Math.max(0, Math.min(this.#waiting.length - 1, rank))]!;
    await new Promise<void>((resolve) => queue.push(resolve));
    this.#active++;
  }

  /** The capture's reading; `remote`: in the copier, the file's share given (null: none known). */
  async #capture(
    file: string,
    abandoned: AbortSignal,
    remote: { share: string | null } | null,
    seen: FileIdentity | undefined,
  ): Promise<Result<Staged>> {
    const tmp = join(this.dir, `.capture-${randomUUID()}`);
    try {
      const o = {
        maxBytes: this.#opts.maxBytes,
        durable: this.#opts.durable !== false,
        ...(seen ? { seen } : {}),
      };
      const got = remote
        ? await this.#viaCopier(file, tmp, o, remote.share, abandoned)
        : await copyOut(file, tmp, { ...o, abandoned });
      if (!got.ok) return got;
      if (abandoned.aborted) return err('TIMEOUT', `${file}: the capture was abandoned`, { file });
      const copied = got.value;
      const path = this.pathOf(copied.hash);
      this.acquire(copied.hash);
      // Whether the blob is there, not whether a job holds it: a referenced blob may have
      // gone (swept by an engine that shared this folder before each had its own), and the
      // new capture is then what its jobs run on.
      if (await exists(path)) {
        await rm(tmp, { force: true });
      } else {
        await chmod(tmp, STAGED_MODE).catch(() => undefined);
        await rename(tmp, path);
      }
      // Written here: the folder can be written again, what could not be removed goes now.
      if (this.#leftover.size > 0) this.retryLeftover();
      return ok({
        hash: copied.hash,
        path,
        size: copied.size,
        head: copied.head,
        tail: copied.tail,
      });
    } catch (e) {
      return this.#ioError(file, e);
    } finally {
      // Not removable (a read-only folder): removed once it can be.
      await rm(tmp, { force: true }).catch(() => this.#remove(tmp));
    }
  }

  /**
   * copyOut in the copier process. Its share still held by a copier abandoned for it:
   * refused at once (TIMEOUT, transient), no process started. Its copier abandoned for
   * another capture's timeout: tried again on a fresh one (COPIER_TRIES_AGAIN times, under
   * its own timeout), into a temporary file of its own each time (the killed copier's
   * last write cannot reach it). Its copier gone otherwise (crashed): said as the copier's
   * failure (IO, which a retry may cure); stopped by the shutdown: SHUTTING_DOWN. This
   * capture's own timeout answers TIMEOUT before any of these (capture).
   */
  async #viaCopier(
    file: string,
    tmp: string,
    o: { maxBytes: number; durable: boolean; seen?: FileIdentity },
    share: string | null,
    abandoned: AbortSignal,
  ): Promise<Result<Copied>> {
    this.#copier ??= new Copier({ log: this.#opts.log, ...this.#opts.copier });
    for (let tries = 0; ; tries++) {
      if (share !== null && this.#copier.heldFor(share)) return stuck(file, share);
      // The first try writes `tmp` itself; a try again, a file of its own, moved there.
      const into = tries === 0 ? tmp : `${tmp}-${tries}`;
      try {
        const got = await this.#copier.copy(file, into, o);
        if (into !== tmp && got.ok) await rename(into, tmp);
        return got;
      } catch (e) {
        if (!(e instanceof CopierGone)) throw e;
        const again = e.how === 'abandoned' && !abandoned.aborted && tries < COPIER_TRIES_AGAIN;
        if (again) {
          this.#opts.log?.info('staging.copier_again', { file, why: e.why });
          continue;
        }
        return err(
          e.how === 'stopped' ? 'SHUTTING_DOWN' : 'IO',
          `cannot read ${file}: ${messageOf(e)}`,
          {
            file,
          },
        );
      } finally {
        // A try's own file: gone with it (a killed copier's, or moved).
        if (into !== tmp) await rm(into, { force: true }).catch(() => this.#remove(into));
      }
    }
  }

  #ioError(file: string, e: unknown): Result<never> {
    const { dataDir } = this.#opts;
    const folder = dataDir
      ? { path: dataDir, label: 'the data folder' }
      : { path: this.dir, label: 'the staging folder' };
    // Refused at the door: nothing was taken (the inbox holds its file and tries it again).
    const fault = folderFault(
      e,
      folder,
      'the staging area (a copy taken on arrival)',
      file,
      'the file was not taken: submit it again then (a file in the inbox is tried again by itself)',
    );
    if (fault) {
      if (isDiskFull(e)) this.#opts.onNoSpace?.();
      return fault;
    }
    const refused = readError(file, e);
    if (!refused.ok && refused.error.code === 'IO')
      this.#opts.log?.warn('staging.io', { file, error: String(e) });
    return refused;
  }
}

/** A file on a share whose last read is still stuck in a copier left behind: refused, nothing taken. */
function stuck(file: string, share: string): Result<never> {
  return err(
    'TIMEOUT',
    `${file} was not read: ${share} did not answer a moment ago and a read there is still stuck (a stalled network share?); nothing was taken: submit it again when it answers (a file in the inbox is tried again by itself)`,
    { file, transient: true },
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
