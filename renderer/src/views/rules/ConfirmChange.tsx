// The confirmation every rule change goes through: what becomes active (the draft,
// or an old version for a rollback) as a diff against the active version, the
// number of changed lines, who is making the change and why; nothing goes live
// until the analyst confirms.
// A change that changes nothing (a rollback to the active text) is said so, not offered.
// What is missing (a name, a comment) is said beside its field.
// Requests still being decided (waiting for the read of their file) keep the rules of their
// arrival, whatever becomes active: the dialog says how many there are.
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store.ts';
import type { AppError } from '../../../../shared/result.ts';
import { diffStats, foldUnchanged, lineDiff, type DiffRow } from '../../text/line-diff.ts';
import { Modal } from '../../components/Modal.tsx';
import { AuditedForm, AuthorField, FormActions, WhyField } from '../../components/form-parts.tsx';
import { plural } from '../../text/words.ts';
import type { PendingChange } from './useRuleEditor.ts';

/** The diff as text a person (and a screen reader) can read: changed lines with context, the rest folded. */
function DiffView({ rows }: { rows: DiffRow[] }) {
  return (
    <div
      className="diff"
      data-testid="rules-diff"
      role="region"
      aria-label="Changes against the active version"
      tabIndex={0}
    >
      {rows.map((r, i) =>
        r.kind === 'skip' ? (
          <div key={i} className="diff-skip">
            ⋯ {plural(r.count, 'unchanged line')}
          </div>
        ) : (
          <div key={i} className={`diff-line ${r.kind}`}>
            <span className="ln" aria-hidden>
              {r.a ?? ''}
            </span>
            <span className="ln" aria-hidden>
              {r.b ?? ''}
            </span>
            <span className="sign">{r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ' '}</span>
            <span className="sr-only">
              {r.kind === 'add' ? 'added: ' : r.kind === 'del' ? 'removed: ' : ''}
            </span>
            <code>{r.text}</code>
          </div>
        ),
      )}
    </div>
  );
}

/** Requests waiting for the read that decides them keep the rules they arrived under. */
function stillDeciding(n: number): string {
  if (n === 1) return 'the 1 request still being decided keeps the rules of its arrival';
  return `${n > 0 ? `the ${plural(n, 'request')}` : 'requests'} still being decided keep the rules of their arrival`;
}

export function ConfirmChange({
  pending,
  activeVersion,
  author,
  setAuthor,
  error,
  onConfirm,
  onCancel,
  fallbackFocus,
}: {
  pending: PendingChange;
  /** The version active now (another window may have activated one since the dialog opened). */
  activeVersion: number | null;
  author: string;
  setAuthor(a: string): void;
  error: AppError | null;
  onConfirm(comment: string): Promise<AppError | null>;
  onCancel(): void;
  /** Where the focus goes when the dialog closes and its opener is disabled. */
  fallbackFocus?: () => void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const deciding = useApp((s) => s.stats?.totals.deciding ?? 0);
  const lines = useMemo(() => lineDiff(pending.base.text, pending.text), [pending]);
  const stats = diffStats(lines);
  const activeText = pending.base.text;
  const baseVersion = pending.base.version;
  const same = pending.text === activeText;
  const title =
    pending.kind === 'activate'
      ? 'Activate your edited rules'
      : `Roll back to version ${pending.version}`;
  const what =
    pending.kind === 'activate'
      ? `Your draft becomes the active rule set, replacing version ${baseVersion ?? '—'}.`
      : `The text of version ${pending.version} becomes active again, as a new version, replacing version ${baseVersion ?? '—'}.`;
  const commentMissing = comment.trim() === '';
  const authorMissing = author.trim() === '';

  const submit = async () => {
    if (commentMissing || authorMissing || same || busy) return;
    setBusy(true);
    await onConfirm(comment);
    setBusy(false);
  };

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
      {activeVersion !== baseVersion && (
        <div className="banner info" role="alert">
          Version {activeVersion} was activated meanwhile, elsewhere. The diff below is against
          version {baseVersion}; cancel and ask again to compare with version {activeVersion}.
        </div>
      )}
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
      {same && (
        <div className="banner info" role="status" data-testid="no-change">
          {pending.kind === 'rollback'
            ? `Version ${pending.version} has the text of active version ${baseVersion ?? '—'}: rolling back to it would change nothing.`
            : `Your draft is the text of active version ${baseVersion ?? '—'}: there is nothing to activate.`}
        </div>
      )}
      <AuditedForm onSubmit={() => void submit()}>
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
          missing={commentMissing ? 'A comment is required.' : null}
        />
        <FormActions
          error={error}
          onCancel={onCancel}
          label={pending.kind === 'activate' ? 'Activate' : `Roll back to v${pending.version}`}
          tone="primary"
          disabled={commentMissing || authorMissing || same || busy}
          testId="confirm-change-button"
        />
      </AuditedForm>
    </Modal>
  );
}
