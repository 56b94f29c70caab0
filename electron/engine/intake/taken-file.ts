// Whether a file of the inbox's processing/ is still the one taken. Its job runs on the bytes
// captured when it was taken, and its file then moves to done/, where an analyst looks to see
// what was ingested: a file emptied or overwritten in processing/ meanwhile was moved there
// all the same, done/ holding bytes the job never read (QA mv F3). Its size, mtime and inode
// are noted at the take; one that differs at the job's end is hashed and compared with the
// content the job ran on (a file only touched is still the one taken).
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync } from 'node:fs';

/** A file as it was taken into processing/. */
export interface Taken {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** The file at `path` as it is now; null when it cannot be looked at (its move says why). */
export function takenAs(path: string): Taken | null {
  try {
    const st = lstatSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch {
    return null;
  }
}

async function sha256Of(path: string): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return null;
  }
  return hash.digest('hex');
}

/**
 * How the file at `path` differs from the one taken, in words ("0 bytes now, 48211 when
 * taken"); null when it is the same, or cannot be told (taken before this run, and its job
 * names no content; or gone: its move says so). `hash` is the content its job ran on.
 */
export async function changedSince(
  path: string,
  taken: Taken | null,
  hash: string | null,
): Promise<string | null> {
  const now = takenAs(path);
  if (!now) return null;
  if (taken && now.size === taken.size && now.mtimeMs === taken.mtimeMs && now.ino === taken.ino)
    return null;
  if (hash !== null) {
    const read = await sha256Of(path);
    if (read === null || read === hash) return null;
  } else if (!taken) return null;
  return taken && now.size !== taken.size
    ? `${now.size} bytes now, ${taken.size} when taken`
    : 'other content than was taken';
}
