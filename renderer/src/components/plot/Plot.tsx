// A chart for people who read them all day: canvas-drawn (draw.ts), with a cursor that
// the mouse or the arrow keys move and a readout of its exact values with their units
// (a tooltip by the pointer, and a line under the chart that screen readers hear);
// zoom (wheel, +/−, drag to pan, 0 or a double click resets) along x — strikes, time,
// expiries; export of what is shown as PNG and CSV. The window can be owned by the
// parent (charts that share a time axis). The canvas is an interactive chart to a screen
// reader (role="application", so that browse mode hands it the arrow keys), named by its
// title and keys and described by a summary of its content (chart-summary.ts) and the
// readout.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { drawPlot, fullWindow, MARGIN, nearest, type PlotSpec, type Window } from './draw.ts';
import { cursorIndex, cursorOf, keptIn, keyStart, sameCursor, type Cursor } from './cursor.ts';
import { downloadCsv, downloadPng, plotCsv } from './chart-export.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { useBoxWidth } from '../../hooks.ts';
import { chartSummary } from './chart-summary.ts';
import type { AlignedLeft } from './aligned-left.ts';

export interface PlotProps {
  spec: PlotSpec;
  title: ReactNode;
  testId: string;
  height?: number;
  /** The window to start from (e.g. spot ± 10 %); the whole x range otherwise. */
  initial?: Window;
  /** A controlled window (shared between charts). */
  window?: Window;
  onWindow?(w: Window): void;
  /** A controlled cursor: a position on x, not an index (cursor.ts). */
  cursor?: Cursor | null;
  onCursor?(c: Cursor): void;
  /** Controls shown in the chart's header, before the export buttons. */
  controls?: ReactNode;
  /** Called after each draw (render-time measurements). */
  onDrawn?(): void;
  /** Charts stacked over one x axis draw it at the same pixels (aligned-left.ts). */
  align?: AlignedLeft;
}

const clampWin = (w: Window, full: Window): Window => {
  const span = Math.min(w.hi - w.lo, full.hi - full.lo);
  let lo = Math.max(full.lo, w.lo);
  if (lo + span > full.hi) lo = full.hi - span;
  return { lo, hi: lo + span };
};

export function Plot(props: PlotProps) {
  const { spec, title, testId, height = 260, initial, controls, onDrawn, align } = props;
  const minLeft = align?.minLeft ?? MARGIN.left;
  const canvas = useRef<HTMLCanvasElement>(null);
  // The box's width, read before the first draw and followed after.
  const [box, width] = useBoxWidth();
  const full = fullWindow(spec);
  const [ownWin, setOwnWin] = useState<Window>(initial ?? full);
  const win = props.window ?? ownWin;
  const setWin = useCallback(
    (w: Window) => {
      const c = clampWin(w, fullWindow(spec));
      setOwnWin(c);
      props.onWindow?.(c);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [spec, props.onWindow],
  );
  // The cursor is a position on x; its index is found in x as it is now (cursor.ts): after
  // x changes in place it stays on its strike, or there is none, never an index to another.
  const [ownCursor, setOwnCursor] = useState<Cursor | null>(null);
  const cursorAt = props.cursor !== undefined ? props.cursor : ownCursor;
  const cursor = cursorIndex(spec, cursorAt);
  const setCursor = (i: number) => {
    const c = cursorOf(spec, i);
    if (sameCursor(c, cursorAt)) return;
    setOwnCursor(c);
    props.onCursor?.(c);
  };
  const [pointer, setPointer] = useState(false);
  const [focused, setFocused] = useState(false);
  // The plot's left edge as last drawn: wider y tick labels take more (layout.ts plotLeft).
  const [left, setLeft] = useState(MARGIN.left);
  const drag = useRef<{ x: number; win: Window; moved: boolean } | null>(null);

  // A new starting window (another snapshot, another window around spot) applies at once
  // (in render, not in an effect: no second draw).
  const initKey = initial ? `${initial.lo}:${initial.hi}` : `${full.lo}:${full.hi}`;
  const [lastKey, setLastKey] = useState(initKey);
  // The cursor stays only when inside it (an arrow key must not pan away from it).
  if (lastKey !== initKey) {
    setLastKey(initKey);
    setOwnWin(initial ?? full);
    setOwnCursor(keptIn(spec, ownCursor, initial ?? full));
  }

  // Drawn once per change of what is shown (a repeat render draws nothing).
  const drawn = useRef<unknown[]>([]);
  useLayoutEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    const w = box.current?.clientWidth ? Math.max(240, Math.floor(box.current.clientWidth)) : width;
    if (!c || !ctx) return;
    const key = [spec, win.lo, win.hi, w, height, cursor, minLeft];
    if (key.every((k, i) => k === drawn.current[i])) return;
    drawn.current = key;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(height * dpr);
    c.style.width = `${w}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const drawnAt = drawPlot(ctx, spec, win, w, height, cursor, undefined, minLeft);
    // The x labels, the levels' labels and lines, the y axis, as drawn and where (CSS px):
    // what a test checks a point's place, and labels and lines apart, against.
    c.dataset.xTicks = JSON.stringify(drawnAt.xTicks);
    c.dataset.levels = JSON.stringify(drawnAt.levels);
    c.dataset.yAxis = JSON.stringify(drawnAt.yAxis);
    setLeft(drawnAt.left);
    align?.report(testId, drawnAt.needLeft);
    onDrawn?.();
  }, [box, spec, win, width, height, cursor, onDrawn, minLeft, align, testId]);

  const plotW = width - left - MARGIN.right;
  const xAt = (px: number) => win.lo + ((px - left) / plotW) * (win.hi - win.lo);
  const pxOf = (v: number) => left + ((v - win.lo) / (win.hi - win.lo)) * plotW;
  const zoomAt = (factor: number, at: number) => {
    const span = (win.hi - win.lo) * factor;
    const minSpan = spec.x.length > 1 ? (full.hi - full.lo) / spec.x.length : 1;
    if (span < minSpan * 2 && factor < 1) return;
    const t = (at - win.lo) / (win.hi - win.lo);
    setWin({ lo: at - t * span, hi: at - t * span + span });
  };
  // Wheel zoom needs a non-passive listener (the page must not scroll meanwhile).
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? 0.8 : 1.25, xAt(e.clientX - r.left));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  });

  const n = spec.x.length;
  // What the chart shows, for a screen reader: again only when the data changes.
  const summary = useMemo(() => chartSummary(spec), [spec]);
  const cursorX = cursor !== null && cursor < n ? spec.x[cursor]! : null;

  const onKeyDown = (e: KeyboardEvent) => {
    if (n === 0) return;
    const span = win.hi - win.lo;
    const at = keyStart(spec, cursorAt, win);
    const moveTo = (i: number) => {
      const j = Math.max(0, Math.min(n - 1, i));
      setCursor(j);
      const x = spec.x[j]!;
      if (x < win.lo || x > win.hi) setWin({ lo: x - span / 2, hi: x + span / 2 });
    };
    const keys: Record<string, () => void> = {
      ArrowRight: () =>
        e.shiftKey ? setWin({ lo: win.lo + span * 0.2, hi: win.hi + span * 0.2 }) : moveTo(at + 1),
      ArrowLeft: () =>
        e.shiftKey ? setWin({ lo: win.lo - span * 0.2, hi: win.hi - span * 0.2 }) : moveTo(at - 1),
      Home: () => moveTo(nearest(spec.x, win.lo)),
      End: () => moveTo(nearest(spec.x, win.hi)),
      '+': () => zoomAt(0.8, spec.x[at]!),
      '=': () => zoomAt(0.8, spec.x[at]!),
      '-': () => zoomAt(1.25, spec.x[at]!),
      _: () => zoomAt(1.25, spec.x[at]!),
      '0': () => setWin(initial ?? full),
      Escape: () => setWin(initial ?? full),
    };
    const k = keys[e.key];
    if (k) {
      e.preventDefault();
      k();
    }
  };

  const readout =
    cursorX === null
      ? 'Move over the chart, or focus it and use the arrow keys, to read exact values.'
      : `${spec.xTitle} ${spec.xFormat(cursorX)}: ${spec.series
          .map((s) => {
            const v = s.values[cursor!];
            return `${s.label} ${v === null || v === undefined ? '—' : s.format(v)}`;
          })
          .join('; ')}`;

  const exportPng = () =>
    downloadPng(
      spec.label,
      width,
      height,
      (ctx) => drawPlot(ctx, spec, win, width, height, null, undefined, minLeft),
      spec.about,
      // The legend as the header shows it (charts of more than one series).
      spec.series.length > 1
        ? spec.series.map((s) => ({ label: s.label, color: s.color, kind: s.kind }))
        : [],
    );
  const exportCsv = () => downloadCsv(spec.label, plotCsv(spec, win), spec.about);

  const tipLeft = cursorX === null ? 0 : pxOf(cursorX);
  const zoomed = win.lo > full.lo + 1e-9 || win.hi < full.hi - 1e-9;

  return (
    <div className="plot" data-testid={testId}>
      <div className="plot-head">
        <span className="chart-title">{title}</span>
        {controls}
        {spec.series.length > 1 && (
          <span className="legend">
            {spec.series.map((s) => (
              <span key={s.label}>
                <i style={{ background: s.color }} /> {s.label}
              </span>
            ))}
          </span>
        )}
        <span className="spacer" />
        {zoomed && (
          <button
            className="btn small ghost"
            onClick={() => setWin(full)}
            title="Show the whole axis (0)"
          >
            Whole axis
          </button>
        )}
        <ExportButtons label={spec.label} testId={testId} png={exportPng} csv={exportCsv} />
      </div>
      <div className="plot-box" ref={box} style={{ height }}>
        <canvas
          ref={canvas}
          style={{ width: width || undefined, height }}
          tabIndex={0}
          role="application"
          aria-roledescription="interactive chart"
          aria-label={`${spec.label}. Arrow keys move the cursor, Shift with arrows pans, plus and minus zoom, 0 resets.`}
          aria-describedby={`${testId}-summary ${testId}-readout`}
          onKeyDown={onKeyDown}
          onFocus={() => {
            setFocused(true);
            if (cursor === null && n > 0) setCursor(nearest(spec.x, (win.lo + win.hi) / 2));
          }}
          onBlur={() => setFocused(false)}
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            drag.current = { x: e.clientX, win, moved: false };
          }}
          onPointerUp={() => (drag.current = null)}
          onPointerLeave={() => setPointer(false)}
          onPointerMove={(e) => {
            setPointer(true);
            const r = e.currentTarget.getBoundingClientRect();
            const d = drag.current;
            if (d && Math.abs(e.clientX - d.x) > 3) {
              d.moved = true;
              const dv = ((e.clientX - d.x) / plotW) * (d.win.hi - d.win.lo);
              setWin({ lo: d.win.lo - dv, hi: d.win.hi - dv });
            } else if (n > 0) setCursor(nearest(spec.x, xAt(e.clientX - r.left)));
          }}
          onDoubleClick={() => setWin(initial ?? full)}
        />
        {(pointer || focused) && cursorX !== null && (
          <div
            className={`plot-tip ${tipLeft > width * 0.6 ? 'left' : ''}`}
            style={{ left: tipLeft }}
            aria-hidden
            data-testid={`${testId}-tip`}
          >
            <b>{`${spec.xTitle} ${spec.xFormat(cursorX)}`}</b>
            {spec.series.map((s) => {
              const v = s.values[cursor!];
              return (
                <div key={s.label}>
                  <i style={{ background: s.color }} /> {s.label}{' '}
                  <span className="num">{v === null || v === undefined ? '—' : s.format(v)}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <p className="sr-only" id={`${testId}-summary`} data-testid={`${testId}-summary`}>
        {summary}
      </p>
      {/* No list at all on a chart without levels (an empty list is announced as such). */}
      {(spec.markers ?? []).length > 0 && (
        <ul className="sr-only" aria-label="Marked levels" data-testid={`${testId}-markers`}>
          {spec.markers!.map((m) => (
            <li key={`${m.label}`} data-marker={m.kind ?? m.label}>
              {m.label}
            </li>
          ))}
        </ul>
      )}
      <div
        className="plot-readout muted"
        id={`${testId}-readout`}
        aria-live="polite"
        data-testid={`${testId}-readout`}
      >
        {readout}
      </div>
    </div>
  );
}
