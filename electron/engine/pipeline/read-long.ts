// Reader for the documented long format (docs/formats.md): one contract a row with the
// columns underlying, as_of, spot, expiry, strike, option_type, open_interest, volume,
// iv, gamma, bid, ask, in CSV or Parquet. Both go through one column accessor so the
// rules (and the errors, with line or row and field) are the same for both.
import pl from 'nodejs-polars';
import type { GexConventions } from '../../../shared/domain.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import { allocContracts, badCell, parseNumberColumn, type Chain, type NumberRule } from './chain.ts';
import { cellText, scanCsv, type CsvCells } from './csv-scan.ts';
import { firstLines, lineStart, splitCsvLine } from './csv-text.ts';
import { parseExpiry } from './dates.ts';
import type { SourceFile } from './source.ts';
import { parseTimestamp } from './time.ts';

/** Canonical column → accepted header names (case-insensitive, spaces as underscores). */
export const LONG_COLUMNS = {
  underlying: ['underlying', 'ticker', 'symbol', 'root'],
  as_of: ['as_of', 'asof', 'timestamp', 'quote_time', 'quote_datetime'],
  spot: ['spot', 'underlying_price', 'spot_price'],
  expiry: ['expiry', 'expiration', 'expiration_date', 'expiry_date'],
  strike: ['strike', 'strike_price'],
  option_type: ['option_type', 'type', 'call_put', 'put_call', 'cp', 'right'],
  open_interest: ['open_interest', 'oi', 'openinterest'],
  volume: ['volume', 'vol'],
  iv: ['iv', 'implied_volatility', 'implied_vol'],
  gamma: ['gamma'],
  bid: ['bid'],
  ask: ['ask'],
} as const;
type LongColumn = keyof typeof LONG_COLUMNS;
const REQUIRED: LongColumn[] = ['underlying', 'as_of', 'spot', 'expiry', 'strike', 'option_type', 'open_interest', 'volume'];

/** Column access shared by the CSV and Parquet forms. */
type Table = {
  rows: number;
  /** Where row r is, for messages: its line (CSV) or row number (Parquet). */
  lineOf(r: number): number;
  text(col: number, r: number): string;
  numbers(col: number, field: string, rule: NumberRule, out: Float64Array): Err | null;
  bad(r: number, col: number, field: string, what: string): Err;
};

const normalise = (h: string): string => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

function mapHeader(file: string, names: string[], line: number | undefined): Result<Partial<Record<LongColumn, number>>> {
  const where = line === undefined ? {} : { line };
  const idx: Partial<Record<LongColumn, number>> = {};
  const norm = names.map(normalise);
  for (const key of Object.keys(LONG_COLUMNS) as LongColumn[]) {
    const found = norm.map((n, i) => ((LONG_COLUMNS[key] as readonly string[]).includes(n) ? i : -1)).filter((i) => i >= 0);
    if (found.length > 1) return err('BAD_HEADER', `${file}: the column ${key} appears ${found.length} times in the header`, { file, field: key, ...where });
    if (found.length === 1) idx[key] = found[0]!;
  }
  for (const key of REQUIRED) {
    if (idx[key] === undefined) return err('BAD_HEADER', `${file}: no "${key}" column in the header (see docs/formats.md)`, { file, field: key, ...where });
  }
  if (idx.gamma === undefined && idx.iv === undefined) {
    return err('BAD_HEADER', `${file}: the header needs a "gamma" or an "iv" column (or both)`, { file, field: 'gamma', ...where });
  }
  return ok(idx);
}

function optionType(text: string): number {
  switch (text.trim().toLowerCase()) {
    case 'c':
    case 'call':
    case 'calls':
      return 1;
    case 'p':
    case 'put':
    case 'puts':
      return 0;
    default:
      return -1;
  }
}

function readTable(file: string, format: 'long-csv' | 'long-parquet', t: Table, idx: Partial<Record<LongColumn, number>>, conv: GexConventions): Result<Chain> {
  if (t.rows === 0) return err('NO_ROWS', `${file} has a header but no option rows`, { file });
  const c = allocContracts(t.rows);
  for (let r = 0; r < t.rows; r++) c.line[r] = t.lineOf(r);
  // underlying and as_of: one snapshot per file.
  const underlying = t.text(idx.underlying!, 0).trim().toUpperCase();
  const asOfText = t.text(idx.as_of!, 0);
  const asOf = parseTimestamp(asOfText, conv.exchange_time_zone);
  if (underlying === '') return t.bad(0, idx.underlying!, 'underlying', 'is missing');
  if (asOf === null) return t.bad(0, idx.as_of!, 'as_of', 'is not an ISO-8601 timestamp');
  const okAsOf = new Set([asOfText]);
  const expiryCode = new Map<string, number>();
  for (let r = 0; r < t.rows; r++) {
    const u = t.text(idx.underlying!, r);
    if (u !== underlying && u.trim().toUpperCase() !== underlying) {
      return t.bad(r, idx.underlying!, 'underlying', `differs from the first row's "${underlying}": a file holds one underlying`);
    }
    const a = t.text(idx.as_of!, r);
    if (!okAsOf.has(a)) {
      const iso = parseTimestamp(a, conv.exchange_time_zone);
      if (iso === null) return t.bad(r, idx.as_of!, 'as_of', 'is not an ISO-8601 timestamp');
      if (Date.parse(iso) !== Date.parse(asOf)) return t.bad(r, idx.as_of!, 'as_of', `differs from the first row's ${asOf}: a file holds one snapshot`);
      okAsOf.add(a);
    }
    const e = t.text(idx.expiry!, r);
    let code = expiryCode.get(e);
    if (code === undefined) {
      const iso = parseExpiry(e);
      if (iso === null) return t.bad(r, idx.expiry!, 'expiry', e.trim() === '' ? 'is missing' : 'is not a date');
      code = c.expiries.indexOf(iso);
      if (code < 0) {
        code = c.expiries.length;
        c.expiries.push(iso);
      }
      expiryCode.set(e, code);
    }
    c.expiry[r] = code;
    const type = optionType(t.text(idx.option_type!, r));
    if (type < 0) return t.bad(r, idx.option_type!, 'option_type', 'must be C, P, call or put');
    c.call[r] = type;
  }
  const spots = new Float64Array(t.rows);
  const numeric: [LongColumn, Float64Array, NumberRule][] = [
    ['spot', spots, { required: true, bound: 'positive' }],
    ['strike', c.strike, { required: true, bound: 'positive' }],
    ['open_interest', c.open_interest, { required: true, bound: 'nonneg' }],
    ['volume', c.volume, { required: true, bound: 'nonneg' }],
    ['iv', c.iv, { required: false, bound: 'nonneg' }],
    ['gamma', c.gamma, { required: false }],
    ['bid', c.bid, { required: false }],
    ['ask', c.ask, { required: false }],
  ];
  for (const [key, out, rule] of numeric) {
    const col = idx[key];
    if (col === undefined) {
      out.fill(NaN);
      continue;
    }
    const bad = t.numbers(col, key, rule, out);
    if (bad) return bad;
  }
  const spot = spots[0]!;
  for (let r = 1; r < t.rows; r++) {
    if (spots[r] !== spot) return t.bad(r, idx.spot!, 'spot', `differs from the first row's ${spot}: a file holds one snapshot`);
  }
  return ok({ format, underlying, as_of: asOf, spot, contracts: c });
}

export function readLongCsv(src: SourceFile, conv: GexConventions): Result<Chain> {
  const { file, bytes } = src;
  const lines = firstLines(bytes, 64);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  const headerLine = headerIdx + 1;
  const names = splitCsvLine(lines[headerIdx]!);
  const header = mapHeader(file, names, headerLine);
  if (!header.ok) return header;
  const start = lineStart(bytes, headerLine + 1);
  const scanned = scanCsv(file, bytes, start < 0 ? bytes.length : start, headerLine + 1, names.length);
  if (!scanned.ok) return scanned;
  const cells: CsvCells = scanned.value;
  if (cells.rows === 0) return err('NO_ROWS', `${file} has a header but no option rows`, { file, line: headerLine });
  const table: Table = {
    rows: cells.rows,
    lineOf: (r) => cells.lines[r]!,
    text: (col, r) => cellText(cells, r, col),
    numbers: (col, field, rule, out) => parseNumberColumn(file, cells, col, field, rule, out, 0),
    bad: (r, col, field, what) => badCell(file, cells, r, col, field, what),
  };
  return readTable(file, 'long-csv', table, header.value, conv);
}

export function readLongParquet(src: SourceFile, conv: GexConventions): Result<Chain> {
  const { file, bytes } = src;
  if (bytes.length < 12 || !bytes.subarray(bytes.length - 4).equals(Buffer.from('PAR1'))) {
    return err('TRUNCATED', `${file} is a Parquet file without its footer: it was cut short`, { file });
  }
  let df: pl.DataFrame;
  try {
    df = pl.readParquet(bytes);
  } catch (e) {
    return err('BAD_SHAPE', `${file}: not a readable Parquet file (${(e as Error).message})`, { file });
  }
  const names = df.columns;
  const header = mapHeader(file, names, undefined);
  if (!header.ok) return header;
  const rows = df.height;
  const texts = new Map<number, string[]>();
  const textOf = (col: number): string[] => {
    let a = texts.get(col);
    if (!a) {
      const s = df.getColumn(names[col]!);
      a = (s.cast(pl.Utf8).toArray() as (string | null)[]).map((v) => (v === null ? '' : v.replace(/ UTC$/, 'Z')));
      texts.set(col, a);
    }
    return a;
  };
  const bad = (r: number, col: number, field: string, what: string): Err => {
    const value = what === 'is missing' ? '' : ` ("${textOf(col)[r]}")`;
    return err('BAD_VALUE', `${file}, row ${r + 1}, field "${names[col]}"${value} ${what}`, { file, line: r + 1, field });
  };
  const table: Table = {
    rows,
    lineOf: (r) => r + 1,
    text: (col, r) => textOf(col)[r]!,
    numbers: (col, field, rule, out) => {
      const s = df.getColumn(names[col]!);
      let values: Float64Array;
      if (String(s.dtype) === 'String' || String(s.dtype) === 'Utf8') {
        const txt = textOf(col);
        values = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          const v = txt[r]!.replace(/,/g, '').trim();
          values[r] = v === '' ? -Infinity : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : Infinity;
        }
      } else {
        try {
          values = Float64Array.from(s.cast(pl.Float64).toArray() as (number | null)[], (v) => v ?? -Infinity);
        } catch {
          return bad(0, col, field, 'is not a numeric column');
        }
      }
      for (let r = 0; r < rows; r++) {
        const v = values[r]!;
        if (v === -Infinity) {
          if (rule.required) return bad(r, col, field, 'is missing');
          out[r] = NaN;
        } else if (v === Infinity || Number.isNaN(v)) return bad(r, col, field, 'is not a number');
        else if ((rule.bound === 'positive' && !(v > 0)) || (rule.bound === 'nonneg' && v < 0)) {
          return bad(r, col, field, rule.bound === 'positive' ? 'must be greater than 0' : 'must not be negative');
        } else out[r] = v;
      }
      return null;
    },
    bad,
  };
  return readTable(file, 'long-parquet', table, header.value, conv);
}
