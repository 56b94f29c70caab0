// The address of what is on screen, as a hash route, so that a reload or a bookmark
// comes back to the same view: `#/queue`, `#/queue/job/ID` (a job's drawer),
// `#/snapshots`, `#/snapshots/ID` (an open snapshot), `#/rules`, `#/audit`,
// `#/audit/REQUEST` (one request's timeline), `#/sources`. Pure functions here; App binds them to
// the store and the window.
export const VIEWS = ['queue', 'snapshots', 'rules', 'audit', 'sources'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The open snapshot (Snapshots). */
  snapshotId: string | null;
  /** The job whose drawer is open (Queue). */
  jobId: string | null;
  /** The request whose timeline is shown (Audit); '' for every entry. */
  auditRequest: string;
}

export const HOME: Route = { view: 'queue', snapshotId: null, jobId: null, auditRequest: '' };

const decode = (s: string | undefined): string | null => {
  if (!s) return null;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS.find((v) => v === parts[0]);
  if (!view) return HOME;
  return {
    view,
    snapshotId: view === 'snapshots' ? decode(parts[1]) : null,
    jobId: view === 'queue' && parts[1] === 'job' ? decode(parts[2]) : null,
    auditRequest: view === 'audit' ? (decode(parts[1]) ?? '') : '',
  };
}

/** The hash of what is on screen: the view and its own open item only. */
export function formatRoute(r: Route): string {
  const id = (s: string) => encodeURIComponent(s);
  if (r.view === 'snapshots' && r.snapshotId) return `#/snapshots/${id(r.snapshotId)}`;
  if (r.view === 'queue' && r.jobId) return `#/queue/job/${id(r.jobId)}`;
  if (r.view === 'audit' && r.auditRequest) return `#/audit/${id(r.auditRequest)}`;
  return `#/${r.view}`;
}
