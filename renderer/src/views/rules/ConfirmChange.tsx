// The confirmation every rule change goes through: what becomes active (the draft,
// or an old version for a rollback) as a diff against the active version, the
// number of changed lines, who is making the change and why; nothing goes live
// until the analyst confirms.
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../shared/result.ts';
import { monaco } from '../../monaco.ts';
import { Modal } from '../../components/Modal.tsx';
import { ErrorLine } from '../../components/common.tsx';
import { plural } from '../../text/words.ts';
import type { PendingChange } from './useRuleEditor.ts';

function DiffView({
  before,
  after,
  onStats,
}: {
  before: string;
  after: string;
  onStats(s: { added: number; removed: number } | null): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const stats = useRef(onStats);
  useEffect(() => {
    stats.current = onStats;
  });
  useEffect(() => {
    if (!host.current) return;
    const original = monaco.editor.createModel(before, 'json');
    const modified = monaco.editor.createModel(after, 'json');
    const diff = monaco.editor.createDiffEditor(host.current, {
      theme: 'gex-dark',
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12.5,
      hideUnchangedRegions: { enabled: true, contextLineCount: 2, minimumLineCount: 4 },
      originalAriaLabel: 'The active version (read-only)',
      modifiedAriaLabel: 'The text that becomes active (read-only)',
    });
    diff.setModel({ original, modified });
    diff.getOriginalEditor().updateOptions({ ariaLabel: 'The active version (read-only)' });
    diff
      .getModifiedEditor()
      .updateOptions({ ariaLabel: 'The text that becomes active (read-only)' });
    const sub = diff.onDidUpdateDiff(() => {
      const changes = diff.getLineChanges() ?? [];
      let added = 0;
      let removed = 0;
      for (const c of changes) {
        if (c.modifiedEndLineNumber >= c.modifiedStartLineNumber)
          added += c.modifiedEndLineNumber - c.modifiedStartLineNumber + 1;
        if (c.originalEndLineNumber >= c.originalStartLineNumber)
          removed += c.originalEndLineNumber - c.originalStartLineNumber + 1;
      }
      stats.current({ added, removed });
    });
    return () => {
      sub.dispose();
      diff.setModel(null);
      diff.dispose();
      // A diff still being computed in the worker needs its models until it answers.
      setTimeout(() => {
        original.dispose();
        modified.dispose();
      }, 2000);
    };
  }, [before, after]);
  return <div className="diff-host" ref={host} data-testid="rules-diff" />;
}

export function ConfirmChange({
  pending,
  activeVersion,
  author,
  setAuthor,
  error,
  onConfirm,
  onCancel,
}: {
  pending: PendingChange;
  /** The version active now (another window may have activated one since the dialog opened). */
  activeVersion: number | null;
  author: string;
  setAuthor(a: string): void;
  error: AppError | null;
  onConfirm(comment: string): Promise<AppError | null>;
  onCancel(): void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [stats, setStats] = useState<{ added: number; removed: number } | null>(null);
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

  const submit = async () => {
    if (commentMissing || busy) return;
    setBusy(true);
    await onConfirm(comment);
    setBusy(false);
  };

  return (
    <Modal title={title} onClose={onCancel} wide testId="confirm-change">
      <p className="muted">
        {what} New requests are decided by it at once; queued and running jobs keep their level.
      </p>
      {activeVersion !== baseVersion && (
        <div className="banner info" role="alert">
          Version {activeVersion} was activated meanwhile, elsewhere. The diff below is against
          version {baseVersion}; cancel and ask again to compare with version {activeVersion}.
        </div>
      )}
      <div className="diff-head">
        <span>
          <b>Left:</b> active version {baseVersion ?? '—'} · <b>Right:</b>{' '}
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
      <DiffView before={activeText} after={pending.text} onStats={setStats} />
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="change-author">Your name</label>
        <input
          id="change-author"
          value={author}
          onChange={(e) => setAuthor(e.target.value)}
          autoComplete="name"
        />
        <label htmlFor="change-comment">Why</label>
        <div>
          <textarea
            id="change-comment"
            rows={2}
            data-autofocus
            value={comment}
            placeholder="What changes and why (kept in the history and the audit trail)"
            onChange={(e) => setComment(e.target.value)}
          />
          {commentMissing && <div className="field-hint">A comment is required.</div>}
        </div>
        {error && (
          <div className="form-error" role="alert">
            <ErrorLine error={error} />
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={commentMissing || busy || !author.trim()}
            data-testid="confirm-change-button"
          >
            {pending.kind === 'activate' ? 'Activate' : `Roll back to v${pending.version}`}
          </button>
        </div>
      </form>
    </Modal>
  );
}
