// Audit entries as the views read them: all of them, those of some kinds, or one
// request's, loaded once and kept live from `audit:appended`. Kinds are asked of the
// engine, not picked out of the newest entries: a rule change or a source override of
// last week is among the newest of its kind, not among the newest 5,000 of all.
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/api.ts';
import { AuditKind } from '../../../shared/api/audit.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from './store.ts';

export interface AuditFeed {
  entries: AuditEntry[];
  error: AppError | null;
  loaded: boolean;
  /** More are stored than were loaded (a kind, or the whole log, past the limit). */
  truncated?: boolean;
}

const ALL_KINDS: ReadonlySet<string> = new Set();
const KNOWN: ReadonlySet<string> = new Set(AuditKind.options);

export function useAudit(
  requestId: string,
  limit = 5000,
  kinds: ReadonlySet<string> = ALL_KINDS,
): AuditFeed {
  const client = useApp((s) => s.client);
  const [feed, setFeed] = useState<AuditFeed & { key: string }>({
    entries: [],
    error: null,
    loaded: false,
    key: '',
  });
  const rid = requestId.trim();
  const kindList = [...kinds].filter((k): k is AuditKind => KNOWN.has(k)).sort();
  const kindKey = kindList.join(',');

  useEffect(() => {
    if (!client) return;
    let live = true;
    const key = `${rid}|${kindKey}`;
    const wanted = kindKey ? new Set(kindKey.split(',')) : null;
    const base = { limit, ...(rid ? { request_id: rid } : {}) };
    const asks = wanted
      ? [...wanted].map((kind) => client.call('audit:list', { ...base, kind: kind as AuditKind }))
      : [client.call('audit:list', base)];
    void Promise.all(asks).then((answers) => {
      if (!live) return;
      const failed = answers.find((r) => !r.ok);
      if (failed && !failed.ok)
        return setFeed({ key, loaded: true, error: failed.error, entries: [] });
      const loaded = answers.flatMap((r) => (r.ok ? r.value : []));
      setFeed((f) => ({
        key,
        loaded: true,
        error: null,
        truncated: answers.some((r) => r.ok && r.value.length >= limit),
        entries: merge(loaded, f.key === key ? f.entries : []),
      }));
    });
    const off = client.on('audit:appended', (entry) => {
      if (rid && entry.request_id !== rid) return;
      if (wanted && !wanted.has(entry.kind)) return;
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
  }, [client, rid, limit, kindKey]);

  return feed.key === `${rid}|${kindKey}` ? feed : { entries: [], error: null, loaded: false };
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
