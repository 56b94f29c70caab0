// Opens an input file and classifies it before any parsing: missing, not a file, empty,
// too large (from stat, before a byte is read), binary, or which chain format its
// CONTENT is (detect-format.ts). Also hashes the bytes, the content hash being what makes
// an ingest idempotent. The file system calls are synchronous: the pipeline runs in a
// worker process, one task at a time, and for a small file the async stat + readFile
// round trips through libuv's thread pool were most of the read stage. stat comes first
// so a FIFO or device is refused before it could block a read.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../../shared/limits.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { detectFormat, HEAD_BYTES } from './detect-format.ts';
import { notUtf8 } from './utf8.ts';
import { CHAIN_FOLDER_HINT, notAFile, readError } from '../read-error.ts';

export type SourceFile = {
  file: string;
  bytes: Buffer;
  format: ChainFormat;
  content_hash: string;
};

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** What stat says about `file` that refuses it: missing, not a file, empty, too large; or its size. */
export function checkStat(file: string, stat: () => Stats, limits: ReadLimits): Result<number> {
  let st: Stats;
  try {
    st = stat();
  } catch (e) {
    return readError(file, e);
  }
  if (!st.isFile()) return notAFile(file, st.isDirectory(), CHAIN_FOLDER_HINT);
  return checkSize(file, st.size, limits);
}

export function checkSize(file: string, size: number, limits: ReadLimits): Result<number> {
  if (size === 0) return err('EMPTY_FILE', `${file} is empty`, { file });
  if (size > limits.maxFileBytes) {
    return err(
      'FILE_TOO_LARGE',
      `${file} is ${size} bytes, more than the limit of ${limits.maxFileBytes} (limits.maxFileBytes)`,
      { file },
    );
  }
  return ok(size);
}

/**
 * Reads `path` and recognises its format by content. `name` is the file as the analyst
 * knows it, which every message names: a job reads the staged copy of what was submitted.
 */
export async function openSource(
  path: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  name = path,
): Promise<Result<SourceFile>> {
  // What stat or a read refuses is about the bytes at `path`: say which copy that is.
  const at = path === name ? path : `the staged copy of ${name} (${path})`;
  const size = checkStat(at, () => statSync(path), limits);
  if (!size.ok) return { ok: false, error: { ...size.error, file: name } };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return err('IO', `cannot read ${at}: ${(e as Error).message}`, { file: name });
  }
  // The file may have changed since stat.
  const read = checkSize(name, bytes.length, limits);
  if (!read.ok) return read;
  return sourceOf(name, bytes);
}

/**
 * A file's bytes already in memory, recognised; a text chain only when all of it is UTF-8
 * (detectFormat checked its head).
 */
export function sourceOf(file: string, bytes: Buffer): Result<SourceFile> {
  const detected = detectFormat(file, bytes.subarray(0, HEAD_BYTES), bytes.length);
  if (!detected.ok) return detected;
  const format = detected.value;
  if (format !== 'long-parquet') {
    const encoding = notUtf8(file, bytes, format === 'cboe-json');
    if (encoding) return encoding;
  }
  return ok({ file, bytes, format, content_hash: sha256(bytes) });
}
