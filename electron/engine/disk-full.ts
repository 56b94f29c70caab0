// A full disk, however it is reported: Node's ENOSPC, or DuckDB's and Polars' own words
// ("Could not write file …: No space left on device"). It is the machine's doing, not the
// file's: an IO error (the command line exits 3; the job may be retried, and it does not
// count against the source) whose message leads with what to do.
import { statfsSync } from 'node:fs';
import { err, type Result, messageOf } from '../../shared/result.ts';

export function isDiskFull(e: unknown): boolean {
  if ((e as NodeJS.ErrnoException)?.code === 'ENOSPC') return true;
  return /No space left on device/i.test(messageOf(e));
}

/** What a disk-full message says to do (folder-fault.ts says it again for a job that ended). */
export const FREE_SPACE = 'free some space, then retry';

/** IO for `file`: `what` could not write (in `where`, when known) because the disk is full. */
export function diskFull(file: string, what: string, e: unknown, where?: string): Result<never> {
  const detail = messageOf(e);
  return err(
    'IO',
    `${file}: the disk is full: ${what} could not write${where ? ` in ${where}` : ''}; ${FREE_SPACE} (${detail})`,
    { file, transient: true },
  );
}

/** Below this much free space, a write that failed failed for want of it. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * A write into `dir` failed in a library's own words (Polars' Parquet writer on a full disk
 * says "File out of specification: Invalid thrift: transport error", never ENOSPC): the
 * error as ENOSPC when the disk under `dir` is (all but) full at that moment, else as it was.
 */
export function asDiskFull(e: unknown, dir: string): unknown {
  if (isDiskFull(e)) return e;
  try {
    const { bavail, bsize } = statfsSync(dir);
    if (Number(bavail) * Number(bsize) >= NEARLY_FULL_BYTES) return e;
  } catch {
    return e;
  }
  const message = messageOf(e);
  return Object.assign(new Error(`ENOSPC: no space left on device, write (${message})`), {
    code: 'ENOSPC',
  });
}
