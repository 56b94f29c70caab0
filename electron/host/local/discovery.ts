// How a command finds the engine that holds its database (as a second `code` command
// finds a running VS Code): a running engine (the desktop app, `gex-desk serve`) writes
// one discovery file per database into the per-user folder, `engines/<key>.json`, where
// <key> is a hash of the database's real path. The file is the user's alone (0600, in a
// 0700 folder) and holds the engine's process id, its local endpoint (a Unix socket or a
// Windows named pipe) and the token every call must carry. It is written atomically
// (beside, then renamed) after the endpoint listens, and removed when the engine stops;
// one left by a crash is recognised (its process is gone, or nothing listens on its
// endpoint) and removed by the next command. Plain Node: no zod, no engine.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeDirs } from '../../engine/make-dirs.ts';
import { processAlive } from '../../engine/process-alive.ts';

export { processAlive };

export interface Discovery {
  /** The endpoint's protocol version (LOCAL_PROTOCOL in shared/channels.ts). */
  protocol: number;
  pid: number;
  /** The database's real path. */
  db: string;
  /** A Unix socket path or a Windows named pipe (`\\.\pipe\…`): what `http.request({socketPath})` takes. */
  endpoint: string;
  token: string;
  started_at: string;
  /** Which program serves it: `desktop` or `serve`. */
  host: string;
}

/** The database's real path (links resolved; case folded on Windows), the key's input. */
export function canonicalDb(dbPath: string, platform = process.platform): string {
  let p = resolve(dbPath);
  try {
    p = realpathSync.native(p);
  } catch {
    // Not created yet: nothing can be running on it, and the resolved path is the key.
  }
  return platform === 'win32' ? p.toLowerCase() : p;
}

export const dbKey = (dbPath: string): string =>
  createHash('sha256').update(canonicalDb(dbPath)).digest('hex').slice(0, 16);

/** The per-user folder of the discovery files (each holding its engine's token). */
export const enginesFolder = (home: string): string => join(home, 'engines');

export const discoveryFile = (home: string, dbPath: string): string =>
  join(enginesFolder(home), `${dbKey(dbPath)}.json`);

/** The per-user folder of the engines' sockets. */
export const runFolder = (home: string): string => join(home, 'run');

/** Unix socket paths are limited (104 bytes on macOS, 108 on Linux): kept well below. */
const MAX_SOCKET_PATH = 100;

/**
 * Where the engine of `dbPath` listens: a named pipe on Windows; else `<home>/run/<key>.sock`
 * when that path is short enough, or `<tmp>/gex-desk-<uid>/<key>.sock` (a 0700 folder of
 * this user) when the per-user folder is deep.
 */
export function endpointFor(home: string, dbPath: string, platform = process.platform): string {
  const key = dbKey(dbPath);
  if (platform === 'win32')
    return `\\\\.\\pipe\\gex-desk-${createHash('sha256').update(home).digest('hex').slice(0, 8)}-${key}`;
  const inHome = join(runFolder(home), `${key.slice(0, 12)}.sock`);
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH) return inHome;
  const base = Buffer.byteLength(tmpdir()) < 60 ? tmpdir() : '/tmp';
  return join(base, `gex-desk-${process.getuid?.() ?? 'user'}`, `${key.slice(0, 12)}.sock`);
}

/** A folder only this user may enter: created 0700, and refused when it is a link or another user's. */
export function privateFolder(dir: string): void {
  makeDirs(dir, 0o700);
  if (process.platform === 'win32') return;
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`${dir} is not a folder`);
  if (process.getuid && st.uid !== process.getuid())
    throw new Error(`${dir} belongs to another user`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** JSON only this user may read, written beside and renamed into place (never seen half-written). */
export function writePrivateJson(file: string, value: object): void {
  privateFolder(join(file, '..'));
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, file);
}

export const writeDiscovery = (file: string, d: Discovery): void => writePrivateJson(file, d);

/**
 * The port `gex-desk serve` last served a database on (serve-port.ts): a browser keeps a
 * page's storage (the rule draft) per origin, and the origin names the port.
 */
export const servePortFile = (home: string, dbPath: string): string =>
  join(enginesFolder(home), `${dbKey(dbPath)}.serve.json`);

export const writeServePort = (file: string, port: number): void =>
  writePrivateJson(file, { port });

/**
 * The discovery file of a database; null when there is none or it is not one (a damaged
 * file is removed). Its `protocol` may differ from ours (another version of GEX Desk):
 * the caller decides.
 */
export function readDiscovery(file: string): Discovery | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const d = JSON.parse(text) as Partial<Discovery>;
    if (
      typeof d.pid === 'number' &&
      typeof d.endpoint === 'string' &&
      typeof d.token === 'string' &&
      typeof d.db === 'string' &&
      typeof d.protocol === 'number'
    )
      return d as Discovery;
  } catch {
    // fall through: not a discovery file of ours
  }
  rmSync(file, { force: true });
  return null;
}

/** Removes the file only while it is still `d`'s (another engine may have replaced it since). */
export function removeDiscovery(file: string, d: Pick<Discovery, 'token'>): void {
  try {
    const now = JSON.parse(readFileSync(file, 'utf8')) as Partial<Discovery>;
    if (now.token === d.token) rmSync(file, { force: true });
  } catch {
    // gone already, or not ours to judge
  }
}

/** Removes a Unix socket file (never anything else); nothing to do for a named pipe. */
export function removeSocket(endpoint: string): void {
  if (process.platform === 'win32' || !existsSync(endpoint)) return;
  try {
    if (lstatSync(endpoint).isSocket()) rmSync(endpoint, { force: true });
  } catch {
    // gone meanwhile
  }
}

/**
 * A command that opened the database itself (nothing was running): its note beside the
 * discovery files, `engines/<key>.holder.json`, so that another command finding the
 * database locked knows it is one of ours, which ends by itself, and waits for it.
 */
export interface Holder {
  pid: number;
  /** `store` (a listing, the rules) or `engine` (ingest, queue --drain: runs jobs). */
  kind: string;
  started_at: string;
}

export const holderFile = (home: string, dbPath: string): string =>
  join(enginesFolder(home), `${dbKey(dbPath)}.holder.json`);

export const writeHolder = (file: string, h: Holder): void => writePrivateJson(file, h);

/** The note, while its process lives; null otherwise. */
export function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof h.pid === 'number' && processAlive(h.pid)) return h as Holder;
  } catch {
    // none, or not a note of ours
  }
  return null;
}

/** Removes the note only while it is still `pid`'s. */
export function removeHolder(file: string, pid: number): void {
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>).pid === pid)
      rmSync(file, { force: true });
  } catch {
    // gone already
  }
}
