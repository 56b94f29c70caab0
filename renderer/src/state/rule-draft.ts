// The analyst's unsaved rule edits, kept in this browser profile (the per-user data
// of the desktop app) so they survive switching views, a reload or a restart; the
// version they started from is kept with them, so the editor can say when another
// version has been activated since.
export interface RuleDraft {
  text: string;
  /** The active version when the draft was started. */
  base: number | null;
  /** ISO time of the last edit. */
  saved_at: string;
}

export const DRAFT_KEY = 'gex-desk.rules-draft';

export function readDraft(raw: string | null): RuleDraft | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<RuleDraft>;
    if (typeof d.text !== 'string' || typeof d.saved_at !== 'string') return null;
    return { text: d.text, base: typeof d.base === 'number' ? d.base : null, saved_at: d.saved_at };
  } catch {
    return null;
  }
}

export interface DraftStore {
  load(): RuleDraft | null;
  /** Keeps `text` as the draft, or forgets the draft when it equals the active text. */
  save(text: string, active: { version: number | null; text: string }, now?: Date): void;
  /** Records `version` as the stored draft's base (its changes were carried onto it). */
  rebase(version: number): void;
  clear(): void;
}

export function draftStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  key = DRAFT_KEY,
): DraftStore {
  return {
    load: () => readDraft(storage.getItem(key)),
    save(text, active, now = new Date()) {
      if (text === active.text) return storage.removeItem(key);
      const base = readDraft(storage.getItem(key))?.base ?? active.version;
      storage.setItem(
        key,
        JSON.stringify({ text, base, saved_at: now.toISOString() } satisfies RuleDraft),
      );
    },
    rebase(version) {
      const d = readDraft(storage.getItem(key));
      if (d) storage.setItem(key, JSON.stringify({ ...d, base: version } satisfies RuleDraft));
    },
    clear: () => storage.removeItem(key),
  };
}
