// The rule set's versions, newest first: who activated each, when and why; any
// inactive one opens read-only in the editor or can be rolled back to (through the
// confirmation with its diff). A list rather than a table, so that nothing is cut
// off in a narrow side panel.
import type { RuleVersion } from '../../../../shared/api.ts';
import { localStamp } from '../../text/time.ts';
import { visible } from '../../../../shared/visible.ts';

export function RuleHistory({
  history,
  viewing,
  onView,
  onRollback,
}: {
  history: RuleVersion[];
  viewing: number | null;
  onView(v: number): void;
  onRollback(v: number): void;
}) {
  return (
    <ol className="history" aria-label="Rule set versions, newest first">
      {history.map((h) => (
        <li
          key={h.version}
          className={`version${h.active ? ' active' : ''}${viewing === h.version ? ' viewing' : ''}`}
          data-version={h.version}
        >
          <div className="version-head">
            <b className="num">v{h.version}</b>
            {h.active && <span className="tag ok">active</span>}
            {viewing === h.version && <span className="tag">open, read-only</span>}
            <span className="spacer" />
            <time className="when" dateTime={h.created_at}>
              {localStamp(h.created_at)}
            </time>
          </div>
          <div className="version-body free-text">
            <span className="author">{visible(h.author)}</span>
            {h.comment && <span className="comment"> — {visible(h.comment)}</span>}
          </div>
          {!h.active && (
            <div className="version-actions">
              <button
                className="btn tiny"
                onClick={() => onView(h.version)}
                aria-label={`View version ${h.version} (read-only)`}
              >
                View
              </button>
              <button
                className="btn tiny"
                onClick={() => onRollback(h.version)}
                aria-label={`Roll back to version ${h.version}`}
              >
                Roll back…
              </button>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
