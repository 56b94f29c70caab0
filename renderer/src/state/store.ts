// The UI's state, in one zustand store: engine health, queue statistics, the jobs
// (kept in a Map, updated in place from `job:updated` events and flushed to React a
// few times a second, on an animation frame, so that 10,000 jobs and bursts of events
// stay smooth) with their counts, recent snapshots, and where the analyst is (the
// view and its open item, mirrored in the address by route.ts). The user's own
// submissions are in submissions.ts.
import { create } from 'zustand';
import type { CallResponse, QueueStats } from '../../../shared/api.ts';
import type { GEXSnapshot, ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import type { GexClient, Unauthorized } from '../api/client.ts';
import { isStale } from './job-order.ts';
import { countJobs, NO_JOBS, type JobCounts } from './job-counts.ts';
import { rememberedAuthor } from './author.ts';
import { useLevels } from './levels.ts';
import { useRequests } from './requests.ts';
import { useSnapshotCache } from './snapshot-cache.ts';
import { HOME, type QueueTab, type Route, type View } from './route.ts';
import { inPlace } from './in-place.ts';

export type Health = CallResponse<'engine:health'>;
export type { View } from './route.ts';

/** The most jobs the views load at once (the newest); more are read from the engine's totals. */
export const JOB_LIST_LIMIT = 10_000;

/**
 * The jobs by status as the status bar and the Queue's tab say them: counted from the
 * list while it holds every job, else (past JOB_LIST_LIMIT, or before the list's first
 * answer) the database's totals — a
 * paused or busy queue's oldest waiting jobs may be older than the newest listed. A new
 * object each call: select it with `useShallow`.
 */
export function jobTotals(s: {
  counts: JobCounts;
  jobsTruncated: boolean;
  /** The first listing has answered (before it, the counts of the list are no count). */
  jobsListed: boolean;
  stats: QueueStats | null;
}): Omit<JobCounts, 'all' | 'active'> & { title: string | undefined } {
  if ((s.jobsListed && !s.jobsTruncated) || !s.stats) return { ...s.counts, title: undefined };
  const t = s.stats.totals;
  return {
    queued: t.queued + t.deciding,
    deciding: t.deciding,
    running: t.running,
    storing: t.storing,
    completed: t.completed,
    failed: t.failed,
    cancelled: t.cancelled,
    title: 'All jobs stored; the Queue lists the newest',
  };
}

interface State extends Route {
  /** The Queue's tab (Active when the Queue is entered from another view). */
  queueTab: QueueTab;
  /** The Audit trail's kinds (none: every kind); kept across views. */
  auditKinds: readonly string[];
  client: GexClient | null;
  connected: boolean;
  /**
   * The browser host refused this tab: it had no token ('none'), one it never accepted
   * ('wrong': mistyped or cut short), or the one it had in use ('refused': the server
   * restarted at this address with a new one).
   */
  unauthorized: false | Unauthorized;
  health: Health | null;
  healthError: AppError | null;
  /** When the engine last answered (ms), for figures shown while it cannot be reached. */
  contactAt: number | null;
  stats: QueueStats | null;
  jobs: Map<string, ProcessingJob>;
  /** Bumped whenever `jobs` changed, so selectors can memoise on it. */
  jobsVersion: number;
  counts: JobCounts;
  /**
   * The list holds the newest JOB_LIST_LIMIT jobs (and those since), not every job stored:
   * totals then come from the engine's (queue:stats).
   */
  jobsTruncated: boolean;
  /** The job list has answered once (until then the Queue says it loads, not that there are none). */
  jobsListed: boolean;
  snapshots: GEXSnapshot[];
  /**
   * The list of stored snapshots has answered once (or failed): until then `snapshots`
   * may hold only those that arrived or were asked for meanwhile, not the newest stored.
   */
  snapshotsListed: boolean;
  /** Bumped at each snapshot removed, so that the views which loaded snapshots load again. */
  removals: number;
  /** Bumped when the attached export folders changed (use-attached-watch.ts): the views that read them load again. */
  attachedChanges: number;
  /**
   * The open snapshot, closed because it was removed elsewhere (another tab or window, the
   * command line, or its owner from an attached folder: `attached`): what it was (null when
   * not among those loaded) and the pane it was open under, for the view to say so there.
   */
  removedElsewhere: {
    id: string;
    snapshot: GEXSnapshot | null;
    pane: string;
    attached?: boolean;
  } | null;
  loadError: AppError | null;

  setView(view: View): void;
  /** Applies a route (from the address) as it is. */
  goTo(route: Route): void;
  openSnapshot(id: string | null): void;
  /** Snapshots were removed (here or anywhere; `attached`: from an attached folder): out of the lists, closed if open. */
  onSnapshotsRemoved(ids: readonly string[], attached?: boolean): void;
  /**
   * This window is removing this snapshot (its Remove… dialog): its removal, however it is
   * told first (the answer or the event), is not one made elsewhere. Returns the undo, for
   * a removal refused.
   */
  removingHere(id: string): () => void;
  openAudit(requestId: string): void;
  openJob(id: string | null): void;
  /** The Queue or the Audit trail shows only this source's jobs or entries ('' : all). */
  filterBySource(source: string): void;
  /**
   * Opens the Queue on a tab, or the Audit trail on some kinds, showing one source's only:
   * one move (one step for Back), no job's drawer or request's timeline.
   */
  showSource(
    source: string,
    shown: { view: 'queue'; tab: QueueTab } | { view: 'audit'; kinds: readonly string[] },
  ): void;
  setQueueTab(tab: QueueTab): void;
  setAuditKinds(kinds: readonly string[]): void;
  start(client: GexClient): () => void;
  refreshJobs(): Promise<void>;
  refreshSnapshots(): Promise<void>;
  refreshStats(): Promise<void>;
  refreshHealth(): Promise<void>;
  /** Makes sure a snapshot (e.g. the one a duplicate points to) is in the list. */
  ensureSnapshot(id: string): Promise<void>;
  cancelJob(id: string): Promise<AppError | null>;
  retryJob(id: string): Promise<AppError | null>;
  /** Holds (true) or releases (false) the queue's dispatch; running jobs finish either way. */
  setPaused(paused: boolean): Promise<AppError | null>;
}

export const useApp = create<State>((set, get) => {
  // Job events are collected here and applied once per frame.
  let buffered: ProcessingJob[] = [];
  /** Snapshots removed so far (an id is never used again). */
  const removed = new Set<string>();
  /** Snapshots this window's Remove… dialog asked the engine to remove. */
  const removedHere = new Set<string>();
  let frame = 0;
  const publish = (jobs: Map<string, ProcessingJob>) =>
    set({ jobs, jobsVersion: get().jobsVersion + 1, counts: countJobs(jobs.values()) });
  const flush = () => {
    frame = 0;
    if (buffered.length === 0) return;
    const jobs = get().jobs;
    const decided: string[] = [];
    for (const job of buffered) {
      const was = jobs.get(job.id);
      if (isStale(job, was)) continue;
      if (was?.status === 'deciding' && job.status !== 'deciding') decided.push(job.request_id);
      jobs.set(job.id, job);
    }
    buffered = [];
    publish(jobs);
    // The read that decided them wrote their requests' facts: fetched again where shown.
    const client = get().client;
    if (client && decided.length > 0) useRequests.getState().changed(client, decided);
  };
  // At most ~12 flushes a second, each on an animation frame: a burst of thousands of
  // events costs a handful of re-sorts, not one per event.
  const schedule = () => {
    if (frame) return;
    frame = window.setTimeout(() => {
      if (document.hidden) flush();
      else requestAnimationFrame(flush);
    }, 80);
  };

  /** Cancel or retry: the engine answers with the job as written, shown with the next flush. */
  const changeJob = async (
    call: 'jobs:cancel' | 'jobs:retry',
    id: string,
  ): Promise<AppError | null> => {
    const client = get().client;
    if (!client) return null;
    // The analyst named in this profile's dialogs is the one who cancels or retries.
    const author = rememberedAuthor().trim();
    const res = await client.call(call, author ? { id, author } : { id });
    if (!res.ok) return res.error;
    buffered.push(res.value);
    schedule();
    return null;
  };

  return {
    ...HOME,
    queueTab: 'active',
    auditKinds: [],
    client: null,
    connected: false,
    unauthorized: false,
    health: null,
    healthError: null,
    contactAt: null,
    stats: null,
    jobs: new Map(),
    jobsVersion: 0,
    counts: NO_JOBS,
    jobsTruncated: false,
    jobsListed: false,
    snapshots: [],
    snapshotsListed: false,
    removals: 0,
    attachedChanges: 0,
    removedElsewhere: null,
    loadError: null,

    // A source filter belongs to the view it was opened on (the chip says so there).
    // The Queue entered from another view opens on Active (as it always has).
    setView: (view) =>
      set((s) => ({
        view,
        source: s.view === view ? s.source : '',
        queueTab: s.view === view ? s.queueTab : 'active',
      })),
    // What the address does not say stays as it is on screen (the Queue's tab within the
    // Queue, the Audit's kinds).
    goTo: ({ queueTab, auditKinds, ...route }) =>
      set((s) => ({
        ...route,
        queueTab:
          queueTab ?? (s.view === 'queue' && route.view === 'queue' ? s.queueTab : 'active'),
        auditKinds: auditKinds ?? s.auditKinds,
      })),
    // A snapshot opens under the list when the list is on screen, else under the levels board.
    openSnapshot: (id) =>
      set((s) => ({
        snapshotId: id,
        view: 'snapshots',
        snapshotsPane: s.view === 'snapshots' && s.snapshotsPane === 'list' ? 'list' : '',
      })),
    // Told twice when this window removed one (the answer, then the event): once is enough.
    onSnapshotsRemoved: (ids, attached = false) => {
      const gone = new Set(ids.filter((id) => !removed.has(id)));
      if (gone.size === 0) return;
      for (const id of gone) removed.add(id);
      useSnapshotCache.getState().forget(gone);
      // The address of a snapshot that is gone is no step to go Back to: replaced. The open
      // one removed elsewhere is said (its view closes under the analyst's eyes); removed
      // here, the view says it with what the removal left (SnapshotsView).
      inPlace(() =>
        set((s) => {
          const closed = s.snapshotId !== null && gone.has(s.snapshotId) ? s.snapshotId : null;
          return {
            snapshots: s.snapshots.filter((x) => !gone.has(x.id)),
            snapshotId: closed ? null : s.snapshotId,
            removals: s.removals + 1,
            removedElsewhere:
              closed && !removedHere.has(closed)
                ? {
                    id: closed,
                    snapshot: snapshotById(s.snapshots, closed) ?? null,
                    pane: s.snapshotsPane ?? '',
                    ...(attached ? { attached } : {}),
                  }
                : s.removedElsewhere,
          };
        }),
      );
    },
    removingHere: (id) => {
      removedHere.add(id);
      return () => removedHere.delete(id);
    },
    openAudit: (requestId) =>
      set((s) => ({
        auditRequest: requestId,
        view: 'audit',
        source: s.view === 'audit' ? s.source : '',
      })),
    openJob: (id) =>
      set((s) => ({
        jobId: id,
        view: 'queue',
        source: s.view === 'queue' ? s.source : '',
        queueTab: s.view === 'queue' ? s.queueTab : 'active',
      })),
    filterBySource: (source) => set({ source }),
    showSource: (source, shown) =>
      set(
        shown.view === 'queue'
          ? { view: 'queue', source, queueTab: shown.tab, jobId: null }
          : { view: 'audit', source, auditKinds: shown.kinds, auditRequest: '' },
      ),
    setQueueTab: (queueTab) => set({ queueTab }),
    setAuditKinds: (auditKinds) => set({ auditKinds }),

    start(client) {
      set({ client });
      const offs = [
        client.on('job:updated', (job) => {
          buffered.push(job);
          schedule();
        }),
        client.on('queue:stats', (stats) => set({ stats })),
        client.on('snapshot:created', (snap) => {
          const rest = get().snapshots.filter((s) => s.id !== snap.id);
          set({ snapshots: [snap, ...rest].slice(0, 500) });
        }),
        client.on('snapshots:removed', (r) =>
          get().onSnapshotsRemoved(r.snapshots.map((x) => x.id)),
        ),
        // Another desk changed a folder this one attaches (use-attached-watch.ts).
        client.on('snapshots:attachedChanged', ({ gone }) => {
          if (gone.length > 0) get().onSnapshotsRemoved(gone, true);
          set((s) => ({ attachedChanges: s.attachedChanges + 1 }));
        }),
        // The engine's database failed: the status bar says so now, not at the next poll.
        client.on('engine:failed', () => void get().refreshHealth()),
        client.on('rules:activated', () => {
          void get().refreshHealth();
          void useLevels.getState().load(client);
        }),
        client.onUnauthorized((why) => set({ unauthorized: why })),
        client.onConnection((connected) => {
          set({ connected });
          // After a reconnect, events may have been missed: reload what they update.
          if (connected) {
            void Promise.all([
              get().refreshHealth(),
              get().refreshJobs(),
              get().refreshSnapshots(),
              get().refreshStats(),
            ]);
            void useLevels.getState().load(client);
          }
        }),
      ];
      void get().refreshHealth();
      // Health every 2 s: it touches no database and answers within the event loop's lag,
      // so an engine that answers nothing for 5 s is told apart from a slow query beside
      // it (api/silence.ts). A poll still waiting is not asked again: a stuck engine's
      // page does not pile calls up behind it.
      const polled = (refresh: () => Promise<void>) => {
        let asking = false;
        return () => {
          if (asking) return;
          asking = true;
          void refresh().finally(() => (asking = false));
        };
      };
      const timers = [
        setInterval(
          polled(() => get().refreshHealth()),
          2000,
        ),
        setInterval(
          polled(() => get().refreshStats()),
          2000,
        ),
      ];
      return () => {
        for (const off of offs) off();
        for (const t of timers) clearInterval(t);
      };
    },

    async refreshJobs() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('jobs:list', { limit: JOB_LIST_LIMIT });
      if (!res.ok) return set({ loadError: res.error, jobsListed: true });
      set({ jobsTruncated: res.value.length >= JOB_LIST_LIMIT, jobsListed: true });
      const jobs = new Map<string, ProcessingJob>();
      for (const job of res.value) jobs.set(job.id, job);
      // Events that arrived while the list was loading are newer: keep them.
      for (const job of buffered) if (!isStale(job, jobs.get(job.id))) jobs.set(job.id, job);
      buffered = [];
      // Decisions that landed while events were missed (a reconnect) wrote facts too.
      const before = get().jobs;
      const decided: string[] = [];
      for (const job of jobs.values())
        if (before.get(job.id)?.status === 'deciding' && job.status !== 'deciding')
          decided.push(job.request_id);
      publish(jobs);
      if (decided.length > 0) useRequests.getState().changed(client, decided);
    },

    async refreshSnapshots() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('snapshots:list', { limit: 200 });
      if (res.ok) set({ snapshots: res.value, snapshotsListed: true });
      else set({ loadError: res.error, snapshotsListed: true });
    },

    async refreshStats() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('queue:stats', {});
      if (res.ok) set({ stats: res.value, contactAt: Date.now() });
    },

    async refreshHealth() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('engine:health', {});
      if (res.ok) set({ health: res.value, healthError: null, contactAt: Date.now() });
      else set({ healthError: res.error });
    },

    async ensureSnapshot(id) {
      const client = get().client;
      if (!client || get().snapshots.some((s) => s.id === id)) return;
      const res = await client.call('snapshots:get', { id });
      if (!res.ok || get().snapshots.some((s) => s.id === id)) return;
      set({ snapshots: [...get().snapshots, res.value.snapshot] });
    },

    cancelJob: (id) => changeJob('jobs:cancel', id),

    retryJob: (id) => changeJob('jobs:retry', id),

    async setPaused(paused) {
      const client = get().client;
      if (!client) return null;
      const res = await client.call(paused ? 'queue:pause' : 'queue:resume', {});
      if (!res.ok) return res.error;
      set({ stats: res.value });
      return null;
    },
  };
});

/** The snapshot with this id among those loaded. */
export const snapshotById = (
  snapshots: GEXSnapshot[],
  id: string | null | undefined,
): GEXSnapshot | undefined => (id ? snapshots.find((s) => s.id === id) : undefined);
