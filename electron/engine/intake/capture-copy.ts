// The part of a capture that touches the analyst's file: its stat, the copy of its bytes
// to a temporary file of the staging area, the hash of that copy (keeping both ends) and
// its sync, and the stat again that tells a file changed while it was read. staging.ts
// runs it in the engine's process for a local file; a copier process (copier-process.ts)
// runs the same for a file on a file system that can stall (stalling-fs.ts), so that a
// read that never returns holds that process, never the engine's. A refusal of the file
// is a Result; a failed system call is thrown, for the caller to name (staging.ts).
// A file the watched inbox took is read from a descriptor opened without following a link
// and checked to be the very file the inbox took (QA sec2 N7: one swapped for a link in
// processing/ was followed, and the link's target ingested): `seen`.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { byteSizesApart } from '../../../shared/bytes.ts';
import type { FileIdentity } from '../../../shared/copier.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { CHAIN_FOLDER_HINT, notAFile } from '../read-error.ts';

export const EDGE_BYTES = 64 * 1024;
const CHUNK = 1024 * 1024;

/** The captured copy: its content hash, its size and both ends (up to EDGE_BYTES each). */
export interface Copied {
  hash: string;
  size: number;
  head: Buffer;
  tail: Buffer;
}

export interface CopyOptions {
  /** Largest file accepted (FILE_TOO_LARGE beyond). */
  maxBytes: number;
  /** fsync the copied bytes before they are acknowledged (default true). */
  durable?: boolean;
  /** Set when the capture was given up (its timeout): the reading stops. */
  abandoned?: AbortSignal;
  /**
   * The file as the watched inbox saw it when it took it: read then from a descriptor
   * opened without following a link, and only if it is that file (copyTaken).
   */
  seen?: FileIdentity;
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

const fingerprint = (s: Fingerprint): Fingerprint => ({
  size: s.size,
  mtimeMs: s.mtimeMs,
  ino: s.ino,
  dev: s.dev,
});
const sameFile = (a: Fingerprint, b: Fingerprint) =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev;

/**
 * Copies `file` to `tmp` (a clone where the file system can clone, else a copy made in the
 * kernel: bytes of our own, which the analyst's later writes cannot touch), hashes and
 * syncs the copy. Refused: not a regular file, empty, too large, changed while read.
 * Throws what a system call threw.
 */
export async function copyOut(file: string, tmp: string, o: CopyOptions): Promise<Result<Copied>> {
  if (o.seen) return copyTaken(file, tmp, o, o.seen);
  const s = await stat(file);
  if (!s.isFile()) return notAFile(file, s.isDirectory(), CHAIN_FOLDER_HINT);
  const before = fingerprint(s);
  const refused = sizeRefused(file, before.size, o.maxBytes);
  if (refused) return refused;
  await copyFile(file, tmp, constants.COPYFILE_FICLONE);
  const copied = await hashCopy(tmp, o);
  if (o.abandoned?.aborted) return abandonedCapture(file);
  const after = fingerprint(await stat(file).catch(() => ({ ...before, mtimeMs: NaN })));
  if (copied.size !== before.size || !sameFile(before, after)) return changed(file);
  return ok(copied);
}

/** Empty, or above the limit: refused before a byte is copied. */
function sizeRefused(file: string, bytes: number, maxBytes: number): Result<never> | null {
  if (bytes === 0) return err('EMPTY_FILE', `${file} is empty`, { file });
  if (bytes <= maxBytes) return null;
  const [size, limit] = byteSizesApart(bytes, maxBytes);
  return err(
    'FILE_TOO_LARGE',
    `${file} is ${size}, above the limit of ${limit} (setting limits.maxFileBytes)`,
    { file },
  );
}

const abandonedCapture = (file: string): Result<never> =>
  err('TIMEOUT', `${file}: the capture was abandoned`, { file });
const changed = (file: string): Result<never> =>
  err(
    'FILE_CHANGED',
    `${file} changed, or was moved or deleted, while it was being read; nothing of it was taken: submit it again once it is complete and in place`,
    { file },
  );

/** The identity the inbox records of a file it takes (a rename keeps it). */
export const identityOf = (s: { dev: bigint; ino: bigint }): FileIdentity => ({
  dev: String(s.dev),
  ino: String(s.ino),
});

/** Whether `file` is, by its path (a link not followed), the regular file the inbox took. */
export async function isSeen(file: string, seen: FileIdentity): Promise<boolean> {
  const s = await lstat(file, { bigint: true }).catch(() => null);
  const id = s?.isFile() ? identityOf(s) : null;
  return id?.dev === seen.dev && id.ino === seen.ino;
}

/**
 * How a file the inbox took is opened: never through a link (O_NOFOLLOW: the open fails),
 * and without waiting for a writer (O_NONBLOCK: a pipe put in its place cannot hold it).
 * Windows has neither (the flags are 0); its inbox takes no link at the door either.
 */
const TAKEN_OPEN = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * copyOut of a file the watched inbox took into processing/: opened without following a
 * link, and read only if the descriptor is a regular file and the very one the inbox saw
 * (`seen`, its device and inode; a rename keeps both) — a link or another file put in its
 * place meanwhile by whoever can write processing/ is refused, unread. Its bytes are copied
 * from that descriptor, never by its path again.
 */
async function copyTaken(
  file: string,
  tmp: string,
  o: CopyOptions,
  seen: FileIdentity,
): Promise<Result<Copied>> {
  let fh: FileHandle;
  try {
    fh = await open(file, TAKEN_OPEN);
  } catch (e) {
    // ELOOP (EMLINK on FreeBSD): a symbolic link where the taken file was.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      return err(
        'NOT_A_FILE',
        `${file} was replaced by a symbolic link after the inbox took it; links are never followed, nothing was read`,
        { file },
      );
    throw e;
  }
  try {
    const s = await fh.stat({ bigint: true });
    if (!s.isFile()) return notAFile(file, s.isDirectory(), CHAIN_FOLDER_HINT);
    const id = identityOf(s);
    if (id.dev !== seen.dev || id.ino !== seen.ino)
      return err(
        'FILE_CHANGED',
        `${file} is no longer the file the inbox took: another file was put in its place in processing/; nothing was read`,
        { file },
      );
    const size = Number(s.size);
    const refused = sizeRefused(file, size, o.maxBytes);
    if (refused) return refused;
    // One byte more than it had: a file growing meanwhile is told, not copied to the end.
    const got = await copyFrom(fh, tmp, size + 1, o.abandoned);
    if (o.abandoned?.aborted) return abandonedCapture(file);
    const copied = await hashCopy(tmp, o);
    const after = await fh.stat({ bigint: true });
    const same = after.size === s.size && after.mtimeNs === s.mtimeNs;
    if (got !== size || copied.size !== size || !same) return changed(file);
    return ok(copied);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Copies up to `most` bytes of `from` into a new file `to` (the user's alone): the bytes copied. */
async function copyFrom(
  from: FileHandle,
  to: string,
  most: number,
  abandoned?: AbortSignal,
): Promise<number> {
  const out = await open(to, 'wx', 0o600);
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let done = 0;
    while (done < most && !abandoned?.aborted) {
      const { bytesRead } = await from.read(buf, 0, Math.min(CHUNK, most - done), done);
      if (bytesRead === 0) break;
      await out.write(buf, 0, bytesRead);
      done += bytesRead;
    }
    return done;
  } finally {
    await out.close();
  }
}

/** Hashes the captured copy, keeping its two ends, and syncs it before it is acknowledged. */
async function hashCopy(path: string, o: CopyOptions): Promise<Copied> {
  const fh = await open(path, 'r');
  try {
    const copied = await readAll(fh, o.abandoned);
    if (o.durable !== false) await fh.datasync();
    return copied;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Reads a whole file in chunks into two buffers, alternating (the tail may span the last
 * two chunks), hashing it and keeping both ends.
 */
async function readAll(fh: FileHandle, abandoned?: AbortSignal): Promise<Copied> {
  const hash = createHash('sha256');
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)] as const;
  let size = 0;
  let head: Buffer | null = null;
  let last: Buffer = Buffer.alloc(0);
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; ; n++) {
    if (abandoned?.aborted) break;
    // The buffer of the chunk before `last`: `previous` is no longer needed once this read lands.
    const buf = buffers[n % 2]!;
    const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    hash.update(chunk);
    if (head === null) head = Buffer.from(chunk.subarray(0, EDGE_BYTES));
    previous = last;
    last = chunk;
    size += bytesRead;
  }
  return {
    hash: hash.digest('hex'),
    size,
    head: head ?? Buffer.alloc(0),
    tail: tailOf(previous, last),
  };
}

/** The last EDGE_BYTES of the two final chunks, copied (their buffers are reused). */
function tailOf(previous: Buffer, last: Buffer): Buffer {
  if (last.length >= EDGE_BYTES) return Buffer.from(last.subarray(last.length - EDGE_BYTES));
  const from = previous.subarray(Math.max(0, previous.length - (EDGE_BYTES - last.length)));
  return Buffer.concat([from, last]);
}
