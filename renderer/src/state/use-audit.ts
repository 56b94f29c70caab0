// Audit entries as the views read them: all of them, those of some kinds, or one
// request's, kept live from `audit:appended`, a page at a time. Kinds, the filter box's
// text and a source are asked of the engine, not picked out of the newest entries: a rule
// change or a decision of this morning is found however many entries came after it, and
// the next page (`more`, after the last entry loaded) goes on through what matches.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AuditEntry } from '../../../shared/api.ts';
import { AuditKind } from '../../../shared/api/audit.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from './store.ts';

export interface AuditFeed {
  entries: AuditEntry[];
  error: AppError | null;
  loaded: boolean;
  /** More are stored than were loaded (past the last page): `more` loads the next. */
  truncated?: boolean;
  /** The entries are an earlier ask's (another filter), shown while this one's is awaited. */
  stale?: boolean;
  /** Loads the next page, after the last entry loaded (one page at a time). */
  more?: () => void;
  /** A next page is being loaded. */
  loadingMore?: boolean;
}

/** What the whole log is filtered by in the engine, besides its kinds. */
export interface AuditAsk {
  /** In the file, underlying, request, analyst or explanation, any letter case. */
  text?: string;
  /** One source's changes and its jobs' entries. */
  source?: string;
  /** Whether an entry heard live belongs to the list (the ask's text and source). */
  matches?: (entry: AuditEntry) => boolean;
}

const ALL_KINDS: ReadonlySet<string> = new Set();
const KNOWN: ReadonlySet<string> = new Set(AuditKind.options);
/** Entries kept, with those heard live; past it the oldest go (and are a page away again). */
const KEEP = 50_000;

interface State {
  key: string;
  entries: AuditEntry[];
  error: AppError | null;
  loaded: boolean;
  truncated: boolean;
  /** The last entry of the engine's order loaded: the next page goes on after it. */
  cursor: number | null;
  loadingMore: boolean;
}

const EMPTY: State = {
  key: '',
  entries: [],
  error: null,
  loaded: false,
  truncated: false,
  cursor: null,
  loadingMore: false,
};

export function useAudit(
  requestId: string,
  limit = 5000,
  kinds: ReadonlySet<string> = ALL_KINDS,
  ask: AuditAsk = {},
): AuditFeed {
  const client = useApp((s) => s.client);
  const [feed, setFeed] = useState<State>(EMPTY);
  const rid = requestId.trim();
  const kindKey = [...kinds]
    .filter((k): k is AuditKind => KNOWN.has(k))
    .sort()
    .join(',');
  const text = ask.text?.trim() ?? '';
  const source = ask.source ?? '';
  const key = JSON.stringify([rid, kindKey, text, source]);
  const matches = useRef(ask.matches);
  const feedRef = useRef(feed);
  useLayoutEffect(() => {
    matches.current = ask.matches;
    feedRef.current = feed;
  });

  const params = useCallback(
    () => ({
      limit,
      ...(rid ? { request_id: rid } : {}),
      ...(kindKey ? { kinds: kindKey.split(',') as AuditKind[] } : {}),
      ...(text ? { text } : {}),
      ...(source ? { source } : {}),
    }),
    [limit, rid, kindKey, text, source],
  );

  useEffect(() => {
    if (!client) return;
    let live = true;
    const wanted = kindKey ? new Set(kindKey.split(',')) : null;
    const belongs = (entry: AuditEntry) =>
      !(rid && entry.request_id !== rid) &&
      !(wanted && !wanted.has(entry.kind)) &&
      (matches.current?.(entry) ?? true);
    // Heard before the first page answered: added to it.
    const early: AuditEntry[] = [];
    void client.call('audit:list', params()).then((r) => {
      if (!live) return;
      if (!r.ok) return setFeed({ ...EMPTY, key, loaded: true, error: r.error });
      setFeed(
        keep({
          ...EMPTY,
          key,
          loaded: true,
          truncated: r.value.length >= limit,
          cursor: r.value.at(-1)?.id ?? null,
          entries: merge(r.value, early),
        }),
      );
    });
    const off = client.on('audit:appended', (entry) => {
      if (!belongs(entry)) return;
      setFeed((f) => {
        if (f.key !== key) {
          if (!early.some((e) => e.id === entry.id)) early.push(entry);
          return f;
        }
        if (f.entries.some((e) => e.id === entry.id)) return f;
        return keep({ ...f, entries: [entry, ...f.entries] });
      });
    });
    return () => {
      live = false;
      off();
    };
  }, [client, key, rid, kindKey, limit, params]);

  const more = useCallback(() => {
    const f = feedRef.current;
    if (!client || f.key !== key || !f.truncated || f.loadingMore || f.cursor === null) return;
    const after = f.cursor;
    setFeed({ ...f, loadingMore: true });
    void client.call('audit:list', { ...params(), after }).then((r) =>
      setFeed((now) => {
        if (now.key !== key) return now;
        // The oldest went meanwhile (KEEP): the next page starts after the last kept.
        if (now.cursor !== after) return { ...now, loadingMore: false };
        if (!r.ok) return { ...now, loadingMore: false, error: r.error };
        return keep({
          ...now,
          loadingMore: false,
          error: null,
          truncated: r.value.length >= limit,
          cursor: r.value.at(-1)?.id ?? now.cursor,
          entries: merge(r.value, now.entries),
        });
      }),
    );
  }, [client, key, limit, params]);

  if (feed.key === key) return { ...feed, more };
  // Another filter's entries, while this one's first page is awaited (none for another request).
  return feed.key && JSON.parse(feed.key)[0] === rid
    ? { ...feed, stale: true, more: undefined }
    : { entries: [], error: null, loaded: false };
}

/** The engine's order: by time, newest first, entries of one moment by id. */
const engineOrder = (a: AuditEntry, b: AuditEntry): number =>
  a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1;

/** Loaded entries with those heard or loaded before, in the engine's order, each once. */
function merge(loaded: AuditEntry[], had: AuditEntry[]): AuditEntry[] {
  const ids = new Set(loaded.map((e) => e.id));
  return [...had.filter((e) => !ids.has(e.id)), ...loaded].sort(engineOrder);
}

/** At most KEEP entries: past it the oldest go, and the next page starts after the last kept. */
function keep(s: State): State {
  if (s.entries.length <= KEEP) return s;
  const entries = s.entries.slice(0, KEEP);
  return { ...s, entries, truncated: true, cursor: entries.at(-1)!.id };
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
