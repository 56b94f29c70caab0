// The line diff as the rule dialogs show it: changed lines with their numbers in both texts
// and a few lines of context, the unchanged stretches folded; readable by a screen reader
// (each changed line says added or removed).
import { diffStats, type DiffLine, type DiffRow } from '../../text/line-diff.ts';
import { plural } from '../../text/words.ts';

/** The diff as text a person (and a screen reader) can read: changed lines with context, the rest folded. */
export function DiffView({
  rows,
  label = 'Changes against the active version',
  testId = 'rules-diff',
}: {
  rows: DiffRow[];
  label?: string;
  testId?: string;
}) {
  return (
    <div className="diff" data-testid={testId} role="region" aria-label={label} tabIndex={0}>
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

/** "+N lines · −M lines". */
export const statsText = (lines: DiffLine[]): string => {
  const s = diffStats(lines);
  return `+${plural(s.added, 'line')} · −${plural(s.removed, 'line')}`;
};
