// The audit trail: every decision, override, rejection, escalation, lateness flag,
// rule change and job event, newest first, live, filterable by kind and by file,
// underlying or request; rows reachable from the keyboard (Enter shows the whole
// explanation and the facts, T its request's timeline: one Tab stop, as the Queue's).
// A page of entries at a time, the next loaded when the list is scrolled to its end; the
// filters are asked of the engine, so they find entries past the pages loaded.
// One request's entries open as its timeline (`#/audit/REQUEST`).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AuditEntry } from '../../../shared/api.ts';
import { AuditKind } from '../../../shared/api/audit.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { useApp } from '../state/store.ts';
import { useAudit } from '../state/use-audit.ts';
import { useAuditFilter } from '../state/audit-filter.ts';
import { KIND_ORDER } from '../text/audit-kinds.ts';
import { idShaped } from '../text/ids.ts';
import { int } from '../text/numbers.ts';
import { anyOtherZone, localZone } from '../text/time.ts';
import { plural } from '../text/words.ts';
import { ErrorLine, KeysHint } from '../components/common.tsx';
import { NotAnId } from '../components/NotAnId.tsx';
import { SourceChip } from '../components/SourceChip.tsx';
import { entrySubject } from '../components/Timeline.tsx';
import { Cells } from '../components/table/TableHead.tsx';
import { useTable } from '../components/table/use-table.ts';
import { ROW_HEIGHT, VirtualTable } from '../components/table/VirtualTable.tsx';
import { auditColumns, newestFirst, type JobOf } from './audit/audit-columns.tsx';
import { KindChips } from './audit/KindChips.tsx';
import { RequestTrail } from './audit/RequestTrail.tsx';
import { NotCurrent } from '../components/NotCurrent.tsx';
import { visible } from '../../../shared/visible.ts';

// A chip for every kind the engine writes, whatever the entries loaded hold: the kind is
// asked of the engine, so an analyst's cancel of last week is found by its chip even
// when thousands of newer entries came after it (QA qv F7).
const ENGINE_KINDS: readonly string[] = AuditKind.options;

function useJobIndex(): JobOf {
  const jobs = useApp((s) => s.jobs);
  const version = useApp((s) => s.jobsVersion);
  const byRequest = useMemo(() => {
    void version;
    const m = new Map<string, ProcessingJob>();
    for (const j of jobs.values()) m.set(j.request_id, j);
    return m;
  }, [jobs, version]);
  return useCallback(
    (e) =>
      (e.job_id ? jobs.get(e.job_id) : undefined) ??
      (e.request_id ? byRequest.get(e.request_id) : undefined),
    [jobs, byRequest],
  );
}

/** Entries asked of the engine at a time. */
export const AUDIT_PAGE = 1000;
/** The filter box's text is asked of the engine once typing pauses this long. */
const ASK_AFTER_MS = 250;

function AuditTable() {
  const kinds = useAuditKinds();
  const setKinds = useApp((s) => s.setAuditKinds);
  const offered = useAuditFilter((s) => s.offered);
  // Another view's filter (a source's changes) is taken once; the box is the analyst's after.
  const [query, setQuery] = useState(() => useAuditFilter.getState().takeQuery() ?? '');
  const [asked, setAsked] = useState(query.trim());
  useEffect(() => {
    const t = window.setTimeout(() => setAsked(query.trim()), ASK_AFTER_MS);
    return () => window.clearTimeout(t);
  }, [query]);
  const [open, setOpen] = useState<number | null>(null);
  const jobOf = useJobIndex();
  const source = useApp((s) => s.source ?? '');
  const matches = useCallback(
    (e: AuditEntry) => matchesFilter(e, jobOf(e), asked.toLowerCase(), source),
    [jobOf, asked, source],
  );
  const feed = useAudit('', AUDIT_PAGE, kinds, { text: asked, source, matches });
  const { entries, error, loaded } = feed;
  const truncated = !!feed.truncated;
  const zone = useMemo(() => localZone(), []);
  const otherZone = useMemo(
    () =>
      anyOtherZone(
        entries.map((e) => e.at),
        zone,
      ),
    [entries, zone],
  );
  const columns = useMemo(() => auditColumns(zone, otherZone), [zone, otherZone]);
  const q = query.trim().toLowerCase();
  const searchBox = useRef<HTMLInputElement>(null);
  // The engine's answer is the filter's; while another filter's entries are shown (the
  // answer awaited), or the box's text not asked yet, they are narrowed here meanwhile.
  const narrowing = feed.stale || q !== asked.toLowerCase();
  const filtered = useMemo(
    () =>
      entries
        .filter(
          (e) =>
            !narrowing ||
            ((!kinds.size || kinds.has(e.kind)) && matchesFilter(e, jobOf(e), q, source)),
        )
        .sort(newestFirst),
    [entries, kinds, q, jobOf, source, narrowing],
  );
  const [table, setFrame] = useTable<AuditEntry, JobOf>('audit', columns, filtered);
  const rows = table.rows;
  // The whole log's kinds are remembered, so that their chips stay while some are chosen
  // (the entries are of those kinds only, then) and kinds can be combined.
  useEffect(() => {
    if (kinds.size === 0 && !feed.stale)
      useAuditFilter.getState().offer(new Set(entries.map((e) => e.kind)));
  }, [entries, kinds, feed.stale]);
  const seen = new Set<string>([...entries.map((e) => e.kind), ...offered, ...kinds]);
  const chips = [
    ...KIND_ORDER.filter((k) => ENGINE_KINDS.includes(k) || seen.has(k)),
    ...[...ENGINE_KINDS, ...seen].filter(
      (k, i, all) => !KIND_ORDER.includes(k) && all.indexOf(k) === i,
    ),
  ];

  const toggle = (id: number) => setOpen((o) => (o === id ? null : id));

  return (
    <>
      <div className="toolbar">
        <KindChips
          chips={chips}
          chosen={kinds}
          onToggle={(k) => {
            const next = new Set(kinds);
            if (next.has(k)) next.delete(k);
            else next.add(k);
            setKinds([...next]);
          }}
        />
        <SourceChip afterRemove={() => searchBox.current?.focus()} />
        <input
          ref={searchBox}
          className="search"
          type="search"
          aria-label="Filter entries by file, underlying, request or analyst"
          placeholder="File, underlying, request, analyst"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          spellCheck={false}
        />
        <span className="spacer" />
        <span
          className="row-count"
          data-testid="audit-count"
          title={
            truncated && !narrowing
              ? 'Older entries load as the list is scrolled to its end'
              : undefined
          }
        >
          {!loaded
            ? ''
            : narrowing
              ? 'searching…'
              : feed.loadingMore
                ? `newest ${int(rows.length)} loaded, loading more…`
                : truncated
                  ? `newest ${int(rows.length)} loaded, more below`
                  : plural(rows.length, 'entry')}
        </span>
      </div>
      {error && (
        <div className="banner error" role="alert">
          <ErrorLine error={error} />
        </div>
      )}
      <div className="table-area">
        <VirtualTable
          table={table}
          frame={setFrame}
          className="audit-table"
          label="Audit entries"
          empty={loaded ? 'No audit entries.' : 'Loading the audit trail…'}
          onOpen={(e) => toggle(e.id)}
          onEnd={narrowing ? undefined : feed.more}
          openId={open}
          keepPlace
          newer={(n) => plural(n, 'new entry', 'new entries')}
          keysHint
          estimateSize={(e) => (e.id === open ? 220 : ROW_HEIGHT)}
          overscan={12}
          renderRow={({ row: e, index, key, top, rowProps, measure }) => (
            <div
              key={key}
              data-index={index}
              ref={measure}
              className={`audit-item ${open === e.id ? 'open' : ''}`}
              style={{ transform: `translateY(${top}px)` }}
            >
              <div
                role="row"
                className="row audit-row"
                data-kind={e.kind}
                data-focus-key={`audit-entry-${e.id}`}
                onClick={() => toggle(e.id)}
                aria-keyshortcuts={e.request_id ? 'Enter T' : 'Enter'}
                onKeyDown={(ev) => {
                  // T on the focused row: its request's timeline (the row's one action).
                  const plain = !ev.altKey && !ev.ctrlKey && !ev.metaKey;
                  if (ev.target !== ev.currentTarget || !plain || !e.request_id) return;
                  if (ev.key !== 't' && ev.key !== 'T') return;
                  ev.preventDefault();
                  useApp.getState().openAudit(e.request_id);
                }}
                {...rowProps}
              >
                <Cells table={table} row={e} ctx={jobOf} />
              </div>
              {open === e.id && (
                // A row of the table, one cell: the whole explanation, wrapped (the
                // Explanation column cuts it at a narrow window, its full text otherwise
                // only in a mouse title), then the facts — focusable, since long ones (an
                // error's message) scroll sideways and a region that scrolls must be
                // reachable from the keyboard.
                <div role="row">
                  <div role="cell">
                    <p className="audit-explanation" data-testid="audit-explanation">
                      {visible(e.explanation)}
                    </p>
                    {(e.rule || e.actor) && (
                      // The Rule and By columns give way at a narrow window: said here.
                      <p className="audit-rule-by" data-testid="audit-rule-by">
                        {e.rule
                          ? `Rule ${visible(e.rule)}${e.rule_version ? `, rule set v${e.rule_version}` : ''}`
                          : ''}
                        {e.rule && e.actor ? ' · ' : ''}
                        {e.actor ? `by ${visible(e.actor)}` : ''}
                      </p>
                    )}
                    <pre className="facts" tabIndex={0}>
                      {JSON.stringify(
                        { request_id: e.request_id, job_id: e.job_id, facts: e.facts },
                        null,
                        2,
                      )}
                    </pre>
                  </div>
                </div>
              )}
            </div>
          )}
        />
        <KeysHint
          keys={[
            ['Enter', 'details'],
            ['T', 'timeline'],
          ]}
        />
      </div>
    </>
  );
}

/** The kinds chosen (the store's route), as a set that changes only when they do. */
function useAuditKinds(): ReadonlySet<string> {
  const list = useApp((s) => s.auditKinds);
  return useMemo(() => new Set(list), [list]);
}

/** A request's trail, whole. */
function TrailOf({ requestId }: { requestId: string }) {
  const feed = useAudit(requestId, 5000);
  return (
    <RequestTrail
      requestId={requestId}
      entries={feed.entries}
      loaded={feed.loaded}
      error={feed.error}
    />
  );
}

/**
 * The filter box's text in an entry's file, underlying (its job's when it names none),
 * request, analyst or explanation; a source (the Sources view's link) its id exactly, on
 * its changes and its jobs' entries — as the engine reads them (audit:list).
 */
function matchesFilter(
  e: AuditEntry,
  job: ProcessingJob | undefined,
  q: string,
  source: string,
): boolean {
  if (source && e.facts?.source !== source && job?.source !== source) return false;
  if (!q) return true;
  const { file, underlying } = entrySubject(e, job);
  return `${file ?? ''} ${underlying ?? ''} ${e.request_id ?? ''} ${e.actor ?? ''} ${e.explanation}`
    .toLowerCase()
    .includes(q);
}

export function AuditView() {
  const requestId = useApp((s) => s.auditRequest);
  return (
    <div className="view audit-view" data-testid="audit-view">
      <h1 className="sr-only" tabIndex={-1}>
        Audit trail
      </h1>
      <NotCurrent />
      {!requestId ? (
        <AuditTable />
      ) : idShaped(requestId) ? (
        <TrailOf requestId={requestId} />
      ) : (
        // An address naming no request id is not asked of the engine (its entries, its job).
        <NotAnId
          text={requestId}
          noun="request"
          className="banner"
          closeLabel="‹ All entries"
          onClose={() => useApp.getState().openAudit('')}
        />
      )}
    </div>
  );
}
