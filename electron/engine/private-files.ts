// What only the user who runs GEX Desk may read, on a machine other accounts share (QA sec
// F11): with a umask of 022 the database (the audit trail, the rules), the staged copies of
// chain files, the browser's uploads and the log were readable by every local account.
// The folders GEX Desk makes for them are 0700 and their files 0600 (a staged copy 0400),
// whatever the umask, as the discovery folder's already were (host/local/discovery.ts);
// the per-user folder is made 0700 by makeDirs itself, whichever command makes it first.
// The export datasets are not: other desks attach them, so they keep the user's umask.
// A database the user pointed at, that exists already, keeps its mode: only what GEX Desk
// creates is made private. On Windows, modes mean nothing: the profile folder's ACLs apply.
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs, PRIVATE_DIR } from './make-dirs.ts';

export { PRIVATE_DIR };
export const PRIVATE_FILE = 0o600;

const posix = process.platform !== 'win32';

/** `mode` set on `path`, if it is there (best effort: a file gone meanwhile is no error). */
export function restrict(path: string, mode = PRIVATE_FILE): void {
  if (!posix) return;
  try {
    chmodSync(path, mode);
  } catch {
    // gone meanwhile, or not ours to change: its folder still keeps others out
  }
}

/**
 * A folder of GEX Desk's own (staging, uploads, logs) made 0700, or made so if it was
 * there already (made before this rule). The folders above it that are missing keep the
 * umask: they are the data folder's, whose exports other desks attach (a new `--data-dir`
 * made 0700 through its staging folder could be attached by no one) — but for the
 * per-user folder, which makeDirs always makes 0700.
 */
export function privateDir(dir: string): void {
  makeDirs(dirname(dir));
  makeDirs(dir, PRIVATE_DIR);
  restrict(dir, PRIVATE_DIR);
}

/** Folders made 0700 where missing; those there already keep their mode (the user's choice). */
export function makePrivateDirs(dir: string): void {
  makeDirs(dir, PRIVATE_DIR);
}
