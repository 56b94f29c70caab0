// Past the list's limit (a desk's weeks of jobs) the Queue lists the newest jobs only:
// it says so beside its counts, with how many are stored and where the rest are listed.
import { useApp } from '../../state/store.ts';
import { int } from '../../text/numbers.ts';

export function TruncatedNote() {
  const truncated = useApp((s) => s.jobsTruncated);
  const listed = useApp((s) => s.counts.all);
  const stored = useApp((s) =>
    s.stats ? Object.values(s.stats.totals).reduce((a, b) => a + b, 0) : null,
  );
  if (!truncated || stored === null || stored <= listed) return null;
  return (
    <div className="banner info" data-testid="jobs-truncated" role="note">
      <span>
        The newest <span className="num">{int(listed)}</span> of{' '}
        <span className="num">{int(stored)}</span> jobs stored are listed, and counted in the tabs;{' '}
        <code>gex-desk jobs</code> lists them all.
      </span>
    </div>
  );
}
