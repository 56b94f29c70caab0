// Small text helpers for the few lines read before the body of a CSV file: the preamble
// and the header.
const BOM = '\uFEFF';

/** The first `n` lines as strings (BOM and CR removed). */
export function firstLines(bytes: Buffer, n: number): string[] {
  const out: string[] = [];
  let pos = 0;
  while (out.length < n && pos <= bytes.length) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length;
    let line = bytes.toString('utf8', pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (out.length === 0 && line.startsWith(BOM)) line = line.slice(1);
    out.push(line);
    if (end >= bytes.length) break;
    pos = end + 1;
  }
  return out;
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

/** Splits one CSV line into cells, honouring double quotes ("a,b" and "" escapes). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
