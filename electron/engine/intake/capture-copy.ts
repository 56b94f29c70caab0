// The part of a capture that touches the analyst's file: its stat, the copy of its bytes
// to a temporary file of the staging area, the hash of that copy (keeping both ends) and
// its sync, and the stat again that tells a file changed while it was read. staging.ts
// runs it in the engine's process for a local file; a copier process (copier-process.ts)
// runs the same for a file on a file system that can stall (stalling-fs.ts), so that a
// read that never returns holds that process, never the engine's. A refusal of the file
// is a Result; a failed system call is thrown, for the caller to name (staging.ts).
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, open, stat, type FileHandle } from 'node:fs/promises';
import { byteSizesApart } from '../../../shared/bytes.ts';
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
  const s = await stat(file);
  if (!s.isFile()) return notAFile(file, s.isDirectory(), CHAIN_FOLDER_HINT);
  const before = fingerprint(s);
  if (before.size === 0) return err('EMPTY_FILE', `${file} is empty`, { file });
  if (before.size > o.maxBytes) {
    const [size, limit] = byteSizesApart(before.size, o.maxBytes);
    return err(
      'FILE_TOO_LARGE',
      `${file} is ${size}, above the limit of ${limit} (setting limits.maxFileBytes)`,
      { file },
    );
  }
  await copyFile(file, tmp, constants.COPYFILE_FICLONE);
  const copied = await hashCopy(tmp, o);
  if (o.abandoned?.aborted) return err('TIMEOUT', `${file}: the capture was abandoned`, { file });
  const after = fingerprint(await stat(file).catch(() => ({ ...before, mtimeMs: NaN })));
  if (copied.size !== before.size || !sameFile(before, after))
    return err(
      'FILE_CHANGED',
      `${file} changed, or was moved or deleted, while it was being read; nothing of it was taken: submit it again once it is complete and in place`,
      { file },
    );
  return ok(copied);
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
