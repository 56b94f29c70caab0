// Watching a running `gex-desk` process from the outside, as a user or an operator could:
// its log file (<data-dir>/logs/gex-desk.log, JSON lines: engine.started, request.accepted,
// request.unreadable…) and its staging folder (<data-dir>/staging/: one file per staged
// content, named by its SHA-256). Tests wait on OBSERVED progress with these, never on
// timers alone.
//
// The staging folder also tells when a job's facts read began, which the engine records
// nowhere: a staged blob is written once (its mtime is the end of the capture) and first
// read by the worker's facts read, and with the usual `relatime` mount option that first
// read moves its atime past its mtime. So a blob whose atime > mtime gives the read's start.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LogEvent {
  t: string;
  pid: number;
  event: string;
  [field: string]: unknown;
}

/** Tails the engine's log from where it was when the watcher started. */
export class LogWatcher {
  readonly events: LogEvent[] = [];
  #file: string;
  #offset: number;
  #rest = '';
  #timer: NodeJS.Timeout;
  #waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(file: string, everyMs = 20) {
    this.#file = file;
    this.#offset = existsSync(file) ? statSync(file).size : 0;
    this.#timer = setInterval(() => this.poll(), everyMs);
  }

  /** Reads what was appended since the last poll. */
  poll(): void {
    if (!existsSync(this.#file)) return;
    const size = statSync(this.#file).size;
    if (size <= this.#offset) return;
    const fd = openSync(this.#file, 'r');
    try {
      const buf = Buffer.alloc(size - this.#offset);
      readSync(fd, buf, 0, buf.length, this.#offset);
      this.#offset = size;
      const text = this.#rest + buf.toString('utf8');
      const lines = text.split('\n');
      this.#rest = lines.pop() ?? '';
      for (const l of lines) {
        try {
          this.events.push(JSON.parse(l) as LogEvent);
        } catch {
          // A line cut by a killed writer: not an event.
        }
      }
    } finally {
      closeSync(fd);
    }
    for (const w of [...this.#waiters]) {
      if (!w.test()) continue;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  of(pid: number | undefined, event: string): LogEvent[] {
    return this.events.filter((e) => e.pid === pid && e.event === event);
  }

  /** Resolves once `test` holds (checked after every poll). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  stop(): void {
    this.poll();
    clearInterval(this.#timer);
  }
}

export interface StagedBlob {
  /** First seen (0: there before the watcher), and its mtime (the capture's last write). */
  seenAtMs: number;
  stagedAtMs: number;
  /** The first read after the capture (atime past mtime): the facts read's start. */
  readAtMs: number | null;
  /** Its parsed chain (`<hash>.chain`) was seen: the facts read has parsed it. */
  chainSeenAtMs: number | null;
  goneAtMs: number | null;
}

const HASH = /^[0-9a-f]{64}$/;

/** Polls the staging folder; keeps what it saw of every blob. */
export class StagingWatcher {
  readonly blobs = new Map<string, StagedBlob>();
  /** Polls that saw at least one capture in progress (a `.capture-*` file). */
  capturesSeen = 0;
  #dir: string;
  #timer: NodeJS.Timeout;

  constructor(dir: string, everyMs = 100) {
    this.#dir = dir;
    // What is there already (left by an earlier process) is marked as seen at time 0.
    this.poll(0);
    this.#timer = setInterval(() => this.poll(), everyMs);
  }

  poll(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch {
      return;
    }
    const present = new Set<string>();
    const chains: string[] = [];
    let capturing = false;
    for (const name of names) {
      if (name.startsWith('.capture-')) capturing = true;
      if (name.endsWith('.chain')) {
        chains.push(name.slice(0, -'.chain'.length));
        continue;
      }
      if (!HASH.test(name)) continue;
      present.add(name);
      let b = this.blobs.get(name);
      if (b && b.readAtMs !== null) continue;
      try {
        const s = statSync(join(this.#dir, name));
        if (!b) {
          b = {
            seenAtMs: now,
            // A captured blob is new (a copy) or a new link to the file: its ctime is the capture.
            stagedAtMs: s.ctimeMs,
            readAtMs: null,
            chainSeenAtMs: null,
            goneAtMs: null,
          };
          this.blobs.set(name, b);
        }
        if (s.atimeMs > s.mtimeMs) b.readAtMs = s.atimeMs;
      } catch {
        // Removed between the listing and the stat: the job ended.
      }
    }
    for (const hash of chains) {
      const b = this.blobs.get(hash);
      if (b && b.chainSeenAtMs === null) b.chainSeenAtMs = now;
    }
    if (capturing) this.capturesSeen++;
    for (const [hash, b] of this.blobs)
      if (b.goneAtMs === null && !present.has(hash)) b.goneAtMs = now;
  }

  /** Blobs (not parsed chains, not captures in progress) in the folder now. */
  count(): number {
    try {
      return readdirSync(this.#dir).filter((n) => HASH.test(n)).length;
    } catch {
      return 0;
    }
  }

  stop(): void {
    this.poll();
    clearInterval(this.#timer);
  }
}

/** The Parquet exports under a data folder (a new one: a run wrote its output). */
export const parquetFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && d.name.endsWith('.parquet'))
        .map((d) => join(d.parentPath, d.name))
    : [];
