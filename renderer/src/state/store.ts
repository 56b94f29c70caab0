// The UI's state, in one zustand store: engine health, queue statistics, the jobs
// (kept in a Map, updated in place from `job:updated` events and flushed to React a
// few times a second, on an animation frame, so that 10,000 jobs and bursts of events stay
// smooth), recent snapshots, and the user's own submissions with their progress.
import { create } from 'zustand';
import type { CallResponse, QueueStats, SubmitAck } from '../../../shared/api.ts';
import type { GEXSnapshot, PriorityLevel, ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import type { GexClient } from '../api/client.ts';
import { isStale } from './job-order.ts';

export type Health = CallResponse<'engine:health'>;
export type View = 'queue' | 'snapshots' | 'rules' | 'audit';

export interface Submission {
  key: string;
  name: string;
  bytes: number;
  stage: 'uploading' | 'submitting' | 'queued' | 'duplicate' | 'failed' | 'rejected' | 'error';
  upload: number;
  /** Where the engine reads the file (the upload's stored path in a browser). */
  path: string | null;
  ack: SubmitAck | null;
  error: AppError | null;
}

export interface SubmitOptions {
  source: string;
  requested_priority?: PriorityLevel;
  justification?: string;
  author?: string;
}

interface State {
  client: GexClient | null;
  view: View;
  snapshotId: string | null;
  /** The audit view's request filter ('' for all). */
  auditRequest: string;
  connected: boolean;
  health: Health | null;
  healthError: AppError | null;
  stats: QueueStats | null;
  jobs: Map<string, ProcessingJob>;
  /** Bumped whenever `jobs` changed, so selectors can memoise on it. */
  jobsVersion: number;
  snapshots: GEXSnapshot[];
  submissions: Submission[];
  /** Files waiting in the submit dialog. */
  pending: File[] | null;
  loadError: AppError | null;

  setView(view: View): void;
  openSnapshot(id: string | null): void;
  openAudit(requestId: string): void;
  start(client: GexClient): () => void;
  refreshJobs(): Promise<void>;
  refreshSnapshots(): Promise<void>;
  refreshStats(): Promise<void>;
  refreshHealth(): Promise<void>;
  /** Makes sure a snapshot (e.g. the one a duplicate points to) is in the list. */
  ensureSnapshot(id: string): Promise<void>;
  offerFiles(files: File[]): void;
  cancelPending(): void;
  submit(files: File[], opts: SubmitOptions): Promise<void>;
  dismissSubmission(key: string): void;
  clearFinishedSubmissions(): void;
  cancelJob(id: string): Promise<AppError | null>;
  retryJob(id: string): Promise<AppError | null>;
  /** Holds (true) or releases (false) the queue's dispatch; running jobs finish either way. */
  setPaused(paused: boolean): Promise<AppError | null>;
}

let submissionSeq = 0;

/** Errors name the stored upload's path; the user knows the file by its own name. */
export function ownError(e: AppError, path: string | null, name: string): AppError {
  return {
    ...e,
    message: path ? e.message.replaceAll(path, name) : e.message,
    file: !e.file || e.file === path ? name : e.file,
  };
}

export const useApp = create<State>((set, get) => {
  // Job events are collected here and applied once per frame.
  let buffered: ProcessingJob[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    if (buffered.length === 0) return;
    const jobs = get().jobs;
    for (const job of buffered) if (!isStale(job, jobs.get(job.id))) jobs.set(job.id, job);
    buffered = [];
    set({ jobsVersion: get().jobsVersion + 1 });
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
  const changeJob = async (call: 'jobs:cancel' | 'jobs:retry', id: string): Promise<AppError | null> => {
    const client = get().client;
    if (!client) return null;
    const res = await client.call(call, { id });
    if (!res.ok) return res.error;
    buffered.push(res.value);
    schedule();
    return null;
  };

  const updateSubmission = (key: string, patch: Partial<Submission>) =>
    set({ submissions: get().submissions.map((s) => (s.key === key ? { ...s, ...patch } : s)) });

  return {
    client: null,
    view: 'queue',
    snapshotId: null,
    auditRequest: '',
    connected: false,
    health: null,
    healthError: null,
    stats: null,
    jobs: new Map(),
    jobsVersion: 0,
    snapshots: [],
    submissions: [],
    pending: null,
    loadError: null,

    setView: (view) => set({ view }),
    openSnapshot: (id) => set({ snapshotId: id, view: 'snapshots' }),
    openAudit: (requestId) => set({ auditRequest: requestId, view: 'audit' }),

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
        client.on('rules:activated', () => void get().refreshHealth()),
        client.onConnection((connected) => {
          set({ connected });
          // After a reconnect, events may have been missed: reload what they update.
          if (connected) void Promise.all([get().refreshJobs(), get().refreshSnapshots(), get().refreshStats()]);
        }),
      ];
      void get().refreshHealth();
      const timers = [
        setInterval(() => void get().refreshHealth(), 5000),
        setInterval(() => void get().refreshStats(), 2000),
      ];
      return () => {
        for (const off of offs) off();
        for (const t of timers) clearInterval(t);
      };
    },

    async refreshJobs() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('jobs:list', { limit: 10_000 });
      if (!res.ok) return set({ loadError: res.error });
      const jobs = new Map<string, ProcessingJob>();
      for (const job of res.value) jobs.set(job.id, job);
      // Events that arrived while the list was loading are newer: keep them.
      for (const job of buffered) if (!isStale(job, jobs.get(job.id))) jobs.set(job.id, job);
      buffered = [];
      set({ jobs, jobsVersion: get().jobsVersion + 1 });
    },

    async refreshSnapshots() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('snapshots:list', { limit: 200 });
      if (res.ok) set({ snapshots: res.value });
      else set({ loadError: res.error });
    },

    async refreshStats() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('queue:stats', {});
      if (res.ok) set({ stats: res.value });
    },

    async refreshHealth() {
      const client = get().client;
      if (!client) return;
      const res = await client.call('engine:health', {});
      if (res.ok) set({ health: res.value, healthError: null });
      else set({ healthError: res.error });
    },

    async ensureSnapshot(id) {
      const client = get().client;
      if (!client || get().snapshots.some((s) => s.id === id)) return;
      const res = await client.call('snapshots:get', { id });
      if (!res.ok || get().snapshots.some((s) => s.id === id)) return;
      const all = [...get().snapshots, res.value.snapshot].sort((a, b) => b.created_at.localeCompare(a.created_at));
      set({ snapshots: all });
    },

    offerFiles(files) {
      if (files.length > 0) set({ pending: [...(get().pending ?? []), ...files] });
    },
    cancelPending: () => set({ pending: null }),

    async submit(files, opts) {
      const client = get().client;
      if (!client) return;
      set({ pending: null });
      const entries: Submission[] = files.map((f) => ({
        key: `s${++submissionSeq}`,
        name: f.name,
        bytes: f.size,
        stage: 'uploading',
        upload: 0,
        path: null,
        ack: null,
        error: null,
      }));
      set({ submissions: [...entries.slice().reverse(), ...get().submissions] });
      // Files go one after the other: the submission order is the order the user chose.
      for (const [i, file] of files.entries()) {
        const key = entries[i]!.key;
        const staged = await client.stage(file, (upload) => updateSubmission(key, { upload }));
        if (!staged.ok) {
          updateSubmission(key, { stage: 'error', error: { ...staged.error, file: staged.error.file ?? file.name } });
          continue;
        }
        updateSubmission(key, { stage: 'submitting', upload: 1, path: staged.value.path });
        const res = await client.call('ingest:submit', {
          file: staged.value.path,
          source: opts.source || 'manual',
          ...(opts.requested_priority ? { requested_priority: opts.requested_priority, justification: opts.justification } : {}),
          ...(opts.author ? { author: opts.author } : {}),
        });
        const own = (e: AppError) => ownError(e, staged.value.path, file.name);
        if (!res.ok) {
          updateSubmission(key, { stage: 'error', error: own(res.error) });
        } else {
          const ack = res.value;
          // A job still `deciding` is followed like a queued one: its events carry its status.
          const stage = ack.status === 'deciding' ? 'queued' : ack.status;
          updateSubmission(key, { stage, ack, error: ack.error ? own(ack.error) : null });
        }
      }
    },

    dismissSubmission: (key) => set({ submissions: get().submissions.filter((s) => s.key !== key) }),
    clearFinishedSubmissions() {
      const jobs = get().jobs;
      set({
        submissions: get().submissions.filter((s) => {
          if (s.stage === 'uploading' || s.stage === 'submitting') return true;
          if (s.stage !== 'queued') return false;
          const job = s.ack?.job_id ? jobs.get(s.ack.job_id) : undefined;
          return !job || job.status === 'queued' || job.status === 'running';
        }),
      });
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
