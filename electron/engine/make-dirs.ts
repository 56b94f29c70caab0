// `mkdir -p` that cannot spin. Node's own recursive mkdirSync loops for ever, at full
// CPU, when the file system answers ENOENT for a folder whose parent exists (/proc and
// other special or remote file systems do): a `--db` or inbox path there hung the app or
// the command. This makes each missing folder in turn and throws the first error as it
// is, which every caller already turns into a message that names the path.
// It is also the one place the per-user folder is made, 0700 whatever the umask and
// whichever folder below it is asked for (QA sec2 N5: `ingest` and `serve` made it 0755
// through the data folder, only `inbox` 0700 through the config file).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userDataDir } from './user-folder.ts';

/** A folder only its user may enter (private-files.ts says which of ours are). */
export const PRIVATE_DIR = 0o700;

export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (; !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break; // a root that does not exist (a missing drive)
  }
  if (existsSync(d) && !statSync(d).isDirectory())
    throw Object.assign(new Error(`ENOTDIR: ${d} is a file, not a folder`), { code: 'ENOTDIR' });
  const own = missing.length > 0 ? resolve(userDataDir()) : '';
  for (const d of missing) {
    const m = d === own ? PRIVATE_DIR : mode;
    try {
      mkdirSync(d, m === undefined ? undefined : { mode: m });
    } catch (e) {
      // Made meanwhile by another process (two commands starting at once): fine.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw e;
    }
  }
}
