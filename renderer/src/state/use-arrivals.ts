// A count that moves when snapshots arrive, at most once a second: what a view that reads
// figures across snapshots (the levels board, the underlyings History and Compare offer)
// reloads on. Reloading on every arrival cost the engine one query (the board: one per
// underlying more) per snapshot stored during a burst, beside the work the burst needs.
import { useEffect, useRef, useState } from 'react';
import { useApp } from './store.ts';

export const ARRIVALS_EVERY_MS = 1000;

/** Moves on the first arrival at once, then at most once every `everyMs`, the last arrival always included. */
export function useArrivals(everyMs = ARRIVALS_EVERY_MS): number {
  const latest = useApp((s) => s.snapshots[0]?.id);
  const seen = useRef(latest);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (latest === seen.current) return;
    seen.current = latest;
    if (timer.current !== null) return; // the one scheduled reads the newest
    timer.current = setTimeout(
      () => {
        timer.current = null;
        last.current = Date.now();
        setTick((n) => n + 1);
      },
      Math.max(0, last.current + everyMs - Date.now()),
    );
  }, [latest, everyMs]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return tick;
}

/** The id of the newest snapshot of `underlying` that arrived while the app was open (or was listed at its start). */
export const newestStoredOf = (underlying: string): string | undefined =>
  useApp.getState().snapshots.find((s) => s.underlying === underlying)?.id;
