// Export of what a chart shows: a PNG of the canvas as drawn (without the cursor), and
// a CSV of the points in the chart's current window with exact values in their units
// (GEX in dollars, not the axis's rounded billions), for a spreadsheet; text cells never
// read as formulas there (csv-text.ts).
import { exportStem, exportTitle, type ChartAbout } from './chart-about.ts';
import { csvText } from './csv-text.ts';
import type { PlotSpec, Window } from './draw.ts';
import { lowerBound } from './draw.ts';
import { isoInOffset } from './ticks.ts';

export { csvText };

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart's points inside the window: x (as labelled for categories), then each series. */
export function plotCsv(spec: PlotSpec, win: Window): string {
  const from = lowerBound(spec.x, win.lo);
  const to = lowerBound(spec.x, win.hi + 1e-9 * Math.abs(win.hi));
  const rows: (string | number | null)[][] = [];
  for (let i = from; i < to; i++) {
    const x = spec.x[i]!;
    const head = spec.xColumns
      ? spec.xColumns.values(x)
      : [
          spec.xKind === 'category'
            ? spec.xFormat(x)
            : spec.xKind === 'time'
              ? isoInOffset(x, spec.xOffsetMin ?? 0)
              : x,
        ];
    const about = spec.about?.columns.map((c) => c.value(i)) ?? [];
    rows.push([...head, ...spec.series.map((s) => s.values[i] ?? null), ...about]);
  }
  return csvText(
    [
      ...(spec.xColumns?.titles ?? [spec.xTitle]),
      ...spec.series.map((s) => `${s.label} (${s.unit})`),
      ...(spec.about?.columns.map((c) => c.title) ?? []),
    ],
    rows,
  );
}

/** The title line's height above a PNG's chart. */
const TITLE_ROW = 22;
/** A legend line's height, under the title. */
export const LEGEND_ROW = 18;
const LEGEND_FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
const SWATCH = 18;

/** A series as the PNG's legend names it: its colour, drawn as the chart draws it. */
export interface LegendEntry {
  label: string;
  color: string;
  kind: 'line' | 'bar';
}

/** Where each legend entry goes: left to right, on as many lines as the width needs. */
export function legendPlaces(
  entries: readonly LegendEntry[],
  width: number,
  textWidth: (text: string) => number,
): { x: number; row: number }[] {
  let x = 8;
  let row = 0;
  return entries.map((e) => {
    const w = SWATCH + 4 + textWidth(e.label) + 14;
    if (x > 8 && x + w > width - 8) [x, row] = [8, row + 1];
    const at = { x, row };
    x += w;
    return at;
  });
}

/**
 * A PNG of a chart drawn afresh at twice its size by `paint` (without the cursor), under a
 * title line naming the chart, its underlying and its as-of, and a legend naming each
 * series in its colour (on screen the legend is the chart's HTML header, which a canvas
 * export would leave behind); downloaded under a name that carries them too.
 */
export function downloadPng(
  label: string,
  width: number,
  height: number,
  paint: (ctx: CanvasRenderingContext2D) => void,
  about?: ChartAbout,
  legend: readonly LegendEntry[] = [],
): void {
  const c = document.createElement('canvas');
  const measure = c.getContext('2d')!;
  measure.font = LEGEND_FONT;
  const places = legendPlaces(legend, width, (t) => measure.measureText(t).width);
  const rows = places.length ? Math.max(...places.map((p) => p.row)) + 1 : 0;
  const head = TITLE_ROW + rows * LEGEND_ROW;
  c.width = width * 2;
  c.height = (height + head) * 2;
  const ctx = c.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.fillStyle = '#0b0e12';
  ctx.fillRect(0, 0, width, head);
  ctx.fillStyle = '#e9eef5';
  ctx.font = '600 12px system-ui, -apple-system, "Segoe UI", sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(exportTitle(label, about), 8, TITLE_ROW / 2, width - 16);
  ctx.font = LEGEND_FONT;
  legend.forEach((e, k) => {
    const { x, row } = places[k]!;
    const y = TITLE_ROW + row * LEGEND_ROW + LEGEND_ROW / 2;
    ctx.fillStyle = e.color;
    ctx.strokeStyle = e.color;
    if (e.kind === 'bar') ctx.fillRect(x + 4, y - 5, SWATCH - 8, 10);
    else {
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + SWATCH, y);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    ctx.fillStyle = '#e9eef5';
    ctx.fillText(e.label, x + SWATCH + 4, y);
  });
  ctx.translate(0, head);
  paint(ctx);
  c.toBlob((b) => b && download(b, `${exportStem(label, about)}.png`), 'image/png');
}

/** A chart's CSV text, downloaded under the chart's name, underlying and as-of. */
export function downloadCsv(label: string, text: string, about?: ChartAbout): void {
  download(new Blob([text], { type: 'text/csv' }), `${exportStem(label, about)}.csv`);
}
