// Pipeline workers in the desktop app run as Electron utility processes
// (`utilityProcess.fork`): a Node environment Electron starts itself, so the packaged
// app needs no ELECTRON_RUN_AS_NODE (whose fuse is off: the signed app must not double
// as a general Node interpreter). This adapts a UtilityProcess to the engine's
// WorkerProcess; the worker entry talks through `process.parentPort` there.
import { constants } from 'node:os';
import { utilityProcess } from 'electron';
import type { LaunchWorker } from '../engine/workers/launcher.ts';

const signalName = (n: number): string | null =>
  Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? null;

/** Node's own exit codes (nodejs.org/api/process.html#exit-codes): not read as signals. */
const NODE_EXIT_CODES: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 7, 10, 12, 13, 14]);

/**
 * A UtilityProcess 'exit' number as the pool's (code, signal). On POSIX it is "the exit
 * code obtained from waitpid" (electron.d.ts): for a process killed by a signal, the raw
 * wait status — Chromium's GetTerminationStatus stores `status` itself
 * (base/process/kill_posix.cc), and Electron's HandleTermination compares it with
 * SIGTERM/SIGKILL (electron_api_utility_process.cc) — that is the signal's number (15
 * for SIGTERM), or 128 + it when a core was dumped. A worker that exits by itself reports
 * its code through the node service (process.exit(2) → 2, Electron's spec). Both N and
 * 128 + N are read as signals here (128 + N is also the shell's form, should some
 * version report that), except where N is one of Node's own exit codes: 1 is an
 * uncaught exception, so a SIGHUP in the raw form stays a crash; 9 is read as SIGKILL.
 * Electron reports its own kill() (our `terminate`) as 0. Windows has no signals.
 */
export function utilityExit(
  code: number,
  platform: NodeJS.Platform = process.platform,
): { code: number | null; signal: string | null } {
  if (platform === 'win32') return { code, signal: null };
  const raw = code > 0 && code < 32 && !NODE_EXIT_CODES.has(code) ? signalName(code) : null;
  const cored = code > 128 && code < 128 + 32 ? signalName(code - 128) : null;
  const signal = raw ?? cored;
  if (signal) return { code: null, signal };
  // A raw wait status of a plain exit (its code shifted left by 8), should one come this way.
  if (code > 255 && (code & 0xff) === 0) return { code: code >> 8, signal: null };
  return { code, signal: null };
}

export const launchUtilityWorker: LaunchWorker = (entry, opts) => {
  const child = utilityProcess.fork(entry, opts.args, {
    env: opts.env,
    // The heap limit (--max-old-space-size); NODE_OPTIONS is ignored with its fuse off.
    execArgv: opts.execArgv,
    // stdin cannot be anything but ignored; stderr is piped for the crash report.
    stdio: ['ignore', opts.stdout ?? 'inherit', 'pipe'],
    serviceName: opts.name ?? 'GEX Desk pipeline worker',
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  // A V8 fatal error is followed by 'exit', which reports it; an 'error' event without
  // a listener would throw in the main process.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (exited) return;
      try {
        child.postMessage(message);
      } catch {
        // The process is going away; its exit reports the task.
      }
    },
    // UtilityProcess.kill() asks (SIGTERM); a worker stuck in native code must stop at once.
    kill() {
      const pid = child.pid;
      if (exited) return;
      if (pid === undefined) return void child.kill();
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        child.kill();
      }
    },
    terminate: () => void (exited || child.kill()),
    onMessage: (l) => void child.on('message', (message: unknown) => l(message)),
    onExit: (l) =>
      void child.on('exit', (raw: number) => {
        const { code, signal } = utilityExit(raw);
        l(code, signal);
      }),
    onStderr: (l) => void child.stderr?.on('data', (chunk: Buffer) => l(chunk.toString())),
  };
};
