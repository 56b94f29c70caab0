// Pipeline workers in the desktop app run as Electron utility processes
// (`utilityProcess.fork`): a Node environment Electron starts itself, so the packaged
// app needs no ELECTRON_RUN_AS_NODE (whose fuse is off: the signed app must not double
// as a general Node interpreter). This adapts a UtilityProcess to the engine's
// WorkerProcess; the worker entry talks through `process.parentPort` there.
import { utilityProcess } from 'electron';
import type { LaunchWorker } from '../engine/workers/launcher.ts';

export const launchUtilityWorker: LaunchWorker = (entry, opts) => {
  const child = utilityProcess.fork(entry, opts.args, {
    env: opts.env,
    // The heap limit (--max-old-space-size); NODE_OPTIONS is ignored with its fuse off.
    execArgv: opts.execArgv,
    // stdin cannot be anything but ignored; stderr is piped for the crash report.
    stdio: ['ignore', 'inherit', 'pipe'],
    serviceName: 'GEX Desk pipeline worker',
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
    onExit: (l) => void child.on('exit', (code: number) => l(code, null)),
    onStderr: (l) => void child.stderr?.on('data', (chunk: Buffer) => l(chunk.toString())),
  };
};
