// An underlying as an address names it (`#/snapshots/history/<underlying>`): one holding a
// character no underlying may (shared/underlyings.ts) is said to be none, in the app's own
// words and escaped, and never asked of the engine. `SP%E2%80%8BX` (SP, U+200B, X) was
// asked, and the History pane said "There is no snapshot of SPX." while SPX had snapshots.
import { underlyingProblem } from '../../../shared/underlyings.ts';
import { echoed } from '../../../shared/visible.ts';

/** Why an address's text names no underlying (as the engine would refuse it); null when it may. */
export const notAnUnderlying = (text: string): string | null =>
  text.trim() === '' ? null : underlyingProblem(text);

/** What the History pane says of such an address: the text escaped and cut, and why. */
export const notAnUnderlyingText = (text: string, why: string): string =>
  `The address names “${echoed(text)}”, which is not an underlying: it ${why}. Nothing was looked up.`;
