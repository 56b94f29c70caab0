// A data folder may be shared by several databases (two databases in one folder share its
// `data/` by default), but what an engine sweeps at its start — its staging area, its
// crash markers, the browser host's uploads — must be its own database's only: an engine
// starting on one database swept the staged bytes the other's jobs were queued or kept
// on, and they failed FILE_NOT_FOUND. Each lives in a folder of its database's.
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';

/** `<dataDir>/<kind>/<database file name>-<hash of its path>`: readable, and one per database. */
export function ownFolder(dataDir: string, dbPath: string, kind: string): string {
  const path = resolve(dbPath);
  const name = basename(path).replace(/[^A-Za-z0-9._-]/g, '_');
  const id = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return join(dataDir, kind, `${name}-${id}`);
}
