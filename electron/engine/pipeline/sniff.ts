// The cheap facts of a file from its first bytes (and, for CBOE JSON, its last), read
// with two positioned reads and never the whole file, so the engine can decide a
// priority on arrival, on its own event loop: format, underlying, as_of, spot. Each is
// null where the ends cannot tell; never a guess. The contract: a non-null value is the
// value the full reader returns for the file; the readers share their preamble, header
// and first-row code with this module, and read-chain.ts refuses a file whose ends and
// whole disagree (a JSON key given twice), so the contract holds for every file.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { GexConventions } from '../../../shared/domain.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../../shared/limits.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { Stats } from 'node:fs';
import { cboeLines, nameFromLine2, readHeader, readPreamble } from './cboe-csv-layout.ts';
import { scanCsv, type CsvTable } from './csv-scan.ts';
import { firstLines, lineStart, preambleLines } from './csv-text.ts';
import { detectFormat, HEAD_BYTES } from './detect-format.ts';
import { firstRowFacts, hiddenIn, mapHeader, MAX_UNDERLYING, withClock } from './long-table.ts';
import { readParquetMeta, type ParquetColumn } from './parquet-meta.ts';
import { timestampText } from './parquet-timestamp.ts';
import { numberProblem, rule } from './numbers.ts';
import { parseOcc, underlyingFromHead, underlyingOfRoot, underlyingsFromHead } from './occ.ts';
import { symbolCell } from './read-cboe-csv.ts';
import { csvTable, readLongCsvHeader } from './read-long.ts';
import { jsonValue, readJsonEnds } from './sniff-json.ts';
import { checkSize, checkStat } from './source.ts';
import { readError } from '../read-error.ts';
import { parseTimestamp } from './time.ts';

/** How many last bytes are read (CBOE JSON: current_price and symbol close the file). */
export const TAIL_BYTES = 4 * 1024;

export type ChainSniff = {
  format: ChainFormat;
  underlying: string | null;
  /**
   * Only where `underlying` is null because the first name ends in a digit (it may be an
   * adjusted option's, AAPL1): the underlyings the whole read may give, one of which it
   * will (occ.ts underlyingsFromHead: PO01 → PO01, PO0, PO). Not a guess at it: a later
   * request of another underlying need not wait for this file (intake/memory.ts).
   */
  underlying_one_of?: string[];
  as_of: string | null;
  spot: number | null;
};
type Facts = Omit<ChainSniff, 'format'>;
const NONE: Facts = { underlying: null, as_of: null, spot: null };

/** The underlying a first name gives at arrival, or the ones the whole read may give. */
function fromHead(name: string | null): Pick<Facts, 'underlying' | 'underlying_one_of'> {
  const oneOf = underlyingsFromHead(name);
  return { underlying: underlyingFromHead(name), ...(oneOf ? { underlying_one_of: oneOf } : {}) };
}

/**
 * The cheap facts from a file's `head` (its first min(size, HEAD_BYTES) bytes) and `tail`
 * (its last min(size, TAIL_BYTES) bytes). Errors only for what refuses the file whatever
 * its content: EMPTY_FILE, BINARY_FILE, UNKNOWN_FORMAT, FILE_TOO_LARGE.
 */
export function sniffBytes(
  file: string,
  head: Buffer,
  tail: Buffer,
  size: number,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Result<ChainSniff> {
  const sized = checkSize(file, size, limits);
  if (!sized.ok) return sized;
  const format = detectFormat(file, head, size);
  if (!format.ok) return format;
  const eof = head.length >= size;
  let facts: Facts = NONE;
  try {
    switch (format.value) {
      case 'cboe-csv':
        facts = sniffCboeCsv(file, head, eof, conv, limits);
        break;
      case 'long-csv':
        facts = sniffLongCsv(file, head, eof, conv, limits);
        break;
      case 'cboe-json':
        facts = sniffCboeJson(head, tail, eof, conv);
        break;
      case 'long-parquet':
        facts = sniffParquet(file, tail, size, conv);
        break;
    }
  } catch {
    // A damaged head the shared code did not expect: nothing is known, which is no error.
    facts = NONE;
  }
  return ok({ format: format.value, ...facts });
}

function sniffCboeCsv(
  file: string,
  head: Buffer,
  eof: boolean,
  conv: GexConventions,
  limits: ReadLimits,
): Facts {
  const at = cboeLines(firstLines(head, 4));
  if (at === null) return NONE;
  const lines = preambleLines(file, head, at.header, limits.maxLineBytes);
  // The "Last:" and date lines count only when whole: the header starts inside the head.
  const headerStart = lineStart(head, at.header);
  if (!lines.ok || (headerStart < 0 && !eof)) return NONE;
  const pre = readPreamble(file, lines.value, at, conv);
  const facts: Facts = pre.ok
    ? { underlying: null, as_of: pre.value.as_of, spot: pre.value.spot }
    : { ...NONE };
  if (headerStart < 0) return facts;
  const header = readHeader(file, head, headerStart, at.header, limits);
  if (!header.ok || !(header.value.complete || eof)) return facts;
  const h = header.value;
  if (h.calls < 0 && h.puts < 0)
    return { ...facts, underlying: nameFromLine2(lines.value[at.last - 1] ?? '') };
  const bodyStart = lineStart(head, at.body);
  if (bodyStart < 0) return facts;
  const t = firstRow(file, head, eof, bodyStart, at.body, h.width, [h.calls, h.puts], limits);
  if (!t) return facts;
  // The first cell that can hold a symbol decides, as in the reader (a line's call, then its put).
  for (let k = 0; k < t.kept; k++) {
    const cell = symbolCell(t.bytes, t.starts[k]!, t.ends[k]!, t.escaped[k]!);
    if (cell) return { ...facts, ...fromHead(cell.underlying) };
  }
  return facts;
}

function sniffLongCsv(
  file: string,
  head: Buffer,
  eof: boolean,
  conv: GexConventions,
  limits: ReadLimits,
): Facts {
  const header = readLongCsvHeader(file, head, limits);
  if (!header.ok || !(header.value.complete || eof)) return NONE;
  const h = header.value;
  const keep = [h.idx.underlying!, h.idx.as_of!, h.idx.spot!];
  const t = firstRow(file, head, eof, h.bodyStart, h.bodyLine, h.width, keep, limits);
  if (!t) return NONE;
  const first = firstRowFacts(csvTable(file, t), h.idx, conv);
  // An underlying ending in a digit may be an adjusted option's (AAPL1) whose stock's rows
  // come later: the whole read decides it, as for the CBOE files' symbols.
  return first.ok ? { ...first.value, ...fromHead(first.value.underlying) } : NONE;
}

/** The first data row, whole inside the head (the scanner the reader uses), or null. */
function firstRow(
  file: string,
  head: Buffer,
  eof: boolean,
  start: number,
  line: number,
  width: number,
  keep: number[],
  limits: ReadLimits,
): CsvTable | null {
  const rows = scanCsv(file, head, start, line, width, {
    keep: keep.filter((c) => c >= 0),
    maxRows: 1,
    rowLimit: '',
    maxLineBytes: limits.maxLineBytes,
    head: { rows: 1, eof },
  });
  return rows.ok && rows.value.rows > 0 ? rows.value : null;
}

function sniffCboeJson(head: Buffer, tail: Buffer, eof: boolean, conv: GexConventions): Facts {
  const ends = readJsonEnds(head, tail, eof);
  const timestamp = jsonValue(ends.root.get('timestamp') ?? '');
  const asOf =
    typeof timestamp === 'string' ? parseTimestamp(timestamp, conv.exchange_time_zone) : null;
  const price = jsonValue(ends.data.get('current_price') ?? '');
  const spot =
    typeof price === 'number' && price > 0 && numberProblem(price, rule('spot', true)) === null
      ? price
      : null;
  const first = ends.firstOption as { option?: unknown } | undefined;
  const occ =
    first && typeof first === 'object' && typeof first.option === 'string'
      ? parseOcc(first.option)
      : null;
  return {
    ...fromHead(occ ? underlyingOfRoot(occ.root) : null),
    as_of: asOf,
    spot,
  };
}

/**
 * Parquet: from the footer's statistics, when they say a column holds one value in every
 * row group (what the reader then finds in every row, the first included); a timestamp
 * as_of written in the zone of its column, as the reader writes it (parquet-timestamp.ts).
 */
function sniffParquet(file: string, tail: Buffer, size: number, conv: GexConventions): Facts {
  const meta = readParquetMeta(file, tail, size);
  if (!meta.ok) return NONE;
  const columns = meta.value.columns;
  const header = mapHeader(
    file,
    columns.map((c) => c.name),
    undefined,
  );
  if (!header.ok) return NONE;
  const column = (key: 'underlying' | 'as_of' | 'spot'): ParquetColumn =>
    columns[header.value[key]!]!;
  // Text as the reader gets it: Polars' string, " UTC" read as Z.
  const text = (c: ParquetColumn): string | null =>
    c.constant && c.physical === 6 && c.utf8
      ? Buffer.from(c.constant).toString('utf8').replace(/ UTC$/, 'Z')
      : null;
  const u = underlyingOfRoot(text(column('underlying')) ?? ''); // as firstRowFacts reads it
  // A timestamp as_of: its instant from the statistics, its text in its column's zone
  // (Arrow's schema, else Parquet's own) as the reader writes it; a date-only column's
  // (asOfClock) is not one.
  const asOf = column('as_of');
  const a =
    asOf.timestamp && asOf.constant
      ? header.value.asOfClock
        ? null
        : timestampText(asOf.constant, asOf.timestamp, conv.exchange_time_zone)
      : text(asOf);
  const s = column('spot');
  const spot =
    s.constant && s.physical === 5 && s.constant.length === 8
      ? Buffer.from(s.constant).readDoubleLE(0)
      : NaN;
  return {
    underlying: u !== '' && u.length <= MAX_UNDERLYING && !hiddenIn(u) ? u : null,
    as_of: a === null ? null : parseTimestamp(withClock(a, header.value), conv.exchange_time_zone),
    spot: numberProblem(spot, rule('spot', true)) === null ? spot : null,
  };
}

/** The first and last bytes of an open file of `size` bytes. */
function endsOf(
  size: number,
  read: (buf: Buffer, at: number) => number,
): { head: Buffer; tail: Buffer } {
  const head = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
  const h = read(head, 0);
  if (size <= HEAD_BYTES) return { head: head.subarray(0, h), tail: head.subarray(0, h) };
  const tail = Buffer.allocUnsafe(Math.min(size, TAIL_BYTES));
  const t = read(tail, size - tail.length);
  return { head: head.subarray(0, h), tail: tail.subarray(0, t) };
}

/** sniffBytes over an open file descriptor (positioned reads; the caller closes it). */
export function sniffFd(
  file: string,
  fd: number,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Result<ChainSniff> {
  const size = checkStat(file, () => fstatSync(fd), limits);
  if (!size.ok) return size;
  const { head, tail } = endsOf(size.value, (buf, at) => readSync(fd, buf, 0, buf.length, at));
  return sniffBytes(file, head, tail, size.value, conv, limits);
}

/** sniffChain, synchronously: about ten microseconds of system calls for a local file. */
export function sniffChainSync(
  file: string,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Result<ChainSniff> {
  // stat first: opening a FIFO would block.
  const size = checkStat(file, () => statSync(file), limits);
  if (!size.ok) return size;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return readError(file, e);
  }
  try {
    return sniffFd(file, fd, conv, limits);
  } catch (e) {
    return readError(file, e);
  } finally {
    closeSync(fd);
  }
}

/** The cheap facts of `file` (see sniffBytes), with non-blocking file system calls. */
export async function sniffChain(
  file: string,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<Result<ChainSniff>> {
  let st: Stats | Error;
  try {
    st = await stat(file);
  } catch (e) {
    st = e as Error;
  }
  const size = checkStat(
    file,
    () => {
      if (st instanceof Error) throw st;
      return st;
    },
    limits,
  );
  if (!size.ok) return size;
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    return readError(file, e);
  }
  try {
    const n = size.value;
    const head = Buffer.allocUnsafe(Math.min(n, HEAD_BYTES));
    const h = (await handle.read(head, 0, head.length, 0)).bytesRead;
    let tail = head.subarray(0, h);
    if (n > HEAD_BYTES) {
      const buf = Buffer.allocUnsafe(Math.min(n, TAIL_BYTES));
      tail = buf.subarray(0, (await handle.read(buf, 0, buf.length, n - buf.length)).bytesRead);
    }
    return sniffBytes(file, head.subarray(0, h), tail, n, conv, limits);
  } catch (e) {
    return readError(file, e);
  } finally {
    await handle.close();
  }
}
