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

/**
 * A PNG of a chart drawn afresh at twice its size by `paint` (without the cursor), under a
 * title line naming the chart, its underlying and its as-of; downloaded under a name that
 * carries them too.
 */
export function downloadPng(
  label: string,
  width: number,
  height: number,
  paint: (ctx: CanvasRenderingContext2D) => void,
  about?: ChartAbout,
): void {
  const c = document.createElement('canvas');
  c.width = width * 2;
  c.height = (height + TITLE_ROW) * 2;
  const ctx = c.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.fillStyle = '#0b0e12';
  ctx.fillRect(0, 0, width, TITLE_ROW);
  ctx.fillStyle = '#e9eef5';
  ctx.font = '600 12px system-ui, -apple-system, "Segoe UI", sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(exportTitle(label, about), 8, TITLE_ROW / 2, width - 16);
  ctx.translate(0, TITLE_ROW);
  paint(ctx);
  c.toBlob((b) => b && download(b, `${exportStem(label, about)}.png`), 'image/png');
}

/** A chart's CSV text, downloaded under the chart's name, underlying and as-of. */
export function downloadCsv(label: string, text: string, about?: ChartAbout): void {
  download(new Blob([text], { type: 'text/csv' }), `${exportStem(label, about)}.csv`);
}
