// The rule editor's state and actions, apart from how they are drawn: the active
// rule set, the analyst's draft (a Monaco model kept in localStorage, so it survives
// switching views and reloads), an old version opened read-only, the engine's
// diagnostics of the draft, the history, and activation and rollback, which always
// go through a confirmation showing the diff against the active version.
// The draft remembers the version it began on (its base, kept with it): when another
// version has been activated since, the confirmation shows both sides' changes, and
// activation sends the base the analyst saw, so that the engine refuses a stale one.
// Other windows (browser tabs, a second app window) share the stored draft: a window with
// no edit of its own since it last read or wrote it takes another window's change (one
// undoable edit); one with its own edits keeps them, stops writing, and the analyst chooses
// (state/draft-sync.ts decides; `syncConflict` and the three resolutions here).
import { rememberAuthor, rememberedAuthor } from '../../state/author.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActiveRules, Diagnostic, RuleVersion } from '../../../../shared/api.ts';
import type { AppError, Result } from '../../../../shared/result.ts';
import { monaco, jsonDefaults } from '../../monaco.ts';
import { useApp } from '../../state/store.ts';
import {
  adoptUnkeyed,
  draftKeyOf,
  draftStore,
  keepUnsaved,
  readStored,
  takeUnsaved,
  unsavedKeyOf,
  type RuleDraft,
} from '../../state/rule-draft.ts';
import {
  hear,
  keptMine,
  mergeBoth,
  minimalEdit,
  readState,
  shouldWrite,
  tookTheirs,
  wrote,
  type DraftSync,
  type Heard,
  type SyncConflict,
} from '../../state/draft-sync.ts';

/** How long typing pauses before the draft is kept in the browser's storage. */
export const STORE_IDLE_MS = 400;

export const DRAFT_URI = monaco.Uri.parse('inmemory://gex-desk/rules.json');
const SCHEMA_URI = 'inmemory://gex-desk/rules.schema.json';
const versionUri = (v: number) => monaco.Uri.parse(`inmemory://gex-desk/rules-v${v}.json`);

/**
 * A change waiting for the analyst's confirmation: the text it makes active, and the
 * active version it was compared with when asked (the diff the analyst sees).
 */
export type PendingChange = {
  base: ActiveRules;
  /**
   * The version this change made, once the engine stored it (the dialog closes after the
   * new state loads): the dialog never takes it for one activated elsewhere.
   */
  made?: number;
} & (
  | { kind: 'activate'; text: string }
  | {
      kind: 'rollback';
      version: number;
      text: string;
      /**
       * What today's check says of the old text (null when it could not be asked): its
       * warnings are listed, and a text it now refuses is not offered.
       */
      diagnostics: Diagnostic[] | null;
    }
);

/** Diagnostics as Monaco markers, over the whole range the engine reported. */
export function toMarkers(
  model: monaco.editor.ITextModel,
  diags: Diagnostic[],
): monaco.editor.IMarkerData[] {
  const lines = model.getLineCount();
  const clampLine = (l: number) => Math.min(Math.max(1, l), lines);
  return diags.map((d) => {
    const line = clampLine(d.line);
    const col = Math.max(1, d.column);
    let endLine = d.endLine !== undefined ? clampLine(d.endLine) : line;
    let endCol = d.endColumn !== undefined ? Math.max(1, d.endColumn) : 0;
    if (endLine < line || (endLine === line && endCol <= col)) {
      // No range (or an empty one): mark the word at the position, else to the line's end.
      const word = model.getWordAtPosition({ lineNumber: line, column: col });
      endLine = line;
      endCol = word && word.endColumn > col ? word.endColumn : model.getLineMaxColumn(line);
    }
    return {
      severity:
        d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: `${d.code}: ${d.message}`,
      startLineNumber: line,
      startColumn: col,
      endLineNumber: endLine,
      endColumn: Math.max(endCol, endLine === line ? col + 1 : 1),
    };
  });
}

let storage = draftStore(localStorage);
/** The keys of the database whose draft `storage` keeps (null: none opened yet). */
let storageKey: string | null = null;
let unsavedKey: string | null = null;
/** What this window last read or wrote of the stored draft (kept across views, as the model is). */
let sync: DraftSync | null = null;

/** Keeps the draft of database `db` from now on (its own key: rule-draft.ts). */
function draftsOf(db: string): void {
  const key = draftKeyOf(db);
  if (key === storageKey) return;
  adoptUnkeyed(localStorage, key);
  storage = draftStore(localStorage, key);
  storageKey = key;
  unsavedKey = unsavedKeyOf(db);
  sync = null;
}

/**
 * Puts `text` in the model as one undoable edit of the part that differs, so that a cursor
 * outside it stays where it was (setValue would empty the undo stack and move the cursor).
 */
function editTo(model: monaco.editor.ITextModel, text: string): void {
  const e = minimalEdit(model.getValue(), text);
  if (!e) return;
  const range = monaco.Range.fromPositions(
    model.getPositionAt(e.start),
    model.getPositionAt(e.end),
  );
  model.pushStackElement();
  model.pushEditOperations([], [{ range, text: e.text }], () => null);
  model.pushStackElement();
}

export interface RuleEditorState {
  active: ActiveRules | null;
  history: RuleVersion[];
  draftModel: monaco.editor.ITextModel;
  draftText: string;
  dirty: boolean;
  /** The version shown read-only, if any (its model is `shownModel`). */
  viewing: number | null;
  shownModel: monaco.editor.ITextModel;
  diagnostics: Diagnostic[];
  /**
   * Whether `diagnostics` are of an earlier text than the draft now (the list says so, and
   * the editor's underlines are cleared at the edit): while the draft is checked, or after
   * its check did not finish.
   */
  diagnosticsEarlier: boolean;
  /** Whether the draft as it is now passed the engine's check; null while it is being checked or when its check did not finish. */
  checkOk: boolean | null;
  /**
   * Why the check of the draft as it is now did not finish (its budget, the engine), if it
   * did not; null while that text is checked again (asked, or due at a pause in typing).
   */
  checkFailure: AppError | null;
  /** Asks for the draft's check again (after one that did not finish). */
  checkAgain(): void;
  restored: RuleDraft | null;
  /** Another window changed the stored draft while this one had edits of its own. */
  syncConflict: SyncConflict | null;
  /** Takes the other window's draft (an undoable edit). */
  takeTheirs(): void;
  /** Keeps this window's text and writes it over the other window's draft. */
  keepMine(): void;
  /** Puts both windows' changes, merged line by line, in the draft (when they do not touch). */
  mergeTheirs(): void;
  /** The version the draft began on (the active one while the draft is the active text). */
  draftBase: number | null;
  /**
   * When the draft began on a version that is no longer active: that version, its text
   * (null while it loads) and the versions activated since, newest first.
   */
  behind: DraftBehind | null;
  /** The version this window just made active (shown while it is still the state). */
  activated: number | null;
  error: AppError | null;
  /** The draft is too large for the browser to keep: why, and what is lost with the window. */
  notKept: AppError | null;
  pending: PendingChange | null;
  author: string;
  setAuthor(a: string): void;
  viewVersion(v: number): Promise<void>;
  backToDraft(): void;
  discardDraft(): void;
  askActivate(): void;
  askRollback(v: number): Promise<void>;
  cancelPending(): void;
  /**
   * Confirms the pending change. `base`: the version the analyst saw the change against
   * (the engine refuses it if another is active by then).
   */
  confirm(comment: string, base?: number | null): Promise<AppError | null>;
  /** Puts `text` (the draft's changes carried onto the active version) in the draft, based on it. */
  carryOver(text: string): void;
  clearError(): void;
}

export interface DraftBehind {
  base: number;
  baseText: string | null;
  since: RuleVersion[];
}

export function useRuleEditor(): RuleEditorState {
  const client = useApp((s) => s.client);
  // The draft is this database's: nothing is read or kept until the engine has said which.
  const db = useApp((s) => s.health?.db_path ?? null);
  const draftModel = useMemo(
    () => monaco.editor.getModel(DRAFT_URI) ?? monaco.editor.createModel('', 'json', DRAFT_URI),
    [],
  );
  const [active, setActive] = useState<ActiveRules | null>(null);
  const activeRef = useRef<ActiveRules | null>(null);
  const [history, setHistory] = useState<RuleVersion[]>([]);
  const [draftText, setDraftText] = useState('');
  const [viewing, setViewing] = useState<{
    version: number;
    model: monaco.editor.ITextModel;
  } | null>(null);
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [checked, setChecked] = useState<{ text: string; ok: boolean } | null>(null);
  const [failed, setFailed] = useState<{ text: string; error: AppError } | null>(null);
  /**
   * A check is being answered (`busy`), or due once typing pauses (`due`): the text now is
   * checked by it or right after it, so a failure of the same text earlier is not its state
   * (QA rl2 N5: an undo back to a text whose check stopped re-ran it under "not checked").
   */
  const [busy, setBusy] = useState(false);
  const [due, setDue] = useState(false);
  const [restored, setRestored] = useState<RuleDraft | null>(null);
  const [syncConflict, setSyncConflict] = useState<SyncConflict | null>(sync?.conflict ?? null);
  const [activated, setActivated] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  /** Why the draft as it is now is not kept by the browser (too large), when it is not. */
  const [notKept, setNotKept] = useState<AppError | null>(null);
  const [pending, setPending] = useState<PendingChange | null>(null);
  const [author, setAuthorState] = useState(rememberedAuthor);
  const [draftBase, setDraftBase] = useState<number | null>(null);
  const [baseText, setBaseText] = useState<{ version: number; text: string } | null>(null);
  /** The base as stored with the draft; with no draft of its own, the active version. */
  const syncBase = useCallback(
    () => setDraftBase(storage.load()?.base ?? activeRef.current?.version ?? null),
    [],
  );

  const loadHistory = useCallback(async () => {
    if (!client) return;
    const res = await client.call('rules:history', {});
    if (res.ok) setHistory(res.value);
  }, [client]);

  /**
   * One check asked at a time: an edit made while one is answered asks again once it is, for
   * the text then (a large rule set takes seconds to check, and each pause in typing would
   * otherwise start one more beside the scheduler's work).
   */
  const checking = useRef({ busy: false, again: false });
  const check = useCallback(async (): Promise<void> => {
    if (!client) return;
    const c = checking.current;
    if (c.busy) {
      c.again = true;
      return;
    }
    c.busy = true;
    setBusy(true);
    const asked = async () => {
      for (;;) {
        c.again = false;
        const text = draftModel.getValue();
        const res = await client.call('rules:check', { text });
        if (!c.again) return { text, res };
      }
    };
    const { text, res } = await asked().finally(() => {
      c.busy = false;
      setBusy(false);
    });
    if (draftModel.getValue() !== text) return; // an older text's answer
    // A check that did not finish (its budget, the engine stopping) is the draft's state
    // until it changes or is checked again: never "checking…" with nothing being checked.
    if (!res.ok) return setFailed({ text, error: res.error });
    setFailed(null);
    setDiagnostics(res.value.diagnostics);
    setChecked({ text, ok: res.value.ok });
    monaco.editor.setModelMarkers(
      draftModel,
      'gex-rules',
      toMarkers(draftModel, res.value.diagnostics),
    );
  }, [client, draftModel]);

  /**
   * Stores the model's text as the draft, unless in conflict with another window's; a text
   * the browser refuses to keep (too large) is said, and tried again at the next edit.
   */
  const store = useCallback(() => {
    const a = activeRef.current;
    if (!a || !sync) return;
    const text = draftModel.getValue();
    const w = shouldWrite(sync, text);
    if (!w) return;
    const saved = storage.save(text, a, undefined, w.parent);
    if (!saved.ok) return setNotKept(saved.error);
    setNotKept(null);
    const rev = saved.value;
    sync = rev ? wrote(sync, rev, text) : { ...sync, text };
  }, [draftModel]);

  /** Forgets the stored draft (it is the active text now), unless it is another window's. */
  const forget = useCallback(() => {
    if (!sync || sync.conflict) return;
    setNotKept(null);
    const rev = storage.clear(sync.rev);
    if (rev) sync = wrote(sync, rev, activeRef.current?.text ?? draftModel.getValue());
  }, [draftModel]);

  /** Another window stored `h`: taken, or said to be in conflict with this window's edits. */
  const heard = useCallback(
    (h: Heard) => {
      if (!sync) return;
      const { state, action } = hear(sync, draftModel.getValue(), h);
      sync = state;
      setSyncConflict(state.conflict);
      if (action === 'take') editTo(draftModel, h.text);
      syncBase();
    },
    [draftModel, syncBase],
  );

  /**
   * Takes the active rules in; the draft follows them unless the analyst has one of their own.
   * The model (kept across views) is set only when its text differs: setValue would empty its
   * undo stack, and coming back to the view must leave Ctrl+Z working.
   */
  const applyActive = useCallback(
    (res: Result<ActiveRules>, first: boolean) => {
      if (!res.ok) return setError(res.error);
      const previous = activeRef.current;
      const hadOwnDraft = previous ? draftModel.getValue() !== previous.text : false;
      activeRef.current = res.value;
      setActive(res.value);
      if (first && sync) {
        // Back on the view: what other windows stored meanwhile, as if heard then.
        const st = storage.stored();
        heard({ rev: st.rev, parent: st.parent, text: st.draft?.text ?? res.value.text });
        if (st.draft && st.draft.text !== res.value.text) setRestored(st.draft);
      } else if (first) {
        const saved = storage.load();
        if (saved && saved.text !== res.value.text) {
          if (draftModel.getValue() !== saved.text) draftModel.setValue(saved.text);
          setRestored(saved);
        } else {
          storage.clear();
          if (draftModel.getValue() !== res.value.text) draftModel.setValue(res.value.text);
        }
        sync = readState(storage.stored().rev, draftModel.getValue());
        // A window closed before its analyst chose between its text and another's: the
        // choice again, here, its text in the editor (nothing is written until chosen).
        const unsaved = unsavedKey ? takeUnsaved(localStorage, unsavedKey) : null;
        if (unsaved && unsaved.text !== draftModel.getValue()) {
          const conflict = {
            theirs: draftModel.getValue(),
            rev: sync.rev,
            base: unsaved.base,
            rescued: unsaved.saved_at,
          };
          sync = { ...sync, conflict };
          setSyncConflict(conflict);
          editTo(draftModel, unsaved.text);
        }
      } else if (!hadOwnDraft && draftModel.getValue() !== res.value.text) {
        draftModel.setValue(res.value.text);
      }
      // A draft that is the active text now (another window activated the same) is no draft.
      if (draftModel.getValue() === res.value.text) forget();
      setDraftText(draftModel.getValue());
      syncBase();
      void check();
    },
    [draftModel, check, syncBase, heard, forget],
  );

  const loadActive = useCallback(
    async (first: boolean) => {
      if (client) applyActive(await client.call('rules:active', {}), first);
    },
    [client, applyActive],
  );

  // Schema, active rules and history once; again whenever any window activates a version.
  useEffect(() => {
    if (!client || !db) return;
    draftsOf(db);
    let live = true;
    void client.call('rules:schema', {}).then((schema) => {
      if (!live || !schema.ok) return;
      jsonDefaults.setDiagnosticsOptions({
        validate: true,
        allowComments: false,
        schemas: [{ uri: SCHEMA_URI, fileMatch: [DRAFT_URI.toString()], schema: schema.value }],
      });
    });
    void client.call('rules:active', {}).then((res) => live && applyActive(res, true));
    void client.call('rules:history', {}).then((res) => live && res.ok && setHistory(res.value));
    const off = client.on('rules:activated', () => {
      void loadActive(false);
      void loadHistory();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, db, applyActive, loadActive, loadHistory]);

  // Every edit: checked and kept as the draft (each once typing pauses), old errors dropped.
  // Kept at a pause, not at every key: writing it reads and writes the whole text in the
  // browser's storage, which at 1 MB made each key 100 ms late (QA rl F7). An edit not yet
  // kept is kept when the window is hidden, reloaded or closed, and when the view goes.
  useEffect(() => {
    let timer = 0;
    let storeTimer = 0;
    const flush = () => {
      if (!storeTimer) return;
      clearTimeout(storeTimer);
      storeTimer = 0;
      store();
      syncBase();
    };
    const sub = draftModel.onDidChangeContent(() => {
      const text = draftModel.getValue();
      setDraftText(text);
      setError(null);
      // The underlines were the earlier text's: gone until the new text's check answers (the
      // list under the editor stays, marked as from before the edit).
      if (monaco.editor.getModelMarkers({ resource: draftModel.uri, owner: 'gex-rules' }).length)
        monaco.editor.setModelMarkers(draftModel, 'gex-rules', []);
      clearTimeout(storeTimer);
      storeTimer = window.setTimeout(() => {
        storeTimer = 0;
        store();
        syncBase();
      }, STORE_IDLE_MS);
      clearTimeout(timer);
      setDue(true);
      timer = window.setTimeout(() => {
        setDue(false);
        void check();
      }, 300);
    });
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      sub.dispose();
      clearTimeout(timer);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      document.removeEventListener('visibilitychange', onHidden);
      flush();
    };
  }, [draftModel, check, syncBase, store]);

  // Another window's write of the draft (the browser tells every other window of the profile).
  useEffect(() => {
    if (!client) return;
    let queue = Promise.resolve();
    let live = true;
    const handle = async (raw: string | null) => {
      const st = readStored(raw);
      if (!st.draft) {
        // No draft: the active text, which another window may just have changed.
        const res = await client.call('rules:active', {});
        if (!live) return;
        if (res.ok && res.value.version !== activeRef.current?.version) applyActive(res, false);
      }
      const a = activeRef.current;
      if (!a || !live) return;
      heard({ rev: st.rev, parent: st.parent, text: st.draft?.text ?? a.text });
    };
    const onStorage = (e: StorageEvent) => {
      if (e.storageArea !== localStorage || (e.key !== null && e.key !== storageKey)) return;
      const raw = e.key === null ? null : e.newValue;
      queue = queue.then(() => handle(raw));
    };
    window.addEventListener('storage', onStorage);
    return () => {
      live = false;
      window.removeEventListener('storage', onStorage);
    };
  }, [client, applyActive, heard]);

  // Closed during a conflict: this window's text is no longer saved over the other's, so it
  // is kept apart for the next window (takeUnsaved above) rather than lost.
  useEffect(() => {
    const onHide = () => {
      const c = sync?.conflict;
      const text = draftModel.getValue();
      if (c && text !== c.theirs && unsavedKey)
        keepUnsaved(
          localStorage,
          { text, base: c.base, saved_at: new Date().toISOString() },
          unsavedKey,
        );
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [draftModel]);

  // The text of the version the draft began on, once another is active: the three-way view's base.
  const behindBase =
    active && draftBase !== null && active.version !== null && draftBase !== active.version
      ? draftBase
      : null;
  useEffect(() => {
    if (!client || behindBase === null || baseText?.version === behindBase) return;
    let live = true;
    void client.call('rules:get', { version: behindBase }).then((res) => {
      if (!live) return;
      if (res.ok) setBaseText(res.value);
      else setError(res.error);
    });
    return () => {
      live = false;
    };
  }, [client, behindBase, baseText]);
  const behind = useMemo<DraftBehind | null>(
    () =>
      behindBase === null
        ? null
        : {
            base: behindBase,
            baseText: baseText?.version === behindBase ? baseText.text : null,
            since: history.filter((v) => v.version > behindBase),
          },
    [behindBase, baseText, history],
  );

  const dirty = !!active && draftText !== active.text;

  const viewVersion = async (version: number) => {
    if (!client) return;
    if (version === active?.version) return setViewing(null);
    const res = await client.call('rules:get', { version });
    if (!res.ok) return setError(res.error);
    const uri = versionUri(version);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(res.value.text, 'json', uri);
    setViewing({ version, model });
  };

  const finish = async (res: Result<RuleVersion>, kind: PendingChange['kind']) => {
    if (!res.ok) {
      setError(res.error);
      return res.error;
    }
    // The new state first, then the dialog closes: the focus it gives back finds the
    // buttons as they are now (Activate disabled), not as they were. Meanwhile the dialog
    // knows the new active version is its own.
    setPending((p) => (p ? { ...p, made: res.value.version } : p));
    await loadActive(false);
    await loadHistory();
    setPending(null);
    setActivated(res.value.version);
    setError(null);
    if (kind === 'activate') {
      forget();
      setRestored(null);
      syncBase();
    }
    setViewing(null);
    return null;
  };

  return {
    active,
    history,
    draftModel,
    draftText,
    dirty,
    viewing: viewing?.version ?? null,
    shownModel: viewing?.model ?? draftModel,
    diagnostics,
    diagnosticsEarlier: checked !== null && checked.text !== draftText,
    checkOk: checked && checked.text === draftText ? checked.ok : null,
    checkFailure:
      failed && !busy && !due && failed.text === draftText && checked?.text !== draftText
        ? failed.error
        : null,
    checkAgain() {
      if (checking.current.busy) return; // this text is being checked (the button is not shown)
      setFailed(null);
      void check();
    },
    restored: dirty ? restored : null,
    draftBase,
    behind,
    activated: activated !== null && activated === active?.version && !dirty ? activated : null,
    error,
    notKept,
    pending,
    author,
    setAuthor(a) {
      setAuthorState(a);
      rememberAuthor(a);
    },
    viewVersion,
    backToDraft: () => setViewing(null),
    discardDraft() {
      if (!active) return;
      forget();
      setRestored(null);
      setViewing(null);
      draftModel.setValue(active.text);
    },
    syncConflict,
    takeTheirs() {
      const c = sync?.conflict;
      if (!c) return;
      sync = tookTheirs(c);
      setSyncConflict(null);
      editTo(draftModel, c.theirs);
      syncBase();
    },
    keepMine() {
      const c = sync?.conflict;
      if (!c) return;
      sync = keptMine(c);
      setSyncConflict(null);
      store();
      syncBase();
    },
    mergeTheirs() {
      const c = sync?.conflict;
      if (!c) return;
      const merged = mergeBoth(c, draftModel.getValue());
      if (!merged.ok) return;
      sync = keptMine(c);
      setSyncConflict(null);
      if (draftModel.getValue() === merged.text) store();
      else editTo(draftModel, merged.text);
      syncBase();
    },
    askActivate() {
      if (!active) return;
      setError(null);
      setPending({ kind: 'activate', text: draftModel.getValue(), base: active });
    },
    async askRollback(version) {
      if (!client || !active) return;
      setError(null);
      const res = await client.call('rules:get', { version });
      if (!res.ok) return setError(res.error);
      // Checked as an activation would check it: the analysis may have grown stricter
      // since that version was active.
      const checked = await client.call('rules:check', { text: res.value.text });
      setPending({
        kind: 'rollback',
        version,
        text: res.value.text,
        base: active,
        diagnostics: checked.ok ? checked.value.diagnostics : null,
      });
    },
    cancelPending: () => setPending(null),
    carryOver(text) {
      const now = activeRef.current;
      if (!now || now.version === null || !pending || pending.kind !== 'activate') return;
      // An edit, not a new value: Ctrl+Z in the editor gives the draft as it was back.
      if (draftModel.getValue() !== text)
        draftModel.pushEditOperations(
          [],
          [{ range: draftModel.getFullModelRange(), text }],
          () => null,
        );
      storage.rebase(now.version);
      syncBase();
      setError(null);
      setPending({ kind: 'activate', text, base: now });
    },
    async confirm(comment, base) {
      if (!client || !pending) return null;
      const who = author.trim();
      if (!who) {
        const e: AppError = {
          code: 'VALIDATION',
          message: 'Enter your name: every rule change is recorded with its author.',
          field: 'author',
        };
        setError(e);
        return e;
      }
      if (pending.kind === 'activate') {
        // The activated text is the one the analyst saw in the diff, even if the draft moved since.
        // (The model is the draft: activation makes it the active text, so the draft is clean.)
        const res = await client.call('rules:activate', {
          text: pending.text,
          author: who,
          comment: comment.trim(),
          ...(typeof base === 'number' ? { base } : {}),
        });
        if (res.ok && draftModel.getValue() !== pending.text) draftModel.setValue(pending.text);
        return finish(res, 'activate');
      }
      // The version the dialog's diff was against: the engine refuses the rollback when
      // another has been activated since (it would silently undo it).
      const res = await client.call('rules:rollback', {
        version: pending.version,
        author: who,
        comment: comment.trim(),
        ...(typeof base === 'number' ? { base } : {}),
      });
      return finish(res, 'rollback');
    },
    clearError: () => setError(null),
  };
}
