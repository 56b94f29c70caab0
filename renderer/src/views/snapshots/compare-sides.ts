// What Compare says of its sides in words: where each snapshot comes from ("this desk", or
// its attached folder's label as the board's Attached from column reads it), and a side
// whose snapshot is no longer found: which side, what it was when known, that it was
// removed, and to choose another — the engine's "NOT_FOUND There is no snapshot <uuid>"
// was shown for it beside the choice's "removed: choose another" (QA sv F4). A side whose
// own folder could not be read is not said to be removed: it may be there.
import { LOCAL_ORIGIN } from '../../../../shared/api.ts';
import { shortFolder } from '../../text/origin.ts';
import { asOfStamp } from '../../text/time.ts';

/** A snapshot as Compare last knew it: enough to name it once it is gone. */
export interface KnownSide {
  underlying: string;
  as_of: string;
  origin: string;
}

/** "this desk", or the attached folder told apart among every attached folder (`among`). */
export const sideOrigin = (origin: string, among: readonly string[]): string =>
  origin === LOCAL_ORIGIN ? 'this desk' : shortFolder(origin, among);

/**
 * The status line of a side whose full id the engine no longer finds. `was`: the snapshot
 * it was, when Compare had it; `unread`: the attached folders that could not be read now.
 */
export function goneSideText(
  side: 'A' | 'B',
  id: string,
  was: KnownSide | undefined,
  unread: readonly string[],
  among: readonly string[],
  /** How its as-of is read: on the exchange's clock, as Compare's choices read it. */
  stamp: (iso: string) => string = asOfStamp,
): string {
  if (!was) {
    // A desk that attaches no folder has only its store to look in.
    if (among.length === 0)
      return `${side} (${id.slice(0, 8)}) is no longer in this desk’s store: it was removed. Choose another ${side}.`;
    const where =
      unread.length > 0
        ? 'this desk’s store nor the attached folders that could be read: it was removed, or is in a folder named above that could not be read'
        : 'this desk’s store nor the attached folders: it was removed';
    return `${side} (${id.slice(0, 8)}) is in neither ${where}. Choose another ${side}.`;
  }
  const which = `${side}, the ${was.underlying} snapshot of ${stamp(was.as_of)} from ${sideOrigin(was.origin, among)}`;
  if (was.origin === LOCAL_ORIGIN)
    return `${which}, was removed (here, in another window or by the command line): choose another ${side}.`;
  if (unread.includes(was.origin))
    return `${which}, cannot be read now: its folder could not be read (named above). Choose another ${side}, or wait until the folder answers.`;
  return `${which}, was removed from its attached export folder (by the desk that exports there): choose another ${side}.`;
}

/**
 * Whether A is later than B (their instants, whatever offset each file wrote): then every
 * move runs back in time, its sign the reverse of what happened, and Compare says so beside
 * a swap (QA wb F5: A 14:15 → B 10:52 read -15.61 Bn with no word).
 */
export const aAfterB = (a: { as_of: string }, b: { as_of: string }): boolean =>
  Date.parse(a.as_of) > Date.parse(b.as_of);

/** What Compare says when A is later than B. */
export const A_AFTER_B =
  'A is later than B: each move runs from A back to the earlier B, its sign the reverse of what happened since B.';
