// The analyst's own submissions, newest first: each file from the drop or the
// chooser, its upload, the engine's answer and then its job. They are kept in this
// tab's session storage, so a reload shows them again; a file whose upload a reload
// interrupted says so instead of spinning forever.
import { create } from 'zustand';
import type { AppError } from '../../../shared/result.ts';
import { isOpen, type GEXSnapshot } from '../../../shared/domain.ts';
import { snapshotById, useApp } from './store.ts';
import {
  ownError,
  restoreSubmissions,
  type Submission,
  type SubmitOptions,
} from './submission-records.ts';

export { ownError, type Submission, type SubmitOptions } from './submission-records.ts';
const KEY = 'gex-desk.submissions';

/** A submission's snapshot, once its job has one and the page has its figures. */
export function snapshotOf(
  s: Submission,
  jobs: ReturnType<typeof useApp.getState>['jobs'],
  snapshots: GEXSnapshot[],
): GEXSnapshot | undefined {
  const job = s.ack?.job_id ? jobs.get(s.ack.job_id) : undefined;
  return snapshotById(snapshots, job?.snapshot_id ?? s.ack?.snapshot_id ?? null);
}
const KEEP = 100;

interface SubmissionsState {
  submissions: Submission[];
  /** Files waiting in the submit dialog. */
  pending: File[] | null;
  offerFiles(files: File[]): void;
  cancelPending(): void;
  submit(files: File[], opts: SubmitOptions): Promise<void>;
  dismiss(key: string): void;
  clearFinished(): void;
}

let seq = 0;

export const useSubmissions = create<SubmissionsState>((set, get) => {
  const save = (submissions: Submission[]) => {
    set({ submissions });
    try {
      sessionStorage.setItem(KEY, JSON.stringify(submissions.slice(0, KEEP)));
    } catch {
      // Storage full or disabled: they live until the tab closes.
    }
  };
  const update = (key: string, patch: Partial<Submission>) =>
    save(get().submissions.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  let restored: Submission[];
  try {
    restored = restoreSubmissions(sessionStorage.getItem(KEY));
  } catch {
    restored = [];
  }
  seq = restored.length;

  return {
    submissions: restored,
    pending: null,
    offerFiles(files) {
      if (files.length > 0) set({ pending: [...(get().pending ?? []), ...files] });
    },
    cancelPending: () => set({ pending: null }),

    async submit(files, opts) {
      const client = useApp.getState().client;
      if (!client) return;
      set({ pending: null });
      const entries: Submission[] = files.map((f) => ({
        key: `s${Date.now().toString(36)}-${++seq}`,
        name: f.name,
        bytes: f.size,
        stage: 'uploading',
        upload: 0,
        path: null,
        ack: null,
        error: null,
      }));
      save([...entries.slice().reverse(), ...get().submissions]);
      // Files go one after the other: the submission order is the order the user chose.
      for (const [i, file] of files.entries()) {
        const key = entries[i]!.key;
        const staged = await client.stage(file, (upload) =>
          set({
            submissions: get().submissions.map((s) => (s.key === key ? { ...s, upload } : s)),
          }),
        );
        if (!staged.ok) {
          update(key, {
            stage: 'error',
            error: { ...staged.error, file: staged.error.file ?? file.name },
          });
          continue;
        }
        update(key, { stage: 'submitting', upload: 1, path: staged.value.path });
        const res = await client.call('ingest:submit', {
          file: staged.value.path,
          source: opts.source || 'manual',
          ...(opts.requested_priority
            ? { requested_priority: opts.requested_priority, justification: opts.justification }
            : {}),
          ...(opts.author ? { author: opts.author } : {}),
        });
        const own = (e: AppError) => ownError(e, staged.value.path, file.name);
        if (!res.ok) update(key, { stage: 'error', error: own(res.error) });
        else
          update(key, {
            // A job still `deciding` is followed like a queued one: its events carry its status.
            stage: res.value.status === 'deciding' ? 'queued' : res.value.status,
            ack: res.value,
            error: res.value.error ? own(res.value.error) : null,
          });
      }
    },

    dismiss: (key) => save(get().submissions.filter((s) => s.key !== key)),
    clearFinished() {
      const jobs = useApp.getState().jobs;
      save(
        get().submissions.filter((s) => {
          if (s.stage === 'uploading' || s.stage === 'submitting') return true;
          if (s.stage !== 'queued') return false;
          const job = s.ack?.job_id ? jobs.get(s.ack.job_id) : undefined;
          return !job || isOpen(job.status);
        }),
      );
    },
  };
});
