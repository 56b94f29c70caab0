// The status bar: is the engine healthy and connected, which database, how busy the
// workers are, the queue totals (and whether it is paused) and the active rule set.
import { useApp } from '../state/store.ts';
import { int, num } from '../format.ts';

export function StatusBar() {
  const health = useApp((s) => s.health);
  const healthError = useApp((s) => s.healthError);
  const connected = useApp((s) => s.connected);
  const stats = useApp((s) => s.stats);
  const ok = !!health?.ok && !healthError && connected;
  const state = healthError ? 'engine unreachable' : !connected ? 'reconnecting…' : health ? (health.ok ? 'engine ok' : 'engine degraded') : 'connecting…';

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`dot ${ok ? 'ok' : healthError || (health && !health.ok) ? 'bad' : 'warn'}`} />
      <span data-testid="engine-state">{state}</span>
      {health && (
        <>
          <span className="sep" />
          <span className="muted">db</span>
          <span className="path" title={health.db_path}>
            {health.db_path}
          </span>
          <span className="sep" />
          <span className="muted">rules</span> <span>v{health.rule_version ?? '—'}</span>
        </>
      )}
      {stats && (
        <>
          <span className="sep" />
          <span className="muted">workers</span>
          <span className="num">
            {stats.busy_workers}/{stats.workers}
          </span>
          {stats.paused && (
            <>
              <span className="sep" />
              <span className="tag warn" data-testid="status-paused" title="The queue is paused: queued jobs wait">
                paused
              </span>
            </>
          )}
          <span className="sep" />
          <span className="muted">queued</span> <span className="num" data-testid="total-queued">{int(stats.totals.queued)}</span>
          <span className="muted">running</span> <span className="num">{int(stats.totals.running)}</span>
          <span className="muted">done</span> <span className="num">{int(stats.totals.completed)}</span>
          <span className="muted">failed</span>{' '}
          <span className={`num ${stats.totals.failed ? 'neg' : ''}`}>{int(stats.totals.failed)}</span>
          <span className="sep" />
          <span className="muted">{num(stats.throughput_per_min, 1)}/min</span>
        </>
      )}
      <span className="spacer" />
      {health && <span className="muted">{health.transport === 'ipc' ? 'desktop' : 'browser host'}</span>}
    </footer>
  );
}
