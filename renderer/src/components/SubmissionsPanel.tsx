// The user's own submissions, newest first: upload progress, the decision the rules
// took, the job's progress, and then either the snapshot's key figures with its
// quality badge (so a finished ingest is visible at once) or a clear error. The
// panel collapses to a narrow strip, and stays so across reloads.
import { useEffect } from 'react';
import { useApp, snapshotById } from '../state/store.ts';
import { ownError, snapshotOf, useSubmissions, type Submission } from '../state/submissions.ts';
import { useSettings } from '../state/settings.ts';
import { bytes, price, shownName, spotPrice } from '../text/numbers.ts';
import { GEX_UNIT, gexExact, type GexScale } from '../text/scale.ts';
import { submissionsScale, submissionTotal } from '../text/submission-figures.ts';
import { plural } from '../text/words.ts';
import { ErrorLine, LevelBadge, Progress, StatusPill } from './common.tsx';
import { QualityBadge } from './QualityBadge.tsx';
import { useMedia } from '../hooks.ts';
import { visible } from '../../../shared/visible.ts';

function SubmissionRow({ s, scale }: { s: Submission; scale: GexScale }) {
  const job = useApp((st) => (s.ack?.job_id ? st.jobs.get(s.ack.job_id) : undefined));
  const snapshotId = job?.snapshot_id ?? s.ack?.snapshot_id ?? null;
  const snapshot = useApp((st) => snapshotById(st.snapshots, snapshotId));
  const app = useApp.getState();
  const done =
    s.stage === 'duplicate' || job?.status === 'completed' || job?.status === 'duplicate';
  useEffect(() => {
    if (done && snapshotId) void useApp.getState().ensureSnapshot(snapshotId);
  }, [done, snapshotId]);

  const status = s.stage === 'queued' ? (job?.status ?? 'queued') : s.stage;
  const error = job?.error ? ownError(job.error, s.path, s.name) : s.error;
  const decision = s.ack?.decision;

  return (
    <li className={`submission stage-${status}`} data-testid="submission" data-status={status}>
      <div className="submission-head">
        <span className="file-name" title={shownName(s.name)}>
          {shownName(s.name)}
        </span>
        <StatusPill status={status} />
      </div>
      <div className="submission-meta">
        <span className="muted num">{bytes(s.bytes)}</span>
        {decision && (
          <>
            <LevelBadge level={job?.effective_priority ?? decision.priority} />
            <span className="rule-id" title={visible(decision.explanation)}>
              {decision.rule}
            </span>
          </>
        )}
        {job?.underlying && <span className="underlying">{job.underlying}</span>}
      </div>
      {s.stage === 'uploading' && (
        <Progress value={s.upload} label={`Upload of ${shownName(s.name)}`} />
      )}
      {status === 'running' && (
        <Progress value={job?.progress ?? 0} label={`Progress of ${shownName(s.name)}`} />
      )}
      {decision && status !== 'completed' && status !== 'duplicate' && (
        <div className="explanation free-text">{visible(decision.explanation)}</div>
      )}
      {snapshot && (status === 'completed' || status === 'duplicate') && (
        <>
          <button
            className="figures"
            onClick={() => app.openSnapshot(snapshot.id)}
            data-testid="submission-figures"
            title={`Open the snapshot. GEX in ${GEX_UNIT}; total ${gexExact(snapshot.total_gex)}.`}
          >
            <span className="underlying">{snapshot.underlying}</span>
            <span>
              total{' '}
              <b className={snapshot.total_gex < 0 ? 'neg' : 'pos'}>
                {submissionTotal(snapshot, scale)}
              </b>
            </span>
            <span>
              spot <b>{spotPrice(snapshot.spot)}</b>
            </span>
            <span>
              zero γ <b>{price(snapshot.zero_gamma)}</b>
            </span>
          </button>
          <QualityBadge quality={snapshot.quality} reasons="inline" />
        </>
      )}
      {error &&
        (status === 'failed' ||
          status === 'rejected' ||
          status === 'error' ||
          status === 'cancelled') && <ErrorLine error={error} />}
      <div className="submission-links">
        {job && (
          <button className="link-button" onClick={() => app.openJob(job.id)}>
            job details ›
          </button>
        )}
        {s.ack && (
          <button
            className="link-button"
            onClick={() => app.openAudit(s.ack!.request_id)}
            title="The audit trail of this request"
          >
            audit trail ›
          </button>
        )}
      </div>
    </li>
  );
}

export function SubmissionsPanel() {
  const submissions = useSubmissions((s) => s.submissions);
  const choice = useSettings((s) => s.panelCollapsed);
  const narrow = useMedia('(max-width: 1199px)');
  const collapsed = choice ?? narrow;
  const setCollapsed = useSettings((s) => s.setPanelCollapsed);
  const jobs = useApp((s) => s.jobs);
  useApp((s) => s.jobsVersion);
  const snapshots = useApp((s) => s.snapshots);
  if (submissions.length === 0) return null;
  // One scale for every figure in the panel, the board's, as the live region says them.
  const scale = submissionsScale(
    snapshots,
    submissions.map((s) => snapshotOf(s, jobs, snapshots)),
  );
  const working = submissions.filter(
    (s) => s.stage === 'uploading' || s.stage === 'submitting',
  ).length;
  // What the collapsed strip must still tell: how many went wrong, how many are on their way.
  const statusOf = (s: Submission): string =>
    s.stage === 'queued'
      ? ((s.ack?.job_id ? jobs.get(s.ack.job_id)?.status : undefined) ?? 'queued')
      : s.stage;
  const failed = submissions.filter((s) =>
    ['failed', 'rejected', 'error'].includes(statusOf(s)),
  ).length;
  const active = submissions.filter((s) =>
    ['uploading', 'submitting', 'queued', 'running'].includes(statusOf(s)),
  ).length;

  if (collapsed)
    return (
      <aside className="side-panel collapsed" aria-label="Submissions" data-testid="submissions">
        <button
          className="panel-toggle"
          aria-expanded={false}
          aria-controls="submissions-list"
          onClick={() => setCollapsed(false)}
          title="Show your submissions"
        >
          <span aria-hidden>‹</span>
          <span className="vertical">Submissions · {submissions.length}</span>
          {failed > 0 && (
            <span className="strip-count bad vertical" data-testid="strip-failed">
              {failed} failed
            </span>
          )}
          {active > 0 && <span className="strip-count vertical">{active} working</span>}
        </button>
      </aside>
    );

  return (
    <aside className="side-panel" aria-label="Submissions" data-testid="submissions">
      <div className="panel-head">
        <h2 className="panel-title">
          Submissions <span className="muted num">{submissions.length}</span>
        </h2>
        <button
          className="btn small ghost"
          onClick={() => useSubmissions.getState().clearFinished()}
        >
          Clear finished
        </button>
        <button
          className="btn small ghost"
          aria-expanded={true}
          aria-controls="submissions-list"
          onClick={() => setCollapsed(true)}
          title="Hide the panel (your submissions are kept)"
        >
          Hide ›
        </button>
      </div>
      {working > 0 && (
        <div className="muted small panel-note">
          {plural(working, 'file')} on the way to the engine
        </div>
      )}
      <ul className="submission-list" id="submissions-list">
        {submissions.map((s) => (
          <SubmissionRow key={s.key} s={s} scale={scale} />
        ))}
      </ul>
    </aside>
  );
}
