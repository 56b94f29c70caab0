// A warm pool of pipeline worker processes. Polars work is synchronous and heavy, so it
// runs in child processes (never on the engine's event loop); a process, once started, is
// kept warm because loading Polars costs far more than a small job. Processes start on
// demand (a task waiting and no idle worker) or ahead of time (`prewarm`): a one-shot
// command runs its single file on the first worker that is up, without waiting for the
// rest. A worker that dies is replaced; the task it held fails with WORKER_CRASHED (which
// the scheduler may retry), or with SHUTTING_DOWN when a signal from outside stopped it (a
// service manager stopping everything of `gex-desk serve`, a kill): not the file's doing.
// `spare` workers are held back for urgent work — CRITICAL jobs and facts reads that could
// be CRITICAL — so that those never wait behind long jobs: a normal task only starts while
// more than `spare` workers are idle or can be started.
import { availableParallelism, getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ReadAhead } from '../../../shared/pipeline.ts';
import { err, type AppError, type Result } from '../../../shared/result.ts';
import type { Logger } from '../log.ts';
import { forkWorker, type LaunchWorker, type WorkerProcess } from './launcher.ts';

export const DEFAULT_WORKER_ENTRY = fileURLToPath(new URL('./pipeline-worker.ts', import.meta.url));

const WORKER_NICE = 10;

/**
 * Signals that stop a process on someone's request, never because of what it ran; the
 * pool itself only ever kills with SIGKILL while a task runs (and SIGTERM once it closes).
 */
const STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);

export interface PoolOptions {
  /** The worker module to fork (default: electron/host/pipeline-worker.ts of this repo). */
  entry?: string;
  /** Workers for ordinary tasks (default: os.availableParallelism()). */
  size?: number;
  /** Extra warm workers only urgent tasks may use (default 1). */
  spare?: number;
  /** Environment of the workers. */
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  /** How worker processes are started (default child_process.fork; the desktop app: utilityProcess). */
  launch?: LaunchWorker;
  /** Workers started ahead of time (default: all of them); the others start when a task needs one. */
  prewarm?: number;
  /**
   * Workers started ahead of time warm up once ready, giving way to the first task; the
   * first one warms up on these files instead (a one-shot command's, known before its
   * engine has started): their tasks then find them read (pipeline/prepared.ts).
   */
  readAhead?: ReadAhead;
  /** Warm processes kept beyond `workers` once a running task has been killed (default 1). */
  standby?: number;
  /** V8 heap limit of each worker, in MiB (default 1024): a runaway file fails its task, not the machine. */
  heapMb?: number;
  /** How much lower than the engine's the workers' OS priority is (niceness added; 0 to leave it; default 10). */
  nice?: number;
  /** A worker that has not said `ready` within this time is treated as crashed. */
  startTimeoutMs?: number;
  log?: Logger;
}

export interface RunOptions {
  onProgress?: (fraction: number, stage: string) => void;
  /** Aborting kills the worker running the task (the task ends CANCELLED). */
  signal?: AbortSignal;
  /** Urgent tasks go first and may use the spare workers. */
  urgent?: boolean;
  /** Among urgent tasks, lower goes first (CRITICAL jobs 0, facts passes 1); FIFO within. Default 1. */
  rank?: number;
  /** Kill the task's worker after this long; the task ends TIMEOUT. */
  timeoutMs?: number;
}

/** Any message with a taskId; the pipeline's are `WorkerRequest` of shared/pipeline.ts. */
export interface TaskMessage {
  type: string;
  taskId: string;
  [field: string]: unknown;
}

export interface TaskRunner {
  run(message: TaskMessage, opts?: RunOptions): Promise<Result<unknown>>;
}

interface Task {
  message: TaskMessage;
  opts: RunOptions;
  resolve: (r: Result<unknown>) => void;
  done: boolean;
  /** Why we killed its worker, if we did. */
  killed: AppError | null;
  timer: NodeJS.Timeout | null;
  onAbort: (() => void) | null;
}

interface Slot {
  child: WorkerProcess;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  task: Task | null;
  stderr: string;
  /** Resolves close()'s wait for this process. */
  exited: (() => void) | null;
}

const STDERR_TAIL = 2000;

/** close(): a worker that has not exited this long after SIGTERM is sent SIGKILL. */
const KILL_AFTER_MS = 2000;

export class WorkerPool implements TaskRunner {
  readonly size: number;
  readonly spare: number;
  readonly entry: string;
  #opts: PoolOptions;
  #slots = new Set<Slot>();
  #urgent: Task[] = [];
  #normal: Task[] = [];
  #closing = false;
  #startFailures = 0;
  #lastStartError = '';
  #readyWaiters: (() => void)[] = [];
  #readAheadGiven = false;
  #respawnTimer: NodeJS.Timeout | null = null;
  #closed: Promise<void> | null = null;
  /** Workers kept warm: one that dies is replaced at once up to this many. */
  #warmTarget: number;
  /**
   * Warm processes beyond `workers`, kept once a running task has been killed (a
   * preemption, a cancel, a timeout): the CRITICAL task that preempted a run would
   * otherwise wait for a fresh process (Node, then Polars: ~0.6 s) and run cold on it.
   */
  #standby = 0;

  constructor(opts: PoolOptions = {}) {
    this.#opts = opts;
    this.entry = opts.entry ?? DEFAULT_WORKER_ENTRY;
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.spare = Math.max(0, opts.spare ?? 1);
    this.#warmTarget = Math.min(this.workers, Math.max(0, opts.prewarm ?? this.workers));
    this.#keepWarm();
  }

  /** Number of processes the pool keeps warm. */
  get workers(): number {
    return this.size + this.spare;
  }

  get busy(): number {
    let n = 0;
    for (const s of this.#slots) if (s.state === 'busy') n++;
    return n;
  }

  get idle(): number {
    let n = 0;
    for (const s of this.#slots) if (s.state === 'idle') n++;
    return n;
  }

  /** Process ids of the live workers (diagnostics and tests). */
  get pids(): number[] {
    return [...this.#slots]
      .filter((s) => s.state !== 'dead' && s.child.pid !== undefined)
      .map((s) => s.child.pid!);
  }

  /** Resolves once every worker started so far is warm (or the pool is closing). */
  ready(): Promise<void> {
    if (this.#allReady()) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  run(message: TaskMessage, opts: RunOptions = {}): Promise<Result<unknown>> {
    if (this.#closing) return Promise.resolve(err('SHUTTING_DOWN', 'the worker pool is closing'));
    if (opts.signal?.aborted)
      return Promise.resolve(err('CANCELLED', `task ${message.taskId} was cancelled`));
    return new Promise((resolve) => {
      const task: Task = {
        message,
        opts,
        resolve,
        done: false,
        killed: null,
        timer: null,
        onAbort: null,
      };
      if (opts.signal) {
        task.onAbort = () =>
          this.#abort(task, { code: 'CANCELLED', message: `task ${message.taskId} was cancelled` });
        opts.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      if (opts.urgent) {
        // Keep the urgent list ordered by rank, FIFO within a rank.
        const rank = opts.rank ?? 1;
        const at = this.#urgent.findIndex((t) => (t.opts.rank ?? 1) > rank);
        if (at < 0) this.#urgent.push(task);
        else this.#urgent.splice(at, 0, task);
      } else {
        this.#normal.push(task);
      }
      this.#schedule();
    });
  }

  /** Kills the worker running `taskId` (or drops it while pending). */
  kill(taskId: string): boolean {
    const task = this.#findTask(taskId);
    if (!task) return false;
    this.#abort(task, { code: 'CANCELLED', message: `task ${taskId} was cancelled` });
    return true;
  }

  /**
   * Fails pending tasks, stops every worker, and resolves once they have exited, or at
   * `deadlineMs` (epoch ms; default, and at the least: 2 s after the SIGKILL, which follows
   * the SIGTERM by 2 s or at the deadline) for a worker that has not: a process with a thread in a read the kernel never ends (a
   * file on a stalled FUSE share) never reports its exit, and the engine's shutdown, which
   * has one deadline, must not wait for it. Such a worker is left behind, logged, and holds
   * this process no longer.
   */
  close(deadlineMs?: number): Promise<void> {
    return (this.#closed ??= this.#close(deadlineMs ?? Date.now() + 2 * KILL_AFTER_MS));
  }

  async #close(deadlineMs: number): Promise<void> {
    this.#closing = true;
    if (this.#respawnTimer) clearTimeout(this.#respawnTimer);
    for (const t of [...this.#urgent, ...this.#normal])
      this.#settle(t, err('SHUTTING_DOWN', 'the worker pool closed'));
    this.#urgent = [];
    this.#normal = [];
    for (const w of this.#readyWaiters.splice(0)) w();
    const killAt = Math.min(KILL_AFTER_MS, Math.max(0, deadlineMs - Date.now()));
    const live = [...this.#slots].filter((s) => s.state !== 'dead');
    const exits = live.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.exited = resolve;
          s.child.terminate();
          setTimeout(() => s.child.kill(), killAt).unref();
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      // Never before the SIGKILL has had time to end a worker that can end.
      timer = setTimeout(
        resolve,
        Math.max(killAt + KILL_AFTER_MS, deadlineMs - Date.now()),
        'late',
      );
    });
    const outcome = await Promise.race([Promise.all(exits), late]);
    clearTimeout(timer);
    if (outcome !== 'late') return;
    for (const s of live) this.#giveUp(s);
  }

  #findTask(taskId: string): Task | undefined {
    for (const s of this.#slots) if (s.task?.message.taskId === taskId) return s.task;
    return [...this.#urgent, ...this.#normal].find((t) => t.message.taskId === taskId);
  }

  #abort(task: Task, reason: AppError): void {
    if (task.done) return;
    const slot = [...this.#slots].find((s) => s.task === task);
    if (!slot) {
      this.#urgent = this.#urgent.filter((t) => t !== task);
      this.#normal = this.#normal.filter((t) => t !== task);
      this.#settle(task, { ok: false, error: reason });
      return;
    }
    // The task settles when the process has really exited, so its slot is never reused
    // early; or, when its exit is not reported soon after the SIGKILL (a thread in a read
    // on a stalled share), the process is given up on: left behind, the task settled.
    task.killed = reason;
    slot.child.kill();
    setTimeout(() => this.#giveUp(slot), 2 * KILL_AFTER_MS).unref();
    // From now on a warm standby waits beside the workers, and this one's replacement starts now.
    this.#standby = this.#opts.standby ?? 1;
    this.#warmTarget = Math.max(this.#warmTarget, this.workers + this.#standby);
    this.#keepWarm();
  }

  /** A killed worker whose exit has not come: dropped as if it had exited, and left behind. */
  #giveUp(slot: Slot): void {
    if (slot.state === 'dead') return;
    this.#opts.log?.warn('pool.worker_stuck', {
      pid: slot.child.pid,
      note: 'killed, its exit not reported (a thread blocked in the kernel: a stalled share?); left behind',
    });
    slot.child.unref?.();
    this.#onExit(slot, null, 'SIGKILL');
    slot.exited?.();
  }

  #settle(task: Task, result: Result<unknown>): void {
    if (task.done) return;
    task.done = true;
    if (task.timer) clearTimeout(task.timer);
    if (task.onAbort) task.opts.signal?.removeEventListener('abort', task.onAbort);
    task.resolve(result);
  }

  #allReady(): boolean {
    if (this.#closing) return true;
    for (const s of this.#slots) if (s.state === 'starting') return false;
    return true;
  }

  /**
   * Starts a worker; `warm`: once ready, it runs a chain until a task comes, so that its
   * first real task is fast.
   */
  #spawn(warm: boolean): void {
    const heap = this.#opts.heapMb ?? 1024;
    const child = (this.#opts.launch ?? forkWorker)(this.entry, {
      env: this.#opts.env ?? process.env,
      execArgv: [...(this.#opts.execArgv ?? []), `--max-old-space-size=${heap}`],
      args: warm ? ['--warm', ...this.#takeReadAhead()] : [],
    });
    // Workers are batch work: a lower OS priority keeps the engine's event loop (IPC,
    // the UI, dispatch) responsive when every core is busy computing.
    if (child.pid !== undefined && this.#opts.nice !== 0) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + (this.#opts.nice ?? WORKER_NICE)));
      } catch {
        // Not permitted on this system: the workers run at normal priority.
      }
    }
    const slot: Slot = { child, state: 'starting', task: null, stderr: '', exited: null };
    this.#slots.add(slot);
    child.onStderr((chunk) => {
      slot.stderr = (slot.stderr + chunk).slice(-STDERR_TAIL);
    });
    const startTimer = setTimeout(() => {
      if (slot.state === 'starting') child.kill();
    }, this.#opts.startTimeoutMs ?? 30_000);
    startTimer.unref();
    child.onMessage((m: unknown) => this.#onMessage(slot, m));
    child.onExit((code, signal) => {
      clearTimeout(startTimer);
      if (slot.state === 'dead') return; // given up on earlier (#giveUp)
      this.#onExit(slot, code, signal);
      slot.exited?.();
    });
  }

  #onMessage(slot: Slot, m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as {
      type?: unknown;
      taskId?: unknown;
      fraction?: unknown;
      stage?: unknown;
      result?: unknown;
    };
    if (msg.type === 'ready') {
      if (slot.state !== 'starting') return;
      slot.state = 'idle';
      this.#startFailures = 0;
      if (this.#allReady()) for (const w of this.#readyWaiters.splice(0)) w();
      this.#schedule();
      return;
    }
    const task = slot.task;
    if (!task || msg.taskId !== task.message.taskId || task.killed) return;
    if (msg.type === 'progress') {
      if (typeof msg.fraction === 'number')
        task.opts.onProgress?.(msg.fraction, String(msg.stage ?? ''));
      return;
    }
    if (msg.type === 'result') {
      const r = msg.result as { ok?: unknown } | null;
      const result: Result<unknown> =
        r && typeof r === 'object' && typeof r.ok === 'boolean'
          ? (r as Result<unknown>)
          : err('INTERNAL', `worker sent a malformed result for task ${task.message.taskId}`);
      slot.task = null;
      slot.state = 'idle';
      this.#settle(task, result);
      this.#schedule();
    }
  }

  #onExit(slot: Slot, code: number | null, signal: string | null): void {
    const wasStarting = slot.state === 'starting';
    slot.state = 'dead';
    this.#slots.delete(slot);
    const task = slot.task;
    slot.task = null;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const tail = slot.stderr.trim().split('\n').slice(-5).join('\n');
    // A worker still starting, ended by SIGINT: a terminal's Ctrl-C reaches the whole
    // process group, and reached it before it ignores the signal (pipeline-worker.ts, once
    // loaded). Its command is stopping (its engine shuts down in order): nothing failed, no
    // task was lost. Said as such, and no failure to start (three of them, a pool of three
    // or more started at the moment of a Ctrl-C, failed every waiting task WORKER_CRASHED).
    const interrupted = wasStarting && !task && signal === 'SIGINT';
    if (interrupted && !this.#closing)
      this.#opts.log?.info('pool.worker_interrupted', {
        pid: slot.child.pid,
        how,
        note: 'a worker still starting was ended by SIGINT (a Ctrl-C reaches the whole process group); replaced, no task lost',
      });
    else if (!this.#closing)
      this.#opts.log?.warn('pool.worker_exit', {
        pid: slot.child.pid,
        how,
        task: task?.message.taskId ?? null,
        killed: task?.killed?.code ?? null,
      });
    if (task) {
      this.#settle(
        task,
        task.killed
          ? { ok: false, error: task.killed }
          : signal && STOP_SIGNALS.has(signal)
            ? err(
                'SHUTTING_DOWN',
                `the pipeline worker was stopped by ${signal}, sent from outside GEX Desk, while running task ${task.message.taskId}`,
              )
            : err(
                'WORKER_CRASHED',
                `the pipeline worker died (${how}) while running task ${task.message.taskId}${tail ? `: ${tail}` : ''}`,
              ),
      );
    }
    if (this.#closing) return;
    if (wasStarting && !interrupted) {
      this.#startFailures++;
      this.#lastStartError = `the pipeline worker ${this.entry} did not start (${how})${tail ? `: ${tail}` : ''}`;
    }
    if (this.#startFailures >= 3) {
      // Workers cannot start: fail what waits instead of hanging, keep trying slowly.
      for (const t of [...this.#urgent, ...this.#normal])
        this.#settle(t, err('WORKER_CRASHED', this.#lastStartError));
      this.#urgent = [];
      this.#normal = [];
      if (!this.#respawnTimer) {
        const delay = Math.min(30_000, 500 * 2 ** (this.#startFailures - 3));
        this.#respawnTimer = setTimeout(() => {
          this.#respawnTimer = null;
          this.#keepWarm();
          this.#schedule();
        }, delay);
        this.#respawnTimer.unref();
      }
      return;
    }
    this.#keepWarm();
    this.#schedule();
  }

  /** The read-ahead's arguments, for the first worker only. */
  #takeReadAhead(): string[] {
    const ahead = this.#opts.readAhead;
    if (!ahead || this.#readAheadGiven || ahead.files.length === 0) return [];
    this.#readAheadGiven = true;
    return ['--read-ahead', JSON.stringify(ahead)];
  }

  #keepWarm(): void {
    while (!this.#closing && this.#slots.size < this.#warmTarget) this.#spawn(true);
  }

  #schedule(): void {
    if (this.#closing) return;
    for (const slot of this.#slots) {
      if (slot.state !== 'idle') continue;
      let task: Task | undefined;
      if (this.#urgent.length > 0) task = this.#urgent.shift();
      else if (
        this.#normal.length > 0 &&
        this.idle + this.#startable() > this.spare + this.#standby
      )
        task = this.#normal.shift();
      if (!task) break;
      this.#start(slot, task);
    }
    this.#startForWaiting();
  }

  /** Workers that may still be started. */
  #startable(): number {
    return this.#respawnTimer ? 0 : Math.max(0, this.workers + this.#standby - this.#slots.size);
  }

  /** Starts a worker for each waiting task that no idle or starting worker will take. */
  #startForWaiting(): void {
    let starting = 0;
    for (const s of this.#slots) if (s.state === 'starting') starting++;
    const waiting = this.#urgent.length + this.#normal.length;
    // A worker started for a waiting task goes straight to it: no warm-up first.
    for (let need = waiting - starting; need > 0 && this.#startable() > 0; need--)
      this.#spawn(false);
  }

  #start(slot: Slot, task: Task): void {
    slot.state = 'busy';
    slot.task = task;
    if (task.opts.timeoutMs !== undefined) {
      task.timer = setTimeout(
        () =>
          this.#abort(task, {
            code: 'TIMEOUT',
            message: `task ${task.message.taskId} ran longer than ${task.opts.timeoutMs} ms`,
          }),
        task.opts.timeoutMs,
      );
    }
    slot.child.send(task.message);
  }
}
