// Which chain format a file is, from its first bytes only (the same bytes whether the
// whole file was read or only its head, so sniff and the readers always agree): Parquet
// magic, a JSON object, one of the two CSV layouts; or why it is none: empty, binary,
// compressed, UTF-16 or UTF-32, not UTF-8 (Latin-1), unknown text. Never the extension.
import { err, ok, type Result } from '../../../shared/result.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import {
  cboeLines,
  cboeLinesAfter,
  isBlankLine,
  isCboeHeaderLine,
  lineWithLast,
} from './cboe-csv-layout.ts';
import { splitCsvLine } from './csv-scan.ts';
import { quoted } from '../../../shared/visible.ts';
import { firstLines } from './csv-text.ts';
import { excelSepHint, separatorName } from './excel-sep.ts';
import { notUtf8 } from './utf8.ts';
import { isLongHeader } from './long-table.ts';

/** How many first bytes decide the format (and that sniff reads). */
export const HEAD_BYTES = 64 * 1024;

const starts = (head: Uint8Array, magic: number[]): boolean => magic.every((b, i) => head[i] === b);

/** Compressed and archive formats an analyst might drop by mistake. */
const PACKED: [number[], string][] = [
  [[0x1f, 0x8b], 'gzip-compressed'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed'],
];

/**
 * A spreadsheet an analyst saved instead of its CSV: an Excel workbook (xlsx: a zip whose
 * entries are [Content_Types].xml and xl/…; xls: an OLE2 compound file), an OpenDocument
 * one (a zip whose first entry, "mimetype", names it); else null. A zip's entry names are
 * in its local headers, in the first bytes.
 */
function spreadsheet(head: Buffer): string | null {
  if (starts(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return 'an Excel workbook (xls) or another Office file';
  if (!starts(head, [0x50, 0x4b, 0x03, 0x04])) return null;
  const text = head.toString('latin1');
  if (text.includes('application/vnd.oasis.opendocument.spreadsheet'))
    return 'an OpenDocument spreadsheet (ods)';
  if (text.includes('[Content_Types].xml') && text.includes('xl/'))
    return 'an Excel workbook (xlsx)';
  return null;
}

/**
 * Format by content from `head` (the file's first HEAD_BYTES, or all of it when shorter)
 * of a file of `size` bytes.
 */
export function detectFormat(file: string, head: Buffer, size: number): Result<ChainFormat> {
  if (starts(head, [0x50, 0x41, 0x52, 0x31])) return ok('long-parquet');
  const workbook = spreadsheet(head);
  if (workbook)
    return err(
      'BINARY_FILE',
      `${file} is ${workbook}, not an option chain: save the sheet as "CSV UTF-8" and submit that`,
      { file },
    );
  for (const [magic, what] of PACKED) {
    if (starts(head, magic))
      return err('BINARY_FILE', `${file} is ${what}, not an option chain: unpack it first`, {
        file,
      });
  }
  const wide = wideEncoding(head);
  if (wide) {
    // What to save it as: a JSON chain in an editor, a CSV one from the spreadsheet.
    const json = firstChar(head, wide) === '{' || firstChar(head, wide) === '[';
    return err(
      'BINARY_FILE',
      json
        ? `${file} is ${wide.name} JSON; GEX Desk reads UTF-8 (save it with the encoding UTF-8)`
        : `${file} is ${wide.name} text; GEX Desk reads UTF-8 (save it as "CSV UTF-8")`,
      { file },
    );
  }
  const sample = head.subarray(0, Math.min(head.length, 8192));
  if (sample.includes(0))
    return err('BINARY_FILE', `${file} is a binary file, not an option chain`, { file });
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  while (
    start < head.length &&
    (head[start] === 0x20 || head[start] === 0x09 || head[start] === 0x0d || head[start] === 0x0a)
  )
    start++;
  if (start >= head.length) {
    if (head.length >= size) return err('EMPTY_FILE', `${file} holds only blank space`, { file });
    return err(
      'UNKNOWN_FORMAT',
      `${file} starts with more than ${HEAD_BYTES} bytes of blank space`,
      { file, line: 1 },
    );
  }
  // Text in another encoding than UTF-8 (Latin-1, Windows-1252): refused with the line,
  // never decoded into U+FFFD (a head's last sequence may be cut by its end).
  const cut = head.length < size;
  if (head[start] === 0x7b /* { */ || head[start] === 0x5b /* [ */)
    return notUtf8(file, head, true, cut) ?? ok('cboe-json');
  if (!isMostlyText(sample))
    return err('BINARY_FILE', `${file} is a binary file, not an option chain`, { file });
  const encoding = notUtf8(file, head, false, cut);
  if (encoding) return encoding;
  // A page saved from the browser instead of the file its Download button gives.
  if (/^<(!doctype html|html)[\s>]/i.test(head.toString('latin1', start, start + 32)))
    return err(
      'UNKNOWN_FORMAT',
      `${file} is a web page (HTML), not an option chain: download the chain with the page's "Download CSV" (CBOE) or export it as CSV`,
      { file, line: 1 },
    );
  const lines = firstLines(head, 4);
  if (cboeLines(lines)) return ok('cboe-csv');
  const firstAt = lines.findIndex((l) => !isBlankLine(l));
  // Excel's `sep=,` above the header is skipped (excel-sep.ts); one naming another
  // separator than the header's is refused, at its line.
  const hint = excelSepHint(lines[firstAt] ?? '');
  const headerAt =
    hint === null ? firstAt : lines.findIndex((l, i) => i > firstAt && !isBlankLine(l));
  const header = lines[headerAt] ?? '';
  const commas = isLongHeader(splitCsvLine(header));
  if (commas && (hint === null || hint === ',')) return ok('long-csv');
  // A CBOE download below a hint naming another separator than its commas (cboeLines
  // skips only `sep=,`).
  if (hint !== null && hint !== ',' && cboeLinesAfter(lines, firstAt + 1))
    return err(
      'UNKNOWN_FORMAT',
      `${file}: line ${firstAt + 1}, ${quoted(lines[firstAt]!.trim())}, is Excel's hint that the columns are separated by ${separatorName(hint)}, but this CBOE quote download separates them by commas: delete line ${firstAt + 1} (see docs/formats.md)`,
      { file, line: firstAt + 1 },
    );
  if (hint !== null) {
    const used = commas
      ? ','
      : OTHER_SEPARATORS.find(([sep]) => isLongHeader(header.split(sep)))?.[0];
    if (used !== undefined && used !== hint)
      return err(
        'UNKNOWN_FORMAT',
        `${file}: line ${firstAt + 1}, ${quoted(lines[firstAt]!.trim())}, is Excel's hint that the columns are separated by ${separatorName(hint)}, but the header on line ${headerAt + 1} separates them by ${separatorName(used)}: delete line ${firstAt + 1} (see docs/formats.md)`,
        { file, line: firstAt + 1 },
      );
  }
  // Vendor exports in some locales use another separator, and so does a CBOE download
  // re-saved by a spreadsheet there; their decimal commas would be misread as thousands
  // separators, so they are refused with what to do instead.
  const cboeSepAt = lines.findIndex((l) => /[;\t|]\s*"?Last:/i.test(l));
  const cboeSep = /([;\t|])\s*"?Last:/i.exec(lines[cboeSepAt] ?? '')?.[1];
  const cboeWhat = OTHER_SEPARATORS.find(([sep]) => sep === cboeSep)?.[1];
  if (cboeWhat)
    return err(
      'UNKNOWN_FORMAT',
      `${file} looks like a CBOE quote download with its columns separated by ${cboeWhat}; GEX Desk reads them separated by commas, with a decimal point: submit the file as CBOE's "Download CSV" gives it, or export it as "CSV (comma delimited)" (see docs/formats.md)`,
      { file, line: cboeSepAt + 1 },
    );
  // A download whose first lines were edited: say so, and what the reader needs.
  const lastAt = lineWithLast(lines);
  if (lastAt > 0)
    return err(
      'UNKNOWN_FORMAT',
      `${file} looks like a CBOE quote download, but its "Last:" line is line ${lastAt} after other text; the download has it on line 2, after an empty line: submit the file as CBOE's "Download CSV" gives it (see docs/formats.md)`,
      { file, line: lastAt },
    );
  const oldCboeAt = lines.findIndex(isOldCboeHeader);
  if (oldCboeAt >= 0)
    return err(
      'UNKNOWN_FORMAT',
      `${file} is an older CBOE quote download layout (quotedata.dat, used until about 2019: a "Calls,Last Sale,Net,…,Puts,…" header on line ${oldCboeAt + 1}, each contract written as "18 Apr 2100.00 (SPX1820D2100)"), which GEX Desk does not read; download the current CSV from CBOE's delayed quotes page (its "Download CSV" button; see docs/formats.md)`,
      { file, line: oldCboeAt + 1 },
    );
  const cboeHeaderAt = lines.findIndex(isCboeHeaderLine);
  if (cboeHeaderAt >= 0)
    return err(
      'UNKNOWN_FORMAT',
      `${file} looks like a CBOE quote download without its first lines: line ${cboeHeaderAt + 1} is its header, but the name and "Last:" price line and the "Date:" line above it, which give the spot and the time, are missing: submit the file as CBOE's "Download CSV" gives it (see docs/formats.md)`,
      { file, line: cboeHeaderAt + 1 },
    );
  for (const [sep, what] of OTHER_SEPARATORS) {
    if (isLongHeader(header.split(sep)))
      return err(
        'UNKNOWN_FORMAT',
        `${file} looks like the long format with its columns separated by ${what}; GEX Desk reads them separated by commas, with a decimal point: export it as "CSV (comma delimited)" (see docs/formats.md)`,
        { file, line: Math.max(headerAt, 0) + 1 },
      );
  }
  return err(
    'UNKNOWN_FORMAT',
    `${file} is not a format GEX Desk reads (CBOE CSV or JSON, or the long format in CSV or Parquet; see docs/formats.md)`,
    { file, line: 1 },
  );
}

/**
 * The header of CBOE's older quote download (quotedata.dat, until about 2019), on its line
 * 3: `Calls,Last Sale,Net,Bid,Ask,Vol,Open Int,…,Puts,Last Sale,…` — no expiry or strike
 * column (both are in each contract's cell, `18 Apr 2100.00 (SPX1820D2100)`).
 */
function isOldCboeHeader(line: string): boolean {
  const cells = splitCsvLine(line).map((c) => c.trim().toLowerCase());
  return (
    cells[0] === 'calls' &&
    cells[1] === 'last sale' &&
    cells.includes('puts') &&
    cells.includes('open int')
  );
}

const OTHER_SEPARATORS: [string, string][] = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'vertical bars'],
];

/** Text in UTF-16 or UTF-32: its name, bytes per code unit and byte order. */
type Wide = { name: string; unit: 2 | 4; le: boolean };

/**
 * UTF-32 or UTF-16, by its BOM (UTF-32's first: its little-endian BOM, FF FE 00 00, begins
 * with UTF-16's) or, without one, by where ASCII text's NUL bytes fall: three of every four
 * bytes (UTF-32), one of every two (UTF-16). Null for anything else.
 */
function wideEncoding(head: Uint8Array): Wide | null {
  if (starts(head, [0xff, 0xfe, 0x00, 0x00])) return { name: 'UTF-32 LE', unit: 4, le: true };
  if (starts(head, [0x00, 0x00, 0xfe, 0xff])) return { name: 'UTF-32 BE', unit: 4, le: false };
  if (starts(head, [0xff, 0xfe])) return { name: 'UTF-16 LE', unit: 2, le: true };
  if (starts(head, [0xfe, 0xff])) return { name: 'UTF-16 BE', unit: 2, le: false };
  for (const unit of [4, 2] as const) {
    const n = Math.min(head.length, 512) & ~(unit - 1);
    if (n < 4 * unit) continue;
    // NULs counted at each position within a code unit.
    const nul = new Array<number>(unit).fill(0);
    for (let i = 0; i < n; i++) if (head[i] === 0) nul[i % unit]!++;
    const units = n / unit;
    const all = (k: number) => nul[k]! > units * 0.9;
    // ASCII in the low byte: NUL in every other byte of the unit, almost always.
    const high = (le: boolean) =>
      nul.every((c, k) => (k === (le ? 0 : unit - 1) ? c === 0 : all(k)));
    if (high(true)) return { name: `UTF-${unit * 8} LE`, unit, le: true };
    if (high(false)) return { name: `UTF-${unit * 8} BE`, unit, le: false };
  }
  return null;
}

/** The first character of `head` in `enc` that is not a BOM or blank space, if ASCII; else ''. */
function firstChar(head: Uint8Array, enc: Wide): string {
  for (let i = 0; i + enc.unit <= head.length; i += enc.unit) {
    let code = 0;
    for (let k = 0; k < enc.unit; k++)
      code = code * 256 + head[enc.le ? i + enc.unit - 1 - k : i + k]!;
    if (code === 0xfeff || code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a)
      continue;
    return code < 0x80 ? String.fromCharCode(code) : '';
  }
  return '';
}

/** Control bytes other than tab/CR/LF/FF in more than 1% of the head mean binary. */
function isMostlyText(head: Uint8Array): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= head.length / 100;
}
