// The y range of a zoomed chart (draw.ts layout): a line that runs on to points outside
// the window stays inside the plot where it crosses the window's edges.
import { describe, expect, it } from 'vitest';
import {
  boxesMeet,
  labelLeft,
  layout,
  levelLine,
  lineAt,
  MARGIN,
  plotLeft,
  xPixel,
  type PlotSpec,
} from '../../renderer/src/components/plot/layout.ts';

const at = (iso: string) => Date.parse(iso);
// SPX total GEX over four snapshots (Bn): one point inside the zoom window, -11.00.
const x = [
  at('2024-01-05T20:00:00Z'),
  at('2024-01-06T22:00:00Z'),
  at('2024-01-07T15:52:00Z'),
  at('2024-01-08T15:00:00Z'),
];
const values = [-12.5, -14.17, -11.0, -13.76];

const spec = (kind: 'line' | 'bar', v: (number | null)[] = values): PlotSpec => ({
  label: 'SPX Total GEX over time',
  x,
  xTitle: 'As of',
  xFormat: String,
  xKind: 'time',
  yTitle: 'Bn',
  yTick: String,
  series: [{ label: 'total GEX', values: v, kind, color: '#fff', unit: 'Bn', format: String }],
});

const W = 800;
const H = 200;
const inside = (py: number) => py >= MARGIN.top - 1e-9 && py <= H - MARGIN.bottom + 1e-9;

describe('layout of a zoomed time chart', () => {
  // The window of the QA report: 2024-01-07 zoomed 5×, only the -11.00 point inside.
  const win = { lo: at('2024-01-07T04:00:00Z'), hi: at('2024-01-08T04:00:00Z') };

  it("keeps the line's values at the window's edges inside the plot", () => {
    const L = layout(spec('line'), win, W, H);
    expect(L.to - L.from).toBe(1);
    const left = lineAt(x, values, win.lo)!;
    const right = lineAt(x, values, win.hi)!;
    expect(left).toBeLessThan(-12);
    expect(right).toBeLessThan(-12);
    for (const v of [left, right, -11]) expect(inside(L.py(v))).toBe(true);
    expect(L.ylo).toBeLessThanOrEqual(Math.min(left, right));
  });

  it('scales to the line between two points when the window holds none', () => {
    const between = { lo: at('2024-01-07T00:00:00Z'), hi: at('2024-01-07T06:00:00Z') };
    const L = layout(spec('line'), between, W, H);
    expect(L.to - L.from).toBe(0);
    expect(L.flat).toBe(false);
    for (const edge of [between.lo, between.hi])
      expect(inside(L.py(lineAt(x, values, edge)!))).toBe(true);
  });

  it('leaves bars and gaps out: nothing is drawn to them', () => {
    expect(layout(spec('bar'), win, W, H).ylo).toBeGreaterThan(-12);
    const gap = [-12.5, null, -11.0, null];
    expect(layout(spec('line', gap), win, W, H).ylo).toBeGreaterThan(-12);
    expect(lineAt(x, gap, win.lo)).toBeNull();
  });
});

describe('reference-level labels', () => {
  // A plot from 60 to 1000 px; "replay" is 36 px wide.
  it('go right of their line, and left of it where they would pass the right edge', () => {
    expect(labelLeft(500, 36, 60, 1000)).toBe(503);
    // The replay at the newest point, on the right edge: whole, left of its line.
    expect(labelLeft(1000, 36, 60, 1000)).toBe(961);
    expect(labelLeft(980, 36, 60, 1000)! + 36).toBeLessThanOrEqual(1000);
  });

  // QA wb F4: five levels within 40 points stacked five labels, and the dashed lines of
  // flip A / flip B ran through the text of the labels stacked beside them.
  const boxes = [
    { x: 196, y: 8, w: 120, h: 12 }, // spot B, row 0
    { x: 218, y: 21, w: 118, h: 12 }, // flip A, row 1
    { x: 298, y: 34, w: 118, h: 12 }, // flip B, row 2
  ];

  it('a level’s line starts at its own label and stops short of every other label it passes', () => {
    // flip B's line at 297.5, its label in row 2: it crosses spot B's and flip A's labels,
    // so it starts under its own label's top, then is not drawn through the others.
    const segs = levelLine(297.5, boxes[2]!.y, boxes, 200);
    expect(segs).toEqual([[34, 200]]);
    // A line from row 0 down through a label two rows lower: a gap where that label is.
    const crossing = [{ x: 90, y: 34, w: 40, h: 12 }];
    expect(levelLine(100.5, 8, crossing, 200)).toEqual([
      [8, 33],
      [47, 200],
    ]);
    for (const [y0, y1] of levelLine(100.5, 8, crossing, 200))
      expect(boxesMeet({ x: 100, y: y0, w: 1, h: y1 - y0 }, crossing[0]!)).toBe(false);
  });

  it('tells boxes that meet from boxes apart', () => {
    expect(boxesMeet(boxes[0]!, boxes[1]!)).toBe(false);
    expect(boxesMeet(boxes[0]!, { x: 300, y: 10, w: 10, h: 4 })).toBe(true);
  });
});

describe('the y axis title and the tick labels', () => {
  // QA wb F4: "Contracts" touched "-100,000" at 1024×700: the left margin was fixed at 70 px.
  it('keeps the title a gap from the widest tick label, however wide', () => {
    expect(plotLeft(30, 16)).toBe(MARGIN.left);
    const left = plotLeft(52, 16);
    expect(left - 6 - 52 - 16).toBeGreaterThanOrEqual(8);
    expect(plotLeft(120, 16) - 6 - 120 - 16).toBeGreaterThanOrEqual(8);
  });

  it('places x and the layout right of that margin', () => {
    const win = { lo: 0, hi: 100 };
    expect(xPixel(win, 500, 90)(0)).toBe(90);
    expect(xPixel(win, 500, 90)(100)).toBe(500 - MARGIN.right);
    const L = layout(spec('line'), { lo: x[0]!, hi: x[3]! }, 500, 200, MARGIN.top, 90);
    expect(L.px(x[0]!)).toBe(90);
    expect(L.xv(90)).toBe(x[0]);
    expect(L.left).toBe(90);
  });
});

describe('a line across a hole (xBreak)', () => {
  it('has no value between the two points either side of it', () => {
    const hx = [0, 10, 20, 100, 110];
    const hv = [1, 2, 3, 4, 5];
    expect(lineAt(hx, hv, 15, 30)).toBe(2.5);
    expect(lineAt(hx, hv, 60, 30)).toBeNull();
    expect(lineAt(hx, hv, 60)).toBe(3.5);
  });
});
