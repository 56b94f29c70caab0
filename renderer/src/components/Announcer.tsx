// The app's polite live region, always in the page (the submissions panel may be hidden,
// collapsed to a strip at 1024 px, or not there before the first file), and what it says
// of the analyst's own submissions: each one's outcome once, as it ends — the file,
// completed with its level and total GEX, or failed with the error's code — and an upload
// the host refused. Other lines come from announce() (a job cancelled from its row).
import { useEffect, useRef } from 'react';
import { useAnnouncements, announce } from '../state/announce.ts';
import { snapshotById, useApp } from '../state/store.ts';
import { ownError, snapshotOf, useSubmissions, type Submission } from '../state/submissions.ts';
import { submissionsScale, submissionTotal } from '../text/submission-figures.ts';

const ENDED = ['completed', 'duplicate', 'failed', 'rejected', 'error', 'cancelled'];

/** What is said when a submission ends; null while it has not (or its figures are not in yet). */
function outcomeOf(s: Submission): string | null {
  const app = useApp.getState();
  const job = s.ack?.job_id ? app.jobs.get(s.ack.job_id) : undefined;
  const status = s.stage === 'queued' ? (job?.status ?? 'queued') : s.stage;
  if (!ENDED.includes(status)) return null;
  const level = job?.effective_priority ?? s.ack?.decision?.priority;
  const at = level ? `, level ${level}` : '';
  if (status === 'completed' || status === 'duplicate') {
    const snap = snapshotById(app.snapshots, job?.snapshot_id ?? s.ack?.snapshot_id ?? null);
    if (!snap) return null; // its figures are on their way (snapshot:created)
    const what = status === 'duplicate' ? 'already ingested' : 'completed';
    // In the Submissions panel's scale: said as its row writes it.
    const scale = submissionsScale(
      app.snapshots,
      useSubmissions.getState().submissions.map((o) => snapshotOf(o, app.jobs, app.snapshots)),
    );
    return `${s.name}: ${what}${at}, ${snap.underlying} total GEX ${submissionTotal(snap, scale)}.`;
  }
  const error = job?.error ? ownError(job.error, s.path, s.name) : s.error;
  const why = error ? ` ${error.code}: ${error.message}` : '';
  if (status === 'error') return `${s.name}: not submitted.${why}`;
  return `${s.name}: ${status}${at}.${why}`;
}

function useSubmissionOutcomes(): void {
  const submissions = useSubmissions((s) => s.submissions);
  const version = useApp((s) => s.jobsVersion);
  const snapshots = useApp((s) => s.snapshots);
  // Those that had ended before this page (a reload) are not told again.
  const told = useRef<Set<string> | null>(null);
  useEffect(() => {
    void version;
    void snapshots;
    const first = told.current === null;
    const seen = (told.current ??= new Set());
    // Oldest first, as they ended.
    for (const s of [...submissions].reverse()) {
      if (seen.has(s.key)) continue;
      const text = outcomeOf(s);
      if (text === null) continue;
      seen.add(s.key);
      if (!first) announce(text);
    }
  }, [submissions, version, snapshots]);
}

export function Announcer() {
  const lines = useAnnouncements((s) => s.lines);
  useSubmissionOutcomes();
  return (
    <div role="status" aria-live="polite" className="sr-only" data-testid="announcer">
      {lines.map((l) => (
        <p key={l.n}>{l.text}</p>
      ))}
    </div>
  );
}
