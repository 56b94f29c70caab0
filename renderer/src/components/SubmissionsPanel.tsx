// The user's own submissions, newest first: upload progress, the decision the rules
// took, the job's progress, and then either the snapshot's key figures (so a finished
// ingest is visible at once) or a clear error.
import { useEffect } from 'react';
import { ownError, useApp, type Submission } from '../state/store.ts';
import { bn, bytes, price } from '../format.ts';
import { ErrorLine, LevelBadge, Progress, StatusPill } from './common.tsx';

function SubmissionRow({ s }: { s: Submission }) {
  const job = useApp((st) => (s.ack?.job_id ? st.jobs.get(s.ack.job_id) : undefined));
  const snapshotId = job?.snapshot_id ?? s.ack?.snapshot_id ?? null;
  const snapshot = useApp((st) => (snapshotId ? st.snapshots.find((x) => x.id === snapshotId) : undefined));
  const openSnapshot = useApp((st) => st.openSnapshot);
  const done = s.stage === 'duplicate' || job?.status === 'completed' || job?.status === 'duplicate';
  useEffect(() => {
    if (done && snapshotId) void useApp.getState().ensureSnapshot(snapshotId);
  }, [done, snapshotId]);

  const status = s.stage === 'queued' ? (job?.status ?? 'queued') : s.stage;
  const error = job?.error ? ownError(job.error, s.path, s.name) : s.error;
  const decision = s.ack?.decision;

  return (
    <li className={`submission stage-${status}`} data-testid="submission" data-status={status}>
      <div className="submission-head">
        <span className="file-name" title={s.name}>
          {s.name}
        </span>
        <StatusPill status={status} />
      </div>
      <div className="submission-meta">
        <span className="muted num">{bytes(s.bytes)}</span>
        {decision && (
          <>
            <LevelBadge level={job?.effective_priority ?? decision.priority} />
            <span className="muted" title={decision.explanation}>
              {decision.rule}
            </span>
          </>
        )}
        {job?.underlying && <span className="underlying">{job.underlying}</span>}
      </div>
      {s.stage === 'uploading' && <Progress value={s.upload} />}
      {status === 'running' && <Progress value={job?.progress ?? 0} />}
      {decision && status !== 'completed' && status !== 'duplicate' && (
        <div className="explanation muted">{decision.explanation}</div>
      )}
      {snapshot && (status === 'completed' || status === 'duplicate') && (
        <button className="figures" onClick={() => openSnapshot(snapshot.id)} data-testid="submission-figures">
          <span className="underlying">{snapshot.underlying}</span>
          <span>
            total <b className={snapshot.total_gex < 0 ? 'neg' : 'pos'}>{bn(snapshot.total_gex)}</b>
          </span>
          <span>
            spot <b>{price(snapshot.spot)}</b>
          </span>
          <span>
            zero γ <b>{price(snapshot.zero_gamma)}</b>
          </span>
        </button>
      )}
      {error && (status === 'failed' || status === 'rejected' || status === 'error' || status === 'cancelled') && (
        <ErrorLine error={error} />
      )}
      {s.ack && (
        <button className="link-button" onClick={() => useApp.getState().openAudit(s.ack!.request_id)} title="The audit trail of this request">
          audit trail ›
        </button>
      )}
    </li>
  );
}

export function SubmissionsPanel() {
  const submissions = useApp((s) => s.submissions);
  if (submissions.length === 0) return null;
  return (
    <aside className="side-panel" aria-label="Submissions" data-testid="submissions">
      <div className="panel-head">
        <h3>Submissions</h3>
        <button className="btn small ghost" onClick={() => useApp.getState().clearFinishedSubmissions()}>
          Clear finished
        </button>
      </div>
      <ul className="submission-list">
        {submissions.map((s) => (
          <SubmissionRow key={s.key} s={s} />
        ))}
      </ul>
    </aside>
  );
}
