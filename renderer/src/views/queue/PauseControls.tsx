// Pause / Resume of the queue's dispatch as the engine reports it
// (`QueueStats.paused`), and the banner that says so while it is held.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../../shared/result.ts';
import { jobTotals, useApp } from '../../state/store.ts';
import { int } from '../../text/numbers.ts';
import { plural } from '../../text/words.ts';
import { useUnreachable } from '../../state/reach.ts';

export function PauseToggle({ onError }: { onError: (e: AppError) => void }) {
  const paused = useApp((s) => s.stats?.paused ?? false);
  const known = useApp((s) => s.stats !== null);
  const [busy, setBusy] = useState(false);
  const off = useUnreachable();
  const toggle = () => {
    if (busy) return;
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
      // Its label says what it does next (no aria-pressed beside it: "Resume queue, pressed").
      // Not disabled while the engine answers: a disabled button drops the focus to the page.
      aria-disabled={busy || undefined}
      disabled={!known || off}
      onClick={toggle}
      title={paused ? 'Let queued jobs start again' : 'Hold queued jobs (running jobs finish)'}
    >
      <span aria-hidden>{paused ? '▶' : '❚❚'}</span> {paused ? 'Resume queue' : 'Pause queue'}
    </button>
  );
}

export function PausedBanner() {
  const paused = useApp((s) => s.stats?.paused ?? false);
  // The database's counts past the jobs listed, as the status bar's.
  const counts = useApp(useShallow(jobTotals));
  if (!paused) return null;
  return (
    <div className="banner paused" data-testid="paused-banner" role="status">
      <b>Paused</b> — <span className="num">{int(counts.queued)}</span> waiting
      {counts.running + counts.storing > 0 ? (
        <>, {plural(counts.running + counts.storing, 'job')} running to completion</>
      ) : null}
      .{' '}
      <span className="banner-note">
        No job starts until the queue is resumed; waiting time still counts toward lateness.
      </span>
    </div>
  );
}
