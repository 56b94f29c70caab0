// The Arrow schema that Polars, pyarrow and Arrow's other writers keep in a Parquet
// footer (key `ARROW:schema`: an IPC Schema message, base64): the one place a timestamp
// column's time zone name is (Parquet's own type says only "adjusted to UTC"), and the
// type a reader built on Arrow reads the column as. Read at arrival from the footer alone
// (parquet-meta.ts), with a minimal FlatBuffers walk whose every offset is checked
// against the bytes: a damaged or unknown schema is null, never a guess.

/** The key of the Arrow schema among a Parquet footer's key-value metadata. */
export const ARROW_SCHEMA_KEY = 'ARROW:schema';

/** A top-level field's type as far as it matters here: a timestamp's zone (null: naive), or another type. */
export type ArrowFieldType = { timestamp: true; zone: string | null } | { timestamp: false };

/** Arrow's Type union: Timestamp; MessageHeader: Schema. */
const TYPE_TIMESTAMP = 10;
const HEADER_SCHEMA = 1;

/** A FlatBuffers table at `pos` of `b`: its fields by index, each read checked. */
class Table {
  private readonly b: DataView;
  private readonly pos: number;
  constructor(b: DataView, pos: number) {
    this.b = b;
    this.pos = pos;
  }

  static root(b: DataView, start: number): Table {
    return new Table(b, start + u32(b, start));
  }

  /** Where field `i` is, 0 when absent. */
  private field(i: number): number {
    const vt = this.pos - i32(this.b, this.pos);
    const size = u16(this.b, vt);
    const o = 4 + 2 * i;
    if (o + 2 > size) return 0;
    const off = u16(this.b, vt + o);
    return off === 0 ? 0 : this.pos + off;
  }

  u8(i: number): number {
    const at = this.field(i);
    return at === 0 ? 0 : u8(this.b, at);
  }

  /** The position a field's offset points at (a table, string or vector), 0 when absent. */
  private ref(i: number): number {
    const at = this.field(i);
    return at === 0 ? 0 : at + u32(this.b, at);
  }

  table(i: number): Table | null {
    const at = this.ref(i);
    return at === 0 ? null : new Table(this.b, at);
  }

  string(i: number): string | null {
    const at = this.ref(i);
    if (at === 0) return null;
    const n = u32(this.b, at);
    check(this.b, at + 4, n);
    return Buffer.from(this.b.buffer, this.b.byteOffset + at + 4, n).toString('utf8');
  }

  tables(i: number): Table[] {
    const at = this.ref(i);
    if (at === 0) return [];
    const n = u32(this.b, at);
    check(this.b, at + 4, 4 * n);
    return Array.from({ length: n }, (_, k) => {
      const el = at + 4 + 4 * k;
      return new Table(this.b, el + u32(this.b, el));
    });
  }
}

function check(b: DataView, at: number, n: number): void {
  if (at < 0 || n < 0 || at + n > b.byteLength) throw new RangeError('outside the schema');
}
const u8 = (b: DataView, at: number): number => (check(b, at, 1), b.getUint8(at));
const u16 = (b: DataView, at: number): number => (check(b, at, 2), b.getUint16(at, true));
const u32 = (b: DataView, at: number): number => (check(b, at, 4), b.getUint32(at, true));
const i32 = (b: DataView, at: number): number => (check(b, at, 4), b.getInt32(at, true));

/**
 * The top-level fields' types, by name, from the `ARROW:schema` value (base64 of an IPC
 * message: Arrow's continuation marker and length, or the older length alone, then the
 * Schema); null when it is not one.
 */
export function arrowFieldTypes(base64: string): Map<string, ArrowFieldType> | null {
  try {
    const bytes = Buffer.from(base64, 'base64');
    const b = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const start = i32(b, 0) === -1 ? 8 : 4;
    const message = Table.root(b, start);
    if (message.u8(1) !== HEADER_SCHEMA) return null;
    const schema = message.table(2);
    if (!schema) return null;
    const fields = new Map<string, ArrowFieldType>();
    for (const f of schema.tables(1)) {
      const name = f.string(0);
      if (name === null) return null;
      const type = f.table(3);
      fields.set(
        name,
        f.u8(2) === TYPE_TIMESTAMP && type
          ? { timestamp: true, zone: type.string(1) || null }
          : { timestamp: false },
      );
    }
    return fields;
  } catch {
    return null;
  }
}
