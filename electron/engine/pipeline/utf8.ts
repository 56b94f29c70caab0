// Text chains are read as UTF-8. A file saved as Latin-1 or Windows-1252 ("ANSI", as some
// spreadsheets and older tools save CSV) holds bytes that are not UTF-8, which decoding
// would silently turn into U+FFFD: an underlying "DAX\uFFFD", a cell "�" that is "not a
// number". Such a file is refused instead, naming the line and what to save it as. The
// check is Node's native validator over bytes already in memory (isUtf8: about 0.1 ms
// for a 1.5 MB chain); the slow scan that finds the first bad byte runs only when it fails.
import { isUtf8 } from 'node:buffer';
import { err, type Err } from '../../../shared/result.ts';

/**
 * The offset of the first byte of `bytes` that does not begin (or continue) a valid UTF-8
 * sequence, or -1 when they are all UTF-8. With `cut`, the bytes are a file's head: a
 * sequence cut by their end is not an error.
 */
export function firstInvalidUtf8(bytes: Uint8Array, cut = false): number {
  if (isUtf8(bytes)) return -1;
  const n = bytes.length;
  for (let i = 0; i < n;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Sequence length and the range of its second byte (no overlongs, no surrogates).
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) return cut ? -1 : i;
      const c = bytes[i + k]!;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += len;
  }
  return -1;
}

/** The 1-based line of byte `offset` (lines ending at LF, CRLF or CR). */
export function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/**
 * BINARY_FILE for `bytes` (a whole file, or its head with `cut`) when they are not UTF-8,
 * naming the line and what to save the file as (`json`: a JSON chain); else null.
 */
export function notUtf8(file: string, bytes: Uint8Array, json: boolean, cut = false): Err | null {
  const at = firstInvalidUtf8(bytes, cut);
  if (at < 0) return null;
  const line = lineOfOffset(bytes, at);
  const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
  return err(
    'BINARY_FILE',
    `${file}, line ${line} is not UTF-8 text (byte 0x${byte}): the file is perhaps Latin-1 or Windows-1252 ("ANSI"), as some spreadsheets save it; GEX Desk reads UTF-8: ${
      json ? 'save it with the encoding UTF-8' : 'save it as "CSV UTF-8"'
    }`,
    { file, line },
  );
}
