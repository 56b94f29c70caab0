// The queue monitor: per level, jobs waiting and running against the active rules'
// targets; below, every job in one virtualised table (smooth with 10,000 rows) with
// sortable, resizable columns, rows reachable from the keyboard, and a drawer with a
// job's whole story on click or Enter. Pause / Resume holds the queue's dispatch.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  endedUndecided,
  isOpen,
  type PriorityLevel,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from '../state/store.ts';
import { inPlace } from '../state/in-place.ts';
import { useRequests } from '../state/requests.ts';
import { useSnapshotCache } from '../state/snapshot-cache.ts';
import { useJob } from '../state/use-job.ts';
import { useDataNow } from '../state/reach.ts';
import { useEngineSilence } from '../state/use-engine-silence.ts';
import { answeredWhen, queueUnread } from '../state/engine-silence.ts';
import { NotCurrent } from '../components/NotCurrent.tsx';
import { plural } from '../text/words.ts';
import { basename, int } from '../text/numbers.ts';
import { ErrorLine, KEYS_HINT_ROOM, KeysHint, LevelBadge } from '../components/common.tsx';
import { JobDrawer } from '../components/JobDrawer.tsx';
import { NotAnId } from '../components/NotAnId.tsx';
import { Cells, TableHead } from '../components/table/TableHead.tsx';
import { tableStyle, useTable } from '../components/table/use-table.ts';
import { useRoving } from '../components/table/roving.ts';
import { useLevelOrder } from '../state/levels.ts';
import type { QueueTab } from '../state/route.ts';
import { SourceChip } from '../components/SourceChip.tsx';
import { LevelCards } from './queue/LevelCards.tsx';
import { PausedBanner, PauseToggle } from './queue/PauseControls.tsx';
import { TruncatedNote } from './queue/TruncatedNote.tsx';
import { changeJob, jobColumns, rowKeys, type RowContext } from './queue/job-columns.tsx';
import { viewOrder } from './queue/view-order.ts';

type Filter = QueueTab;
const FILTERS: { id: Filter; label: string }[] = [
  { id: 'active', label: 'Active' },
  { id: 'all', label: 'All' },
  { id: 'completed', label: 'Completed' },
  { id: 'failed', label: 'Failed' },
  { id: 'cancelled', label: 'Cancelled' },
];
const ROW = 30;

function passes(
  job: ProcessingJob,
  filter: Filter,
  levels: Set<PriorityLevel>,
  q: string,
  source = '',
): boolean {
  // A source's own jobs (the Sources view's links): its id exactly, as `jobs --source`.
  if (source && job.source !== source) return false;
  const byStatus =
    filter === 'all' ||
    (filter === 'active' && isOpen(job.status)) ||
    (filter === 'completed' && (job.status === 'completed' || job.status === 'duplicate')) ||
    job.status === filter;
  if (!byStatus) return false;
  // A job the rules never decided has no level to pick it by.
  if (levels.size > 0 && (endedUndecided(job) || !levels.has(job.effective_priority))) return false;
  return (
    !q ||
    // The file's name as shown, not its folders (an upload's lie in the data folder).
    `${basename(job.file)} ${job.underlying ?? ''} ${job.source} ${job.id} ${job.rule}`
      .toLowerCase()
      .includes(q)
  );
}

export function QueueView() {
  const levelOrder = useLevelOrder();
  const client = useApp((s) => s.client);
  const jobsMap = useApp((s) => s.jobs);
  const version = useApp((s) => s.jobsVersion);
  const counts = useApp((s) => s.counts);
  const listed = useApp((s) => s.jobsListed);
  const snapshots = useApp((s) => s.snapshots);
  const jobId = useApp((s) => s.jobId);
  const openJob = useApp((s) => s.openJob);
  const records = useRequests((s) => s.records);
  useRequests((s) => s.version);
  const cached = useSnapshotCache((s) => s.records);
  const cacheVersion = useSnapshotCache((s) => s.version);
  // The tab is in the route (with a source, in the address: the Sources view's failed count).
  const filter = useApp((s) => s.queueTab);
  const setFilter = useApp((s) => s.setQueueTab);
  const [levels, setLevels] = useState<Set<PriorityLevel>>(new Set());
  const [query, setQuery] = useState('');
  const [actionError, setActionError] = useState<AppError | null>(null);
  const now = useDataNow(1000);
  // An engine that answers nothing: the list is as of its last answer (NotCurrent above).
  const silence = useEngineSilence();
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const columns = useMemo(() => jobColumns(), []);
  const q = query.trim().toLowerCase();
  const source = useApp((s) => s.source ?? '');
  const filterBySource = useApp((s) => s.filterBySource);

  const filtered = useMemo(() => {
    void version;
    const out: ProcessingJob[] = [];
    for (const job of jobsMap.values()) if (passes(job, filter, levels, q, source)) out.push(job);
    return viewOrder(out, filter === 'active');
  }, [jobsMap, version, filter, levels, q, source]);
  const [table, setFrame] = useTable<ProcessingJob, RowContext>('queue', columns, filtered);
  const rows = table.rows;
  const snapshotsById = useMemo(() => new Map(snapshots.map((s) => [s.id, s])), [snapshots]);
  // The newest (the store's list, live) else those read for the rows on screen.
  const snapshotOf = useCallback(
    (id: string) => snapshotsById.get(id) ?? cached.get(id),
    // cacheVersion: the cache's map changes in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [snapshotsById, cached, cacheVersion],
  );
  // A row's Cancel or Retry: once the answer is in the rows, the focus stays on its row,
  // or goes to the row now in its place when it left the filter (or to the table).
  const changing = useRef<{ id: string; index: number; status: string } | null>(null);
  const ctx: RowContext = {
    now,
    requests: records,
    snapshotOf,
    onError: (e) => {
      changing.current = null;
      setActionError(e);
    },
    onChange: (job) => {
      changing.current = {
        id: job.id,
        index: rows.findIndex((r) => r.id === job.id),
        status: job.status,
      };
    },
  };
  // The open job may be older than the jobs listed (or not exist at all).
  const { job: open, error: openError, notAnId } = useJob('id', jobId);

  // A job opened from the address or a link is shown even if the filter hid it …
  useEffect(() => {
    if (open && !passes(open, filter, levels, q, source)) {
      inPlace(() => {
        setFilter('all');
        filterBySource('');
      });
      setLevels(new Set());
      setQuery('');
    }
    // Only when the job to show changes, not when the filter does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId, !!open]);
  // … but changing the filter so that it hides the open job closes the drawer.
  const changeFilter = (next: { filter?: Filter; levels?: Set<PriorityLevel>; query?: string }) => {
    const f = next.filter ?? filter;
    const l = next.levels ?? levels;
    const qq = (next.query ?? query).trim().toLowerCase();
    if (open && !passes(open, f, l, qq, source)) inPlace(() => openJob(null));
    if (next.filter) setFilter(next.filter);
    if (next.levels) setLevels(next.levels);
    if (next.query !== undefined) setQuery(next.query);
  };

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
    scrollMargin: ROW,
    paddingEnd: KEYS_HINT_ROOM,
    scrollPaddingEnd: KEYS_HINT_ROOM,
    getItemKey: (i) => rows[i]!.id,
  });
  const items = virtualizer.getVirtualItems();
  // The as-of of the rows on screen (their requests' facts).
  const visibleIds = items.map((i) => rows[i.index]?.request_id).filter((x): x is string => !!x);
  const visibleKey = visibleIds.join(',');
  useEffect(() => {
    if (client && visibleKey) useRequests.getState().want(client, visibleKey.split(','));
  }, [client, visibleKey]);
  // The quality badges of the rows on screen: their snapshots, read by id where the list
  // of the newest does not hold them.
  const missingKey = items
    .map((i) => rows[i.index]?.snapshot_id)
    .filter((id): id is string => !!id && !snapshotsById.has(id))
    .join(',');
  useEffect(() => {
    if (client && missingKey) useSnapshotCache.getState().want(client, missingKey.split(','));
  }, [client, missingKey]);

  const scrollTo = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  // Closing the drawer gives the focus back to its job's row, where it fell to the page.
  const wasOpen = useRef<string | null>(null);
  useEffect(() => {
    const closed = wasOpen.current;
    wasOpen.current = jobId;
    if (jobId || !closed) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const i = rows.findIndex((r) => r.id === closed);
    if (i >= 0)
      scroller.current
        ?.querySelector<HTMLElement>(`[data-row-index="${i}"]`)
        ?.focus({ preventScroll: true });
    // Only when the drawer closes, not when the rows change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId]);
  const roving = useRoving({
    count: rows.length,
    onOpen: (i) => rows[i] && openJob(rows[i].id),
    scrollTo,
  });
  useEffect(() => {
    const c = changing.current;
    if (!c || jobsMap.get(c.id)?.status === c.status) return;
    changing.current = null;
    const active = document.activeElement;
    // Only where the focus fell to the page (its row or button gone), never away from elsewhere.
    if (active && active !== document.body && active.isConnected) return;
    const same = rows.findIndex((r) => r.id === c.id);
    const i = same >= 0 ? same : Math.min(Math.max(c.index, 0), rows.length - 1);
    const el =
      i >= 0 ? scroller.current?.querySelector<HTMLElement>(`[data-row-index="${i}"]`) : null;
    (el ?? scroller.current?.closest<HTMLElement>('[role=table]'))?.focus({ preventScroll: true });
  }, [rows, jobsMap, version]);
  // Keys on the focused row: Delete (or Backspace) cancels its job, R retries it.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const el = e.target as HTMLElement;
    const i = el.dataset.rowIndex;
    const job = i !== undefined && el.getAttribute('role') === 'row' ? rows[Number(i)] : undefined;
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey;
    const what =
      e.key === 'Delete' || e.key === 'Backspace'
        ? 'cancel'
        : e.key === 'r' || e.key === 'R'
          ? 'retry'
          : null;
    if (job && plain && what) {
      e.preventDefault();
      changeJob(what, job, ctx);
      return;
    }
    roving.onKeyDown(e);
  };

  const toggleLevel = (l: PriorityLevel) => {
    const next = new Set(levels);
    if (next.has(l)) next.delete(l);
    else next.add(l);
    changeFilter({ levels: next });
  };
  const countOf: Record<Filter, number> = {
    active: counts.active,
    all: counts.all,
    completed: counts.completed,
    failed: counts.failed,
    cancelled: counts.cancelled,
  };

  return (
    <div className="view queue-view" data-testid="queue-view">
      <h1 className="sr-only" tabIndex={-1}>
        Queue
      </h1>
      <NotCurrent />
      <LevelCards />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Jobs by status">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              className={filter === f.id ? 'on' : ''}
              aria-pressed={filter === f.id}
              onClick={() => changeFilter({ filter: f.id })}
              data-filter={f.id}
            >
              {f.label} {listed && <span className="num count">{int(countOf[f.id])}</span>}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Levels">
          {levelOrder.map((l) => (
            <button
              key={l}
              className={`chip ${levels.has(l) ? 'on' : ''}`}
              aria-pressed={levels.has(l)}
              aria-label={`Only ${l}`}
              onClick={() => toggleLevel(l)}
            >
              <LevelBadge level={l} />
            </button>
          ))}
        </div>
        <SourceChip afterRemove={() => searchBox.current?.focus()} />
        <input
          ref={searchBox}
          className="search"
          type="search"
          aria-label="Filter jobs by file, underlying, source, rule or id"
          placeholder="File, underlying, source, rule, id"
          value={query}
          onChange={(e) => changeFilter({ query: e.target.value })}
        />
        <span className="spacer" />
        <span className="row-count" data-testid="row-count">
          {listed ? plural(rows.length, 'job') : ''}
        </span>
        <PauseToggle onError={setActionError} />
      </div>
      <PausedBanner />
      <TruncatedNote />
      {notAnId && jobId && (
        <NotAnId
          text={jobId}
          noun="job"
          className="banner"
          closeLabel="Back to the queue"
          onClose={() => openJob(null)}
        />
      )}
      {openError && (
        <div className="banner error" role="alert" data-testid="open-job-error">
          <ErrorLine error={openError} />
          <button className="btn tiny ghost" onClick={() => openJob(null)}>
            Dismiss
          </button>
        </div>
      )}
      {actionError && (
        <div className="banner error" role="alert">
          <ErrorLine error={actionError} />
          <button className="btn tiny ghost" onClick={() => setActionError(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="table-area">
        <div
          ref={setFrame}
          className="table jobs-table"
          role="table"
          aria-label="Jobs"
          data-testid="jobs-table"
          // Takes the focus when a Cancel or Retry leaves no row.
          tabIndex={-1}
          aria-rowcount={rows.length + 1}
          style={tableStyle(table)}
        >
          <div className="tscroll" ref={scroller} data-testid="jobs-body" onKeyDown={onKeyDown}>
            <div role="rowgroup" className="thead-group">
              <TableHead table={table} />
            </div>
            {rows.length === 0 ? (
              <div className="empty" role="row">
                <span role="cell">
                  {!listed
                    ? 'Loading the jobs…'
                    : silence
                      ? // What it read at the engine's last answer, said as of then.
                        queueUnread(
                          counts.all === 0
                            ? 'no jobs'
                            : filter === 'active' && levels.size === 0 && !q
                              ? 'idle'
                              : 'no match',
                          answeredWhen(silence),
                        )
                      : counts.all === 0
                        ? 'No jobs yet. Drop option-chain files anywhere, or use “Open files…”.'
                        : filter === 'active' && levels.size === 0 && !q
                          ? `Nothing is waiting or running. ${int(counts.completed)} completed, ${int(counts.failed)} failed — see All.`
                          : 'No job matches.'}
                </span>
              </div>
            ) : (
              <div
                role="rowgroup"
                className="vlist"
                // Every row and the room after the last (the header is the scroll margin, above).
                style={{ height: virtualizer.getTotalSize() }}
              >
                {items.map((item) => {
                  const job = rows[item.index]!;
                  return (
                    <div
                      key={item.key}
                      role="row"
                      aria-rowindex={item.index + 2}
                      className={`row job-row st-${job.status}${job.late ? ' is-late' : ''}${job.id === jobId ? ' selected' : ''}`}
                      data-testid="job-row"
                      data-status={job.status}
                      data-level={job.effective_priority}
                      style={{ transform: `translateY(${item.start - ROW}px)` }}
                      onClick={() => openJob(job.id)}
                      aria-keyshortcuts={rowKeys(job)}
                      {...roving.rowProps(item.index)}
                    >
                      <Cells table={table} row={job} ctx={ctx} />
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
        <KeysHint
          keys={[
            ['Enter', 'details'],
            ['Delete', 'cancel'],
            ['R', 'retry'],
          ]}
        />
        {open && <JobDrawer job={open} onClose={() => openJob(null)} />}
      </div>
    </div>
  );
}
