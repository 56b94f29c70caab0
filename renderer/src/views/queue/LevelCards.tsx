// Per level: jobs waiting and running (and, apart, those whose run is over and whose
// result waits to be stored), late ones, the oldest wait against the
// level's target, and the latency percentiles against it with how many of the window's
// jobs ended late (a job is flagged only while it waits or as it starts, never while its
// level is being decided: in a burst every open job may be "late 0" while most end late). What is open comes from the job list the
// table beside them shows (state/job-counts.ts), while it holds every job; the latencies,
// and the open jobs of a list cut at its limit, from the engine's statistics. Targets and late behaviour come from
// the active rule set (state/levels.ts) and change as soon as a new one is activated.
import { memo, useMemo } from 'react';
import type { LevelPolicyInfo, LevelStats } from '../../../../shared/api.ts';
import { PRIORITY_LEVELS } from '../../../../shared/domain.ts';
import { useDataNow } from '../../state/reach.ts';
import { openByLevel, type OpenAtLevel } from '../../state/job-counts.ts';
import { useApp } from '../../state/store.ts';
import { useLevels, lateWords } from '../../state/levels.ts';
import { duration, int, span } from '../../text/numbers.ts';
import { LevelBadge } from '../../components/common.tsx';

function Figure({
  value,
  label,
  tone,
  testId,
  title,
}: {
  value: string;
  label: string;
  tone?: string;
  testId?: string;
  title?: string;
}) {
  return (
    <div title={title}>
      <div className={`fig num ${tone ?? ''}`} data-testid={testId}>
        {value}
      </div>
      <div className="fig-label">{label}</div>
    </div>
  );
}

/** A level's open jobs from the engine's statistics, when the job list does not hold them all. */
const fromStats = (l: LevelStats | undefined): OpenAtLevel => ({
  waiting: l?.waiting ?? 0,
  running: l?.running ?? 0,
  storing: l?.storing ?? 0,
  late: l?.late ?? 0,
  oldestSubmittedMs: l?.oldest_submitted_at ? Date.parse(l.oldest_submitted_at) : null,
});

const NONE_OPEN = fromStats(undefined);

function targetLine(p: LevelPolicyInfo | undefined): string {
  if (!p) return 'target —';
  return `target ${span(p.target_ms)}, then ${p.on_late === 'escalate' ? 'escalate' : 'flag'}`;
}

export const LevelCards = memo(function LevelCards() {
  const stats = useApp((s) => s.stats);
  const jobs = useApp((s) => s.jobs);
  const jobsVersion = useApp((s) => s.jobsVersion);
  const wholeList = useApp((s) => s.jobsListed && !s.jobsTruncated);
  const levels = useLevels((s) => s.levels);
  const now = useDataNow(1000);
  const windowSpan = span(stats?.window_ms);
  const listed = useMemo(
    () => (wholeList ? openByLevel(jobs.values()) : null),
    // jobsVersion moves whenever the (mutable) map changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [jobs, jobsVersion, wholeList],
  );
  const byLevel = new Map(stats?.levels.map((l) => [l.level, l]) ?? []);
  const policies = new Map(levels?.map((l) => [l.level, l]) ?? []);
  const order = levels?.map((l) => l.level) ?? PRIORITY_LEVELS;
  return (
    <section className="level-cards" data-testid="level-cards" aria-label="Queue by level">
      {order.map((level) => {
        const l = byLevel.get(level);
        const open = listed ? (listed.get(level) ?? NONE_OPEN) : fromStats(l);
        const policy = policies.get(level);
        // Counted on each second from its arrival, on the clock the rows use.
        const oldest =
          open.oldestSubmittedMs === null ? null : Math.max(0, now - open.oldestSubmittedMs);
        const overdue = !!policy && (oldest ?? 0) > policy.target_ms;
        // A latency past the level's target is toned as the oldest wait is.
        const past = (v: number | null | undefined) =>
          policy && v != null && v > policy.target_ms ? 'num neg' : 'num';
        const endedLate = l?.late_in_window ?? null;
        return (
          <div
            key={level}
            className={`card level-card lc-${level.toLowerCase()}`}
            data-testid={`level-${level}`}
          >
            <div className="card-head">
              <LevelBadge level={level} />
              <span
                className="card-target"
                data-testid={`target-${level}`}
                title={
                  policy
                    ? `From the active rules: a ${level} job waiting longer than ${span(policy.target_ms)} is ${lateWords(policy.on_late)}`
                    : undefined
                }
              >
                {targetLine(policy)}
              </span>
            </div>
            <div className="card-figures">
              <Figure value={int(open.waiting)} label="waiting" testId={`waiting-${level}`} />
              <Figure
                value={int(open.running)}
                label="running"
                testId={`running-${level}`}
                title="Being computed by a worker"
              />
              <Figure
                value={int(open.late)}
                label="late"
                testId={`late-${level}`}
                tone={open.late ? 'neg' : ''}
                title="Waiting or running jobs flagged late (one whose level is still being decided is never flagged); those that ended late are counted below"
              />
              <Figure
                value={duration(oldest)}
                label="oldest wait"
                testId={`oldest-${level}`}
                tone={`dur ${overdue ? 'neg' : ''}`}
                title={
                  overdue ? 'Longer than the target' : 'The longest wait of a job still queued'
                }
              />
            </div>
            {!!open.storing && (
              <div
                className="card-storing small muted"
                data-testid={`storing-${level}`}
                title="Computed, their results waiting to be stored (their workers are free)"
              >
                + {int(open.storing)} storing
              </div>
            )}
            <div
              className="card-latency"
              data-testid={`latency-${level}`}
              title={`Latency, from submission to data available, of the jobs completed in the last ${windowSpan}${policy ? `; red past the target of ${span(policy.target_ms)}` : ''}`}
            >
              <span className="sr-only">latency</span>
              <span>
                p50 <b className={past(l?.latency_p50_ms)}>{duration(l?.latency_p50_ms ?? null)}</b>
              </span>
              <span>
                p90 <b className={past(l?.latency_p90_ms)}>{duration(l?.latency_p90_ms ?? null)}</b>
              </span>
              <span>
                p99 <b className={past(l?.latency_p99_ms)}>{duration(l?.latency_p99_ms ?? null)}</b>
              </span>
              <span className="n" title={`Jobs completed in the last ${windowSpan}`}>
                n = {int(l?.completed_in_window ?? 0)}
              </span>
              {endedLate !== null && (
                <span
                  className={`ended-late ${endedLate ? 'neg' : ''}`}
                  data-testid={`ended-late-${level}`}
                  title={`Of the ${int(l?.completed_in_window ?? 0)} jobs completed in the last ${windowSpan}, ${int(endedLate)} ended late: their data came more than the target${policy ? ` of ${span(policy.target_ms)}` : ''} after their arrival`}
                >
                  <b className="num">{int(endedLate)}</b> ended late
                </span>
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
});
