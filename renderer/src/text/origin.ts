// Where a snapshot comes from, as the app says it: nothing for this desk's store, else
// "attached: …/desk-b/gex-desk/data" — the attached export folder (another workstation's
// data folder) shortened to its last folders and, when those are the app's own default
// ("gex-desk/data", the same on every desk), the folder before them that names the desk
// (the user's home, the share's desk folder): two desks' default folders read apart (the
// whole path in a tooltip and in the board's CSV). Two attached folders that would still
// read alike ("…/desk/data" for /mnt/x/desk/data and /mnt/y/desk/data) each get the
// nearest folders before that tell them apart ("…/x/desk/data"), among every folder
// attached, whether its snapshots are shown or it does not answer: one folder, one label.
// The command line and the API give it as `origin`.
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

/** A folder's short form, its path and folders, and the first of them the short form shows. */
interface Short {
  label: string;
  path: string;
  parts: string[];
  from: number;
}

function shorten(path: string): Short {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const at = (label: string, from: number): Short => ({ label, path, parts, from });
  if (path.length <= WHOLE) return at(path, 0);
  const two = parts.slice(-2).join('/');
  if (DEFAULT_TAIL.test(two)) {
    const before = parts.slice(0, -2);
    const i = before.findLastIndex((p) => !PER_USER.has(p.toLowerCase()));
    if (i >= 0)
      return at(`…/${cut(before[i]!, DESK)}/${i === before.length - 1 ? '' : '…/'}${two}`, i);
  }
  if (two.length <= TAIL) return at(`…/${two}`, parts.length - 2);
  const last = parts.at(-1) ?? path;
  const room = TAIL - last.length - 1;
  if (parts.length >= 2 && room >= LEAST)
    return at(`…/${cut(parts.at(-2)!, room)}/${last}`, parts.length - 2);
  if (last.length <= TAIL) return at(`…/${last}`, parts.length - 1);
  return at(`…/${cut(last, TAIL)}`, parts.length - 1);
}

/** The folder of `o` as far from its end as `parts[i]` is from theirs (undefined: none). */
const alongside = (o: Short, parts: string[], i: number): string | undefined =>
  o.parts[o.parts.length - (parts.length - i)];

/**
 * `own`'s short form with, before it, the nearest folders that tell it apart from each of
 * `alike` (whose short forms read the same): "…/x/desk/data", "…/x/…/desk/data"; a folder
 * cut in its middle unless that would read as the other's. Null when its folders before
 * do not tell it apart (one path the end of the other's, a difference inside a cut name).
 */
function apart(own: Short, alike: Short[]): string | null {
  const { parts, from } = own;
  let left = alike;
  const kept: number[] = [];
  for (let i = from - 1; i >= 0 && left.length > 0; i--) {
    const differ = left.filter((o) => alongside(o, parts, i) !== parts[i]);
    if (differ.length === 0) continue;
    kept.unshift(i);
    left = left.filter((o) => !differ.includes(o));
  }
  if (left.length > 0) return null;
  const shown = (i: number) => {
    const short = cut(parts[i]!, DESK);
    const same = alike.some((o) => {
      const theirs = alongside(o, parts, i);
      return theirs !== undefined && theirs !== parts[i] && cut(theirs, DESK) === short;
    });
    return same ? parts[i]! : short;
  };
  let label = kept[0]! > 0 ? '…/' : /^[\\/]/.test(own.path) ? '/' : '';
  kept.forEach((i, n) => {
    const next = kept[n + 1] ?? from;
    label += `${shown(i)}/${next === i + 1 ? '' : '…/'}`;
  });
  return label + own.label.slice('…/'.length);
}

/**
 * A folder's path shortened from the left, where desks' paths agree ("/mnt/…"): its last
 * two folders ("…/desk-b/data"), the one before the last cut in its middle when both are
 * too long ("…/gex-anal…-EAGblL/data"), else its last one, else that one's start and end.
 * When the two are the app's default, the nearest folder before them that is not a
 * per-user one names the desk: "…/desk-b/gex-desk/data", "…/ana/…/gex-desk/data"
 * (/home/ana/.config/…). `among`: the other attached folders (all of them); one whose
 * short form would read the same adds the nearest folders before that tell them apart
 * ("…/x/desk/data" beside "…/y/desk/data"), else the path is shown whole.
 */
export function shortFolder(path: string, among: readonly string[] = []): string {
  const others = [...new Set(among)].filter((o) => o !== path && o !== LOCAL_ORIGIN);
  const own = shorten(path);
  const all = others.map(shorten);
  const alike = all.filter((o) => o.label === own.label);
  if (alike.length === 0) return own.label;
  const label = apart(own, alike);
  // Told apart from each alike, and read as none of theirs told apart from theirs.
  const theirs = alike.map((o) => apart(o, [own, ...alike.filter((x) => x !== o)]));
  return label === null || theirs.includes(label) || all.some((o) => o.label === label)
    ? path
    : label;
}

/**
 * "attached: …/desk-b/gex-desk/data" for a snapshot of an attached folder (told apart from
 * the other attached folders, `among`, as shortFolder does); null for this desk's own.
 */
export function originLabel(origin: string, among: readonly string[] = []): string | null {
  return origin === LOCAL_ORIGIN ? null : `attached: ${shortFolder(origin, among)}`;
}
