// Small React hooks shared by the views.
import {
  useCallback,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';

/**
 * One clock per period for every view that shows live times, so that figures of the same
 * wait (a row, the drawer, the level cards) tick together rather than up to a period apart.
 */
const clocks = new Map<
  number,
  { now: number; listeners: Set<() => void>; timer?: ReturnType<typeof setInterval> }
>();

function clock(ms: number) {
  let c = clocks.get(ms);
  if (!c) clocks.set(ms, (c = { now: Date.now(), listeners: new Set() }));
  return c;
}

function subscribeClock(ms: number, changed: () => void): () => void {
  const c = clock(ms);
  c.listeners.add(changed);
  if (!c.timer) {
    c.now = Date.now();
    c.timer = setInterval(() => {
      c.now = Date.now();
      for (const l of c.listeners) l();
    }, ms);
  }
  return () => {
    c.listeners.delete(changed);
    if (c.listeners.size === 0) {
      clearInterval(c.timer);
      c.timer = undefined;
    }
  };
}

/** The current time, refreshed every `ms` (for live wait/run times), the same for every view. */
export function useNow(ms = 1000): number {
  return useSyncExternalStore(
    useCallback((changed: () => void) => subscribeClock(ms, changed), [ms]),
    () => clock(ms).now,
  );
}

/** Whether a CSS media query matches, live. */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', changed);
      return () => m.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
  );
}

/**
 * The width of a chart's box in whole pixels (at least `min`), read before the first draw
 * and followed as the box resizes: attach the ref to the box.
 */
export function useBoxWidth(min = 240): [RefObject<HTMLDivElement | null>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = (w: number) => setWidth(Math.max(min, Math.floor(w)));
    fit(el.clientWidth);
    const ro = new ResizeObserver(([e]) => e && fit(e.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, [min]);
  return [box, width];
}
