// Small React hooks shared by the views.
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';

/** The current time, refreshed every `ms` (for live wait/run times). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
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
