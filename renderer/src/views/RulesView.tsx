// The Rules view: the draft in Monaco (checked by the engine as you type), the dry
// run before → after, the history, and activation and rollback through a
// confirmation with the diff. State and actions live in useRuleEditor; this file
// lays them out. Default export, because the view is loaded lazily with Monaco.
//
// The side panel's tabs are a list: the dry run on typed facts, "What would change"
// (the what-if on the last real requests, issue 11) and the history; the first two
// decide with the text the editor shows (the draft, or a version opened read-only). The tab on screen
// is in the address (`#/rules/whatif`), so Back from a request's audit trail returns to it.
import { useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useApp } from '../state/store.ts';
import { ErrorLine } from '../components/common.tsx';
import type { AppError } from '../../../shared/result.ts';
import { Modal } from '../components/Modal.tsx';
import { plural } from '../text/words.ts';
import { limitsOf, partlyCheckedWhy, validText } from '../../../shared/check-verdict.ts';
import { localStamp } from '../text/time.ts';
import { useRuleEditor, type RuleEditorState } from './rules/useRuleEditor.ts';
import { RuleEditor } from './rules/RuleEditor.tsx';
import { DryRun } from './rules/DryRun.tsx';
import { WhatIf } from './rules/WhatIf.tsx';
import { RuleHistory } from './rules/RuleHistory.tsx';
import { ConfirmChange } from './rules/ConfirmChange.tsx';
import { tabList } from '../components/one-of.ts';
import { mergeBoth, type SyncConflict } from '../state/draft-sync.ts';
import { lineDiff } from '../text/line-diff.ts';
import { statsText } from './rules/DiffView.tsx';
import { draftSubject, versionSubject, type RuleSubject } from './rules/subject.ts';

type SideTab = {
  id: string;
  label: (r: RuleEditorState) => ReactNode;
  render: (r: RuleEditorState) => ReactNode;
};

/** The text the side panel decides with: the one the editor shows. */
const subjectOf = (r: RuleEditorState): RuleSubject =>
  r.viewing !== null
    ? versionSubject(r.viewing, r.shownModel.getValue())
    : draftSubject(r.draftText, r.checkOk, r.checkFailure !== null);

const SIDE_TABS: SideTab[] = [
  {
    id: 'dry',
    label: () => 'Dry run',
    render: (r) => (
      <DryRun
        activeText={r.active?.text ?? ''}
        activeVersion={r.active?.version ?? null}
        subject={subjectOf(r)}
      />
    ),
  },
  {
    id: 'whatif',
    label: () => 'What would change',
    render: (r) => <WhatIf subject={subjectOf(r)} activeVersion={r.active?.version ?? null} />,
  },
  {
    id: 'history',
    label: (r) => (
      <>
        History <span className="num count">{r.history.length}</span>
      </>
    ),
    render: (r) => (
      <RuleHistory
        history={r.history}
        viewing={r.viewing}
        onView={(v) => void r.viewVersion(v)}
        onRollback={(v) => void r.askRollback(v)}
      />
    ),
  },
];

/** Why a check did not finish, in the header's few words. */
export const notCheckedWhy = (e: AppError): string =>
  e.code === 'RULES_TOO_COMPLEX'
    ? 'not checked: the analysis ran past its time budget'
    : e.code === 'SHUTTING_DOWN'
      ? 'not checked: the engine is shutting down'
      : `not checked: the check failed (${e.code})`;

function CheckState({
  r,
  statusRef,
}: {
  r: RuleEditorState;
  statusRef: RefObject<HTMLSpanElement | null>;
}) {
  if (r.viewing !== null) return null;
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.diagnostics.length - errors;
  // Valid but not wholly checked (ANALYSIS_LIMIT): not the green "valid" (QA rl F5).
  const limits = r.checkOk && !r.checkFailure ? limitsOf(r.diagnostics) : 0;
  const others = warnings - limits;
  const text = r.checkFailure
    ? notCheckedWhy(r.checkFailure)
    : r.checkOk === null
      ? 'checking…'
      : r.checkOk
        ? `${validText(r.diagnostics)}${others ? `, ${plural(others, limits ? 'other warning' : 'warning')}` : ''}`
        : `${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`;
  const why = limits
    ? `${partlyCheckedWhy(limits)}${others ? `; ${plural(others, 'other warning')}` : ''}`
    : undefined;
  return (
    <span
      className={`check-state ${r.checkOk === false || r.checkFailure ? 'neg' : limits ? 'warn' : r.checkOk ? 'pos' : 'muted'}`}
      data-testid="rules-check"
      aria-label={why}
      title={why}
      role="status"
      // Focus lands here when Check again, pressed, goes with its banner (QA rl2 N1).
      tabIndex={-1}
      ref={statusRef}
    >
      {text}
    </span>
  );
}

/**
 * Another window changed the stored draft while this one had edits of its own: neither is
 * lost; the analyst takes theirs, keeps theirs out (saving this one), or merges both.
 */
function SyncConflictBanner({ r, c }: { r: RuleEditorState; c: SyncConflict }) {
  const merged = useMemo(() => mergeBoth(c, r.draftText), [c, r.draftText]);
  const stats = useMemo(() => statsText(lineDiff(r.draftText, c.theirs)), [c, r.draftText]);
  return (
    <div className="banner warn sync-conflict" role="alert" data-testid="sync-conflict">
      <span>
        {c.rescued ? (
          <>
            <b>Your unsaved text from a window closed at {localStamp(c.rescued)} is back</b>: the
            draft had been changed in another window ({stats} against yours). Nothing is saved over
            it until you choose:{' '}
          </>
        ) : (
          <>
            <b>This draft was changed in another window</b> ({stats} against yours). Your text here
            is kept and no longer saved over theirs until you choose:{' '}
          </>
        )}
        {merged.ok
          ? 'take theirs, keep yours, or merge both changes.'
          : `take theirs or keep yours; both changed line ${merged.conflicts[0]!.line}, so they cannot be merged.`}
      </span>
      <span className="sync-actions">
        <button className="btn tiny" onClick={r.takeTheirs} title="Ctrl+Z gives your text back">
          Take theirs
        </button>
        <button className="btn tiny" onClick={r.keepMine} title="Saves your text over theirs">
          Keep mine
        </button>
        {merged.ok && (
          <button className="btn tiny" onClick={r.mergeTheirs}>
            Merge both
          </button>
        )}
      </span>
    </div>
  );
}

/**
 * The draft's check did not finish: why (the engine's message, how long it ran) and the
 * way to ask again. Not dismissable: it is the draft's state until it changes or checks.
 * Said as it appears (an alert); Check again goes with it while the check runs, so it
 * leaves the focus on the header's status ("checking…"), not on the page's body.
 */
function CheckFailedBanner({
  r,
  e,
  onAgain,
}: {
  r: RuleEditorState;
  e: AppError;
  onAgain: () => void;
}) {
  return (
    <div className="banner error check-failed" role="alert" data-testid="check-failed">
      <ErrorLine error={e} />
      <button
        className="btn tiny"
        onClick={() => {
          r.checkAgain();
          onAgain();
        }}
      >
        Check again
      </button>
    </div>
  );
}

/** The one banner that describes the editor's state now (never a past one). */
function StateBanner({ r }: { r: RuleEditorState }) {
  if (r.syncConflict) return <SyncConflictBanner r={r} c={r.syncConflict} />;
  if (r.viewing !== null)
    return (
      <div className="banner info" data-testid="viewing-banner">
        Version {r.viewing}, read-only. The active version is {r.active?.version ?? '—'}.
        <button className="btn tiny" onClick={() => void r.askRollback(r.viewing!)}>
          Roll back to v{r.viewing}…
        </button>
        <button className="btn tiny ghost" onClick={r.backToDraft}>
          Back to {r.dirty ? 'your draft' : 'the active version'}
        </button>
      </div>
    );
  if (r.restored)
    return (
      <div className="banner info" data-testid="draft-banner">
        Your unsaved draft from {localStamp(r.restored.saved_at)} is back
        {r.restored.base !== null && r.restored.base !== r.active?.version
          ? `; it was started from v${r.restored.base}, and v${r.active?.version} is active now`
          : ''}
        .
      </div>
    );
  if (r.activated !== null)
    return (
      <div className="banner ok" data-testid="activated-banner" role="status">
        Version {r.activated} is now active.
      </div>
    );
  return null;
}

export default function RulesView() {
  const r = useRuleEditor();
  const tab = useApp((s) => s.rulesTab) || 'dry';
  const setTab = (id: string) =>
    useApp.setState({ view: 'rules', rulesTab: id === 'dry' ? '' : id });
  // Where the focus goes when a dialog's opener is disabled by what the dialog did.
  const focusEditor = useRef<() => void>(() => {});
  const checkStatus = useRef<HTMLSpanElement>(null);
  const [discarding, setDiscarding] = useState(false);
  const side = SIDE_TABS.find((t) => t.id === tab) ?? SIDE_TABS[0]!;
  const readOnly = r.viewing !== null;
  const tabs = tabList(
    'rules-side',
    SIDE_TABS.map((t) => t.id),
    side.id,
    setTab,
  );

  return (
    <div className="view rules-view" data-testid="rules-view">
      <h1 className="sr-only" tabIndex={-1}>
        Rules
      </h1>
      <div className="toolbar">
        <span className="strong" data-testid="rules-title">
          {readOnly
            ? `Version ${r.viewing}`
            : r.dirty
              ? 'Your draft'
              : `Version ${r.active?.version ?? '—'}`}
          {!readOnly && !r.dirty && r.active ? <span className="tag ok">active</span> : null}
          {!readOnly && r.dirty && <span className="tag warn">edited, not active</span>}
          {readOnly && <span className="tag">read-only</span>}
        </span>
        <CheckState r={r} statusRef={checkStatus} />
        <span className="spacer" />
        <button className="btn" disabled={!r.dirty || readOnly} onClick={() => setDiscarding(true)}>
          Discard draft…
        </button>
        <button
          className="btn primary"
          disabled={readOnly || !r.dirty || r.checkOk !== true}
          title={
            readOnly
              ? 'An old version cannot be activated as it is: roll back to it'
              : !r.dirty
                ? 'Nothing to activate: the draft is the active version'
                : r.checkFailure
                  ? "The draft's check did not finish: check it again (only a rule set checked whole is activated)"
                  : r.checkOk === null
                    ? 'Wait for the check of the draft: only a checked rule set is activated'
                    : r.checkOk === false
                      ? 'Fix the errors in the draft to activate it'
                      : undefined
          }
          onClick={r.askActivate}
        >
          Activate…
        </button>
      </div>
      <StateBanner r={r} />
      {!readOnly && r.checkFailure && (
        <CheckFailedBanner r={r} e={r.checkFailure} onAgain={() => checkStatus.current?.focus()} />
      )}
      {r.notKept && !readOnly && (
        <div className="banner warn" role="alert" data-testid="draft-not-kept">
          <span>
            <b>Not kept if the window closes.</b> {r.notKept.message}
          </span>
        </div>
      )}
      {r.error && !r.pending && (
        <div className="banner error" role="alert">
          <ErrorLine error={r.error} />
          <button className="btn tiny ghost" onClick={r.clearError}>
            Dismiss
          </button>
        </div>
      )}
      <div className="rules-body">
        <RuleEditor
          model={r.shownModel}
          readOnly={readOnly}
          diagnostics={r.diagnostics}
          earlier={
            r.diagnosticsEarlier
              ? r.checkFailure
                ? 'From before your last edit: the check of the text now did not finish.'
                : 'From before your last edit; checking…'
              : null
          }
          focusRef={focusEditor}
        />
        <div className="rules-side">
          <div className="segmented" {...tabs.list} aria-label="Rule tools">
            {SIDE_TABS.map((t) => (
              <button
                key={t.id}
                {...tabs.tab(t.id)}
                className={t.id === side.id ? 'on' : ''}
                onClick={() => setTab(t.id)}
              >
                {t.label(r)}
              </button>
            ))}
          </div>
          <div {...tabs.panel} className="side-panel-body">
            {side.render(r)}
          </div>
        </div>
      </div>
      {r.pending && r.active && (
        <ConfirmChange
          pending={r.pending}
          activeVersion={r.active.version}
          active={r.active}
          draftBase={r.draftBase}
          behind={r.behind}
          onCarryOver={r.carryOver}
          author={r.author}
          setAuthor={r.setAuthor}
          error={r.error}
          onConfirm={r.confirm}
          onCancel={r.cancelPending}
          fallbackFocus={() => focusEditor.current()}
          diagnostics={
            r.pending.kind === 'activate' ? r.diagnostics : (r.pending.diagnostics ?? [])
          }
        />
      )}
      {discarding && (
        <Modal
          title="Discard your draft?"
          onClose={() => setDiscarding(false)}
          testId="discard-dialog"
          fallbackFocus={() => focusEditor.current()}
        >
          <p>
            Your edits are lost and the editor shows active version {r.active?.version ?? '—'}{' '}
            again. This cannot be undone.
          </p>
          <div className="modal-actions">
            <button className="btn" data-autofocus onClick={() => setDiscarding(false)}>
              Keep the draft
            </button>
            <button
              className="btn danger"
              onClick={() => {
                r.discardDraft();
                setDiscarding(false);
              }}
            >
              Discard
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
