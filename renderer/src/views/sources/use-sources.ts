// The Sources view's data: every source's record (sources:list), kept live from
// `source:updated` (an override set or cleared), reloaded when a rule set is activated
// (what a reliability triggers depends on the rules), when a job ends (its source's
// counts move; at most once a second, however many end) or one of a source not listed
// arrives, and when the event socket comes back (endings sent meanwhile were missed);
// and each source's override
// changes in the audit trail
// (kind `source`), so the view shows that every change was recorded.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditEntry, SourceRecord } from '../../../../shared/api.ts';
import { TERMINAL_STATUSES } from '../../../../shared/domain.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { keepUnchanged } from './keep-unchanged.ts';

export interface SourcesFeed {
  sources: SourceRecord[] | null;
  error: AppError | null;
  /** Each source's `source` audit entries, newest first. */
  audit: Map<string, AuditEntry[]>;
  reload(): Promise<void>;
}

/** The least time between two reloads on jobs ending (a burst of endings is one reload). */
const RELOAD_GAP_MS = 1000;

const sourceOf = (e: AuditEntry): string | null =>
  e.kind === 'source' && typeof e.facts?.source === 'string' ? e.facts.source : null;

function byId(entries: AuditEntry[]): Map<string, AuditEntry[]> {
  const m = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const id = sourceOf(e);
    if (id) m.set(id, [...(m.get(id) ?? []), e]);
  }
  return m;
}

export function useSources(): SourcesFeed {
  const client = useApp((s) => s.client);
  const [sources, setSources] = useState<SourceRecord[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [entries, setEntries] = useState<AuditEntry[]>([]);

  // The sources listed (read by the event handlers without making them change).
  const [known] = useState(() => new Set<string>());
  const reload = useCallback(async () => {
    if (!client) return;
    const res = await client.call('sources:list', {});
    if (res.ok) {
      known.clear();
      for (const s of res.value) known.add(s.id);
      // The records that did not change are kept as they were: their rows are not drawn again.
      setSources((prev) => keepUnchanged(prev, res.value));
      setError(null);
    } else setError(res.error);
  }, [client, known]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    // The sources' changes alone: among all entries, the newest few thousand would leave
    // an override set a few bursts ago out of its source's history.
    void client.call('audit:list', { kind: 'source', limit: 5000 }).then((res) => {
      if (live && res.ok) setEntries(res.value);
    });
    // Jobs ending move their sources' counts: one reload at once, then at most one a
    // second, the last after the burst's last ending.
    let lastReload = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const reloadSoon = () => {
      if (pending !== undefined) return;
      const wait = lastReload + RELOAD_GAP_MS - Date.now();
      const run = () => {
        pending = undefined;
        lastReload = Date.now();
        if (live) void reload();
      };
      if (wait <= 0) run();
      else pending = setTimeout(run, wait);
    };
    // The first load, as any reload.
    reloadSoon();
    let wasDown = false;
    const offs = [
      client.on('source:updated', (rec) =>
        setSources((list) =>
          list?.some((s) => s.id === rec.id)
            ? list.map((s) => (s.id === rec.id ? rec : s))
            : [...(list ?? []), rec],
        ),
      ),
      client.on('rules:activated', () => void reload()),
      // A job ending moves its source's counts; one of a source not listed yet adds it.
      client.on('job:updated', (job) => {
        if (TERMINAL_STATUSES.has(job.status) || !known.has(job.source)) reloadSoon();
      }),
      // Endings sent while the event socket was down were missed: read the records again.
      client.onConnection((up) => {
        if (up && wasDown) reloadSoon();
        wasDown = !up;
      }),
      client.on('audit:appended', (e) => {
        if (e.kind === 'source')
          setEntries((list) => (list.some((x) => x.id === e.id) ? list : [e, ...list]));
      }),
    ];
    return () => {
      live = false;
      for (const off of offs) off();
      clearTimeout(pending);
    };
  }, [client, reload, known]);

  // Each source's entries change only when the entries do (a row's trail, compared by it).
  const audit = useMemo(() => byId(entries), [entries]);
  return { sources, error, audit, reload };
}
