// Opens an input file and classifies it before any parsing: missing, not a file, empty,
// binary, or which chain format its CONTENT is (never the extension). Also hashes the
// bytes, the content hash being what makes an ingest idempotent. The file system calls are
// synchronous: the pipeline runs in a worker process, one task at a time, and for a small
// file the async stat + readFile round trips through libuv's thread pool were most of the
// read stage. stat comes first so a FIFO or device is refused before it could block a read.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import { firstLines } from './csv-text.ts';

export type SourceFile = {
  file: string;
  bytes: Buffer;
  format: ChainFormat;
  content_hash: string;
};

const PARQUET_MAGIC = Buffer.from('PAR1');

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads `file` and recognises its format by content. */
export async function openSource(file: string): Promise<Result<SourceFile>> {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return err('NOT_A_FILE', `${file} is not a file (a directory or a device)`, { file });
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return err('FILE_NOT_FOUND', `${file} does not exist`, { file });
    return err('IO', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  if (size === 0) return err('EMPTY_FILE', `${file} is empty`, { file });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return err('IO', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  const detected = detectFormat(file, bytes);
  if (!detected.ok) return detected;
  return ok({ file, bytes, format: detected.value, content_hash: sha256(bytes) });
}

/** Format by content: Parquet magic, a JSON object, or one of the two CSV layouts. */
export function detectFormat(file: string, bytes: Buffer): Result<ChainFormat> {
  if (bytes.length >= 4 && bytes.subarray(0, 4).equals(PARQUET_MAGIC)) return ok('long-parquet');
  const head = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (head.includes(0)) return err('BINARY_FILE', `${file} is a binary file, not an option chain`, { file });
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  while (start < head.length && (head[start] === 0x20 || head[start] === 0x09 || head[start] === 0x0d || head[start] === 0x0a)) start++;
  if (start >= bytes.length) return err('EMPTY_FILE', `${file} holds only blank space`, { file });
  if (head[start] === 0x7b /* { */ || head[start] === 0x5b /* [ */) return ok('cboe-json');
  if (!isMostlyText(head)) return err('BINARY_FILE', `${file} is a binary file, not an option chain`, { file });
  const lines = firstLines(bytes, 4);
  if (lines.length >= 2 && /(^|,)\s*"?Last:/i.test(lines[1] ?? '') ) return ok('cboe-csv');
  const firstNonBlank = lines.find((l) => l.trim() !== '') ?? '';
  const header = firstNonBlank.toLowerCase();
  if (/(^|,)\s*"?strike"?\s*(,|$)/.test(header) && /(^|,)\s*"?underlying"?\s*(,|$)/.test(header)) return ok('long-csv');
  return err('UNKNOWN_FORMAT', `${file} is not a format GEX Desk reads (CBOE CSV or JSON, or the long format in CSV or Parquet; see docs/formats.md)`, { file, line: 1 });
}

/** Control bytes other than tab/CR/LF/FF in more than 1% of the head mean binary. */
function isMostlyText(head: Buffer): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= head.length / 100;
}
