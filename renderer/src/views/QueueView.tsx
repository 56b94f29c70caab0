// The queue monitor: per level, jobs waiting and running, the oldest wait against the
// level's target, late jobs and latency percentiles; below, every job in one
// virtualised table (smooth with 10,000 rows) with progress, late and escalated
// flags, and cancel / retry. The header's Pause / Resume holds the queue's dispatch
// (queued jobs wait, running ones finish) and says so in a banner while it is held.
import { memo, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { PRIORITY_LEVELS, levelRank, type PriorityLevel, type ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { useApp } from '../state/store.ts';
import { basename, clock, duration, int } from '../format.ts';
import { useNow } from '../hooks.ts';
import { ErrorLine, LevelBadge, Progress, StatusPill } from '../components/common.tsx';

/** Processing targets of the firm's guidelines (submission → data available). */
const TARGET_MS: Record<PriorityLevel, number> = { CRITICAL: 30_000, HIGH: 300_000, MEDIUM: 1_800_000, LOW: 7_200_000 };

type Filter = 'active' | 'all' | 'completed' | 'failed' | 'cancelled';
const FILTERS: { id: Filter; label: string }[] = [
  { id: 'active', label: 'Active' },
  { id: 'all', label: 'All' },
  { id: 'completed', label: 'Completed' },
  { id: 'failed', label: 'Failed' },
  { id: 'cancelled', label: 'Cancelled' },
];

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

const LevelCards = memo(function LevelCards() {
  const stats = useApp((s) => s.stats);
  const byLevel = new Map(stats?.levels.map((l) => [l.level, l]) ?? []);
  return (
    <section className="level-cards" data-testid="level-cards">
      {PRIORITY_LEVELS.map((level) => {
        const l = byLevel.get(level);
        const target = TARGET_MS[level];
        const overdue = (l?.oldest_wait_ms ?? 0) > target;
        return (
          <div key={level} className={`card level-card lc-${level.toLowerCase()}`} data-testid={`level-${level}`}>
            <div className="card-head">
              <LevelBadge level={level} />
              <span className="muted">target {duration(target)}</span>
            </div>
            <div className="card-figures">
              <div>
                <div className="fig num" data-testid={`waiting-${level}`}>{int(l?.waiting ?? 0)}</div>
                <div className="fig-label">waiting</div>
              </div>
              <div>
                <div className="fig num">{int(l?.running ?? 0)}</div>
                <div className="fig-label">running</div>
              </div>
              <div>
                <div className={`fig num ${l?.late ? 'neg' : ''}`}>{int(l?.late ?? 0)}</div>
                <div className="fig-label">late</div>
              </div>
              <div>
                <div className={`fig dur num ${overdue ? 'neg' : ''}`}>{duration(l?.oldest_wait_ms ?? null)}</div>
                <div className="fig-label">oldest wait</div>
              </div>
            </div>
            <div className="card-latency">
              <span className="muted">latency</span>
              <span>
                p50 <b className="num">{duration(l?.latency_p50_ms ?? null)}</b>
              </span>
              <span>
                p90 <b className="num">{duration(l?.latency_p90_ms ?? null)}</b>
              </span>
              <span>
                p99 <b className="num">{duration(l?.latency_p99_ms ?? null)}</b>
              </span>
              <span className="muted num n" title="completed jobs in the latency window">n={int(l?.completed_in_window ?? 0)}</span>
            </div>
          </div>
        );
      })}
    </section>
  );
});

/** Pause / Resume of the queue's dispatch, as the engine reports it (`QueueStats.paused`). */
function PauseToggle({ onError }: { onError: (e: AppError) => void }) {
  const paused = useApp((s) => s.stats?.paused ?? false);
  const known = useApp((s) => s.stats !== null);
  const [busy, setBusy] = useState(false);
  const toggle = () => {
    setBusy(true);
    void useApp
      .getState()
      .setPaused(!paused)
      .then((e) => e && onError(e))
      .finally(() => setBusy(false));
  };
  return (
    <button
      className={`btn small pause-toggle${paused ? ' is-paused' : ''}`}
      data-testid="queue-pause-toggle"
      aria-pressed={paused}
      disabled={!known || busy}
      onClick={toggle}
      title={paused ? 'Let queued jobs start again' : 'Hold queued jobs (running jobs finish)'}
    >
      {paused ? '▶ Resume queue' : '❚❚ Pause queue'}
    </button>
  );
}

function PausedBanner() {
  const stats = useApp((s) => s.stats);
  if (!stats?.paused) return null;
  return (
    <div className="banner paused" data-testid="paused-banner" role="status">
      <b>Paused</b> — <span className="num">{int(stats.totals.queued)}</span> waiting
      {stats.totals.running > 0 ? (
        <>
          , <span className="num">{int(stats.totals.running)}</span> running to completion
        </>
      ) : null}
      . <span className="muted">No job starts until the queue is resumed; waiting time still counts toward lateness.</span>
    </div>
  );
}

function sortJobs(jobs: ProcessingJob[], filter: Filter): ProcessingJob[] {
  if (filter === 'active') {
    // Running first, then in the order the scheduler will take them.
    return jobs.sort(
      (a, b) =>
        (a.status === 'running' ? 0 : 1) - (b.status === 'running' ? 0 : 1) ||
        levelRank(a.effective_priority) - levelRank(b.effective_priority) ||
        ms(a.submitted_at) - ms(b.submitted_at),
    );
  }
  return jobs.sort((a, b) => ms(b.submitted_at) - ms(a.submitted_at));
}

const JobRow = memo(function JobRow({ job, now, onError }: { job: ProcessingJob; now: number; onError: (e: AppError) => void }) {
  const escalated = job.effective_priority !== job.priority;
  const submitted = ms(job.submitted_at);
  const started = ms(job.started_at);
  const finished = ms(job.finished_at);
  const wait = (Number.isFinite(started) ? started : job.status === 'queued' ? now : finished) - submitted;
  const run = Number.isFinite(started) ? (Number.isFinite(finished) ? finished : now) - started : NaN;
  const canCancel = job.status === 'queued' || job.status === 'running';
  const canRetry = job.status === 'failed' || job.status === 'cancelled';
  return (
    <>
      <span className="c-level">
        <LevelBadge level={job.effective_priority} title={escalated ? `escalated from ${job.priority}` : undefined} />
        {escalated && (
          <span className="flag esc" title={`escalated from ${job.priority}`}>
            ↑{job.priority[0]}
          </span>
        )}
        {job.late && <span className="flag late">LATE</span>}
      </span>
      <span className="c-status">
        <StatusPill status={job.status} />
      </span>
      <span className="c-file" title={job.file}>
        {basename(job.file)}
      </span>
      <span className="c-und">{job.underlying ?? ''}</span>
      <span className="c-time num">{clock(job.submitted_at)}</span>
      <span className="c-dur num">{Number.isFinite(wait) ? duration(wait) : ''}</span>
      <span className="c-dur num">{Number.isFinite(run) ? duration(run) : ''}</span>
      <span className="c-prog">
        {job.status === 'running' ? (
          <>
            <Progress value={job.progress} />
            <span className="num muted">{Math.round((job.progress ?? 0) * 100)}%</span>
          </>
        ) : null}
      </span>
      <span className="c-rule" title={`rule ${job.rule}${job.rule_version ? ` (v${job.rule_version})` : ''}`}>
        {job.rule}
      </span>
      <span className="c-att num">{job.attempts}</span>
      <span className="c-err">{job.error ? <ErrorLine error={job.error} compact /> : null}</span>
      <span className="c-act">
        {canCancel && (
          <button
            className="btn tiny"
            data-testid="cancel-job"
            onClick={() => void useApp.getState().cancelJob(job.id).then((e) => e && onError(e))}
          >
            Cancel
          </button>
        )}
        {canRetry && (
          <button className="btn tiny" onClick={() => void useApp.getState().retryJob(job.id).then((e) => e && onError(e))}>
            Retry
          </button>
        )}
      </span>
    </>
  );
});

export function QueueView() {
  const jobsMap = useApp((s) => s.jobs);
  const version = useApp((s) => s.jobsVersion);
  const [filter, setFilter] = useState<Filter>('active');
  const [levels, setLevels] = useState<Set<PriorityLevel>>(new Set());
  const [query, setQuery] = useState('');
  const [actionError, setActionError] = useState<AppError | null>(null);
  const now = useNow(1000);
  const scroller = useRef<HTMLDivElement>(null);

  const { rows, counts } = useMemo(() => {
    void version;
    const q = query.trim().toLowerCase();
    const counts: Record<Filter, number> = { active: 0, all: 0, completed: 0, failed: 0, cancelled: 0 };
    const out: ProcessingJob[] = [];
    for (const job of jobsMap.values()) {
      counts.all++;
      const active = job.status === 'queued' || job.status === 'running';
      if (active) counts.active++;
      if (job.status === 'completed' || job.status === 'duplicate') counts.completed++;
      if (job.status === 'failed') counts.failed++;
      if (job.status === 'cancelled') counts.cancelled++;
      const pass =
        filter === 'all' ||
        (filter === 'active' && active) ||
        (filter === 'completed' && (job.status === 'completed' || job.status === 'duplicate')) ||
        job.status === filter;
      if (!pass) continue;
      if (levels.size > 0 && !levels.has(job.effective_priority)) continue;
      if (q && !`${job.file} ${job.underlying ?? ''} ${job.id} ${job.rule}`.toLowerCase().includes(q)) continue;
      out.push(job);
    }
    return { rows: sortJobs(out, filter), counts };
  }, [jobsMap, version, filter, levels, query]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 28,
    overscan: 8,
    getItemKey: (i) => rows[i]!.id,
  });

  const toggleLevel = (l: PriorityLevel) => {
    const next = new Set(levels);
    if (next.has(l)) next.delete(l);
    else next.add(l);
    setLevels(next);
  };

  return (
    <div className="view queue-view" data-testid="queue-view">
      <LevelCards />
      <div className="toolbar">
        <div className="segmented" role="tablist">
          {FILTERS.map((f) => (
            <button key={f.id} className={filter === f.id ? 'on' : ''} onClick={() => setFilter(f.id)} data-filter={f.id}>
              {f.label} <span className="num muted">{int(counts[f.id])}</span>
            </button>
          ))}
        </div>
        <div className="chips">
          {PRIORITY_LEVELS.map((l) => (
            <button key={l} className={`chip ${levels.has(l) ? 'on' : ''}`} onClick={() => toggleLevel(l)}>
              <LevelBadge level={l} />
            </button>
          ))}
        </div>
        <input
          className="search"
          type="search"
          placeholder="Filter by file, underlying, rule, id"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="spacer" />
        <span className="muted num" data-testid="row-count">
          {int(rows.length)} jobs
        </span>
        <PauseToggle onError={setActionError} />
      </div>
      <PausedBanner />
      {actionError && (
        <div className="banner error" onClick={() => setActionError(null)}>
          <ErrorLine error={actionError} />
        </div>
      )}
      <div className="table jobs-table">
        <div className="thead row">
          <span className="c-level">Level</span>
          <span className="c-status">Status</span>
          <span className="c-file">File</span>
          <span className="c-und">Underl.</span>
          <span className="c-time num">Subm.</span>
          <span className="c-dur num">Wait</span>
          <span className="c-dur num">Run</span>
          <span className="c-prog">Progress</span>
          <span className="c-rule">Rule</span>
          <span className="c-att num" title="attempts">Try</span>
          <span className="c-err">Error</span>
          <span className="c-act" />
        </div>
        <div className="tbody" ref={scroller} data-testid="jobs-body">
          {rows.length === 0 ? (
            <div className="empty">
              {counts.all === 0
                ? 'No jobs yet. Drop option-chain files anywhere, or use “Open files…”.'
                : filter === 'active' && levels.size === 0 && !query.trim()
                  ? `Nothing is waiting or running. ${int(counts.completed)} completed, ${int(counts.failed)} failed — see All.`
                  : 'No job matches.'}
            </div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const job = rows[item.index]!;
                return (
                  <div
                    key={item.key}
                    className={`row job-row st-${job.status}${job.late ? ' is-late' : ''}`}
                    data-testid="job-row"
                    data-status={job.status}
                    data-level={job.effective_priority}
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <JobRow job={job} now={now} onError={setActionError} />
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
