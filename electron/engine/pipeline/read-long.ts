// Reader for the long format in CSV (docs/formats.md): a header line, then one contract
// a row. The rules of the format live in long-table.ts; this module finds the header and
// gives long-table its cells, straight from the bytes (csv-scan.ts).
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { badCell, parseNumberColumn, type Chain } from './chain.ts';
import { cellIndex, cellText, isBlankRow, rowTexts, scanCsv, type CsvTable } from './csv-scan.ts';
import { excelSepHint } from './excel-sep.ts';
import { mapHeader, readTable, usedColumns, type LongHeader, type Table } from './long-table.ts';
import { parseNumberAt } from './numbers.ts';
import type { SourceFile } from './source.ts';

/** The header: the first non-blank line among the first four but Excel's `sep=,` (as detectFormat found it; blank: empty, or only empty cells). */
export type LongCsvHeader = {
  line: number;
  /** Line of the first data row (the header may hold quoted line breaks). */
  bodyLine: number;
  width: number;
  idx: LongHeader;
  bodyStart: number;
  /** The header line ends inside the bytes read (sniff reads only a file's head). */
  complete: boolean;
};

export function readLongCsvHeader(
  file: string,
  bytes: Buffer,
  limits: ReadLimits,
): Result<LongCsvHeader> {
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const tooLong = (line: number): Result<never> =>
    err(
      'LINE_TOO_LONG',
      `${file}, line ${line} is longer than ${limits.maxLineBytes} bytes (limits.maxLineBytes)`,
      { file, line },
    );
  for (let line = 1; line <= 4 && pos < bytes.length; line++) {
    // The line without its ending (LF, CRLF or CR), measured as the body's rows are.
    let end = pos;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    // Blank: empty, or only empty cells (`,,,,` above the header, as Excel saves them).
    // Excel's `sep=,` line is no header either (detectFormat refused one naming another
    // separator).
    if (!isBlankRow(bytes, pos, end) && !isCommaHint(bytes, pos, end)) {
      const row = rowTexts(bytes, pos, limits.maxColumns + 1);
      // A quoted cell's line breaks count in its line.
      if (row.end - pos > limits.maxLineBytes) return tooLong(line);
      if (row.count > limits.maxColumns) {
        return err(
          'TOO_MANY_COLUMNS',
          `${file}, line ${line}: the header has more than ${limits.maxColumns} columns (limits.maxColumns)`,
          { file, line },
        );
      }
      const idx = mapHeader(file, row.cells, line);
      if (!idx.ok) return idx;
      const bodyStart = row.next < 0 ? bytes.length : row.next;
      return ok({
        line,
        bodyLine: line + 1 + row.breaks,
        width: row.count,
        idx: idx.value,
        bodyStart,
        complete: row.terminated,
      });
    }
    if (end - pos > limits.maxLineBytes) return tooLong(line);
    pos = end + (bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? 2 : 1);
  }
  return err('BAD_HEADER', `${file}: no header line (see docs/formats.md)`, { file, line: 1 });
}

/** Whether the line at [pos, end) is Excel's `sep=,` (excel-sep.ts). */
const isCommaHint = (bytes: Buffer, pos: number, end: number): boolean =>
  end - pos <= 16 && excelSepHint(bytes.toString('utf8', pos, end)) === ',';

/**
 * Text of cell (row, col), reusing the last text read from that column when the cell's
 * bytes are the same: a long file repeats its underlying, as_of and expiry on every row,
 * and making a string of each was most of the read's time.
 */
function repeatedText(cells: CsvTable): (col: number, row: number) => string {
  // Indexed by column: this runs for every text cell of the file.
  const last: ({ start: number; end: number; escaped: number; text: string } | undefined)[] = [];
  const { bytes, starts, ends, escaped } = cells;
  return (col, row) => {
    const i = cellIndex(cells, row, col);
    const [start, end] = [starts[i]!, ends[i]!];
    const prev = last[col];
    if (prev && prev.escaped === escaped[i] && prev.end - prev.start === end - start) {
      // A loop, not Buffer#compare: for cells this short the native call costs more
      // (24 against 18 ms an SPX-size chain).
      let same = true;
      for (let k = 0; k < end - start; k++)
        if (bytes[start + k] !== bytes[prev.start + k]) {
          same = false;
          break;
        }
      if (same) return prev.text;
    }
    const text = cellText(cells, row, col);
    last[col] = { start, end, escaped: escaped[i]!, text };
    return text;
  };
}

/** long-table's view of the scanned cells. */
export function csvTable(file: string, cells: CsvTable): Table {
  return {
    rows: cells.rows,
    lineOf: (r) => cells.lines[r]!,
    text: repeatedText(cells),
    number: (col, r) => {
      const i = cellIndex(cells, r, col);
      return parseNumberAt(cells.bytes, cells.starts[i]!, cells.ends[i]!);
    },
    numbers: (col, field, rule, out) => parseNumberColumn(file, cells, col, field, rule, out, 0),
    bad: (r, col, field, what) => badCell(file, cells, r, col, field, what),
  };
}

export function readLongCsv(
  src: SourceFile,
  conv: GexConventions,
  limits: ReadLimits,
): Result<Chain> {
  const { file, bytes } = src;
  const header = readLongCsvHeader(file, bytes, limits);
  if (!header.ok) return header;
  const h = header.value;
  const scanned = scanCsv(file, bytes, h.bodyStart, h.bodyLine, h.width, {
    keep: usedColumns(h.idx),
    maxRows: limits.maxRows,
    rowLimit: `${limits.maxRows} contracts (limits.maxRows)`,
    maxLineBytes: limits.maxLineBytes,
  });
  if (!scanned.ok) return scanned;
  if (scanned.value.rows === 0)
    return err('NO_ROWS', `${file} has a header but no option rows`, { file, line: h.line });
  return readTable(file, 'long-csv', csvTable(file, scanned.value), h.idx, conv);
}
