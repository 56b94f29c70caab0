// The engine's side of the copier process (copier-process.ts), which captures the files on
// a file system that can stall (stalling-fs.ts). Started on demand through the workers'
// launcher (a fork under Node, a utility process in the desktop app), with no standard
// output of the command's and never keeping this process alive (unref'd): a copier whose
// read never returns cannot be stopped (a thread in an uninterruptible wait), only left
// behind. A capture past its timeout abandons the copier: it is killed and forgotten,
// never waited for, and the next capture starts a fresh one; so does the shutdown. An
// abandoned copier remembers the share it was abandoned for (heldFor), until it ends: a
// read there is still stuck, and staging.ts starts no other copier for that share. The
// probes of attached folders and of a watched inbox (analytics/attached-probe.ts) run in
// copiers of their own.
import { fileURLToPath } from 'node:url';
import {
  CopyReply,
  type CopyRequest,
  type FileIdentity,
  type ProbeLook,
  type ProbeRequest,
  type Thrown,
} from '../../../shared/copier.ts';
import type { Result } from '../../../shared/result.ts';
import type { Logger } from '../log.ts';
import { forkWorker, type LaunchWorker, type WorkerProcess } from '../workers/launcher.ts';
import type { Copied } from './capture-copy.ts';

export const DEFAULT_COPIER_ENTRY = fileURLToPath(new URL('./copier-process.ts', import.meta.url));

export interface CopierOptions {
  /** The copier's entry file (the desktop bundle passes its own). */
  entry?: string;
  launch?: LaunchWorker;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

/**
 * How a copier went away: abandoned (a capture's or probe's timeout), stopped (the
 * shutdown), ended (by itself: a crash, a kill from outside).
 */
export type GoneHow = 'abandoned' | 'stopped' | 'ended';

/** A capture whose copier went away before it answered (abandoned, crashed, shut down). */
export class CopierGone extends Error {
  readonly why: string;
  readonly how: GoneHow;
  constructor(why: string, how: GoneHow) {
    super(`the copier process ${why}`);
    this.why = why;
    this.how = how;
  }
}

interface Pending {
  resolve: (r: Result<Copied> | string | null) => void;
  reject: (e: Error) => void;
}

interface Running {
  child: WorkerProcess;
  pending: Map<number, Pending>;
}

export class Copier {
  #opts: CopierOptions;
  #running: Running | null = null;
  #nextId = 0;
  #closed = false;
  /** Copier processes started so far (tests and diagnostics). */
  started = 0;
  /**
   * Abandoned copiers that have not ended yet (a read that never returned holds them), each
   * with the share it was abandoned for (null: not said).
   */
  readonly #behind = new Map<WorkerProcess, string | null>();

  constructor(opts: CopierOptions = {}) {
    this.#opts = opts;
  }

  /**
   * Runs capture-copy.ts's copyOut in the copier: resolves with its Result; rejects with
   * what its system call threw (an Error with its code), or with CopierGone.
   */
  copy(
    file: string,
    tmp: string,
    o: { maxBytes: number; durable: boolean; seen?: FileIdentity },
  ): Promise<Result<Copied>> {
    return this.#ask((id) => ({
      id,
      file,
      tmp,
      maxBytes: o.maxBytes,
      durable: o.durable,
      ...(o.seen ? { seen: o.seen } : {}),
    }));
  }

  /**
   * Runs folder-look.ts's look (lookAtFolder, or lookAtInbox) on `root` in the copier: null
   * when the folder answered, else the error of the call that failed; rejects with CopierGone.
   */
  probe(root: string, look: ProbeLook = 'exports'): Promise<string | null> {
    return this.#ask<string | null>((id) => ({ id, probe: root, look }));
  }

  /** Sends a request (made with its id) to the copier, started if need be; its answer resolves. */
  #ask<T>(request: (id: number) => CopyRequest | ProbeRequest): Promise<T> {
    if (this.#closed)
      return Promise.reject(new CopierGone('was stopped (the engine is stopping)', 'stopped'));
    const running = this.#running ?? this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      running.pending.set(id, { resolve: (r) => resolve(r as T), reject });
      running.child.send(request(id));
    });
  }

  /**
   * How many abandoned copiers have not ended: one still held by a read that never returned
   * says its file system still does not answer, and a new one would only be held too.
   */
  get leftBehind(): number {
    return this.#behind.size;
  }

  /** Whether a copier abandoned for `share` has not ended yet: a read there is still stuck. */
  heldFor(share: string): boolean {
    for (const s of this.#behind.values()) if (s === share) return true;
    return false;
  }

  /**
   * Kills the running copier and forgets it (never waits for its exit); its captures fail
   * with CopierGone. `share`: the one its read was stuck on (heldFor until it ends).
   */
  abandon(why = 'was abandoned (a capture past its timeout)', share: string | null = null): void {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    this.#behind.set(running.child, share);
    running.child.kill();
    running.child.unref?.();
    this.#opts.log?.warn('copier.abandoned', {
      pid: running.child.pid,
      why,
      ...(share === null ? {} : { share }),
    });
    const how = this.#closed ? 'stopped' : 'abandoned';
    for (const p of running.pending.values()) p.reject(new CopierGone(why, how));
    running.pending.clear();
  }

  /** The shutdown: the copier is killed, not waited for; no capture starts one again. */
  close(): void {
    this.#closed = true;
    if (this.#running?.pending.size === 0) {
      // Idle: it goes with nothing to say.
      const { child } = this.#running;
      this.#running = null;
      child.kill();
      child.unref?.();
      return;
    }
    this.abandon('was stopped (the engine is stopping)');
  }

  #start(): Running {
    const child = (this.#opts.launch ?? forkWorker)(this.#opts.entry ?? DEFAULT_COPIER_ENTRY, {
      env: this.#opts.env ?? process.env,
      execArgv: [],
      args: [],
      stdout: 'ignore',
      name: 'GEX Desk copier',
    });
    // Never what keeps this process alive: a pending capture's timeout timer does that.
    child.unref?.();
    this.started++;
    const running: Running = { child, pending: new Map() };
    let stderr = '';
    child.onStderr((chunk) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.onMessage((m) => {
      const parsed = CopyReply.safeParse(m);
      if (!parsed.success) return;
      const reply = parsed.data;
      const p = running.pending.get(reply.id);
      if (!p) return;
      running.pending.delete(reply.id);
      if ('thrown' in reply) return p.reject(thrownError(reply.thrown));
      if ('probed' in reply) return p.resolve(reply.probed);
      const r = reply.result;
      p.resolve(
        r.ok
          ? {
              ok: true,
              value: {
                ...r.value,
                head: Buffer.from(r.value.head, 'base64'),
                tail: Buffer.from(r.value.tail, 'base64'),
              },
            }
          : r,
      );
    });
    child.onExit((code, signal) => {
      this.#behind.delete(child);
      if (this.#running === running) this.#running = null;
      if (running.pending.size === 0) return;
      const why = `ended (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`;
      this.#opts.log?.warn('copier.exited', { pid: child.pid, why });
      for (const p of running.pending.values()) p.reject(new CopierGone(why, 'ended'));
      running.pending.clear();
    });
    this.#running = running;
    return running;
  }
}

/** The Error a system call in the copier threw, as read-error.ts and folder-fault.ts read it. */
function thrownError(t: Thrown): Error {
  const e = new Error(t.message) as NodeJS.ErrnoException & { dest?: string };
  if (t.code !== undefined) e.code = t.code;
  if (t.errno !== undefined) e.errno = t.errno;
  if (t.syscall !== undefined) e.syscall = t.syscall;
  if (t.path !== undefined) e.path = t.path;
  if (t.dest !== undefined) e.dest = t.dest;
  return e;
}
