// Where a snapshot comes from, as the app says it: nothing for this desk's store, else
// "attached: …/desk-b/gex-desk/data" — the attached export folder (another workstation's
// data folder) shortened to its last folders and, when those are the app's own default
// ("gex-desk/data", the same on every desk), the folder before them that names the desk
// (the user's home, the share's desk folder): two desks' default folders read apart (the
// whole path in a tooltip and in the board's CSV). The command line and the API give it as `origin`.
import { LOCAL_ORIGIN } from '../../../shared/api.ts';

/** Characters of a folder shown whole, and of what stands for a longer one after "…/". */
const WHOLE = 28;
const TAIL = 24;
/** Characters of the folder that names a desk before a default tail. */
const DESK = 16;

/** The last folders of every desk's default data folder (config.ts: APP_NAME, then data). */
const DEFAULT_TAIL = /^(gex-desk|gex desk)\/data$/i;
/** Per-user folders between a home and the app's folder: they name no desk. */
const PER_USER = new Set([
  '.config',
  'appdata',
  'roaming',
  'local',
  'library',
  'application support',
]);

/** A folder's name cut in its middle to `n` characters at most. */
const cut = (name: string, n: number): string => {
  const half = Math.floor(n / 2) - 1;
  return name.length <= n ? name : `${name.slice(0, half)}…${name.slice(-half)}`;
};
/** Room below which a folder cut in its middle no longer tells anything apart. */
const LEAST = 8;

/**
 * A folder's path shortened from the left, where desks' paths agree ("/mnt/…"): its last
 * two folders ("…/desk-b/data"), the one before the last cut in its middle when both are
 * too long ("…/gex-anal…-EAGblL/data"), else its last one, else that one's start and end.
 * When the two are the app's default, the nearest folder before them that is not a
 * per-user one names the desk: "…/desk-b/gex-desk/data", "…/ana/…/gex-desk/data"
 * (/home/ana/.config/…).
 */
export function shortFolder(path: string): string {
  if (path.length <= WHOLE) return path;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const two = parts.slice(-2).join('/');
  if (DEFAULT_TAIL.test(two)) {
    const before = parts.slice(0, -2);
    const at = before.findLastIndex((p) => !PER_USER.has(p.toLowerCase()));
    if (at >= 0) return `…/${cut(before[at]!, DESK)}/${at === before.length - 1 ? '' : '…/'}${two}`;
  }
  if (two.length <= TAIL) return `…/${two}`;
  const last = parts.at(-1) ?? path;
  const room = TAIL - last.length - 1;
  if (parts.length >= 2 && room >= LEAST) return `…/${cut(parts.at(-2)!, room)}/${last}`;
  if (last.length <= TAIL) return `…/${last}`;
  return `…/${cut(last, TAIL)}`;
}

/** "attached: …/desk-b/gex-desk/data" for a snapshot of an attached folder; null for this desk's own. */
export function originLabel(origin: string): string | null {
  return origin === LOCAL_ORIGIN ? null : `attached: ${shortFolder(origin)}`;
}
