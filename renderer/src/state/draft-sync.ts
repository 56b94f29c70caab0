// The rule draft shared by several windows (browser tabs on `gex-desk serve`, a second
// Electron window): each stored draft names its revision and the one it replaced, so a
// window hearing another's write (the `storage` event) can tell whether it builds on what
// this window last read or wrote. With no edit of its own since, the window takes the other
// draft; otherwise it keeps its own text, stops writing over the other's and says so, and
// the analyst chooses (take theirs, keep mine, or both changes merged line by line over the
// text both last had). Pure: the hook applies the decisions to Monaco and localStorage.
import { mergeLines, type MergeResult } from '../text/line-merge.ts';

/** A stored draft as another window wrote it; `text` is the active text when it is none. */
export interface Heard {
  rev: string | null;
  parent: string | null;
  text: string;
}

/** Another window's draft this window has not taken, while it keeps its own text. */
export interface SyncConflict {
  theirs: string;
  rev: string | null;
  /** The last text both windows had: the base of a line merge. */
  base: string;
  /**
   * This window's text was left unsaved by a window closed during the conflict (when, ISO):
   * the choice is offered again here.
   */
  rescued?: string;
}

export interface DraftSync {
  /** The stored revision this window last read or wrote. */
  rev: string | null;
  /** That revision's text (the active text when there was no draft). */
  text: string;
  /** The text last read from another window (or loaded): known to both. */
  common: string;
  /** This window's writes since it last read, oldest first (for a merge's base). */
  written: { rev: string; text: string }[];
  conflict: SyncConflict | null;
}

/** How many of its own writes a window remembers, to find what another window built on. */
const REMEMBERED = 50;

/** The state of a window that has just read the stored draft (`text`, at `rev`). */
export const readState = (rev: string | null, text: string): DraftSync => ({
  rev,
  text,
  common: text,
  written: [],
  conflict: null,
});

export type HeardAction = 'nothing' | 'take' | 'conflict';

/**
 * Another window stored `heard`; `local` is this window's text now. With no edit of its own
 * that the other draft lacks, this window takes it; with one, it keeps its text (a conflict).
 */
export function hear(
  s: DraftSync,
  local: string,
  heard: Heard,
): { state: DraftSync; action: HeardAction } {
  if (heard.rev !== null && heard.rev === s.rev) return { state: s, action: 'nothing' };
  // The same text on both sides: nothing to choose.
  if (heard.text === local) return { state: readState(heard.rev, local), action: 'nothing' };
  // Already in conflict: the other side moved on; the common text stays.
  if (s.conflict)
    return {
      state: { ...s, conflict: { ...s.conflict, theirs: heard.text, rev: heard.rev } },
      action: 'conflict',
    };
  const unwritten = local !== s.text;
  const ownWrites = s.written.length > 0;
  const builtOnLatest = heard.parent !== null && heard.parent === s.rev;
  if (!unwritten && (!ownWrites || builtOnLatest))
    return { state: readState(heard.rev, heard.text), action: 'take' };
  const base =
    heard.parent === s.rev
      ? s.text
      : (s.written.find((w) => w.rev === heard.parent)?.text ?? s.common);
  return {
    state: { ...s, conflict: { theirs: heard.text, rev: heard.rev, base } },
    action: 'conflict',
  };
}

/**
 * This window's text became `text`: whether to store it (never over another window's draft
 * while in conflict, nor a text already stored) and the parent revision to name.
 */
export function shouldWrite(s: DraftSync, text: string): { parent: string | null } | null {
  if (s.conflict || text === s.text) return null;
  return { parent: s.rev };
}

/** This window stored `text` as revision `rev`. */
export function wrote(s: DraftSync, rev: string, text: string): DraftSync {
  return { ...s, rev, text, written: [...s.written, { rev, text }].slice(-REMEMBERED) };
}

/** The analyst took the other window's draft: this window now has it as read. */
export const tookTheirs = (c: SyncConflict): DraftSync => readState(c.rev, c.theirs);

/**
 * The analyst kept their text (or a merge of both): it is to be written over the other
 * window's draft, which it now knowingly replaces.
 */
export const keptMine = (c: SyncConflict): DraftSync => readState(c.rev, c.theirs);

/** Both changes (base → mine, base → theirs) merged line by line, or the lines in conflict. */
export const mergeBoth = (c: SyncConflict, mine: string): MergeResult =>
  mergeLines(c.base, mine, c.theirs);

/**
 * The smallest replacement turning `from` into `to` (common start and end kept), so that an
 * edit applying it leaves a cursor outside the changed part where it was.
 */
export function minimalEdit(
  from: string,
  to: string,
): { start: number; end: number; text: string } | null {
  if (from === to) return null;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from[start] === to[start]) start++;
  let tail = 0;
  while (tail < max - start && from[from.length - 1 - tail] === to[to.length - 1 - tail]) tail++;
  return { start, end: from.length - tail, text: to.slice(start, to.length - tail) };
}
