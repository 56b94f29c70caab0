// A text cell of the CSV files GEX Desk writes (the CLI's `export --format csv`, the UI's
// chart and levels CSVs), for spreadsheets. Quoted where CSV needs it; and a cell that a
// spreadsheet would run as a formula (`=1+1`, `@SUM(A1)`, `+…`, `-…`, or one starting with
// a tab or a carriage return: an underlying is any text a file gives, accepted at ingest)
// gets a leading `'`, as OWASP advises against CSV injection, so that Excel, LibreOffice and
// Sheets show it as text. Only text cells: numbers are written as numbers by the callers,
// negative ones included.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvTextCell(text: string): string {
  const s = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
