// The confirmation every rule change goes through: what becomes active (the draft,
// or an old version for a rollback) as a diff against the active version, the
// number of changed lines, who is making the change and why; nothing goes live
// until the analyst confirms.
// A change that changes nothing (a rollback to the active text) is said so, not offered.
// What is missing (a name, a comment: one that reads as nothing is none) or too long (a comment past the engine's limit) is
// said beside its field, and the action is disabled until it is given or shortened.
// Requests still being decided (waiting for the read of their file) keep the rules of their
// arrival, whatever becomes active: the dialog says how many there are.
// A draft begun on a version no longer active is not offered as it is: the dialog names
// the versions activated since (who, why), shows the analyst's changes and theirs apart,
// and offers to carry the analyst's changes onto the active version (when no two touch the
// same lines) or, said as such, to activate anyway, undoing theirs. A rollback whose
// active version changed while the dialog was open must be asked again; one sent before
// this window heard of the other activation is refused by the engine (it carries the
// version its diff is against), and the refusal is shown. The version the dialog itself
// made is never called one activated elsewhere.
// The warnings of what becomes active (what the analysis left unchecked) are listed too; an
// old version today's check refuses (the analysis grew stricter since) is not offered for a
// rollback, its errors listed, rather than refused by the engine after the analyst wrote why.
import { useMemo, useState } from 'react';
import type { ActiveRules } from '../../../../shared/api.ts';
import { useApp } from '../../state/store.ts';
import type { AppError } from '../../../../shared/result.ts';
import type { Diagnostic } from '../../../../shared/rules.ts';
import { diffStats, foldUnchanged, lineDiff } from '../../text/line-diff.ts';
import { Modal } from '../../components/Modal.tsx';
import {
  AuditedForm,
  AuthorField,
  FormActions,
  WhyField,
  whyStops,
} from '../../components/form-parts.tsx';
import { plural } from '../../text/words.ts';
import { ownFieldError } from '../../text/field-error.ts';
import { BehindView } from './BehindView.tsx';
import { DiffView } from './DiffView.tsx';
import type { DraftBehind, PendingChange } from './useRuleEditor.ts';

/** Requests waiting for the read that decides them keep the rules they arrived under. */
function stillDeciding(n: number): string {
  if (n === 1) return 'the 1 request still being decided keeps the rules of its arrival';
  return `${n > 0 ? `the ${plural(n, 'request')}` : 'requests'} still being decided keep the rules of their arrival`;
}

function DiagnosticList({ items }: { items: readonly Diagnostic[] }) {
  return (
    <ul>
      {items.map((d, i) => (
        <li key={i}>
          line {d.line}, column {d.column}: {d.code}: {d.message}
        </li>
      ))}
    </ul>
  );
}

export function ConfirmChange({
  pending,
  activeVersion,
  active,
  draftBase,
  behind,
  onCarryOver,
  author,
  setAuthor,
  error,
  onConfirm,
  onCancel,
  fallbackFocus,
  diagnostics = [],
}: {
  pending: PendingChange;
  /** The version active now (another window may have activated one since the dialog opened). */
  activeVersion: number | null;
  /** The active rules now. */
  active: ActiveRules;
  /** The version the draft began on. */
  draftBase: number | null;
  /** When another version is active than the draft's base (see useRuleEditor). */
  behind: DraftBehind | null;
  onCarryOver(text: string): void;
  author: string;
  setAuthor(a: string): void;
  error: AppError | null;
  onConfirm(comment: string, base?: number | null): Promise<AppError | null>;
  onCancel(): void;
  /** Where the focus goes when the dialog closes and its opener is disabled. */
  fallbackFocus?: () => void;
  /** What `rules check` says of the text that becomes active. */
  diagnostics?: readonly Diagnostic[];
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const deciding = useApp((s) => s.stats?.totals.deciding ?? 0);
  const activating = pending.kind === 'activate';
  // An activation compares with the active version as it is now (the draft's base while it is
  // the active one); a rollback with the one it was asked against.
  const shown = activating ? active : pending.base;
  const lines = useMemo(() => lineDiff(shown.text, pending.text), [shown.text, pending.text]);
  const stats = diffStats(lines);
  const activeText = shown.text;
  const baseVersion = shown.version;
  const same = pending.text === activeText;
  // The version this dialog just made is not one activated meanwhile, elsewhere.
  const own = pending.made !== undefined && pending.made === activeVersion;
  const stale = activating && behind !== null && active.version !== null && !own;
  const rollbackStale = !activating && activeVersion !== baseVersion && !own;
  const title =
    pending.kind === 'activate'
      ? 'Activate your edited rules'
      : `Roll back to version ${pending.version}`;
  const what =
    pending.kind === 'activate'
      ? `Your draft becomes the active rule set, replacing version ${baseVersion ?? '—'}.`
      : `The text of version ${pending.version} becomes active again, as a new version, replacing version ${baseVersion ?? '—'}.`;
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const refusals = diagnostics.filter((d) => d.severity === 'error');
  // A comment that reads as nothing (a zero-width space, U+202E alone) is none (whyStops).
  const commentRequired = 'A comment is required.';
  const authorMissing = author.trim() === '';
  const stops = whyStops('change-comment', commentRequired, comment);

  const blocked = stops !== undefined || authorMissing || same || busy || refusals.length > 0;
  /** `base`: the version whose text the analyst saw replaced (the engine refuses another). */
  const submit = async (base: number | null) => {
    if (blocked) return;
    setBusy(true);
    await onConfirm(comment, base);
    setBusy(false);
  };
  // A rollback is based on the version its diff is against: refused if another is active by then.
  const plainBase = activating ? (draftBase ?? active.version) : baseVersion;

  return (
    <Modal
      title={title}
      onClose={onCancel}
      wide
      testId="confirm-change"
      fallbackFocus={fallbackFocus}
    >
      <p className="muted" data-testid="change-effect">
        {what} New requests are decided by it at once; queued and running jobs keep their level, and{' '}
        {stillDeciding(deciding)}.
      </p>
      {rollbackStale && (
        <div className="banner info" role="alert" data-testid="stale-base">
          Version {activeVersion} was activated meanwhile, elsewhere. The diff below is against
          version {baseVersion}; cancel and ask again to compare with version {activeVersion}.
        </div>
      )}
      {stale ? (
        <BehindView
          behind={behind}
          active={active as ActiveRules & { version: number }}
          draft={pending.text}
          onCarryOver={onCarryOver}
        />
      ) : (
        <>
          <div className="diff-head">
            <span>
              <b>−</b> active version {baseVersion ?? '—'} · <b>+</b>{' '}
              {pending.kind === 'activate' ? 'your draft' : `version ${pending.version}`}
            </span>
            <span className="num" data-testid="diff-stats">
              {same
                ? 'no change'
                : stats
                  ? `+${plural(stats.added, 'line')} · −${plural(stats.removed, 'line')}`
                  : 'comparing…'}
            </span>
          </div>
          <DiffView rows={foldUnchanged(lines)} />
        </>
      )}
      {same && (
        <div className="banner info" role="status" data-testid="no-change">
          {pending.kind === 'rollback'
            ? `Version ${pending.version} has the text of active version ${baseVersion ?? '—'}: rolling back to it would change nothing.`
            : `Your draft is the text of active version ${baseVersion ?? '—'}: there is nothing to activate.`}
        </div>
      )}
      {refusals.length > 0 && (
        <div className="banner error" role="alert" data-testid="change-refusals">
          Today’s check refuses this text ({plural(refusals.length, 'error')}), so it cannot become
          active again; copy what you need from it into your draft instead:
          <DiagnosticList items={refusals} />
        </div>
      )}
      {warnings.length > 0 && (
        <div className="banner info" role="status" data-testid="change-warnings">
          The check warns ({plural(warnings.length, 'warning')}); activating is allowed:
          <DiagnosticList items={warnings} />
        </div>
      )}
      <AuditedForm onSubmit={() => void (stale || rollbackStale ? undefined : submit(plainBase))}>
        <AuthorField
          id="change-author"
          value={author}
          onChange={setAuthor}
          missing={
            authorMissing ? 'Your name is required: every rule change records its author.' : null
          }
        />
        <WhyField
          id="change-comment"
          label="Why"
          value={comment}
          onChange={setComment}
          placeholder="What changes and why (kept in the history and the audit trail)"
          required={commentRequired}
        />
        <FormActions
          error={error && ownFieldError(error, { comment: 'Why', author: 'Your name' })}
          onCancel={onCancel}
          label={pending.kind === 'activate' ? 'Activate' : `Roll back to v${pending.version}`}
          tone="primary"
          disabled={blocked || stale || rollbackStale}
          describedBy={stops}
          title={
            refusals.length > 0
              ? `Version ${pending.kind === 'rollback' ? pending.version : ''} no longer passes the check`
              : stale
                ? `Version ${active.version} was activated since your draft began: carry your changes onto it, or activate anyway`
                : rollbackStale
                  ? `Version ${activeVersion} was activated meanwhile: cancel and ask again`
                  : undefined
          }
          testId="confirm-change-button"
          extra={
            stale ? (
              <button
                type="button"
                className="btn danger"
                disabled={blocked}
                aria-describedby={stops}
                data-testid="activate-anyway"
                onClick={() => void submit(active.version)}
              >
                Activate anyway, undoing v{active.version}’s changes
              </button>
            ) : undefined
          }
        />
      </AuditedForm>
    </Modal>
  );
}
