// Reader for the long format in Parquet (docs/formats.md). The footer is checked first
// (parquet-meta.ts: rows, columns, decompressed size against the limits), then Polars
// decodes only the columns the format uses, and long-table.ts applies the same rules as
// to the CSV form, naming the 1-based row and the field of a bad value.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, type Err, type Result } from '../../../shared/result.ts';
import { quoted, type Chain } from './chain.ts';
import { mapHeader, readTable, usedColumns, type LongHeader, type Table } from './long-table.ts';
import { EMPTY, ivNumberText, numberProblem, parseNumberText, TOO_BIG } from './numbers.ts';
import { polars, type Polars } from '../native-modules.ts';
import { readParquetMeta } from './parquet-meta.ts';
import { UTC_ZONE } from './parquet-timestamp.ts';
import type { SourceFile } from './source.ts';

/** Longest text cell accepted in a column the reader turns into strings. */
const MAX_TEXT = 256;

export function readLongParquet(
  src: SourceFile,
  conv: GexConventions,
  limits: ReadLimits,
): Result<Chain> {
  const { file, bytes } = src;
  const meta = readParquetMeta(file, bytes);
  if (!meta.ok) return meta;
  const m = meta.value;
  if (m.columns.length > limits.maxColumns) {
    return err(
      'TOO_MANY_COLUMNS',
      `${file}: the Parquet schema has ${m.columns.length} columns, more than the limit of ${limits.maxColumns} (limits.maxColumns)`,
      { file },
    );
  }
  const tooManyRows = (rows: number): Err =>
    err(
      'TOO_MANY_ROWS',
      `${file}: the Parquet file holds ${rows} rows, more than the limit of ${limits.maxRows} contracts (limits.maxRows)`,
      { file },
    );
  // From the footer, before decoding; and again from what Polars decoded.
  if (m.rows > limits.maxRows) return tooManyRows(m.rows);
  const names = m.columns.map((c) => c.name);
  const header = mapHeader(file, names, undefined);
  if (!header.ok) return header;
  const idx: LongHeader = header.value;
  const used = usedColumns(idx);
  // Only the columns read must be flat: a vendor's extra `greeks` struct or `tags` list is
  // ignored, as any extra column is.
  const nested = used.find((i) => m.columns[i]!.nested);
  if (nested !== undefined)
    return err(
      'BAD_SHAPE',
      `${file}: the Parquet column ${quoted(names[nested]!)} is nested (a struct, list or map); the long format reads one flat value a field: write it as a plain column (a number or text)`,
      { file, field: names[nested]! },
    );
  const size = used.reduce((n, i) => n + m.columns[i]!.uncompressed, 0);
  if (size > limits.maxFileBytes) {
    return err(
      'FILE_TOO_LARGE',
      `${file}: its columns decompress to ${size} bytes, more than the limit of ${limits.maxFileBytes} (limits.maxFileBytes)`,
      { file },
    );
  }
  let df: ReturnType<Polars['readParquet']>;
  try {
    df = polars().readParquet(bytes, { columns: used.map((i) => names[i]!) });
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    // Text that is not UTF-8 (Parquet's text is): which column, found reading each alone.
    if (/invalid utf-?8/i.test(message)) {
      const col = used.find((i) => {
        try {
          polars().readParquet(bytes, { columns: [names[i]!] });
          return false;
        } catch {
          return true;
        }
      });
      if (col !== undefined)
        return err(
          'BAD_SHAPE',
          `${file}: the Parquet column ${quoted(names[col]!)} holds text that is not UTF-8 (perhaps Latin-1 or Windows-1252); Parquet's text is UTF-8: write the column from text decoded with its encoding`,
          { file, field: names[col]! },
        );
    }
    return err('BAD_SHAPE', `${file}: not a readable Parquet file (${quoted(message)})`, {
      file,
    });
  }
  if (df.height > limits.maxRows) return tooManyRows(df.height);
  return readTable(
    file,
    'long-parquet',
    parquetTable(file, df, names, idx, conv.exchange_time_zone),
    idx,
    conv,
  );
}

type Frame = ReturnType<Polars['readParquet']>;
type Column = ReturnType<Frame['getColumn']>;

/** A timestamp column's zone (its Arrow name: `UTC`, `America/New_York`); null when naive. */
function zoneOf(s: Column): string | null {
  if (s.dtype.variant !== 'Datetime') return null;
  const zone = (s.dtype as unknown as { inner: unknown[] }).inner[1];
  return typeof zone === 'string' && zone !== '' ? zone : null;
}

/** A UTC timestamp's text at midnight (`2025-09-12 00:00:00.000000+00:00`): a date as an instant. */
const UTC_MIDNIGHT = /[ T]00:00:00(?:\.0+)?(?:\+00:?00|Z| UTC)$/;

/**
 * A column's text as the long format reads it (sniff writes a timestamp's one value so at
 * arrival: parquet-timestamp.ts). A timestamp with a named zone is written in
 * that zone, its offset at that instant (`2025-09-05 15:45:00-04:00`). One in UTC names no
 * zone but the instant, and is written in the exchange's (docs/formats.md, _Time zones_):
 * its `as_of` as the same chain's CSV or JSON writes it (so the duplicate is found), its
 * expiry dated as the exchange dates it (a New York end of day `23:59:59-04:00`, stored as
 * 03:59:59 UTC the next day, is that Friday, not Saturday). A UTC midnight expiry is how a
 * date is written as a timestamp (pandas, Spark): its own date.
 */
function textColumn(s: Column, expiry: boolean, exchangeZone: string): Column {
  const pl = polars();
  const zone = zoneOf(s);
  if (zone === null || !UTC_ZONE.test(zone)) return s.cast(pl.Utf8);
  const there = (s.dt as unknown as { convertTimeZone(z: string): Column })
    .convertTimeZone(exchangeZone)
    .cast(pl.Utf8);
  if (!expiry) return there;
  const utc = s.cast(pl.Utf8);
  return utc.zipWith(utc.str.contains(UTC_MIDNIGHT.source), there);
}

/** A cell that is no value at all: null, a float NaN, or blank text. */
const isBlankCell = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  (typeof v === 'number' && Number.isNaN(v)) ||
  (typeof v === 'string' && v.trim() === '');

/**
 * The rows that are not blank, by their index in the file, or null when none is blank. A
 * blank row (every column read empty: null, NaN or blank text) is what a data frame makes
 * of a CSV's row of empty cells (`,,,,`, as Excel writes cleared rows): skipped, as the
 * CSV's is. Only rows whose underlying is blank are looked at, so a good file costs one
 * pass over its underlying's texts, which the reader makes anyway.
 */
function nonBlankRows(
  df: Frame,
  names: string[],
  used: number[],
  underlying: string[],
): Int32Array | null {
  const blank: number[] = [];
  for (let r = 0; r < underlying.length; r++) {
    const u = underlying[r]!;
    if (u.length > 0 && u.charCodeAt(0) > 0x20) continue;
    if (u.trim() !== '') continue;
    if (used.every((col) => isBlankCell(df.getColumn(names[col]!).get(r)))) blank.push(r);
  }
  if (blank.length === 0) return null;
  const keep = new Int32Array(underlying.length - blank.length);
  for (let r = 0, b = 0, k = 0; r < underlying.length; r++) {
    if (blank[b] === r) b++;
    else keep[k++] = r;
  }
  return keep;
}

/**
 * long-table's view of the decoded columns, without their blank rows; `col` is a column's
 * index in the file's schema, a row's place in messages its row in the file.
 */
function parquetTable(
  file: string,
  df: Frame,
  names: string[],
  idx: LongHeader,
  exchangeZone: string,
): Table {
  const pl = polars();
  const series = (col: number) => df.getColumn(names[col]!);
  const asText = (col: number) => textColumn(series(col), col === idx.expiry, exchangeZone);
  /** Row r of the table: its index in the file (blank rows are not in the table). */
  let keep: Int32Array | null = null;
  const at = (r: number): number => (keep === null ? r : keep[r]!);
  /** An error at row `r` of the file's rows (not the table's). */
  const badAt = (r: number, col: number, field: string, what: string): Err => {
    let value = '';
    if (what !== 'is missing') {
      try {
        value = ` (${quoted(String(asText(col).get(r) ?? ''))})`;
      } catch {
        value = '';
      }
    }
    return err('BAD_VALUE', `${file}, row ${r + 1}, field ${quoted(names[col]!)}${value} ${what}`, {
      file,
      line: r + 1,
      field,
    });
  };
  const bad = (r: number, col: number, field: string, what: string): Err =>
    badAt(at(r), col, field, what);
  const frameRows = df.height;
  // A damaged file can decode to a column shorter than the frame.
  const uneven = (col: number, n: number): Err =>
    err(
      'BAD_SHAPE',
      `${file}: the Parquet column ${quoted(names[col]!)} holds ${n} values for ${frameRows} rows`,
      { file, field: names[col]! },
    );
  const texts = new Map<number, string[] | Err>();
  const textOf = (col: number, field: string): string[] | Err => {
    let a = texts.get(col);
    if (!a) {
      try {
        const s = asText(col);
        const lengths = s.str.lengths();
        const longest = Number(lengths.max() ?? 0);
        if (longest > MAX_TEXT)
          a = badAt(
            Number(lengths.argMax() ?? 0),
            col,
            field,
            `is longer than ${MAX_TEXT} characters`,
          );
        else {
          const values = s.toArray() as (string | null)[];
          a =
            values.length === frameRows
              ? values.map((v) => (v === null ? '' : v.replace(/ UTC$/, 'Z')))
              : uneven(col, values.length);
        }
      } catch {
        a = badAt(0, col, field, 'cannot be read as text');
      }
      texts.set(col, a);
    }
    return a;
  };
  const numbers = new Map<number, Float64Array | Err>();
  const numbersOf = (col: number, field: string): Float64Array | Err => {
    let values = numbers.get(col);
    if (!values) {
      const s = series(col);
      // Text read with the CSV's grammar (thousands, no-value markers, "not a number"),
      // never cast: a cast makes any text it cannot read null, that is "missing" or, in an
      // optional column, silently unknown. (`String(dtype)` is "DataType(String)".)
      const dtype = s.dtype.variant;
      if (dtype === 'String' || dtype === 'Utf8') {
        const txt = textOf(col, field);
        // An IV may carry a percent sign (13.12%: 0.1312), as in a CSV file.
        const read = field === 'iv' ? ivNumberText : parseNumberText;
        values = Array.isArray(txt) ? Float64Array.from(txt, read) : txt;
      } else {
        try {
          const raw = s.cast(pl.Float64).toArray() as (number | null)[];
          // A float NaN is how a data frame writes a missing value: empty, as a CSV's `NaN`.
          const cell = (v: number | null) =>
            v === null || Number.isNaN(v) ? EMPTY : v === -Infinity ? TOO_BIG : v;
          values =
            raw.length === frameRows ? Float64Array.from(raw, cell) : uneven(col, raw.length);
        } catch {
          values = badAt(0, col, field, 'is not a numeric column');
        }
      }
      numbers.set(col, values);
    }
    return values;
  };
  const underlying = textOf(idx.underlying!, 'underlying');
  if (Array.isArray(underlying)) keep = nonBlankRows(df, names, usedColumns(idx), underlying);
  const rows = keep === null ? frameRows : keep.length;
  return {
    rows,
    lineOf: (r) => at(r) + 1,
    text: (col, r) => {
      const a = textOf(col, names[col]!);
      return Array.isArray(a) ? a[at(r)]! : '';
    },
    number: (col, r) => {
      const v = numbersOf(col, names[col]!);
      return v instanceof Float64Array ? v[at(r)]! : NaN;
    },
    numbers: (col, field, rule, out) => {
      const values = numbersOf(col, field);
      if (!(values instanceof Float64Array)) return values;
      for (let r = 0; r < rows; r++) {
        const v = values[at(r)]!;
        const problem = numberProblem(v, rule);
        if (problem !== null) return bad(r, col, field, problem);
        out[r] = v === EMPTY ? NaN : v;
      }
      return null;
    },
    bad,
    prepareText: (cols) => {
      for (const [col, field] of cols) {
        const a = textOf(col, field);
        if (!Array.isArray(a)) return a;
      }
      return null;
    },
  };
}
