// How a pipeline worker process is started. Under Node (the CLI, `serve`, tests) it is
// child_process.fork; the desktop app passes Electron's utilityProcess.fork instead, so
// that the packaged app never needs ELECTRON_RUN_AS_NODE (which would make the signed app
// a general Node interpreter). The pool sees only this interface.
import { fork } from 'node:child_process';

export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  /** Stops it at once (SIGKILL); its exit follows. */
  kill(): void;
  /** Asks it to stop (SIGTERM). */
  terminate(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Its standard error, for the crash report. */
  onStderr(listener: (chunk: string) => void): void;
  /** No longer keeps this process alive (a worker left behind, its exit never reported). */
  unref?(): void;
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** Node options such as the heap limit. */
  execArgv: string[];
  args: string[];
  /** Its standard output: the parent's (default), or none (a process that may outlive its use). */
  stdout?: 'inherit' | 'ignore';
  /** What the system shows it as (the desktop app's utility process). */
  name?: string;
}

export type LaunchWorker = (entry: string, opts: LaunchOptions) => WorkerProcess;

export const forkWorker: LaunchWorker = (entry, opts) => {
  const child = fork(entry, opts.args, {
    env: opts.env,
    execArgv: opts.execArgv,
    stdio: ['ignore', opts.stdout ?? 'inherit', 'pipe', 'ipc'],
    serialization: 'json',
  });
  // 'exit' follows an 'error' (a failed spawn included), and reports it.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      try {
        child.send(message as never);
      } catch {
        // The process is going away; its exit reports the task.
      }
    },
    kill: () => void child.kill('SIGKILL'),
    terminate: () => void child.kill('SIGTERM'),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void child.on('exit', (code, signal) => l(code, signal)),
    onStderr: (l) => void child.stderr?.on('data', (chunk: Buffer) => l(chunk.toString())),
    unref: () => {
      child.unref();
      child.channel?.unref();
      (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
    },
  };
};
