// The look a probe takes at an attached export folder on a file system that can stall
// (attached-probe.ts): run in the copier process (copier-process.ts), never in the
// engine's, since a call to a stalled share never returns and holds its thread, and a
// process cannot end while one of its threads waits so. It touches what a query touches
// first: the folder's own stat and listing, its snapshots dataset's listing, and the first
// bytes of one snapshot row file (the newest date's first file of its first underlying):
// a share that answers metadata but not reads is found too. A watched inbox there
// (intake/inbox.ts) is looked at as its poll would: the folder's stat and listing, and its
// processing/ listing (lookAtInbox).
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeLook } from '../../../shared/copier.ts';
import { SNAPSHOTS_DATASET } from '../export-layout.ts';

/** The bytes of a row file read: enough to reach the share's data, not the whole file. */
const HEAD_BYTES = 4096;

const names = async (dir: string, prefix: string, dirs: boolean): Promise<string[]> =>
  (await readdir(dir, { withFileTypes: true }))
    .filter(
      (d) =>
        (dirs ? d.isDirectory() : d.isFile() && d.name.endsWith('.parquet')) &&
        d.name.startsWith(prefix),
    )
    .map((d) => d.name)
    .sort();

/**
 * Looks at `root`: null when every call answered (a folder that is missing or holds no
 * snapshot answered too: the queries name it), else the error of the call that failed.
 */
export async function lookAtFolder(root: string): Promise<string | null> {
  try {
    if (!(await stat(root)).isDirectory()) return null;
    await readdir(root);
    const snapshots = join(root, SNAPSHOTS_DATASET);
    let underlyings: string[];
    try {
      underlyings = await names(snapshots, 'underlying=', true);
    } catch {
      return null;
    }
    const [u] = underlyings;
    if (!u) return null;
    const date = (await names(join(snapshots, u), 'date=', true)).pop();
    if (!date) return null;
    const [file] = await names(join(snapshots, u, date), '', false);
    if (!file) return null;
    const handle = await open(join(snapshots, u, date, file), 'r');
    try {
      await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    } finally {
      await handle.close();
    }
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Looks at a watched inbox `root` as its poll does: its stat and listing, and processing/'s
 * listing (one not made yet answered too). null when every call answered, else the error of
 * the call that failed (an answer all the same: the inbox's own look names it).
 */
export async function lookAtInbox(root: string): Promise<string | null> {
  try {
    if (!(await stat(root)).isDirectory()) return null;
    await readdir(root);
    await readdir(join(root, 'processing')).catch(() => undefined);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The look a probe request asks for. */
export function lookAt(root: string, look: ProbeLook = 'exports'): Promise<string | null> {
  return look === 'inbox' ? lookAtInbox(root) : lookAtFolder(root);
}
