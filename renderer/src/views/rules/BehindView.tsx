// The Activate dialog's view of a draft begun on a version no longer active: who activated
// what since (author, comment), the analyst's changes (base → draft) apart from those
// (base → active), which activating the draft as it is would undo, and the carry-over of
// the analyst's changes onto the active version when a line merge finds no conflict.
import { useMemo } from 'react';
import type { ActiveRules } from '../../../../shared/api.ts';
import { foldUnchanged, lineDiff } from '../../text/line-diff.ts';
import { mergeLines } from '../../text/line-merge.ts';
import { DiffView, statsText } from './DiffView.tsx';
import type { DraftBehind } from './useRuleEditor.ts';
import { visible } from '../../../../shared/visible.ts';

/** Who activated each version since the draft's base, and why, newest first. */
function activatedSince(behind: DraftBehind, active: number): string {
  const known = behind.since.length ? behind.since : [];
  if (!known.length) return `version ${active}`;
  return known
    .map(
      (v) =>
        `version ${v.version} by ${visible(v.author)} (${v.comment.trim() ? `“${visible(v.comment.trim())}”` : 'no comment'})`,
    )
    .join(', then ');
}

/** The three-way view of a draft begun on a version no longer active, and the two ways on. */
export function BehindView({
  behind,
  active,
  draft,
  onCarryOver,
}: {
  behind: DraftBehind;
  active: ActiveRules & { version: number };
  draft: string;
  onCarryOver(text: string): void;
}) {
  const base = behind.baseText;
  const yours = useMemo(() => (base === null ? null : lineDiff(base, draft)), [base, draft]);
  const theirs = useMemo(
    () => (base === null ? null : lineDiff(base, active.text)),
    [base, active.text],
  );
  const merged = useMemo(
    () => (base === null ? null : mergeLines(base, draft, active.text)),
    [base, draft, active.text],
  );
  const many = behind.since.length > 1;
  return (
    <>
      <div className="banner warn free-text" role="alert" data-testid="stale-base">
        Your draft began on version {behind.base}. Since then{' '}
        {activatedSince(behind, active.version)} {many ? 'were' : 'was'} activated. Activating your
        draft as it is would undo {many ? 'their' : 'its'} changes, listed below apart from yours.
      </div>
      {yours === null || theirs === null || merged === null ? (
        <p className="muted">Comparing with version {behind.base}…</p>
      ) : (
        <>
          <div className="diff-head">
            <span>
              <b>Your changes</b> · version {behind.base} → your draft
            </span>
            <span className="num" data-testid="your-changes-stats">
              {statsText(yours)}
            </span>
          </div>
          <DiffView
            rows={foldUnchanged(yours)}
            label={`Your changes: version ${behind.base} to your draft`}
            testId="your-changes"
          />
          <div className="diff-head">
            <span>
              <b>Changes since your draft began</b> · version {behind.base} → active version{' '}
              {active.version}
            </span>
            <span className="num" data-testid="their-changes-stats">
              {statsText(theirs)}
            </span>
          </div>
          <DiffView
            rows={foldUnchanged(theirs)}
            label={`Changes since your draft began: version ${behind.base} to version ${active.version}`}
            testId="their-changes"
          />
          {merged.ok ? (
            <div className="banner info carry-over" data-testid="merge-state">
              Your changes and version {active.version}’s touch different lines: carry yours onto
              version {active.version} to keep both, then check the result.
              <button
                type="button"
                className="btn tiny primary"
                data-testid="carry-over"
                onClick={() => onCarryOver(merged.text)}
              >
                Carry your changes onto v{active.version}
              </button>
            </div>
          ) : (
            <div className="banner info" data-testid="merge-state">
              Your changes and version {active.version}’s both change{' '}
              {merged.conflicts
                .map((c) =>
                  c.base.length > 1
                    ? `lines ${c.line}–${c.line + c.base.length - 1}`
                    : `line ${c.line}`,
                )
                .join(', ')}{' '}
              of version {behind.base}: they cannot be carried over line by line. Cancel and edit
              your draft from version {active.version}, or activate anyway.
            </div>
          )}
        </>
      )}
    </>
  );
}
