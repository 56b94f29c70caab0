// Audit entries as the views read them: all of them or one request's, loaded once
// and kept live from `audit:appended`.
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from './store.ts';

export interface AuditFeed {
  entries: AuditEntry[];
  error: AppError | null;
  loaded: boolean;
}

export function useAudit(requestId: string, limit = 5000): AuditFeed {
  const client = useApp((s) => s.client);
  const [feed, setFeed] = useState<AuditFeed & { key: string }>({
    entries: [],
    error: null,
    loaded: false,
    key: '',
  });
  const rid = requestId.trim();

  useEffect(() => {
    if (!client) return;
    let live = true;
    const key = rid;
    void client.call('audit:list', { limit, ...(rid ? { request_id: rid } : {}) }).then((res) => {
      if (!live) return;
      if (res.ok)
        setFeed((f) => ({
          key,
          loaded: true,
          error: null,
          entries: merge(res.value, f.key === key ? f.entries : []),
        }));
      else setFeed({ key, loaded: true, error: res.error, entries: [] });
    });
    const off = client.on('audit:appended', (entry) => {
      if (rid && entry.request_id !== rid) return;
      setFeed((f) =>
        f.key !== key || f.entries.some((e) => e.id === entry.id)
          ? f
          : { ...f, entries: [entry, ...f.entries].slice(0, 20_000) },
      );
    });
    return () => {
      live = false;
      off();
    };
  }, [client, rid, limit]);

  return feed.key === rid ? feed : { entries: [], error: null, loaded: false };
}

/** Loaded entries with those heard while loading, newest first, each once. */
function merge(loaded: AuditEntry[], heard: AuditEntry[]): AuditEntry[] {
  const ids = new Set(loaded.map((e) => e.id));
  return [...heard.filter((e) => !ids.has(e.id)), ...loaded].sort((a, b) => b.id - a.id);
}

/** The latest job of a request (a retry keeps the job; a resubmission is a new request). */
export function jobOfRequest(
  jobs: Map<string, ProcessingJob>,
  requestId: string,
): ProcessingJob | undefined {
  let found: ProcessingJob | undefined;
  for (const job of jobs.values())
    if (job.request_id === requestId && (!found || job.submitted_at > found.submitted_at))
      found = job;
  return found;
}

/** Whether a request's trail says its snapshot was removed since (snapshots:remove). */
export const snapshotRemoved = (entries: readonly AuditEntry[], id: string | null): boolean =>
  id !== null && entries.some((e) => e.kind === 'removed' && e.facts?.snapshot_id === id);
