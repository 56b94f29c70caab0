// Where a snapshot comes from, as the app says it: nothing for this desk's store, else
// "attached: …/gex-desk/data" — the attached export folder (another workstation's data
// folder) shortened to its last folders, which tell desks apart (the whole path in a
// tooltip and in the board's CSV). The command line and the API give it as `origin`.
import { LOCAL_ORIGIN } from '../../../shared/api.ts';

/** Characters of a folder shown whole, and of what stands for a longer one after "…/". */
const WHOLE = 28;
const TAIL = 24;

/**
 * A folder's path shortened from the left, where desks' paths agree ("/mnt/…"): its last
 * two folders ("…/gex-desk/data"), else its last one, else that one's start and end.
 */
export function shortFolder(path: string): string {
  if (path.length <= WHOLE) return path;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const two = parts.slice(-2).join('/');
  if (two.length <= TAIL) return `…/${two}`;
  const last = parts.at(-1) ?? path;
  if (last.length <= TAIL) return `…/${last}`;
  return `…/${last.slice(0, TAIL / 2 - 1)}…${last.slice(-(TAIL / 2 - 1))}`;
}

/** "attached: …/gex-desk/data" for a snapshot of an attached folder; null for this desk's own. */
export function originLabel(origin: string): string | null {
  return origin === LOCAL_ORIGIN ? null : `attached: ${shortFolder(origin)}`;
}
