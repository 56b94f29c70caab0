// Export of what a chart shows: a PNG of the canvas as drawn (without the cursor), and
// a CSV of the points in the chart's current window with exact values in their units
// (GEX in dollars, not the axis's rounded billions), for a spreadsheet; text cells never
// read as formulas there (csv-text.ts).
import { csvText } from './csv-text.ts';
import type { PlotSpec, Window } from './draw.ts';
import { lowerBound } from './draw.ts';

export { csvText };

/** A file name from a chart's label: "SPX net GEX by strike" → "spx-net-gex-by-strike". */
export const fileStem = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || 'chart';

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
              ? new Date(x).toISOString()
              : x,
        ];
    rows.push([...head, ...spec.series.map((s) => s.values[i] ?? null)]);
  }
  return csvText(
    [
      ...(spec.xColumns?.titles ?? [spec.xTitle]),
      ...spec.series.map((s) => `${s.label} (${s.unit})`),
    ],
    rows,
  );
}

/** A PNG of a chart drawn afresh at twice its size by `paint` (without the cursor), downloaded. */
export function downloadPng(
  label: string,
  width: number,
  height: number,
  paint: (ctx: CanvasRenderingContext2D) => void,
): void {
  const c = document.createElement('canvas');
  c.width = width * 2;
  c.height = height * 2;
  const ctx = c.getContext('2d')!;
  ctx.scale(2, 2);
  paint(ctx);
  c.toBlob((b) => b && download(b, `${fileStem(label)}.png`), 'image/png');
}

/** A chart's CSV text, downloaded under the chart's name. */
export function downloadCsv(label: string, text: string): void {
  download(new Blob([text], { type: 'text/csv' }), `${fileStem(label)}.csv`);
}
