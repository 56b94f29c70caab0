// Per level: jobs waiting and running (and, apart, those whose run is over and whose
// result waits to be stored), late ones, the oldest wait against the
// level's target, and the latency percentiles. Targets and late behaviour come from
// the active rule set (state/levels.ts) and change as soon as a new one is activated.
import { memo } from 'react';
import type { LevelPolicyInfo, LevelStats } from '../../../../shared/api.ts';
import { PRIORITY_LEVELS } from '../../../../shared/domain.ts';
import { useDataNow } from '../../state/reach.ts';
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

/**
 * The oldest job's wait now: counted on each second from its arrival, on the clock the rows
 * use, not frozen at the last statistics (which come every 2 s).
 */
function oldestWait(l: LevelStats | undefined, now: number): number | null {
  if (!l?.oldest_submitted_at) return l?.oldest_wait_ms ?? null;
  return Math.max(0, now - Date.parse(l.oldest_submitted_at));
}

function targetLine(p: LevelPolicyInfo | undefined): string {
  if (!p) return 'target —';
  return `target ${span(p.target_ms)}, then ${p.on_late === 'escalate' ? 'escalate' : 'flag'}`;
}

export const LevelCards = memo(function LevelCards() {
  const stats = useApp((s) => s.stats);
  const levels = useLevels((s) => s.levels);
  const now = useDataNow(1000);
  const byLevel = new Map(stats?.levels.map((l) => [l.level, l]) ?? []);
  const policies = new Map(levels?.map((l) => [l.level, l]) ?? []);
  const order = levels?.map((l) => l.level) ?? PRIORITY_LEVELS;
  return (
    <section className="level-cards" data-testid="level-cards" aria-label="Queue by level">
      {order.map((level) => {
        const l = byLevel.get(level);
        const policy = policies.get(level);
        const oldest = oldestWait(l, now);
        const overdue = !!policy && (oldest ?? 0) > policy.target_ms;
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
              <Figure value={int(l?.waiting ?? 0)} label="waiting" testId={`waiting-${level}`} />
              <Figure
                value={int(l?.running ?? 0)}
                label="running"
                testId={`running-${level}`}
                title="Being computed by a worker"
              />
              <Figure value={int(l?.late ?? 0)} label="late" tone={l?.late ? 'neg' : ''} />
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
            {!!l?.storing && (
              <div
                className="card-storing small muted"
                data-testid={`storing-${level}`}
                title="Computed, their results waiting to be stored (their workers are free)"
              >
                + {int(l.storing)} storing
              </div>
            )}
            <div
              className="card-latency"
              title="Latency, from submission to data available, of the jobs completed in the latency window"
            >
              <span className="sr-only">latency</span>
              <span>
                p50 <b className="num">{duration(l?.latency_p50_ms ?? null)}</b>
              </span>
              <span>
                p90 <b className="num">{duration(l?.latency_p90_ms ?? null)}</b>
              </span>
              <span>
                p99 <b className="num">{duration(l?.latency_p99_ms ?? null)}</b>
              </span>
              <span className="n" title="Completed jobs in the latency window">
                n = {int(l?.completed_in_window ?? 0)}
              </span>
            </div>
          </div>
        );
      })}
    </section>
  );
});
