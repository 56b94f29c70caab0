// The address of what is on screen, as a hash route, so that a reload or a bookmark
// comes back to the same view: `#/queue`, `#/queue/job/ID` (a job's drawer),
// `#/snapshots` (the levels board), `#/snapshots/ID` (an open snapshot), the Snapshots
// panes `#/snapshots/list[/ID]`, `#/snapshots/history/UNDERLYING[/ID]` (ID: the snapshot
// replayed, none for the newest; the underlying as stored, `spx` and `SPXW` read as SPX),
// `#/snapshots/compare/A/B`; each argument of a pane is one path segment, encoded (an
// underlying `XYZ/WS` is `history/XYZ%2FWS`, never an underlying XYZ replaying WS; a class
// share's `BRK%2FB` reads as BRKB),
// `#/rules` (the dry run beside the editor), `#/rules/whatif` and `#/rules/history` (the
// side panel's other tabs, so that Back from a request's trail lands on What would change),
// `#/audit`, `#/audit/REQUEST` (one request's timeline), `#/sources`; the Queue and the
// Audit trail filtered by one source (the Sources view's links) end in `?source=ID`, after
// the Queue's tab or the Audit's kinds shown with it (`#/queue?status=failed&source=ID`,
// `#/audit?kind=source&source=ID`), so that a reload or a bookmark of such a link opens
// what the link did. Pure functions here; App binds them to the store and the window.
import { SOURCE_LOOKUP_MAX } from '../../../shared/api/ingest.ts';
import { underlyingOfRoot } from '../../../shared/underlyings.ts';
import { notAnUnderlying } from '../text/underlyings.ts';

export const VIEWS = ['queue', 'snapshots', 'rules', 'audit', 'sources'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The open snapshot (Snapshots). */
  snapshotId: string | null;
  /**
   * The Snapshots pane: '' (levels board), 'list', 'history/SPX[/ID]', 'compare/A/B', each
   * argument encoded as in the address (`panePath`, read back by `paneOf`).
   */
  snapshotsPane?: string;
  /** The job whose drawer is open (Queue). */
  jobId: string | null;
  /** The request whose timeline is shown (Audit); '' for every entry. */
  auditRequest: string;
  /** The Rules view's side tab: '' (the dry run), 'whatif' or 'history'. */
  rulesTab?: string;
  /** The Queue or the Audit trail shows one source's only (its id, exactly); '' for all. */
  source?: string;
  /**
   * The Queue's tab. In the address with a source only (`status=`, Active when absent);
   * undefined when the address does not say (the tab on screen stays).
   */
  queueTab?: QueueTab;
  /**
   * The Audit trail's kinds (none: every kind). In the address with a source only (`kind=`,
   * comma-separated); undefined when the address does not say (the kinds chosen stay).
   */
  auditKinds?: readonly string[];
}

export const QUEUE_TABS = ['active', 'all', 'completed', 'failed', 'cancelled'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/** The Rules view's side tabs besides the dry run. */
export const RULES_TABS = ['whatif', 'history'];

export const HOME: Route = {
  view: 'queue',
  snapshotId: null,
  snapshotsPane: '',
  jobId: null,
  auditRequest: '',
  rulesTab: '',
  source: '',
};

/** The views a source filter applies to. */
const SOURCE_VIEWS: readonly View[] = ['queue', 'audit'];

/** Snapshots' panes besides the levels board (a snapshot id is never one of these words). */
const PANES = ['list', 'history', 'compare'];

const decode = (s: string | undefined): string | null => {
  if (!s) return null;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/**
 * A Snapshots pane from its word and arguments, each argument one segment (encoded), so
 * that an underlying with a "/" (`XYZ/WS`) stays one argument: `history/XYZ%2FWS`.
 */
export const panePath = (kind: string, ...args: (string | undefined)[]): string =>
  [kind, ...args.filter((a) => a !== undefined).map((a) => encodeURIComponent(a))].join('/');

/** The pane's word and its arguments, decoded (`panePath` the other way). */
export function paneOf(pane: string | undefined): { kind: string; args: string[] } {
  const [kind = '', ...args] = (pane ?? '').split('/');
  return { kind, args: args.map((a) => decode(a) ?? a) };
}

/**
 * An id (or a pane's argument) the address names, decoded and trimmed: one copied with a
 * space or a line's end around it (from a terminal, a mail) names what it names without
 * (QA land F3). Its case is the engine's to take (store/id-start.ts idKey).
 */
const idOf = (s: string | undefined): string | null => decode(s)?.trim() ?? null;

/** Whether `route` shows the Snapshots pane `pane` (as `snapshotsPane` holds it). */
export const showsPane = (route: Pick<Route, 'view' | 'snapshotsPane'>, pane: string): boolean =>
  route.view === 'snapshots' && (route.snapshotsPane ?? '') === pane;

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/');
  const view = VIEWS.find((v) => v === parts[0]);
  if (!view) return HOME;
  const query = new URLSearchParams(search);
  const source = SOURCE_VIEWS.includes(view) ? addressSource(query.get('source')) : '';
  const pane = view === 'snapshots' && PANES.includes(parts[1] ?? '') ? parts[1]! : '';
  const args = parts.slice(2).map((p) => idOf(p) ?? '');
  // An underlying as the engine stores it (and reads it: `snapshots:history`), so that the
  // address typed `spx` is written, and shown, as SPX: one underlying, not two.
  // One that cannot be an underlying (a zero-width space, U+2029 at its start, which
  // trimming would drop unseen) is kept as written, for the pane to say so, never asked.
  if (pane === 'history' && args[0]) {
    const raw = decode(parts[2]) ?? '';
    args[0] = notAnUnderlying(raw) ? raw : underlyingOfRoot(args[0]);
  }
  return {
    view,
    snapshotId:
      view !== 'snapshots' || pane === 'history' || pane === 'compare'
        ? null
        : idOf(pane ? parts[2] : parts[1]),
    snapshotsPane: pane === 'list' || !pane ? pane : panePath(pane, ...args),
    jobId: view === 'queue' && parts[1] === 'job' ? idOf(parts[2]) : null,
    auditRequest: view === 'audit' ? (idOf(parts[1]) ?? '') : '',
    rulesTab: view === 'rules' && RULES_TABS.includes(parts[1] ?? '') ? parts[1]! : '',
    source,
    ...(source && view === 'queue' ? { queueTab: tabOf(query.get('status')) } : {}),
    ...(source && view === 'audit' ? { auditKinds: kindsOf(query.get('kind')) } : {}),
  };
}

/**
 * The source an address names, as it is written: not read as SourceName (trimmed, in NFC,
 * no control characters), since a source an earlier version stored otherwise must stay
 * reachable from its link; but a text longer than any look-up takes (SOURCE_LOOKUP_MAX)
 * names no source and filters nothing. Shown escaped (SourceChip).
 */
export const addressSource = (s: string | null): string =>
  s && s.length <= SOURCE_LOOKUP_MAX ? s : '';

const tabOf = (s: string | null): QueueTab => QUEUE_TABS.find((t) => t === s) ?? 'active';

const kindsOf = (s: string | null): string[] =>
  [...new Set((s ?? '').split(',').map((k) => k.trim()))].filter((k) => /^[a-z_]+$/.test(k));

/** The hash of what is on screen: the view and its own open item only. */
export function formatRoute(r: Route): string {
  const id = (s: string) => encodeURIComponent(s);
  if (r.source && SOURCE_VIEWS.includes(r.view)) {
    // What the view shows of that source: the Queue's tab, the Audit's kinds.
    const shown =
      r.view === 'queue' && r.queueTab && r.queueTab !== 'active'
        ? `status=${r.queueTab}&`
        : r.view === 'audit' && r.auditKinds?.length
          ? `kind=${r.auditKinds.map(id).join(',')}&`
          : '';
    return `${formatRoute({ ...r, source: '' })}?${shown}source=${id(r.source)}`;
  }
  if (r.view === 'snapshots') {
    const { kind: pane, args } = paneOf(r.snapshotsPane);
    const base = ['#/snapshots', ...(pane ? [panePath(pane, ...args)] : [])].join('/');
    return r.snapshotId && (pane === '' || pane === 'list') ? `${base}/${id(r.snapshotId)}` : base;
  }
  if (r.view === 'queue' && r.jobId) return `#/queue/job/${id(r.jobId)}`;
  if (r.view === 'audit' && r.auditRequest) return `#/audit/${id(r.auditRequest)}`;
  if (r.view === 'rules' && r.rulesTab && RULES_TABS.includes(r.rulesTab))
    return `#/rules/${r.rulesTab}`;
  return `#/${r.view}`;
}
