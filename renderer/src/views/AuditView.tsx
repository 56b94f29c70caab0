// The audit trail: every priority decision, override, escalation, lateness flag,
// rejection, rule change and job event, newest first, live; a row opens its facts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AuditEntry } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from '../state/store.ts';
import { stamp } from '../format.ts';
import { ErrorLine, LevelBadge } from '../components/common.tsx';

const KINDS: AuditEntry['kind'][] = ['decision', 'override', 'escalation', 'late', 'rejected', 'rules', 'job'];

export function AuditView() {
  const client = useApp((s) => s.client);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [kinds, setKinds] = useState<Set<string>>(new Set());
  const requestId = useApp((s) => s.auditRequest);
  const setRequestId = (v: string) => useApp.setState({ auditRequest: v });
  const [open, setOpen] = useState<number | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!client) return;
    let live = true;
    const rid = requestId.trim();
    void client.call('audit:list', { limit: 5000, ...(rid ? { request_id: rid } : {}) }).then((res) => {
      if (!live) return;
      if (res.ok) {
        setEntries(res.value);
        setError(null);
      } else setError(res.error);
    });
    const off = client.on('audit:appended', (entry) => {
      if (rid && entry.request_id !== rid) return;
      setEntries((list) => (list.some((e) => e.id === entry.id) ? list : [entry, ...list].slice(0, 20_000)));
    });
    return () => {
      live = false;
      off();
    };
  }, [client, requestId]);

  const rows = useMemo(() => (kinds.size ? entries.filter((e) => kinds.has(e.kind)) : entries), [entries, kinds]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.id === open ? 200 : 28),
    overscan: 12,
    getItemKey: (i) => rows[i]!.id,
  });

  return (
    <div className="view audit-view" data-testid="audit-view">
      <div className="toolbar">
        <div className="chips">
          {KINDS.map((k) => (
            <button
              key={k}
              className={`chip text ${kinds.has(k) ? 'on' : ''}`}
              onClick={() => {
                const next = new Set(kinds);
                if (next.has(k)) next.delete(k);
                else next.add(k);
                setKinds(next);
              }}
            >
              {k}
            </button>
          ))}
        </div>
        <input
          className="search"
          placeholder="Request id"
          value={requestId}
          onChange={(e) => setRequestId(e.target.value)}
          spellCheck={false}
        />
        <span className="spacer" />
        <span className="muted num">{rows.length} entries</span>
      </div>
      {error && <div className="banner error"><ErrorLine error={error} /></div>}
      <div className="table audit-table">
        <div className="thead row">
          <span className="a-at">At</span>
          <span className="a-kind">Kind</span>
          <span className="a-level">Level</span>
          <span className="a-rule">Rule</span>
          <span className="a-ver num">Rules v</span>
          <span className="a-actor">Actor</span>
          <span className="a-expl">Explanation</span>
          <span className="a-req">Request</span>
        </div>
        <div className="tbody" ref={scroller}>
          {rows.length === 0 && <div className="empty">No audit entries.</div>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const e = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className={`audit-item ${open === e.id ? 'open' : ''}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <div className="row audit-row" onClick={() => setOpen(open === e.id ? null : e.id)}>
                    <span className="a-at num">{stamp(e.at)}</span>
                    <span className={`a-kind kind-${e.kind}`}>{e.kind}</span>
                    <span className="a-level">{e.priority ? <LevelBadge level={e.priority} /> : null}</span>
                    <span className="a-rule">{e.rule ?? ''}</span>
                    <span className="a-ver num">{e.rule_version ?? ''}</span>
                    <span className="a-actor">{e.actor ?? ''}</span>
                    <span className="a-expl" title={e.explanation}>
                      {e.explanation}
                    </span>
                    <span
                      className="a-req muted link"
                      title={e.request_id ? `Only request ${e.request_id}` : ''}
                      onClick={(ev) => {
                        if (!e.request_id) return;
                        ev.stopPropagation();
                        setRequestId(e.request_id);
                      }}
                    >
                      {e.request_id ? e.request_id.slice(0, 8) : ''}
                    </span>
                  </div>
                  {open === e.id && (
                    <pre className="facts">{JSON.stringify({ request_id: e.request_id, job_id: e.job_id, facts: e.facts }, null, 2)}</pre>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
