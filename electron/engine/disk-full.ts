// A full disk, however it is reported: Node's ENOSPC, or DuckDB's and Polars' own words
// ("Could not write file …: No space left on device"). It is the machine's doing, not the
// file's: an IO error (the command line exits 3; the job may be retried, and it does not
// count against the source) whose message leads with what to do.
import { err, type Result } from '../../shared/result.ts';

export function isDiskFull(e: unknown): boolean {
  if ((e as NodeJS.ErrnoException)?.code === 'ENOSPC') return true;
  return /No space left on device/i.test(e instanceof Error ? e.message : String(e));
}

/** IO for `file`: `what` could not write because the disk is full. */
export function diskFull(file: string, what: string, e: unknown): Result<never> {
  const detail = e instanceof Error ? e.message : String(e);
  return err(
    'IO',
    `${file}: the disk is full: ${what} could not write; free some space, then retry (${detail})`,
    { file, transient: true },
  );
}
