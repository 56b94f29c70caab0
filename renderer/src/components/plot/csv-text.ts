// The CSV text of the UI's exports (a chart's points, the heatmap's cells, the levels
// board), apart from chart-export.ts so that it needs no DOM (tests run it in Node): numbers
// as they are (none where not finite), text through shared/csv.ts (quoted where CSV needs
// it, and never read as a formula by a spreadsheet).
import { csvTextCell } from '../../../../shared/csv.ts';

const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : csvTextCell(v);
};

export function csvText(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
