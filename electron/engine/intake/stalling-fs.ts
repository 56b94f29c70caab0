// Whether a file lies on a file system that can stall: a network share (NFS, SMB, sshfs…)
// or any FUSE file system, whose read may never return. A thread in such a read is in an
// uninterruptible kernel wait, and a process cannot end while one of its threads is: so
// the engine never reads such a file itself — a copier process does (copier.ts), which
// can be abandoned. Told WITHOUT touching the file's own file system:
// - Linux: the mount table (/proc/self/mountinfo, parsed once and read again every few
//   seconds), the longest mount point above the path. Symbolic links are followed by hand
//   with lstat/readlink on local folders only, so that a link from a local folder to a
//   share counts as the share; the walk stops (remote) at the first component that is on
//   or is the mount point of a stalling file system. A folder once walked is remembered
//   with the table (a burst from one folder walks it once). Costs: nothing more than a
//   scan of the cached table where no stalling file system is mounted (most machines);
//   else a folder lookup and one lstat of the file (the kernel's dentry cache).
// - Windows: a UNC path (\\server\share, \\?\UNC\…) is remote; a mapped drive letter is
//   not told apart from a local disk (that needs a system call Node does not offer).
// - Elsewhere (macOS): local. There is no cheap signal that is safe: statfs on the path
//   would itself reach the share.
// stallingShare also says WHICH share (the mount point, or \\server\share): one that did
// not answer a moment ago is not asked again while a read there is still stuck (staging.ts).
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, posix, resolve } from 'node:path';

/** File system types whose reads may never return (a network, or a process serving them). */
const STALLING = new Set([
  'fuse',
  'fuseblk',
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  '9p',
  'sshfs',
  'afs',
  'coda',
  'ceph',
  'glusterfs',
  'davfs',
  'lustre',
  'gpfs',
  'beegfs',
  'ocfs2',
  'gfs2',
  'ncpfs',
  'vboxsf',
  'virtiofs',
]);

export function stallingType(type: string): boolean {
  return STALLING.has(type) || type.startsWith('fuse.') || type.startsWith('fuseblk.');
}

export interface Mount {
  /** The mount point, unescaped. */
  at: string;
  type: string;
}

/** A mount point as mountinfo writes it: space, tab, newline and backslash as octal escapes. */
const unescape = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** The mounts of a /proc/PID/mountinfo text, in its order (a later mount on the same point is on top). */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    // ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL…] - TYPE SOURCE SUPER-OPTIONS
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 7 || dash < 0 || dash + 1 >= fields.length) continue;
    mounts.push({ at: unescape(fields[4]!), type: fields[dash + 1]! });
  }
  return mounts;
}

/** The mount an absolute, normalised path lies on: the longest mount point above it (the later on a tie). */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const above =
      m.at === '/' || path === m.at || (path.startsWith(m.at) && path[m.at.length] === '/');
    if (above && (!best || m.at.length >= best.at.length)) best = m;
  }
  return best;
}

/** Whether a path (absolute, normalised) lies on a stalling file system, by the table alone. */
export function onStallingMount(mounts: readonly Mount[], path: string): boolean {
  const m = mountOf(mounts, path);
  return m !== undefined && stallingType(m.type);
}

const MOUNTINFO = '/proc/self/mountinfo';
/** How long a parsed table is used before it is read again (a share mounted meanwhile). */
export const MOUNTS_FRESH_MS = 3000;
let cached: { mounts: Mount[]; atMs: number } | null = null;

/** This process's mount table, read again when older than MOUNTS_FRESH_MS; empty where there is none. */
export function currentMounts(nowMs = performance.now()): Mount[] {
  if (cached && nowMs - cached.atMs < MOUNTS_FRESH_MS) return cached.mounts;
  let mounts: Mount[] = [];
  try {
    mounts = parseMountinfo(readFileSync(MOUNTINFO, 'utf8'));
  } catch {
    // No /proc: nothing is known to stall.
  }
  cached = { mounts, atMs: nowMs };
  return mounts;
}

/** A Windows path naming a server's share: \\server\share\…, //server/share/…, \\?\UNC\…. */
export function uncPath(path: string): boolean {
  if (/^[\\/]{2}[?.][\\/]/.test(path)) return /^[\\/]{2}\?[\\/]UNC[\\/]/i.test(path);
  return /^[\\/]{2}[^\\/]/.test(path);
}

/** The share of a UNC path, `\\server\share` (lower case: Windows' names are not case-sensitive); null for another path. */
export function uncShare(path: string): string | null {
  if (!uncPath(path)) return null;
  const parts = path
    .replace(/^[\\/]{2}\?[\\/]UNC[\\/]/i, '')
    .split(/[\\/]/)
    .filter((p) => p !== '');
  return `\\\\${parts.slice(0, 2).join('\\')}`.toLowerCase();
}

/** At most this many links are followed (the kernel's own limit): beyond, the capture says ELOOP. */
const MAX_LINKS = 40;

/**
 * Folders already walked, for each table: its resolved path when local, null when it
 * may stall. A burst of files of one folder walks it once; a new table starts anew.
 */
const folders = new WeakMap<readonly Mount[], Map<string, string | Stalls>>();
const MAX_FOLDERS = 1000;

/** Where a walk stopped: `at`, the mount point of the stalling file system it reached. */
interface Stalls {
  stalls: string;
}

/**
 * Whether reading `file` may reach a stalling file system (see the header). The walk's
 * lstat and readlink only ever touch local folders; a path that does not exist is local
 * (the capture says so).
 */
export function mayStall(
  file: string,
  platform: NodeJS.Platform = process.platform,
  mounts?: readonly Mount[],
): boolean {
  return stallingShare(file, platform, mounts) !== null;
}

/**
 * The share reading `file` may reach, or null when it may not stall (mayStall): on Linux
 * the mount point of the stalling file system its walk reaches (through links), on
 * Windows the `\\server\share` of a UNC path.
 */
export function stallingShare(
  file: string,
  platform: NodeJS.Platform = process.platform,
  mounts?: readonly Mount[],
): string | null {
  if (platform === 'win32') return uncShare(file);
  if (platform !== 'linux') return null;
  const table = mounts ?? currentMounts();
  // No stalling file system mounted at all (most machines): nothing to walk.
  if (!table.some((m) => stallingType(m.type))) return null;
  const abs = isAbsolute(file) ? posix.normalize(file) : resolve(file);
  if (abs === '/') return onStallingMount(table, abs) ? '/' : null;
  let known = folders.get(table);
  if (!known) folders.set(table, (known = new Map()));
  const folder = posix.dirname(abs);
  let real = known.get(folder);
  if (real === undefined) {
    const walked = walk(table, '/', folder);
    if (walked === undefined) return null;
    real = walked;
    if (known.size >= MAX_FOLDERS) known.clear();
    known.set(folder, real);
  }
  if (typeof real !== 'string') return real.stalls;
  const last = walk(table, real, posix.basename(abs));
  return last !== undefined && typeof last !== 'string' ? last.stalls : null;
}

/** The stalling mount `path` lies on, as a walk's stop; null when it is local. */
function stallsAt(table: readonly Mount[], path: string): Stalls | null {
  const m = mountOf(table, path);
  return m !== undefined && stallingType(m.type) ? { stalls: m.at } : null;
}

/**
 * Resolves `rest` from the resolved local folder `from`, links followed by hand: the
 * resolved path; where a component may stall, the mount it lies on (at once); undefined
 * when it does not exist.
 */
function walk(table: readonly Mount[], from: string, rest: string): string | Stalls | undefined {
  let done = from;
  const here = stallsAt(table, done);
  if (here) return here;
  let parts = rest.split('/').filter((p) => p !== '' && p !== '.');
  let links = 0;
  while (parts.length > 0) {
    const name = parts.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      done = posix.dirname(done);
      continue;
    }
    const next = done === '/' ? `/${name}` : `${done}/${name}`;
    const there = stallsAt(table, next);
    if (there) return there;
    let link: string;
    try {
      if (!lstatSync(next).isSymbolicLink()) {
        done = next;
        continue;
      }
      link = readlinkSync(next);
    } catch {
      return undefined;
    }
    if (++links > MAX_LINKS) return undefined;
    if (link.startsWith('/')) done = '/';
    parts = [...link.split('/').filter((p) => p !== ''), ...parts];
  }
  return done;
}
