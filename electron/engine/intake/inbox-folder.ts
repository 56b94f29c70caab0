// The inbox's folder, read without the watcher: which names are never taken, the files
// waiting (to MAX_DEPTH), how many each of its folders holds, and what keeps it from
// being used, in the analyst's words. Apart from the Inbox class (inbox.ts) because a
// one-shot command (`gex-desk inbox`, inbox-control.ts) says the same of a folder
// nobody watches.
import {
  accessSync,
  constants,
  type Dirent,
  lstatSync,
  readdirSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { INBOX_MAX_DEPTH } from '../../../shared/left-behind.ts';

/**
 * The endings a download or transfer is written under until it is complete and renamed to
 * its name (each documented by its tool): Firefox and Transmission `*.part`, Chrome and
 * Edge `*.crdownload`, Safari `*.download` (a folder bundle on macOS: its files are not
 * looked into either), Opera `*.opdownload`, Internet Explorer, old Edge and some FTP
 * clients `*.partial`, WinSCP `*.filepart` (its default for files over 100 KB: left behind
 * by an interrupted upload, which it resumes), qBittorrent `*.!qB`, µTorrent `*.!ut`,
 * BitComet `*.bc!`, Resilio Sync `*.!sync`; and aria2's control file `*.aria2`, which lies
 * beside the file it downloads in place until the download is complete.
 */
const PARTIAL_ENDINGS = [
  '.part',
  '.crdownload',
  '.download',
  '.opdownload',
  '.partial',
  '.filepart',
  '.!qB',
  '.!ut',
  '.bc!',
  '.!sync',
  '.aria2',
];
/**
 * Names never taken: dotfiles, files still being downloaded or written (PARTIAL_ENDINGS,
 * `*.tmp`), an Office lock file (`~$book.xlsx`), editor backups and autosaves (`book.csv~`,
 * `#book.csv#`), the folder files of Windows (`Thumbs.db`, `desktop.ini`) and the inbox's
 * own reason notes (`*.reason.txt`: a failed/ folder dropped in again brings them; in
 * failed/ they are told from the failed files by that name). A folder so named is not
 * looked into (Safari's `*.download` bundle).
 */
const IGNORED = new RegExp(
  `(^\\.)|(^~\\$)|(~$)|(^#.*#$)|(\\.tmp$)|(^(thumbs\\.db|desktop\\.ini)$)|(\\.reason\\.txt$)|((${PARTIAL_ENDINGS.map((e) => e.replace(/[.!]/g, '\\$&')).join('|')})$)`,
  'i',
);
/**
 * Whether `name` is the place a download holds while it is written beside it: Firefox
 * reserves the final name with an empty file and downloads into `<name>.part`, then renames
 * over it (the empty file taken would fail as EMPTY_FILE, and the download be taken again);
 * aria2 writes the file itself beside its `<name>.aria2`.
 */
const downloading = (name: string, lowerNames: Set<string>): boolean =>
  PARTIAL_ENDINGS.some((end) => lowerNames.has((name + end).toLowerCase()));
/** The inbox's own folders, at its top level. */
export const OWN_FOLDERS = ['processing', 'done', 'failed'] as const;
const OWN = new Set<string>(OWN_FOLDERS);

/** How deep into dropped folders files are looked for (said in shared/left-behind.ts too). */
export const MAX_DEPTH = INBOX_MAX_DEPTH;

/** An errno in a few words: "permission denied", "in use by another program", or its code. */
export function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EPERM' || code === 'EACCES') return 'permission denied';
  if (code === 'EBUSY') return 'in use by another program';
  if (code === 'ENAMETOOLONG') return 'a name too long for the file system';
  if (code === 'ENOTDIR') return 'a file lies where a folder is needed';
  if (code === LINKED) return 'a symbolic link lies where its folder is needed';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** What an errno says of a folder, as the end of a sentence: "does not exist (…)", "is on a read-only file system"… */
function folderWhy(e: unknown): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'does not exist (a network share disconnected, or the folder moved or deleted)';
    case 'EROFS':
      return 'is on a read-only file system';
    case 'ENOTDIR':
      return 'is not a folder';
    default:
      return `cannot be used (${errnoWords(e)})`;
  }
}

/**
 * Why an inbox folder cannot be read, for the analyst. It is not made again in its place:
 * a share that is not mounted would then fill the local disk under its mount point.
 */
export const unreadable = (dir: string, e: unknown): string =>
  `The inbox ${dir} ${folderWhy(e)}; files dropped there are taken once it can be read again.`;

/** The code of the inbox's problem when its folder does not answer (InboxStatus `problem_code`). */
export const NOT_ANSWERING = 'NOT_ANSWERING';

/**
 * Why nothing is taken from an inbox on a file system that can stall whose probe did not
 * answer (`why`: "did not answer within 3 s (a stalled network share?)"), for the analyst.
 */
export const notAnswering = (dir: string, why: string): string =>
  `not answering: ${dir} ${why}. Meanwhile nothing is taken from it or moved in it, and its files are not counted (the counts shown are the last read, if any); it is looked at again every few seconds, and files dropped there are taken once it answers.`;

/** Why the inbox's own folders cannot be made in it (a read-only share), for the analyst. */
export const unusable = (dir: string, e: unknown): string =>
  `The inbox ${dir} ${folderWhy(e)}: GEX Desk moves each file it takes into processing/, then done/ or failed/, there. Make it writable or choose another folder; files dropped there are taken then.`;

/**
 * Why one of the inbox's own folders (`sub`: its processing/, done/ or failed/) cannot be
 * made, for the analyst: a file lies there (anyone who can write into a shared inbox can put
 * one). The inbox itself is fine: the message names the file, and what to do with it.
 */
export const notAFolder = (dir: string, sub: string): string =>
  `${sub} is a file, not a folder: move it away. GEX Desk moves each file it takes into the inbox's processing/, then done/ or failed/ folder, and makes them in ${dir} once nothing lies there; files dropped there are taken then.`;

/** The code of an error thrown for an own folder of the inbox that is a symbolic link (errnoWords says it). */
export const LINKED = 'ELINKED';

/** Whether `path` is a symbolic link (false when nothing lies there). */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Why one of the inbox's own folders (`sub`) is not used: a symbolic link lies in its place
 * (to a folder or not). It is never followed: GEX Desk would count and walk whatever it leads
 * to at every status, take the files it leads to for its own (processing/: each submitted
 * and moved away), and move files into another folder than the inbox's. The inbox takes
 * nothing until a folder is there.
 */
export function linkedFolder(dir: string, sub: string): string {
  let to = '';
  try {
    to = ` (to ${readlinkSync(sub)})`;
  } catch {
    // gone meanwhile: said without where it led
  }
  return `${sub} is a symbolic link${to}, not a folder: GEX Desk does not follow it, so nothing under it is counted, taken or moved there. Move the link away (a folder is made in its place) or put a folder there; GEX Desk moves each file it takes into the inbox's processing/, then done/ or failed/ folder, and takes files dropped in ${dir} once each is a folder of ${dir}'s own.`;
}

/** The first of the inbox's own folders under `dir` that is a symbolic link; null when none. */
export function linkIn(dir: string): string | null {
  for (const name of OWN_FOLDERS) if (isLink(join(dir, name))) return join(dir, name);
  return null;
}

/** The first of the inbox's own folders under `dir` in whose place something else than a folder lies; null when none. */
export function notAFolderIn(dir: string): string | null {
  for (const name of OWN_FOLDERS) {
    const sub = join(dir, name);
    try {
      if (!statSync(sub).isDirectory()) return sub;
    } catch {
      // not made yet (made at the engine's start), or said as the inbox's own problem
    }
  }
  return null;
}

/**
 * What an engine starting on `dir` would say of it, read without making anything (a
 * one-shot command watches nothing): null when it would be watched (a folder not made yet
 * is made at the engine's start).
 */
export function folderProblem(dir: string): string | null {
  try {
    readdirSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? null : unreadable(dir, e);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    return unusable(dir, e);
  }
  const sub = notAFolderIn(dir);
  if (sub) return notAFolder(resolve(dir), sub);
  const link = linkIn(dir);
  return link ? linkedFolder(resolve(dir), link) : null;
}

/** A folder's entries; none when it is gone or unreadable. */
function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * A sub-folder's entries for waitingFiles: one it may not read (mode 000, another
 * account's 0700 in a shared inbox) is given to `onDenied`, not skipped unsaid (its files
 * would wait for ever); one gone meanwhile has none.
 */
function subEntries(
  folder: string,
  rel: string,
  onDenied: (rel: string, e: unknown) => void,
): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'EACCES' || (code === 'EPERM' && process.platform !== 'win32')) onDenied(rel, e);
    return [];
  }
}

/**
 * The entries under `dir`, to MAX_DEPTH, that `keep` keeps (paths relative to it); none when
 * it is missing, or is a symbolic link (an inbox's failed/ linked to a large folder was walked
 * at every status: linkedFolder says it instead).
 */
function entriesUnder(dir: string, keep: (e: Dirent) => boolean, depth = 0): string[] {
  if (depth === 0 && isLink(dir)) return [];
  const out: string[] = [];
  for (const e of entriesOf(dir)) {
    if (keep(e)) out.push(e.name);
    else if (e.isDirectory() && depth < MAX_DEPTH)
      for (const f of entriesUnder(join(dir, e.name), keep, depth + 1)) out.push(join(e.name, f));
  }
  return out;
}

/** Regular files under `dir` (paths relative to it): in processing/, every one is a file the inbox took. */
export const filesUnder = (dir: string): string[] => entriesUnder(dir, (e) => e.isFile());

/**
 * How many files one of the inbox's folders holds, as the analyst sees it: a symbolic link
 * refused into failed/ is one (to a folder too); `failed`: it is failed/, where a pipe,
 * socket or device refused is one too, and the `.reason.txt` written beside each failed
 * file is not (no file so named is taken: IGNORED). `counted`: which of them count (paths
 * relative to `dir`; all by default). A folder that is a symbolic link holds none.
 */
export const countUnder = (
  dir: string,
  failed = false,
  counted: (rel: string) => boolean = () => true,
): number =>
  entriesUnder(
    dir,
    (e) =>
      (e.isFile() || e.isSymbolicLink() || (failed && !e.isDirectory())) &&
      !(failed && e.name.endsWith('.reason.txt')),
  ).filter(counted).length;

/** What lies in the inbox that is neither a regular file nor a folder: a symbolic link, or a pipe, socket or device. */
export type NotAFile = 'link' | 'special';

/**
 * The regular files under an inbox `dir` not taken yet (a folder dropped in brings its
 * files, to MAX_DEPTH), as paths relative to the inbox; the inbox's own folders (or
 * whatever lies in their place: a file there is no file dropped in, folderProblem says it)
 * and ignored names are left out; each symbolic link, pipe (FIFO), socket or device is
 * given to `onLink` with which it is (the watcher refuses it), each folder deeper than
 * MAX_DEPTH to `onTooDeep` (its files are not taken: the inbox says so), each sub-folder it
 * may not read to `onDenied` (the inbox says so). An inbox that cannot be read throws; a
 * subfolder gone meanwhile is skipped. `limit`: stop once that
 * many are found (whether a folder chosen as the inbox already holds files: a home folder
 * is not walked to its end).
 */
export function waitingFiles(
  dir: string,
  onLink: (rel: string, kind: NotAFile) => void = () => undefined,
  limit = Infinity,
  onTooDeep: (rel: string) => void = () => undefined,
  onDenied: (rel: string, e: unknown) => void = () => undefined,
): string[] {
  const out: string[] = [];
  const walk = (folder: string, rel: string, depth: number): void => {
    const entries =
      depth === 0
        ? readdirSync(folder, { withFileTypes: true })
        : subEntries(folder, rel, onDenied);
    const names = new Set(entries.map((e) => e.name.toLowerCase()));
    for (const e of entries) {
      if (out.length >= limit) return;
      if (IGNORED.test(e.name) || downloading(e.name, names)) continue;
      if (depth === 0 && OWN.has(e.name)) continue;
      const relPath = rel ? join(rel, e.name) : e.name;
      // A link dropped into a shared inbox must not make the engine read its target.
      if (e.isSymbolicLink()) onLink(relPath, 'link');
      else if (e.isFile()) out.push(relPath);
      else if (e.isDirectory()) {
        if (depth < MAX_DEPTH) walk(join(folder, e.name), relPath, depth + 1);
        else onTooDeep(relPath);
      }
      // A pipe, socket or device: never opened (a pipe's open waits for a writer).
      else onLink(relPath, 'special');
    }
  };
  walk(dir, '', 0);
  return out;
}

/** Files in folders deeper than MAX_DEPTH (never taken): how many, and the first folder. */
export interface TooDeep {
  count: number;
  first: string;
}

/** What the folders `deep` (waitingFiles' `onTooDeep`, relative to `dir`) hold; null when no file. */
export function tooDeepOf(dir: string, deep: string[]): TooDeep | null {
  const count = deep.reduce((n, f) => n + countUnder(join(dir, f)), 0);
  return count ? { count, first: [...deep].sort()[0]! } : null;
}

/** Files dropped too deep to be taken, in words; null when none. */
export function deepWords(dir: string, deep: TooDeep | null): string | null {
  if (!deep) return null;
  const files = deep.count === 1 ? '1 file lies' : `${deep.count} files lie`;
  return `${files} more than ${MAX_DEPTH} folders deep in the inbox ${dir} (in ${join(dir, deep.first)}${deep.count > 1 ? ', …' : ''}) and will not be taken: the inbox looks ${MAX_DEPTH} folders deep at most. Move them up into a shallower folder.`;
}

/**
 * The files of `dir` that lie too deep to be taken, in words, as a watching inbox says it
 * (a one-shot command watches nothing: `gex-desk inbox` says it all the same); null when
 * none, or when the folder cannot be read (folderProblem says that).
 */
export function deepProblem(dir: string): string | null {
  const deep: string[] = [];
  try {
    waitingFiles(dir, undefined, Infinity, (f) => void deep.push(f));
  } catch {
    return null;
  }
  return deepWords(resolve(dir), tooDeepOf(dir, deep));
}

/** What a folder no inbox watches any more still holds of what was dropped into it. */
export interface LeftFiles {
  /** All of them: files waiting, files too deep, symbolic links. */
  count: number;
  tooDeep: TooDeep | null;
  links: number;
}

/**
 * What the folder watched before a change still holds that no inbox takes now (those
 * under it that `keep` keeps, relative paths: the new folder, should it lie in it, left
 * out): the files that were waiting, and what it would not have taken either — the files
 * more than MAX_DEPTH folders deep, the symbolic links. Nothing when it cannot be read.
 */
export function leftFiles(dir: string, keep: (rel: string) => boolean): LeftFiles {
  const deep: string[] = [];
  let links = 0;
  let files: string[];
  try {
    files = waitingFiles(
      dir,
      (f, kind) => void (kind === 'link' && keep(f) && links++),
      Infinity,
      (f) => void (keep(f) && deep.push(f)),
    ).filter(keep);
  } catch {
    return { count: 0, tooDeep: null, links: 0 };
  }
  const tooDeep = tooDeepOf(dir, deep);
  return { count: files.length + (tooDeep?.count ?? 0) + links, tooDeep, links };
}
