// A command finds the engine of its database by the discovery file in its own user folder
// (discovery.ts). A script run with a GEX_DESK_HOME or XDG_CONFIG_HOME of its own but the
// app's `--db` looks in another folder, finds nothing, and used to report the database
// held by "no GEX Desk engine". So whoever holds a database — an engine (the desktop app,
// `gex-desk serve`) or a command that opened it itself — also leaves a mark beside the
// database file, `<database>.holder.json`, naming the user folder where its discovery file
// or holder note is: `{"pid", "home"}`. The mark carries no token and no endpoint: those
// stay in the user folder, 0600 in a 0700 folder, as before; the mark only says where to
// look. A database folder may be shared with other users, or on a disk that ignores
// permissions, so the mark is written 0600 without following links, and a reader trusts
// it only when it is this user's own file (not a link, not open to others) and the folder
// it names has a private `engines/` of this user: a mark planted by someone else cannot
// send a command to another endpoint. Best effort throughout: without the mark, a command
// in another user folder cannot find the engine, as before. Plain Node.
import { lstatSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { processAlive } from '../../engine/process-alive.ts';

export interface DbMark {
  /** The process that holds the database. */
  pid: number;
  /** Its user folder: where its discovery file (`engines/<key>.json`) or holder note is. */
  home: string;
}

/** The mark's path: beside the database's real file (links resolved, its case kept). */
export function markFile(dbPath: string): string {
  let p = resolve(dbPath);
  try {
    p = realpathSync.native(p);
  } catch {
    // Not created yet: its path as given.
  }
  return `${p}.holder.json`;
}

const unix = process.platform !== 'win32';

/** This user's own, and no one else's to read or change: a regular file or folder, not a link. */
function private_(path: string, kind: 'file' | 'folder'): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return false;
  }
  if (st.isSymbolicLink() || (kind === 'file' ? !st.isFile() : !st.isDirectory())) return false;
  if (!unix) return true;
  return st.uid === process.getuid!() && (st.mode & 0o077) === 0;
}

/**
 * Marks `dbPath` as held by this process, whose user folder is `home`. Never throws: a
 * database folder this user may not write in (it holds the database, so rarely) leaves no
 * mark, and a name another user holds there (a shared folder) is left alone.
 */
export function writeMark(dbPath: string, home: string): void {
  const file = markFile(dbPath);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    rmSync(temp, { force: true }); // a crashed writer's with our pid: ours to remove, or refused
    // `wx`: created here, never through a link someone left at that name.
    writeFileSync(temp, JSON.stringify({ pid: process.pid, home: resolve(home) }) + '\n', {
      mode: 0o600,
      flag: 'wx',
    });
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

/**
 * The mark of `dbPath` when it can be trusted and its process lives; null otherwise (none,
 * another user's, a link, open to others, or naming a folder that is not this user's own).
 */
export function readMark(dbPath: string): DbMark | null {
  const file = markFile(dbPath);
  if (!private_(file, 'file')) return null;
  let m: Partial<DbMark>;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Partial<DbMark>;
  } catch {
    return null;
  }
  if (typeof m.pid !== 'number' || typeof m.home !== 'string' || !isAbsolute(m.home)) return null;
  if (!processAlive(m.pid)) return null;
  // Where it sends a command: only into this user's private folder (0700, as
  // discovery.ts makes it), whose files no one else can have written.
  if (!private_(join(m.home, 'engines'), 'folder')) return null;
  return { pid: m.pid, home: m.home };
}

/** Removes the mark while it is still `pid`'s (and this user's). */
export function removeMark(dbPath: string, pid: number): void {
  const file = markFile(dbPath);
  if (!private_(file, 'file')) return;
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as Partial<DbMark>).pid === pid)
      rmSync(file, { force: true });
  } catch {
    // gone already
  }
}

/**
 * The user folders where the holder of `dbPath` may have left its discovery file or
 * holder note: `home` (this command's), then the one its mark names, if another.
 */
export function homesOf(home: string, dbPath: string): string[] {
  const marked = readMark(dbPath)?.home;
  return marked && resolve(marked) !== resolve(home) ? [home, marked] : [home];
}
