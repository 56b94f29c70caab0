// Small text helpers for the few lines read before the body of a CSV file: the preamble
// and the header (cells are split by the one tokenizer, csv-scan.ts).
import { err, ok, type Result } from '../../../shared/result.ts';

/** The first `n` lines as strings (BOM and CR removed), each cut at `maxBytes` bytes. */
export function firstLines(bytes: Buffer, n: number, maxBytes = Infinity): string[] {
  return linesOf(bytes, n, maxBytes).lines;
}

/**
 * Lines cut at `limit` bytes, and the first (1-based) longer than that, or 0. A line is
 * measured without its ending (LF or CRLF) and, the first, without the file's BOM.
 */
function linesOf(bytes: Buffer, n: number, limit: number): { lines: string[]; longLine: number } {
  const buf = bytes;
  const lines: string[] = [];
  let longLine = 0;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (lines.length < n && pos <= buf.length) {
    let end = buf.indexOf(0x0a, pos);
    if (end < 0) end = buf.length;
    const stop = end > pos && buf[end - 1] === 0x0d ? end - 1 : end;
    if (stop - pos > limit && longLine === 0) longLine = lines.length + 1;
    const line = buf.toString('utf8', pos, Math.min(stop, pos + limit));
    lines.push(line);
    if (end >= buf.length) break;
    pos = end + 1;
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
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return pos;
}
