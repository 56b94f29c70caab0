// Small text helpers for the few lines read before the body of a CSV file: the preamble
// and the header (cells are split by the one tokenizer, csv-scan.ts). A line ends at LF,
// CRLF or a lone CR (old Mac and some exporters), as the tokenizer's rows do.
import { err, ok, type Result } from '../../../shared/result.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Where the line starting at `pos` ends (its LF or CR, or the end of the bytes). */
function lineEnd(buf: Buffer, pos: number): number {
  // Native searches: the next LF, then a CR before it (CRLF, or a file of CRs only).
  let lf = buf.indexOf(LF, pos);
  if (lf < 0) lf = buf.length;
  const cr = buf.subarray(pos, lf).indexOf(CR);
  return cr < 0 ? lf : pos + cr;
}

/** Where the line after the one ending at `end` starts (past LF, CRLF or CR). */
const nextLine = (buf: Buffer, end: number): number =>
  end + (buf[end] === CR && buf[end + 1] === LF ? 2 : 1);

/** The first `n` lines as strings (BOM and line ends removed), each cut at `maxBytes` bytes. */
export function firstLines(bytes: Buffer, n: number, maxBytes = Infinity): string[] {
  return linesOf(bytes, n, maxBytes).lines;
}

/**
 * Lines cut at `limit` bytes, and the first (1-based) longer than that, or 0. A line is
 * measured without its ending (LF, CRLF or CR) and, the first, without the file's BOM.
 */
function linesOf(bytes: Buffer, n: number, limit: number): { lines: string[]; longLine: number } {
  const buf = bytes;
  const lines: string[] = [];
  let longLine = 0;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (lines.length < n && pos <= buf.length) {
    const end = lineEnd(buf, pos);
    if (end - pos > limit && longLine === 0) longLine = lines.length + 1;
    lines.push(buf.toString('utf8', pos, Math.min(end, pos + limit)));
    if (end >= buf.length) break;
    pos = nextLine(buf, end);
  }
  return { lines, longLine };
}

/** The first `n` lines, or LINE_TOO_LONG naming the first one longer than `maxLineBytes`. */
export function preambleLines(
  file: string,
  bytes: Buffer,
  n: number,
  maxLineBytes: number,
): Result<string[]> {
  const { lines, longLine } = linesOf(bytes, n, maxLineBytes);
  if (longLine > 0) {
    return err(
      'LINE_TOO_LONG',
      `${file}, line ${longLine} is longer than ${maxLineBytes} bytes (limits.maxLineBytes)`,
      { file, line: longLine },
    );
  }
  return ok(lines);
}

/** Byte offset where line `n` (1-based) starts, or -1 when the file has fewer lines. */
export function lineStart(bytes: Buffer, n: number): number {
  let pos = 0;
  for (let i = 1; i < n; i++) {
    const end = lineEnd(bytes, pos);
    if (end >= bytes.length) return -1;
    pos = nextLine(bytes, end);
  }
  return pos;
}
