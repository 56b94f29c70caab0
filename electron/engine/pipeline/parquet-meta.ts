// A Parquet file's footer (its FileMetaData, Thrift compact protocol) read by us, before
// Polars is handed the file: how many rows, which columns (names, nesting) and how many
// bytes they decompress to. An untrusted file is checked against the limits from this,
// and only the columns a reader needs are then decoded; sniff reads a timestamp column's
// one value and its zone (arrow-schema.ts) from it. Every length is checked against
// the bytes there are, so a damaged footer is an error value, never a huge allocation.
import { err, ok, type Result } from '../../../shared/result.ts';
import { ARROW_SCHEMA_KEY, arrowFieldTypes } from './arrow-schema.ts';

export type ParquetColumn = {
  name: string;
  /** Bytes of this column's pages once decompressed, summed over row groups. */
  uncompressed: number;
  /** Parquet physical type: 1 INT32, 2 INT64, 5 DOUBLE, 6 BYTE_ARRAY, … */
  physical: number;
  /** Annotated as UTF-8 text (a string column, not raw binary). */
  utf8: boolean;
  /**
   * The column's one value, when the statistics of every row group say that all its
   * values are that one (min = max, no nulls): what sniff may read without the data.
   */
  constant: Uint8Array | null;
  /**
   * A struct, list or map (a group of leaves, or a repeated leaf): not one flat field. Its
   * `uncompressed` is its leaves' sum; its physical type -1, its constant null.
   */
  nested: boolean;
  /** A timestamp column (Parquet's TIMESTAMP logical type); null for any other. */
  timestamp: ParquetTimestamp | null;
};

export type ParquetTimestamp = {
  /** The stored INT64's units a second (MILLIS 1e3, MICROS 1e6, NANOS 1e9). */
  perSecond: number;
  /**
   * The zone Polars reads it in: the footer's Arrow schema's (`America/Chicago`, `UTC`),
   * else `UTC` where Parquet says "adjusted to UTC"; null when naive (a wall time).
   */
  zone: string | null;
};

export type ParquetMeta = {
  rows: number;
  /** The table's columns (the schema's top-level fields) in schema order. */
  columns: ParquetColumn[];
  /** Whether any column is nested (a struct, list or map). */
  nested: boolean;
  footerBytes: number;
};

const MAGIC = 0x31524150; // "PAR1" little-endian
const MAX_DEPTH = 32;

/** Thrift compact-protocol values, kept only as far as we read them. */
type TValue = number | boolean | Uint8Array | TValue[] | Map<number, TValue> | null;

class Reader {
  pos = 0;
  readonly b: Uint8Array;
  constructor(b: Uint8Array) {
    this.b = b;
  }

  byte(): number {
    if (this.pos >= this.b.length) throw new RangeError('footer ends early');
    return this.b[this.pos++]!;
  }

  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const x = this.byte();
      v += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return v;
      mul *= 128;
    }
    throw new RangeError('bad varint');
  }

  zigzag(): number {
    const v = this.varint();
    // Number arithmetic: exact below 2^53, which is all a row count or a size can mean.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  value(type: number, depth: number): TValue {
    if (depth > MAX_DEPTH) throw new RangeError('footer nested too deep');
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return this.byte();
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 7:
        if (this.pos + 8 > this.b.length) throw new RangeError('footer ends early');
        this.pos += 8;
        return null;
      case 8: {
        const n = this.varint();
        if (n > this.b.length - this.pos) throw new RangeError('binary longer than the footer');
        const v = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case 9:
      case 10: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = this.varint();
        const et = h & 0x0f;
        // Each element takes at least one byte except booleans packed in the header.
        if (n > this.b.length - this.pos) throw new RangeError('list longer than the footer');
        const out: TValue[] = [];
        for (let i = 0; i < n; i++)
          out.push(et === 1 || et === 2 ? this.byte() === 1 : this.value(et, depth + 1));
        return out;
      }
      case 11: {
        const n = this.varint();
        if (n === 0) return null;
        if (n > this.b.length - this.pos) throw new RangeError('map longer than the footer');
        const kv = this.byte();
        for (let i = 0; i < n; i++) {
          this.value(kv >> 4, depth + 1);
          this.value(kv & 0x0f, depth + 1);
        }
        return null;
      }
      case 12:
        return this.struct(depth + 1);
      default:
        throw new RangeError(`unknown Thrift type ${type}`);
    }
  }

  struct(depth: number): Map<number, TValue> {
    const fields = new Map<number, TValue>();
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fields;
      const delta = h >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      fields.set(id, this.value(h & 0x0f, depth));
    }
  }
}

const num = (v: TValue | undefined): number => (typeof v === 'number' ? v : 0);
const list = (v: TValue | undefined): TValue[] => (Array.isArray(v) ? v : []);
const struct = (v: TValue | undefined): Map<number, TValue> => (v instanceof Map ? v : new Map());
const text = (v: TValue | undefined): string =>
  v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '';

/**
 * The footer's facts from the file's last bytes (`bytes` may be only the tail of a file of
 * `fileSize` bytes); TRUNCATED when the file has no footer, BAD_SHAPE when it is damaged.
 */
export function readParquetMeta(
  file: string,
  bytes: Uint8Array,
  fileSize = bytes.length,
): Result<ParquetMeta> {
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  if (n < 8 || fileSize < 12 || view.getUint32(n - 4, true) !== MAGIC) {
    return err('TRUNCATED', `${file} is a Parquet file without its footer: it was cut short`, {
      file,
    });
  }
  const footerBytes = view.getUint32(n - 8, true);
  if (footerBytes === 0 || footerBytes > fileSize - 12) {
    return err(
      'BAD_SHAPE',
      `${file}: the Parquet footer's length (${footerBytes} bytes) does not fit the file`,
      { file },
    );
  }
  if (footerBytes > n - 8)
    return err('BAD_SHAPE', `${file}: the Parquet footer is not in the bytes read`, { file });
  try {
    const meta = new Reader(bytes.subarray(n - 8 - footerBytes, n - 8)).struct(0);
    const rows = num(meta.get(3));
    const schema = list(meta.get(2)).map(struct);
    // Leaves in schema order: a depth-first walk of (name, num_children); each leaf's
    // column is the top-level field it is in (a struct's leaves are its one column).
    const leaves: {
      top: number;
      physical: number;
      utf8: boolean;
      timestamp: { perSecond: number; utc: boolean } | null;
    }[] = [];
    const columns: ParquetColumn[] = [];
    const column = (el: Map<number, TValue>, nested: boolean): number =>
      columns.push({
        name: text(el.get(4)),
        uncompressed: 0,
        physical: -1,
        utf8: false,
        constant: null,
        nested,
        timestamp: null,
      }) - 1;
    const walk = (i: number, depth: number, top: number): number => {
      const el = schema[i];
      if (!el) throw new RangeError('schema ends early');
      const children = num(el.get(5));
      if (children <= 0) {
        // converted_type UTF8 (0), or a logical type STRING (field 1 of LogicalType).
        const utf8 = el.get(6) === 0 || struct(el.get(10)).has(1);
        // A top-level leaf is a column of its own; a repeated one (repetition 2) is a list.
        const own = depth === 1 ? column(el, el.get(3) === 2) : top;
        leaves.push({ top: own, physical: num(el.get(1)), utf8, timestamp: timestampOf(el) });
        return i + 1;
      }
      if (depth > MAX_DEPTH) throw new RangeError('schema nested too deep');
      const own = depth === 1 ? column(el, true) : top;
      let next = i + 1;
      for (let c = 0; c < children; c++) next = walk(next, depth + 1, own);
      return next;
    };
    if (schema.length > 0) walk(0, 0, -1);
    // key_value_metadata (5): the Arrow schema, where a writer on Arrow left it.
    const arrowText = list(meta.get(5))
      .map(struct)
      .find((kv) => text(kv.get(1)) === ARROW_SCHEMA_KEY)
      ?.get(2);
    const arrow = arrowText === undefined ? undefined : arrowFieldTypes(text(arrowText));
    const constant: (Uint8Array | null | undefined)[] = leaves.map(() => undefined);
    const uncompressed = leaves.map(() => 0);
    for (const rg of list(meta.get(4)).map(struct)) {
      const chunks = list(rg.get(1));
      leaves.forEach((_, i) => {
        const md = struct(struct(chunks[i]).get(3));
        uncompressed[i]! += Math.max(0, num(md.get(6)));
        constant[i] = chunks[i] === undefined ? null : sameValue(constant[i], struct(md.get(12)));
      });
    }
    leaves.forEach((leaf, i) => {
      const col = columns[leaf.top];
      if (!col) return;
      col.uncompressed += uncompressed[i]!;
      if (col.nested) return;
      col.physical = leaf.physical;
      col.utf8 = leaf.utf8;
      col.constant = rows > 0 ? (constant[i] ?? null) : null;
      col.timestamp = leaf.timestamp && zoned(leaf.timestamp, col.name, arrow);
    });
    const nested = columns.some((c) => c.nested);
    if (rows < 0) throw new RangeError('negative row count');
    return ok({ rows, columns, nested, footerBytes });
  } catch (e) {
    return err('BAD_SHAPE', `${file}: the Parquet footer is damaged (${(e as Error).message})`, {
      file,
    });
  }
}

/** A leaf's TIMESTAMP logical type (LogicalType field 8: isAdjustedToUTC, unit); null for any other. */
function timestampOf(el: Map<number, TValue>): { perSecond: number; utc: boolean } | null {
  const ts = struct(el.get(10)).get(8);
  if (!(ts instanceof Map) || el.get(1) !== 2 /* INT64 */) return null;
  const unit = struct(ts.get(2));
  const perSecond = unit.has(1) ? 1e3 : unit.has(2) ? 1e6 : unit.has(3) ? 1e9 : 0;
  return perSecond === 0 ? null : { perSecond, utc: ts.get(1) === true };
}

/**
 * A timestamp column's zone as Polars reads it: the Arrow schema's when the footer has one
 * (null when it is unreadable or says another type: unknown), else Parquet's own.
 */
function zoned(
  ts: { perSecond: number; utc: boolean },
  name: string,
  arrow: ReturnType<typeof arrowFieldTypes> | undefined,
): ParquetTimestamp | null {
  if (arrow === undefined) return { perSecond: ts.perSecond, zone: ts.utc ? 'UTC' : null };
  const field = arrow?.get(name);
  return field?.timestamp ? { perSecond: ts.perSecond, zone: field.zone } : null;
}

/** The one value of a column so far (undefined: no row group seen yet), given one more row group's statistics. */
function sameValue(
  so: Uint8Array | null | undefined,
  stats: Map<number, TValue>,
): Uint8Array | null {
  if (so === null) return null;
  // min_value/max_value (5, 6), else the older max/min (1, 2): equal bounds mean one value either way.
  const max = stats.get(5) ?? stats.get(1);
  const min = stats.get(6) ?? stats.get(2);
  if (!(max instanceof Uint8Array) || !(min instanceof Uint8Array) || stats.get(3) !== 0)
    return null;
  if (!Buffer.from(max).equals(min)) return null;
  if (so !== undefined && !Buffer.from(so).equals(max)) return null;
  return max;
}
