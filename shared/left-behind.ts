// The files left in the folder watched before an inbox change (InboxStatus.left_behind),
// in words: what the CLI's `left` line and the inbox dialog add about those no inbox would
// take even moved as they lie (too deep, symbolic links), worded once for both.
import type { InboxStatus } from './api.ts';

/** How deep into dropped folders an inbox looks for files (intake/inbox-folder.ts). */
export const INBOX_MAX_DEPTH = 8;

type LeftBehind = NonNullable<InboxStatus['left_behind']>;

/** `n` of the `count` files left, as the subject of `one`/`many` ("1 of them lies"). */
const ofThem = (n: number, count: number, one: string, many: string): string =>
  n === count
    ? count === 1
      ? `it ${one}`
      : `all ${n} ${many}`
    : n === 1
      ? `1 of them ${one}`
      : `${n} of them ${many}`;

/** A relative path under `dir`, with the separator `dir` is written with. */
const under = (dir: string, rel: string): string => {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + rel : `${dir}${sep}${rel}`;
};

/**
 * What the files left behind hold that moving them as they lie would not ingest: those more
 * than INBOX_MAX_DEPTH folders deep (and where the first lies), the symbolic links; null
 * when none. Clauses joined by "; ", no final stop.
 */
export function leftBehindDetail(left: LeftBehind): string | null {
  const parts: string[] = [];
  const deep = left.too_deep;
  if (deep && deep.count > 0)
    parts.push(
      `${ofThem(deep.count, left.count, 'lies', 'lie')} more than ${INBOX_MAX_DEPTH} folders deep, in ${under(left.dir, deep.first)}${deep.count > 1 ? ' and others' : ''}, too deep for any inbox to take: move ${deep.count === 1 ? 'it' : 'them'} up into a shallower folder`,
    );
  if (left.links)
    parts.push(
      `${ofThem(left.links, left.count, 'is a symbolic link', 'are symbolic links')}, which no inbox takes`,
    );
  return parts.length ? parts.join('; ') : null;
}
