// The one CSV tokenizer, strict and fast, over the file's bytes: quotes, "" escapes,
// LF, CRLF or CR line ends, blank lines (and rows of empty cells, as Excel writes cleared
// rows: `,,,,`), each row's 1-based line of the FILE kept for error messages.
// scanRow reads one row (the header, a preamble line); scanCsv reads the body and keeps
// the bounds of only the columns a reader asked for, so memory grows with rows × those
// columns, never with line breaks × header width. Numbers are then parsed straight from
// the bytes (numbers.ts). Measured several times faster than Polars' CSV reader plus
// string casts on this workload, and it knows the line of every bad cell.
import { err, ok, type Result } from '../../../shared/result.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Where scanRow writes the bounds of a row's cells: cell `col` at `base + col` (or, with a
 * `slot` map, at `base + slot[col]`, skipping columns mapped to -1, so that a table
 * keeps only the columns it needs, without copying). Reused from row to row.
 */
export class RowCells {
  starts: Int32Array;
  ends: Int32Array;
  escaped: Uint8Array;
  slot: Int32Array | null = null;
  base = 0;
  /** Cells in the row (may exceed what is kept). */
  count = 0;
  /** Line breaks inside quoted cells. */
  breaks = 0;
  /** The row ended at a line break inside the buffer (not at its end). */
  terminated = false;
  /** Where the row's bytes end, before its line ending (LF, CRLF or CR). */
  end = 0;
  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.escaped = new Uint8Array(capacity);
  }
}

/**
 * Tokenizes the row starting at `pos` into `r`; returns where the next row starts, or
 * -1 when a quoted cell is never closed inside `bytes`.
 */
export function scanRow(bytes: Buffer, pos: number, r: RowCells): number {
  const n = bytes.length;
  const { slot, base, starts, ends, escaped } = r;
  const cap = slot === null ? starts.length : slot.length;
  let col = 0;
  let breaks = 0;
  for (;;) {
    let start = pos;
    let end: number;
    let esc = 0;
    if (bytes[pos] === QUOTE) {
      start = ++pos;
      for (;;) {
        const q = bytes.indexOf(QUOTE, pos);
        if (q < 0) {
          r.count = col;
          return -1;
        }
        if (bytes[q + 1] === QUOTE) {
          esc = 1;
          pos = q + 2;
          continue;
        }
        end = q;
        pos = q + 1;
        break;
      }
      // Line ends inside the cell (LF, CRLF or CR), counted in the cell only: indexOf would
      // look past it, to the end of a file without that byte.
      for (let i = start; i < end; i++) {
        const b = bytes[i];
        if (b === LF || (b === CR && bytes[i + 1] !== LF)) breaks++;
      }
      while (pos < n && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) pos++;
    } else {
      while (pos < n) {
        const b = bytes[pos];
        if (b === COMMA || b === LF || b === CR) break;
        pos++;
      }
      end = pos;
    }
    if (col < cap) {
      const at = slot === null ? base + col : slot[col]! < 0 ? -1 : base + slot[col]!;
      if (at >= 0) {
        starts[at] = start;
        ends[at] = end;
        escaped[at] = esc;
      }
    }
    col++;
    const b = bytes[pos];
    if (b === COMMA) {
      pos++;
      continue;
    }
    r.terminated = pos < n;
    r.end = pos;
    if (b === CR) pos++;
    if (bytes[pos] === LF) pos++;
    break;
  }
  r.count = col;
  r.breaks = breaks;
  return pos;
}

/**
 * Whether the row in bytes[start, end) (without its line end) holds only empty or blank
 * cells: `,,,,` as Excel writes a cleared row of its used range, `"", ""`, spaces. Such a
 * row is read as a blank line.
 */
export function isBlankRow(bytes: Uint8Array, start: number, end: number): boolean {
  let cellStart = true;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === COMMA) cellStart = true;
    else if (b === SPACE || b === TAB) continue;
    else if (b === QUOTE && cellStart) {
      // A quoted cell: blank inside, then its closing quote (not an escaped one).
      i++;
      while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
      if (bytes[i] !== QUOTE || bytes[i + 1] === QUOTE) return false;
      cellStart = false;
    } else return false;
  }
  return true;
}

/** Whether a row's first byte may begin a blank row (the cheap test before isBlankRow). */
const mayBeBlank = (b: number | undefined): boolean =>
  b === COMMA || b === SPACE || b === TAB || b === QUOTE;

/** Text of a cell given its bounds. */
export function textAt(bytes: Buffer, start: number, end: number, escaped: number): string {
  const s = bytes.toString('utf8', start, end);
  return escaped ? s.replace(/""/g, '"') : s;
}

/** Every cell of one line as text (the header, a preamble line); at most `maxCells` kept. */
export function rowTexts(
  bytes: Buffer,
  pos: number,
  maxCells: number,
): {
  cells: string[];
  count: number;
  next: number;
  /** Where the row's bytes end, before its line ending (when next >= 0). */
  end: number;
  breaks: number;
  terminated: boolean;
} {
  const r = new RowCells(maxCells);
  const next = scanRow(bytes, pos, r);
  const cells: string[] = [];
  for (let i = 0; i < Math.min(r.count, maxCells); i++)
    cells.push(textAt(bytes, r.starts[i]!, r.ends[i]!, r.escaped[i]!));
  return {
    cells,
    count: r.count,
    next,
    end: next < 0 ? bytes.length : r.end,
    breaks: r.breaks,
    terminated: next >= 0 && r.terminated,
  };
}

/** Splits one line of text into cells, honouring double quotes. */
export const splitCsvLine = (line: string): string[] =>
  rowTexts(Buffer.from(line, 'utf8'), 0, line.length + 1).cells;

export type CsvTable = {
  bytes: Buffer;
  rows: number;
  /** Cells per row (the header's). */
  width: number;
  /** Column → its slot among the kept columns, or -1. */
  slot: Int32Array;
  kept: number;
  /** Byte bounds of kept cell (row, slot) at row * kept + slot; end exclusive. */
  starts: Int32Array;
  ends: Int32Array;
  /** 1 when the cell was quoted and holds "" escapes. */
  escaped: Uint8Array;
  /** 1-based line of the file of each row. */
  lines: Int32Array;
};

export type ScanOptions = {
  /** Columns whose cells are kept. */
  keep: readonly number[];
  /** Most rows accepted (more: TOO_MANY_ROWS). */
  maxRows: number;
  /** What the row limit is, for the message, e.g. "2000000 contracts (limits.maxRows)". */
  rowLimit: string;
  maxLineBytes: number;
  /**
   * Reading a file's first bytes only: keep at most `rows` rows, and (unless the buffer
   * is the whole file, `eof`) only rows whose line end is inside the buffer: a row cut
   * by the buffer's end is not returned. Errors in those rows are still errors.
   */
  head?: { rows: number; eof: boolean };
};

/**
 * Scans rows from byte `offset` (which is line `firstLine` of the file); every row must
 * have exactly `width` cells. Blank lines, and rows whose cells are all empty or blank
 * (whatever their number), are skipped.
 */
export function scanCsv(
  file: string,
  bytes: Buffer,
  offset: number,
  firstLine: number,
  width: number,
  opts: ScanOptions,
): Result<CsvTable> {
  const n = bytes.length;
  const slot = new Int32Array(width).fill(-1);
  const keep = opts.keep.filter((c) => c >= 0 && c < width);
  keep.forEach((c, k) => (slot[c] = k));
  const kept = keep.length;
  // Sized by rows: a row takes at least `width` bytes (its commas and line end), and
  // there are no more rows than line ends; start from that (at most 64k rows, so blank
  // lines cost nothing) and double when a real row needs it.
  let capacity = opts.head?.rows ?? 1;
  if (opts.head === undefined) {
    const cap = Math.min(
      opts.maxRows + 1,
      Math.floor((n - offset) / Math.max(1, width)) + 1,
      1 << 16,
    );
    for (let i = bytes.indexOf(LF, offset); i >= 0 && capacity < cap; i = bytes.indexOf(LF, i + 1))
      capacity++;
  }
  let starts = new Int32Array(capacity * kept);
  let ends = new Int32Array(capacity * kept);
  let escaped = new Uint8Array(capacity * kept);
  let lines = new Int32Array(capacity);
  // The row's kept cells are written straight into the table, at its row.
  const r = new RowCells(0);
  r.slot = slot;
  const place = (): void => {
    r.starts = starts;
    r.ends = ends;
    r.escaped = escaped;
  };
  place();
  let rows = 0;
  let line = firstLine;
  let pos = offset;
  while (pos < n) {
    const b0 = bytes[pos];
    if (b0 === LF) {
      pos++;
      line++;
      continue;
    }
    if (b0 === CR) {
      pos += bytes[pos + 1] === LF ? 2 : 1;
      line++;
      continue;
    }
    if (opts.head && rows === opts.head.rows) break;
    if (rows === capacity) {
      capacity = Math.min(capacity * 2, opts.maxRows + 1);
      starts = grow(starts, capacity * kept);
      ends = grow(ends, capacity * kept);
      escaped = grow(escaped, capacity * kept);
      lines = grow(lines, capacity);
      place();
    }
    const rowLine = line;
    const rowStart = pos;
    r.base = rows * kept;
    const next = scanRow(bytes, pos, r);
    if (opts.head && (next < 0 || (!r.terminated && !opts.head.eof))) break;
    if (next < 0) {
      return err(
        'TRUNCATED',
        `${file}, line ${rowLine}: a quoted cell is never closed: the file was cut short`,
        { file, line: rowLine },
      );
    }
    // The line's bytes without its ending (LF, CRLF or CR), quoted line breaks included.
    if (r.end - rowStart > opts.maxLineBytes) {
      return err(
        'LINE_TOO_LONG',
        `${file}, line ${rowLine} is longer than ${opts.maxLineBytes} bytes (limits.maxLineBytes)`,
        { file, line: rowLine },
      );
    }
    pos = next;
    line += r.breaks + 1;
    if (mayBeBlank(bytes[rowStart]) && isBlankRow(bytes, rowStart, r.end)) continue;
    if (r.count !== width) {
      if (!r.terminated && r.count < width) {
        return err(
          'TRUNCATED',
          `${file}, line ${rowLine} has ${r.count} of ${width} fields and the file ends there: it was cut short`,
          { file, line: rowLine },
        );
      }
      return err(
        'BAD_VALUE',
        `${file}, line ${rowLine} has ${r.count} fields where the header has ${width}`,
        { file, line: rowLine },
      );
    }
    if (rows === opts.maxRows) {
      return err(
        'TOO_MANY_ROWS',
        `${file}, line ${rowLine}: more rows than the limit of ${opts.rowLimit}`,
        { file, line: rowLine },
      );
    }
    lines[rows] = rowLine;
    rows++;
  }
  return ok({ bytes, rows, width, slot, kept, starts, ends, escaped, lines });
}

function grow<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Index of kept cell (row, col); col must be a kept column. */
export const cellIndex = (t: CsvTable, row: number, col: number): number =>
  row * t.kept + t.slot[col]!;

/** Text of cell (row, col). */
export function cellText(t: CsvTable, row: number, col: number): string {
  const i = cellIndex(t, row, col);
  return textAt(t.bytes, t.starts[i]!, t.ends[i]!, t.escaped[i]!);
}
