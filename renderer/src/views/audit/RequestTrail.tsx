// One request's audit trail as one view: what the request was (file, underlying,
// its job's status) and its timeline, from arrival to its end.
import type { AuditEntry } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { snapshotRemoved } from '../../state/use-audit.ts';
import { useJob } from '../../state/use-job.ts';
import { shownName } from '../../text/numbers.ts';
import { plural } from '../../text/words.ts';
import { echoed } from '../../../../shared/visible.ts';
import { ErrorLine, StatusPill } from '../../components/common.tsx';
import { Timeline } from '../../components/Timeline.tsx';

export function RequestTrail({
  requestId,
  entries,
  loaded,
  error,
}: {
  requestId: string;
  entries: AuditEntry[];
  loaded: boolean;
  error: AppError | null;
}) {
  const jobs = useApp((s) => s.jobs);
  useApp((s) => s.jobsVersion);
  // The request's job may be older than the jobs listed: then it is read. The engine's
  // NOT_FOUND for it, with no entry either, is a request id that names no request.
  const { job, error: jobError } = useJob('request', requestId);
  const noSuchRequest = jobError?.code === 'NOT_FOUND';
  // Said once the engine has answered for its job too, not changed under the reader.
  const jobKnown = !!job || !!jobError;
  const file = entries.find((e) => e.file)?.file ?? job?.file ?? null;
  const underlying = entries.find((e) => e.underlying)?.underlying ?? job?.underlying ?? null;
  return (
    <section className="request-trail" aria-labelledby="trail-title" data-testid="request-trail">
      <div className="trail-head">
        <button className="btn small ghost" onClick={() => useApp.getState().openAudit('')}>
          ‹ All entries
        </button>
        <h2 id="trail-title" tabIndex={-1}>
          {file ? <span className="file-name">{shownName(file)}</span> : 'Request'}
          {underlying && <span className="underlying"> {underlying}</span>}
        </h2>
        {job && <StatusPill status={job.status} />}
        <span className="muted small mono" title="Request id">
          {requestId}
        </span>
        <span className="spacer" />
        {job && (
          <button className="btn small" onClick={() => useApp.getState().openJob(job.id)}>
            Open the job ›
          </button>
        )}
        {job?.snapshot_id &&
          (snapshotRemoved(entries, job.snapshot_id) ? (
            <span className="muted small" data-testid="trail-snapshot-removed">
              snapshot removed
            </span>
          ) : (
            <button
              className="btn small"
              onClick={() => useApp.getState().openSnapshot(job.snapshot_id)}
            >
              Open the snapshot ›
            </button>
          ))}
        <span className="row-count">{plural(entries.length, 'entry')}</span>
      </div>
      {error && (
        <div className="banner error" role="alert">
          <ErrorLine error={error} />
        </div>
      )}
      {loaded && jobKnown && entries.length === 0 && !error && (
        <p className="empty" data-testid="trail-empty">
          {noSuchRequest
            ? `No request matches ${echoed(requestId)}.`
            : 'No audit entries for this request.'}
        </p>
      )}
      <div className="trail-body">
        <Timeline entries={entries} jobs={jobs} />
      </div>
    </section>
  );
}
