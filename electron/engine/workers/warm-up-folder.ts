// The folder a worker's warm-up writes its chain and Parquet files into (0.6–1.4 MB), in
// the system's temporary folder. The warm-up's `finally` never ran when the pool stopped
// the worker (SIGTERM) or its engine went away (the worker exits at once): each left its
// folder for good, over a thousand of them on one machine. So the folder is removed on a
// stop signal and on the process's exit as well; a worker killed outright (SIGKILL) can
// remove nothing, so the folder is named with the worker's process id
// (`gex-warm-<pid>-XXXXXX`) and a later warm-up removes those of workers no longer alive.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../process-alive.ts';

/** A warm-up folder's name; nothing else in the temporary folder is touched. */
const NAME = /^gex-warm-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * The signals that stop a worker from outside (the pool's close, a service manager, a
 * dropped terminal). SIGINT is not among them: the worker ignores it (pipeline-worker.ts).
 */
const STOPS = ['SIGTERM', 'SIGHUP'] as const;

const remove = (path: string): void => {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Another warm-up is removing it too.
  }
};

/** Removes the warm-up folders in `parent` whose worker is no longer alive. */
export function removeLeftFolders(parent: string = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(NAME.exec(name)?.[1] ?? 0);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) remove(join(parent, name));
  }
}

export interface WarmUpFolder {
  path: string;
  /** Removes it; the process's stop signals and exit no longer need to. */
  remove(): void;
}

/**
 * Removes the folders dead workers left, and creates this warm-up's; until its `remove`,
 * a stop signal removes it and then ends the process by that signal (so the pool still
 * sees how it ended), and so does the process's exit (the worker exits when its engine
 * goes away).
 */
export function warmUpFolder(): WarmUpFolder {
  removeLeftFolders();
  let path = '';
  const removeNow = (): void => {
    if (path) remove(path);
  };
  const stopped = (signal: NodeJS.Signals): void => {
    removeNow();
    process.kill(process.pid, signal); // its listener is gone: the default ends the process
  };
  // Listening first: a signal between the folder's creation and a listener would leave it.
  process.on('exit', removeNow);
  for (const signal of STOPS) process.once(signal, stopped);
  path = mkdtempSync(join(tmpdir(), `gex-warm-${process.pid}-`));
  return {
    path,
    remove() {
      removeNow();
      process.off('exit', removeNow);
      // A signal that came during the last step reaches its listener at the loop's next
      // poll; one removed before that would be lost, and the worker would run on.
      setImmediate(() =>
        setImmediate(() => {
          for (const signal of STOPS) process.off(signal, stopped);
        }),
      );
    },
  };
}
