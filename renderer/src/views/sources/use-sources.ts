// The Sources view's data: every source's record (sources:list), kept live from
// `source:updated` (an override set or cleared), reloaded when a rule set is activated
// (what a reliability triggers depends on the rules) and every few seconds while shown
// (counts move as jobs end); and each source's override changes in the audit trail
// (kind `source`), so the view shows that every change was recorded.
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, SourceRecord } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';

export interface SourcesFeed {
  sources: SourceRecord[] | null;
  error: AppError | null;
  /** Each source's `source` audit entries, newest first. */
  audit: Map<string, AuditEntry[]>;
  reload(): Promise<void>;
}

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

  const reload = useCallback(async () => {
    if (!client) return;
    const res = await client.call('sources:list', {});
    if (res.ok) {
      setSources(res.value);
      setError(null);
    } else setError(res.error);
  }, [client]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('sources:list', {}).then((res) => {
      if (!live) return;
      if (res.ok) setSources(res.value);
      else setError(res.error);
    });
    // The sources' changes alone: among all entries, the newest few thousand would leave
    // an override set a few bursts ago out of its source's history.
    void client.call('audit:list', { kind: 'source', limit: 5000 }).then((res) => {
      if (live && res.ok) setEntries(res.value);
    });
    const offs = [
      client.on('source:updated', (rec) =>
        setSources((list) =>
          list?.some((s) => s.id === rec.id)
            ? list.map((s) => (s.id === rec.id ? rec : s))
            : [...(list ?? []), rec],
        ),
      ),
      client.on('rules:activated', () => void reload()),
      client.on('audit:appended', (e) => {
        if (e.kind === 'source')
          setEntries((list) => (list.some((x) => x.id === e.id) ? list : [e, ...list]));
      }),
    ];
    const timer = setInterval(() => void reload(), 5000);
    return () => {
      live = false;
      for (const off of offs) off();
      clearInterval(timer);
    };
  }, [client, reload]);

  return { sources, error, audit: byId(entries), reload };
}
