// The analyst's unsaved rule edits, kept in this browser profile (the per-user data
// of the desktop app), per database, so they survive switching views, a reload or a restart; the
// version they started from is kept with them, so the editor can say when another
// version has been activated since. Several windows share it: every write names its
// revision and the one it replaced (see draft-sync.ts), and a forgotten draft leaves a
// marker with them too, so another window can tell what the change was built on.
// The browser keeps about 5 million characters per app: a larger draft cannot be kept,
// which `save` answers as an error (QUOTA_EXCEEDED) instead of throwing, so the editor
// goes on (its check, its dry run) and says the draft would be lost with the window.
import { err, messageOf, ok, type Result } from '../../../shared/result.ts';
import { localStamp } from '../text/time.ts';

export interface RuleDraft {
  text: string;
  /** The active version when the draft was started. */
  base: number | null;
  /** ISO time of the last edit. */
  saved_at: string;
}

/** What the key holds: the draft (none when forgotten) and the revision that wrote it. */
export interface StoredDraft {
  draft: RuleDraft | null;
  rev: string | null;
  /** The revision the writer replaced (what it last read or wrote). */
  parent: string | null;
}

export const DRAFT_KEY = 'gex-desk.rules-draft';

/**
 * The key of one database's draft. A draft is of one database's rules (its base is a
 * version there): one key for all followed the browser to another database served at
 * the same address (or the app opened on another), and offered it there, its base a
 * version that database does not have.
 */
export const draftKeyOf = (db: string): string => `${DRAFT_KEY}@${db}`;

/**
 * Moves a draft kept before drafts were kept per database (under DRAFT_KEY) to `key`,
 * when `key` holds none: the first database opened after the update takes it.
 */
export function adoptUnkeyed(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  key: string,
): void {
  const old = storage.getItem(DRAFT_KEY);
  if (old === null || key === DRAFT_KEY) return;
  if (storage.getItem(key) === null) storage.setItem(key, old);
  storage.removeItem(DRAFT_KEY);
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

export function readStored(raw: string | null): StoredDraft {
  if (!raw) return { draft: null, rev: null, parent: null };
  try {
    const d = JSON.parse(raw) as Partial<RuleDraft> & { rev?: unknown; parent?: unknown };
    const draft =
      typeof d.text === 'string' && typeof d.saved_at === 'string'
        ? { text: d.text, base: typeof d.base === 'number' ? d.base : null, saved_at: d.saved_at }
        : null;
    return { draft, rev: str(d.rev), parent: str(d.parent) };
  } catch {
    return { draft: null, rev: null, parent: null };
  }
}

export const readDraft = (raw: string | null): RuleDraft | null => readStored(raw).draft;

const newRev = () => globalThis.crypto.randomUUID();

export interface DraftStore {
  load(): RuleDraft | null;
  /** The draft with its revision. */
  stored(): StoredDraft;
  /**
   * Keeps `text` as the draft, or forgets the draft when it equals the active text; `parent`
   * is the revision it replaces. Returns the revision written (null: nothing to forget), or
   * QUOTA_EXCEEDED when the browser refused to keep a text that large (the stored draft
   * left as it was).
   */
  save(
    text: string,
    active: { version: number | null; text: string },
    now?: Date,
    parent?: string | null,
  ): Result<string | null>;
  /** Records `version` as the stored draft's base (its changes were carried onto it). */
  rebase(version: number): void;
  /** Forgets the draft (a marker naming the revision it replaced); null when there was none. */
  clear(parent?: string | null): string | null;
}

export function draftStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  key = DRAFT_KEY,
): DraftStore {
  const stored = () => readStored(storage.getItem(key));
  const clear = (parent: string | null = stored().rev) => {
    if (!stored().draft) return null;
    const rev = newRev();
    storage.setItem(key, JSON.stringify({ rev, parent }));
    return rev;
  };
  return {
    load: () => stored().draft,
    stored,
    save(text, active, now = new Date(), parent = stored().rev) {
      if (text === active.text) return ok(clear(parent));
      const before = stored().draft;
      const base = before?.base ?? active.version;
      const rev = newRev();
      try {
        storage.setItem(
          key,
          JSON.stringify({ text, base, saved_at: now.toISOString(), rev, parent }),
        );
      } catch (e) {
        return notKept(text, before, e);
      }
      return ok(rev);
    },
    rebase(version) {
      const s = storage.getItem(key);
      const d = readDraft(s);
      if (d) storage.setItem(key, JSON.stringify({ ...JSON.parse(s!), base: version }));
    },
    clear: (parent) => clear(parent ?? undefined),
  };
}

const millions = (n: number) => (n / 1e6).toFixed(1);

/** The browser refused to keep `text` (its storage quota; rarely, storage turned off). */
function notKept(text: string, kept: RuleDraft | null, e: unknown): Result<never> {
  const quota = e instanceof DOMException && e.name === 'QuotaExceededError';
  const lost = kept
    ? `a reload or closing the window loses it, and brings back the draft kept at ${localStamp(kept.saved_at)}`
    : 'a reload or closing the window loses it';
  return err(
    'QUOTA_EXCEEDED',
    (quota
      ? `This draft (${millions(text.length)} million characters) is too large to be kept by the browser, which keeps about 5 million: `
      : `This draft could not be kept by the browser (${messageOf(e)}): `) +
      `${lost}. It is checked and can be activated as usual; to keep it, copy it into a file or activate it.`,
  );
}

/**
 * A window closed while its draft was in conflict with another window's (draft-sync.ts):
 * its text, which it was no longer saving over the other's, is kept here for the next
 * window that opens the Rules view, which offers the same choice again.
 */
export interface UnsavedDraft {
  text: string;
  /** The last text both windows had: the base of a line merge. */
  base: string;
  /** ISO time the window closed. */
  saved_at: string;
}

export const UNSAVED_KEY = 'gex-desk.rules-draft.unsaved';

/** The key of the text a window of one database's Rules view left unsaved. */
export const unsavedKeyOf = (db: string): string => `${UNSAVED_KEY}@${db}`;

export function keepUnsaved(
  storage: Pick<Storage, 'setItem'>,
  d: UnsavedDraft,
  key = UNSAVED_KEY,
): void {
  storage.setItem(key, JSON.stringify(d));
}

/** The text a closed window left unsaved, once: taken, it is no longer kept. */
export function takeUnsaved(
  storage: Pick<Storage, 'getItem' | 'removeItem'>,
  key = UNSAVED_KEY,
): UnsavedDraft | null {
  const raw = storage.getItem(key);
  if (raw === null) return null;
  storage.removeItem(key);
  try {
    const d = JSON.parse(raw) as Partial<UnsavedDraft>;
    return typeof d.text === 'string' &&
      typeof d.base === 'string' &&
      typeof d.saved_at === 'string'
      ? { text: d.text, base: d.base, saved_at: d.saved_at }
      : null;
  } catch {
    return null;
  }
}
