// Draws one chart on a canvas: bars and lines over a numeric x axis (strikes, instants,
// or expiries by position), the reference levels (spot, flip, walls) as labelled
// vertical lines whose labels never overlap nor are crossed by another level's line, and
// the cursor. Pure: no React, no DOM but
// the 2D context, so that the same code draws on screen, into the PNG export, and in
// the render-time measurement (tests/e2e/workbench.e2e.test.ts).
import { tickNumber } from '../../text/numbers.ts';
import { ticks, timeTicks } from './ticks.ts';
import {
  labelLeft,
  layout,
  levelLine,
  lowerBound,
  MARGIN,
  plotLeft,
  TICK_PAD,
  xPixel,
  yRange,
  type Box,
  type Layout,
  type PlotSpec,
  type Window,
} from './layout.ts';

export * from './layout.ts';

const LABEL_ROW = 13;
const FONT = '10.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const SANS = '10.5px system-ui, -apple-system, "Segoe UI", sans-serif';
/** The y axis title's baseline (rotated: its descenders reach right of it). */
const Y_TITLE_X = 12;

/** Marker labels in rows: each goes in the first row where it overlaps no other label. */
export function placeLabels(widths: { x: number; w: number }[], rowsMax: number): number[] {
  const ends: number[] = [];
  return widths.map(({ x, w }) => {
    let row = ends.findIndex((end) => x > end + 10);
    if (row < 0) row = ends.length < rowsMax ? ends.length : ends.indexOf(Math.min(...ends));
    ends[row] = x + w;
    return row;
  });
}

function xTickValues(
  spec: PlotSpec,
  win: Window,
  width: number,
  left: number,
  labelWidth: (text: string) => number,
): number[] {
  const room = width - left - MARGIN.right;
  if (spec.xKind === 'time') {
    // The first point shown gets a date under it (a leading cluster before a month's 1st).
    const first = spec.x[lowerBound(spec.x, win.lo)];
    const count = Math.max(2, Math.floor(room / 120));
    return timeTicks(win.lo, win.hi, count, spec.xOffsetMin, first);
  }
  if (spec.xKind === 'category') {
    const lo = Math.max(0, Math.ceil(win.lo));
    const hi = Math.min(spec.x.length - 1, Math.floor(win.hi));
    // Every label as wide as the widest shown, and a gap: none overlaps its neighbour.
    let widest = 0;
    for (let i = lo; i <= hi; i++) widest = Math.max(widest, labelWidth(spec.xFormat(spec.x[i]!)));
    const slots = Math.max(1, Math.floor(room / (widest + 12)));
    const every = Math.max(1, Math.ceil((hi - lo + 1) / slots));
    const out: number[] = [];
    for (let i = lo; i <= hi; i += every) out.push(i);
    return out;
  }
  return ticks(win.lo, win.hi, Math.max(3, Math.floor(room / 80)));
}

export interface Colors {
  bg: string;
  axis: string;
  grid: string;
  zero: string;
  cursor: string;
}
export const DARK: Colors = {
  bg: '#0b0e12',
  axis: '#a9b3c0',
  grid: '#1a2029',
  zero: '#4a5464',
  cursor: '#e9eef5',
};

/** What a drawing placed where: what a test checks labels, lines and the axes against. */
export interface Drawn {
  xTicks: [string, number][];
  /** The reference levels' label boxes and their lines' segments ([y0, y1] at x). */
  levels: { label: string; box: Box; line: { x: number; segments: [number, number][] } }[];
  /** The y title's right end and the widest tick label's left end (x, CSS px). */
  yAxis: { titleRight: number; tickLeft: number };
  /** The left margin this chart's own y axis needs (aligned-left.ts takes a group's widest). */
  needLeft: number;
}

export function drawPlot(
  ctx: CanvasRenderingContext2D,
  spec: PlotSpec,
  win: Window,
  width: number,
  height: number,
  cursor: number | null,
  colors: Colors = DARK,
  minLeft: number = MARGIN.left,
): Layout & Drawn {
  const bottom = height - MARGIN.bottom;
  const right = width - MARGIN.right;
  // The y axis first: its tick labels, measured, and its title make the left margin.
  const Y = yRange(spec, win);
  // Nothing but zeros: one tick, 0 (the made-up range around it would label ±1 dollar
  // "0.00" three times on a chart in millions).
  const yt = Y.flat
    ? [0]
    : ticks(Y.ylo, Y.yhi, Math.max(4, Math.floor((bottom - MARGIN.top) / 34)));
  // One tick (the zeros) has no step: it reads "0".
  const ystep = yt.length > 1 ? yt[1]! - yt[0]! : 0;
  const yLabels = yt.map((t) => spec.yTick(t, ystep));
  ctx.font = FONT;
  const widest = Math.max(0, ...yLabels.map((t) => ctx.measureText(t).width));
  ctx.font = SANS;
  const titleRight = Y_TITLE_X + (ctx.measureText(spec.yTitle).actualBoundingBoxDescent || 3);
  const needLeft = plotLeft(widest, titleRight);
  const left = Math.max(needLeft, minLeft);

  // Reference levels: their labels' rows, placed first, make the room above the data.
  const pxOf = xPixel(win, width, left);
  const markers = (spec.markers ?? [])
    .filter((m) => m.x >= win.lo && m.x <= win.hi)
    .sort((a, b) => a.x - b.x);
  ctx.font = FONT;
  // A label goes right of its line, or left of it where it would pass the plot's right
  // edge (a "replay" at the newest point is never cut to "rep").
  const labelBox = markers.map((m) => {
    const w = ctx.measureText(m.label).width;
    return { x: labelLeft(Math.round(pxOf(m.x)) + 0.5, w, left, right), w };
  });
  const placed = placeLabels(labelBox, Math.max(4, markers.length));
  const rows = placed.length === 0 ? 0 : Math.max(...placed) + 1;
  const L = layout(spec, win, width, height, MARGIN.top + rows * LABEL_ROW, left);
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, width, height);

  // Y grid and ticks.
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  yt.forEach((t, k) => {
    const y = Math.round(L.py(t)) + 0.5;
    ctx.strokeStyle = t === 0 ? colors.zero : colors.grid;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    ctx.fillStyle = colors.axis;
    ctx.fillText(yLabels[k]!, left - TICK_PAD, y);
  });
  ctx.save();
  ctx.translate(Y_TITLE_X, (MARGIN.top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.font = SANS;
  ctx.fillText(spec.yTitle, 0, 0);
  ctx.restore();

  // X ticks and title.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = FONT;
  ctx.fillStyle = colors.axis;
  let previous: number | null = null;
  let labelEnd = -Infinity;
  const xTicks: [string, number][] = [];
  const xt = xTickValues(spec, win, width, left, (text) => ctx.measureText(text).width);
  const xstep = xt.length > 1 ? xt[1]! - xt[0]! : 0;
  for (const t of xt) {
    const x = L.px(t);
    if (x < left - 1 || x > right + 1) continue;
    ctx.fillRect(Math.round(x), bottom, 1, 4);
    // `previous`: the last tick whose label was drawn (a date left out is shown next).
    // A number axis (strikes, spot levels) writes its ticks with their step's decimals, as
    // the y axis does: a zoom to steps of 2.5 reads "4,702.5", never a rounded "4,703".
    const text = spec.xTickFormat
      ? spec.xTickFormat(t, previous)
      : spec.xKind === 'number'
        ? tickNumber(t, xstep)
        : spec.xFormat(t);
    // A label near an edge is moved inside the canvas, never cut; one that would then
    // touch its neighbour is left out (its tick stays).
    const w = ctx.measureText(text).width;
    const cx = Math.min(Math.max(x, w / 2 + 2), width - w / 2 - 2);
    if (cx - w / 2 < labelEnd + 8) continue;
    ctx.fillText(text, cx, bottom + 6);
    xTicks.push([text, x]);
    labelEnd = cx + w / 2;
    previous = t;
  }
  ctx.font = SANS;
  ctx.fillText(spec.xAxisTitle ?? spec.xTitle, (left + right) / 2, bottom + 20);

  // Data, clipped to the plot area.
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, MARGIN.top, right - left, bottom - MARGIN.top);
  ctx.clip();
  const bars = spec.series.filter((s) => s.kind === 'bar');
  const from = Math.max(0, L.from - 1);
  const to = Math.min(spec.x.length, L.to + 1);
  let gap = Infinity;
  for (let i = from + 1; i < to; i++) gap = Math.min(gap, spec.x[i]! - spec.x[i - 1]!);
  if (!Number.isFinite(gap)) gap = (win.hi - win.lo) / 10;
  const slot = Math.max(1, (L.px(win.lo + gap) - L.px(win.lo)) * 0.8);
  const bw = Math.max(1, slot / Math.max(1, bars.length));
  const y0 = L.py(0);
  // A bar stands at its own x: only those inside the window are drawn. One just outside,
  // clipped at the edge, would read as a figure at a strike the window holds (and a window
  // holding none would show its neighbours' bars over a made-up axis). Lines do run on to
  // their neighbours outside, to cross the edges where they do.
  bars.forEach((s, k) => {
    for (let i = L.from; i < L.to; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || v === 0) continue;
      const x = L.px(spec.x[i]!) - slot / 2 + k * bw;
      const y = L.py(v);
      ctx.fillStyle = s.colorAt ? s.colorAt(i, v) : s.color;
      ctx.fillRect(
        x,
        Math.min(y, y0),
        Math.max(1, bw - (bars.length > 1 ? 0.5 : 0)),
        Math.max(1, Math.abs(y0 - y)),
      );
    }
  });
  // A time series' line breaks across a hole (spec.xBreak, gaps.ts).
  const broken = (i: number) =>
    spec.xBreak !== undefined && i > 0 && spec.x[i]! - spec.x[i - 1]! > spec.xBreak;
  for (const s of spec.series) {
    if (s.kind !== 'line') continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let i = from; i < to; i++) {
      const v = s.values[i];
      if (v === null || v === undefined) {
        pen = false;
        continue;
      }
      const x = L.px(spec.x[i]!);
      const y = L.py(v);
      if (pen && !broken(i)) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    ctx.lineWidth = 1;
    // Where a segment is missing (a value with none beside it, a hole in time) the points
    // are dots: one with no neighbour stays visible, and a hole's edges read as edges.
    ctx.fillStyle = s.color;
    const none = (j: number) =>
      j < 0 || j >= spec.x.length || s.values[j] === null || s.values[j] === undefined;
    const noLeft = (i: number) => none(i - 1) || broken(i);
    const noRight = (i: number) => none(i + 1) || broken(i + 1);
    for (let i = from; i < to; i++) {
      if (none(i)) continue;
      const alone = noLeft(i) && noRight(i);
      const edge = (noLeft(i) && i > 0) || (noRight(i) && i < spec.x.length - 1);
      if (!alone && !edge) continue;
      ctx.beginPath();
      ctx.arc(L.px(spec.x[i]!), L.py(s.values[i]!), alone ? 3 : 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();

  // Reference levels, labels in the rows placed above. Each line hangs from its own
  // label's row and stops short of every other label it passes (levelLine), and each label
  // sits on a box of the background: no line runs through a label's text.
  const boxes: Box[] = markers.map((_, k) => ({
    x: labelBox[k]!.x - 2,
    y: MARGIN.top + placed[k]! * LABEL_ROW,
    w: labelBox[k]!.w + 4,
    h: LABEL_ROW - 1,
  }));
  const levels: Drawn['levels'] = markers.map((m, k) => {
    const x = Math.round(L.px(m.x)) + 0.5;
    return {
      label: m.label,
      box: boxes[k]!,
      line: { x, segments: levelLine(x, boxes[k]!.y, boxes, bottom) },
    };
  });
  ctx.setLineDash([4, 3]);
  markers.forEach((m, k) => {
    const { x, segments } = levels[k]!.line;
    ctx.strokeStyle = m.color;
    ctx.beginPath();
    for (const [y0, y1] of segments) {
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
    }
    ctx.stroke();
  });
  ctx.setLineDash([]);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  markers.forEach((m, k) => {
    const b = boxes[k]!;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(b.x, b.y, b.w, b.h);
    ctx.fillStyle = m.color;
    ctx.fillText(m.label, labelBox[k]!.x, b.y + 6);
  });

  // The cursor.
  if (cursor !== null && cursor >= 0 && cursor < spec.x.length) {
    const x = Math.round(L.px(spec.x[cursor]!)) + 0.5;
    if (x >= left && x <= right) {
      ctx.strokeStyle = colors.cursor;
      ctx.globalAlpha = 0.55;
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.globalAlpha = 1;
      for (const s of spec.series) {
        const v = s.values[cursor];
        if (v === null || v === undefined) continue;
        ctx.fillStyle = s.kind === 'line' ? s.color : colors.cursor;
        ctx.beginPath();
        ctx.arc(x, L.py(v), 3, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
  return {
    ...L,
    xTicks,
    levels,
    yAxis: { titleRight, tickLeft: left - TICK_PAD - widest },
    needLeft,
  };
}
