// A count that moves when snapshots arrive, at most once a second: what a view that reads
// figures across snapshots (the levels board, the underlyings History and Compare offer)
// reloads on. Reloading on every arrival cost the engine one query (the board: one per
// underlying more) per snapshot stored during a burst, beside the work the burst needs.
// A CRITICAL job's snapshot moves it at once: the priority promise is the figure on
// screen, and the once-a-second pace added up to a second to it during a burst
// (`npm run bench -- board`). CRITICAL snapshots are few; the pace holds for the rest.
import { useEffect, useRef, useState } from 'react';
import { ArrivalPace, ARRIVALS_EVERY_MS } from './arrival-pace.ts';
import { useApp } from './store.ts';

/** Whether the snapshot came from a job run at CRITICAL (after any escalation). */
const fromCriticalJob = (jobId: string | null | undefined): boolean =>
  !!jobId && useApp.getState().jobs.get(jobId)?.effective_priority === 'CRITICAL';

/** Moves on the first arrival and on a CRITICAL one at once, otherwise at most once every `everyMs`. */
export function useArrivals(everyMs = ARRIVALS_EVERY_MS): number {
  const latest = useApp((s) => s.snapshots[0]);
  const seen = useRef(latest?.id);
  const [tick, setTick] = useState(0);
  const pace = useRef<ArrivalPace | null>(null);
  useEffect(() => {
    const p = new ArrivalPace(everyMs, () => setTick((n) => n + 1));
    pace.current = p;
    return () => p.close();
  }, [everyMs]);
  useEffect(() => {
    if (latest?.id === seen.current) return;
    seen.current = latest?.id;
    pace.current?.arrived(fromCriticalJob(latest?.job_id));
  }, [latest]);
  return tick;
}

/** The id of the newest snapshot of `underlying` that arrived while the app was open (or was listed at its start). */
export const newestStoredOf = (underlying: string): string | undefined =>
  useApp.getState().snapshots.find((s) => s.underlying === underlying)?.id;
