// Whether the process that holds a database is a GEX Desk one that is still starting on
// it. A command that finds the database locked used to give any holder a grace (1.5 s for
// an engine's endpoint, then 2 s for a command's holder note) before it said so: a plain
// DuckDB process, or a GEX Desk engine that no longer answers, made "fails at once" take
// 4 to 9 s. So whoever opens the database — a command that opens it itself, `gex-desk
// serve`, the desktop app — first says so, in its own file `engines/<key>.opening-<pid>.json`
// (one per process: two starting at once cannot overwrite each other's), and removes it
// once others can find it by its holder note (a command) or its discovery file (an
// engine). The grace is given only to the process a live such file names; anything else
// holding the database is reported at once. Plain Node.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dbKey, enginesFolder, processAlive, writePrivateJson } from './discovery.ts';
import { homesOf } from './db-mark.ts';

/** `command`: it will leave a holder note; `engine`: it will put up its endpoint. */
export type OpeningKind = 'command' | 'engine';

export interface Opening {
  pid: number;
  kind: OpeningKind;
  started_at: string;
}

const openingFile = (home: string, dbPath: string, pid: number): string =>
  join(enginesFolder(home), `${dbKey(dbPath)}.opening-${pid}.json`);

/**
 * Says that this process is opening `dbPath` (before it tries to); the returned function
 * removes the file (also done when the process exits). Best effort: without the file,
 * another command that finds the database locked by this process fails at once.
 */
export function sayOpening(home: string, dbPath: string, kind: OpeningKind): () => void {
  const file = openingFile(home, dbPath, process.pid);
  const remove = () => rmSync(file, { force: true });
  try {
    writePrivateJson(file, { pid: process.pid, kind, started_at: new Date().toISOString() });
  } catch {
    return () => undefined;
  }
  process.once('exit', remove);
  return () => {
    process.off('exit', remove);
    remove();
  };
}

/**
 * The GEX Desk process opening `dbPath` that holds it: the one the lock names (`lockPid`;
 * any live one when DuckDB names none), found in `home` or the user folder the mark beside
 * the database names. Null when none is: the holder is another program, or a GEX Desk
 * that has finished starting (then its note or its endpoint says what it is).
 */
export function openingHolder(
  home: string,
  dbPath: string,
  lockPid: number | undefined,
): Opening | null {
  const prefix = `${dbKey(dbPath)}.opening-`;
  for (const h of homesOf(home, dbPath)) {
    let names: string[];
    try {
      names = readdirSync(enginesFolder(h));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.json')) continue;
      const pid = Number(name.slice(prefix.length, -'.json'.length));
      if (!Number.isInteger(pid) || (lockPid !== undefined && pid !== lockPid)) continue;
      if (pid === process.pid) continue;
      if (!processAlive(pid)) {
        // A process killed before it took its file back: ours to remove (private folder).
        rmSync(join(enginesFolder(h), name), { force: true });
        continue;
      }
      try {
        const o = JSON.parse(readFileSync(join(enginesFolder(h), name), 'utf8')) as Opening;
        if (o.pid === pid && (o.kind === 'command' || o.kind === 'engine')) return o;
      } catch {
        // being written, or not ours
      }
    }
  }
  return null;
}

/** The PID DuckDB names in a lock conflict's message, if any. */
export const lockPidOf = (message: string): number | undefined => {
  const pid = /PID (\d+)/.exec(message)?.[1];
  return pid === undefined ? undefined : Number(pid);
};
