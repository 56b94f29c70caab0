// The status bar: is the engine healthy and connected, which database, the active
// rule set, the inbox (its folder and files done and failed), how busy the workers are
// (jobs and facts reads, and the files still waiting for their level) and the job
// totals. The totals and the busy workers' jobs are counted from the same job list the
// views show (state/job-counts.ts), so the bar never says "failed 0" beside failed jobs
// (a read on a worker only the engine knows: queue:stats); past the newest jobs that list
// holds, they are the database's counts (jobTotals). No count, the throughput or the
// transport is ever cut: under 1200 px the database path and the inbox's folder are left
// to their tooltips; from 1200 px up, the database path takes only the room left and is
// cut in the middle. An engine that has answered nothing for a few seconds though asked
// (stuck on a share that stopped answering) is said in place of "engine ok", counted on,
// and told to a screen reader once as it falls silent and once as it answers again (the
// live views' "Not current" line reads the same silence: state/use-engine-silence.ts).
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { jobTotals, useApp } from '../state/store.ts';
import { int, num } from '../text/numbers.ts';
import { InboxStatus } from './inbox/InboxStatus.tsx';
import { MiddleCut } from './MiddleCut.tsx';
import { announce } from '../state/announce.ts';
import { answersLine, silentLine, silentState, silentTitle } from '../state/engine-silence.ts';
import { useNow } from '../hooks.ts';
import { engineWatch } from '../api/silence.ts';
import { useEngineSilence } from '../state/use-engine-silence.ts';
import { localClock } from '../text/time.ts';
import { readsFigure, workersFigure } from '../text/workers.ts';

// The database path is what gives way to the short items beside it, cut in the middle:
// its folder shortens, its file's name stays.
const fileAt = (path: string) => Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
const pathHead = (path: string) => path.slice(0, fileAt(path));
const pathTail = (path: string) => path.slice(fileAt(path));

const clockOf = (ms: number): string => localClock(new Date(ms).toISOString());

/** Tells a screen reader (politely) that the engine fell silent, and that it answers again. */
function useSilenceTold(silent: boolean): void {
  const was = useRef(false);
  useEffect(() => {
    if (silent === was.current) return;
    was.current = silent;
    announce(silent ? silentLine() : answersLine());
  }, [silent]);
}

export function StatusBar() {
  const health = useApp((s) => s.health);
  const healthError = useApp((s) => s.healthError);
  const connected = useApp((s) => s.connected);
  const stats = useApp((s) => s.stats);
  // Past the list's limit the list holds only the newest jobs: how many wait, run and
  // ended is the database's count (queue:stats), never that of the jobs listed.
  const totals = useApp(useShallow(jobTotals));
  // An engine that cannot be reached (or a socket reconnecting) is said as before; one
  // reached that answers nothing is "not answering" (the reading the views' "Not current"
  // line shares, state/use-engine-silence.ts).
  const silence = useEngineSilence();
  const silent = silence !== null;
  useSilenceTold(engineWatch.silentSince(useNow(1000)) !== null);
  const ok = !!health?.ok && !healthError && connected && !silent;
  const state = healthError
    ? 'engine unreachable'
    : !connected
      ? 'reconnecting…'
      : silent
        ? silentState(silence.since, silence.now)
        : health
          ? health.ok
            ? 'engine ok'
            : health.problem
              ? 'database failed'
              : 'engine degraded'
          : 'connecting…';
  const workers = stats?.workers ?? health?.workers ?? 0;
  // queue:stats counts every worker; engine:health the workers setting (`--workers`),
  // without the spare the pool keeps for CRITICAL work (docs/scheduler.md): under
  // `--workers 1` the bar reads "0/1 (+1)", as the analyst set it, never "0/2"; the title
  // names the spare (the bar has no room for the word at 1024 px). Busy workers compute a
  // job or read a file's facts (only the engine knows a read on a worker: queue:stats);
  // the files still waiting for their level are said beside it, "reading 1 of 3 files".
  const spare = stats && health ? Math.max(0, stats.workers - health.workers) : 0;
  const reading = Math.min(stats?.totals.reading ?? 0, totals.deciding);
  const figure = workersFigure({ workers, spare, running: totals.running, reading });
  const reads = readsFigure(reading, totals.deciding);
  const transport = health?.transport === 'ipc' ? 'desktop' : 'browser host';

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span
        className={`dot ${ok ? 'ok' : healthError || silent || (health && !health.ok) ? 'bad' : 'warn'}`}
        aria-hidden
      />
      <span
        data-testid="engine-state"
        className={silent ? 'engine-silent' : undefined}
        title={
          silence
            ? silentTitle(
                clockOf(silence.since),
                silence.answeredAt === null ? null : clockOf(silence.answeredAt),
              )
            : health
              ? (health.problem ?? `database ${health.db_path}`)
              : undefined
        }
      >
        {state}
      </span>
      {health && (
        <>
          <span className="sep narrow-hide" />
          <span className="label narrow-hide">database</span>
          <MiddleCut
            className="path narrow-hide"
            head={pathHead(health.db_path)}
            tail={pathTail(health.db_path)}
            style={{ width: `${health.db_path.length}ch` }}
          />
          <span className="sep" />
          <span className="label">rules</span>{' '}
          <span data-testid="status-rules">v{health.rule_version ?? '—'}</span>
        </>
      )}
      <InboxStatus />
      <span className="sep" />
      <span className="label" title={figure.title} data-testid="status-workers-label">
        workers busy
      </span>
      <span className="num" title={figure.title} data-testid="status-workers">
        {figure.text}
      </span>
      {reads && (
        <span className="label whole" title={reads.title} data-testid="status-reads">
          <span aria-hidden>· </span>
          <span data-testid="status-reads-text">{reads.text}</span>
          <span className="sr-only">: {reads.title}</span>
        </span>
      )}
      {stats?.paused && (
        <>
          <span className="sep" />
          <span
            className="tag warn"
            data-testid="status-paused"
            title="The queue is paused: queued jobs wait"
          >
            paused
          </span>
        </>
      )}
      <span className="sep" />
      <span className="label">queued</span>{' '}
      <span className="num" data-testid="total-queued" title={totals.title}>
        {int(totals.queued)}
      </span>
      <span className="label">running</span>{' '}
      <span className="num" title={totals.title}>
        {int(totals.running)}
      </span>
      {totals.storing > 0 && (
        <>
          <span
            className="label"
            title="Computed, their results waiting to be stored (their workers are free)"
          >
            storing
          </span>{' '}
          <span className="num" data-testid="total-storing" title={totals.title}>
            {int(totals.storing)}
          </span>
        </>
      )}
      <span className="label">done</span>{' '}
      <span className="num" data-testid="total-done" title={totals.title}>
        {int(totals.completed)}
      </span>
      <span className="label">failed</span>{' '}
      <span
        className={`num ${totals.failed ? 'neg' : ''}`}
        data-testid="total-failed"
        title={totals.title}
      >
        {int(totals.failed)}
      </span>
      {/* None cancelled: a narrow window leaves it to the Queue's tabs (room for the inbox's). */}
      <span className={`label ${totals.cancelled ? '' : 'narrow-hide'}`}>cancelled</span>{' '}
      <span className={`num ${totals.cancelled ? '' : 'narrow-hide'}`}>
        {int(totals.cancelled)}
      </span>
      {stats && (
        <>
          <span className="sep" />
          <span
            className="label whole"
            title={`${num(stats.throughput_per_min, 1)} jobs/min: jobs completed per minute over the latency window`}
          >
            {num(stats.throughput_per_min, 1)} jobs/min
          </span>
        </>
      )}
      <span className="spacer" />
      {health && (
        <span className="label whole" title={transport}>
          {transport}
        </span>
      )}
    </footer>
  );
}
