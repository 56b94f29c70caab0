// The documented long format (docs/formats.md) independent of its container: the
// accepted column names, the header check, and the rules every row obeys, over a column
// accessor that the CSV and Parquet readers each provide, so both give the same errors
// (with line or row and field). Sniff reads the first row's facts with the same code.
import { hiddenInUnderlying, UNDERLYING_MAX } from '../../../shared/underlyings.ts';
import type { GexConventions } from '../../../shared/domain.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import { allocContracts, quoted, type Chain } from './chain.ts';
import { NOT_A_DATE, parseExpiry } from './dates.ts';
import {
  isNoTicker,
  isNoValueText,
  numberProblem,
  rule,
  type NumberRule,
  type NumericField,
} from './numbers.ts';
import { occParser, parentOfAdjusted, tickerOf, underlyingOfRoot, type OccSymbol } from './occ.ts';
import { dayFirstHint, dayMonthAmbiguity } from './slash-dates.ts';
import { isOtherSize } from './standard-contract.ts';
import { parseTimestamp, TIMESTAMP_FORMS } from './time.ts';

/** What an as_of cell that is not a timestamp is told, with the forms that are. */
const NOT_A_TIMESTAMP = `is not a timestamp: write ${TIMESTAMP_FORMS}`;

/**
 * Canonical column → accepted header names, as `normalise` gives them. When a header has
 * several of one column's names (a vendor's `underlying_symbol` beside its `root`), the
 * first in this order is the column: the most specific name first.
 */
export const LONG_COLUMNS = {
  underlying: ['underlying', 'underlying_symbol', 'ticker', 'symbol', 'root'],
  as_of: ['as_of', 'asof', 'quote_datetime', 'quote_date_time', 'quote_time', 'timestamp'],
  spot: ['spot', 'underlying_price', 'spot_price', 'active_underlying_price', 'underlying_last'],
  // Vendors' names too (`Exp Date`, `ExpDate`, `Maturity`): a name the format reads
  // beats a "did you mean" at a header it could have read.
  expiry: [
    'expiry',
    'expiration',
    'expiration_date',
    'expiry_date',
    'exp_date',
    'expdate',
    'exp',
    'maturity',
    'maturity_date',
  ],
  strike: ['strike', 'strike_price'],
  option_type: ['option_type', 'call_put', 'put_call', 'cp', 'c_p', 'right', 'type'],
  open_interest: ['open_interest', 'oi', 'openinterest'],
  volume: ['volume', 'vol', 'trade_volume'],
  iv: ['iv', 'implied_volatility', 'implied_vol'],
  gamma: ['gamma'],
  delta: ['delta'],
  bid: ['bid'],
  ask: ['ask'],
  // What says a contract is not a standard one (standard-contract.ts): its OCC symbol's
  // root (AAPL1, AAPL7), its multiplier, or the shares it delivers.
  option_symbol: ['option_symbol', 'occ_symbol', 'contract_symbol', 'option_code', 'osi_symbol'],
  multiplier: ['multiplier', 'contract_multiplier', 'contract_size', 'shares_per_contract'],
  deliverable: ['deliverable', 'deliverable_shares', 'shares_deliverable'],
} as const;
export type LongColumn = keyof typeof LONG_COLUMNS;
export type LongHeader = Partial<Record<LongColumn, number>> & {
  /** The time of day of a date-only as_of column (CBOE DataShop's EOD quote_date: 15:45). */
  asOfClock?: string;
  /**
   * The option root of each row, where a `root` column stands beside the underlying's
   * (CBOE DataShop's `root`: SPX and SPXW, AAPL and its adjusted AAPL1).
   */
  root?: number;
};

/** The columns the format reads, by index in the header. */
export const usedColumns = (idx: LongHeader): number[] =>
  [...(Object.keys(LONG_COLUMNS) as LongColumn[]).map((k) => idx[k]), idx.root].filter(
    (i): i is number => i !== undefined,
  );

/**
 * CBOE DataShop's end-of-day files (UnderlyingOptionsEODCalcs) give the quote, the spot and
 * the greeks as of 15:45 exchange time in columns suffixed `_1545` (`bid_1545`,
 * `active_underlying_price_1545`, `implied_volatility_1545`, `gamma_1545`), and the day in
 * `quote_date`: such a column is read as its name without the suffix, and as_of is that
 * day at 15:45 (the columns keep the name on early-close days, and so does the time).
 */
const EOD_SUFFIX = '_1545';
const EOD_DATE = 'quote_date';
const EOD_CLOCK = '15:45:00';
const REQUIRED: LongColumn[] = [
  'underlying',
  'as_of',
  'spot',
  'expiry',
  'strike',
  'option_type',
  'open_interest',
  'volume',
];

/** Longest underlying accepted (a ticker, not a sentence). */
export const MAX_UNDERLYING = UNDERLYING_MAX;

/** Why an underlying's text cannot be one (shared/underlyings.ts); null when it can. */
export const hiddenIn = hiddenInUnderlying;

/** Column access shared by the CSV and Parquet forms. */
export type Table = {
  rows: number;
  /** Where row r is, for messages: its line (CSV) or row number (Parquet). */
  lineOf(r: number): number;
  text(col: number, r: number): string;
  /** The number of row r's cell (numbers.ts markers for blank and text). */
  number(col: number, r: number): number;
  numbers(col: number, field: string, rule: NumberRule, out: Float64Array): Err | null;
  bad(r: number, col: number, field: string, what: string): Err;
  /** Makes the text columns readable, or the error of the first that is not (Parquet). */
  prepareText?(cols: [number, string][]): Err | null;
};

/**
 * A header cell as the names above are written: camelCase split (`openInterest`,
 * `UnderlyingPrice`), lower case, spaces, dashes, slashes and dots as one `_`
 * (`Put-Call`, `Call/Put`).
 */
const normalise = (h: string): string =>
  h
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s\-/.]+/g, '_');

/** A header cell's name as matched: normalised, out of its quotes, without `_1545`. */
const nameOf = (cell: string): string =>
  normalise(cell.replace(/^\s*"(.*)"\s*$/, '$1')).replace(/_1545$/, '');

/** The long format's columns a header names, by any accepted name (`quote_date` as as_of). */
function columnsIn(names: string[]): Set<LongColumn> {
  const norm = new Set(names.map(nameOf));
  const found = new Set<LongColumn>();
  for (const key of Object.keys(LONG_COLUMNS) as LongColumn[])
    if (LONG_COLUMNS[key].some((name) => norm.has(name))) found.add(key);
  if (norm.has(EOD_DATE)) found.add('as_of');
  return found;
}

/**
 * How many of the required columns make a header the long format's even without its
 * underlying or strike column (a misspelt `strk`, an `und`), and the columns of which one
 * must be among them: names an option chain has and few other tables do.
 */
const MOST_REQUIRED = 5;
const OPTION_COLUMNS: LongColumn[] = ['strike', 'expiry', 'open_interest'];

/**
 * Whether a header's cells are the long format's: its underlying and strike columns, by any
 * accepted name, or most of its required columns (at least 5 of the 8, one of them the
 * strike, expiry or open interest) — what makes a CSV file the long format
 * (detect-format.ts); the header check then names each required column missing, with the
 * header cell it may be misspelt as.
 */
export function isLongHeader(names: string[]): boolean {
  const found = columnsIn(names);
  if (found.has('underlying') && found.has('strike')) return true;
  return (
    REQUIRED.filter((k) => found.has(k)).length >= MOST_REQUIRED &&
    OPTION_COLUMNS.some((k) => found.has(k))
  );
}

/** Every name a header cell may have that the format reads. */
const KNOWN_NAMES: ReadonlySet<string> = new Set([...Object.values(LONG_COLUMNS).flat(), EOD_DATE]);

/** Edit distance with adjacent transpositions (`strkie`), of two short names. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * The accepted name of `key` that a header cell the format does not read is most likely a
 * misspelling of (`strk`, `strik` → strike; `und` → underlying: a cut name of 3 letters or
 * more), with that cell as written; null when none is close. Close: 1 edit in a name of 4
 * or 5 letters, 2 in a longer one; a name of 3 letters or fewer is never guessed at.
 */
function nearestName(key: LongColumn, cells: string[]): { cell: string; name: string } | null {
  let best: { cell: string; name: string; d: number } | null = null;
  for (const cell of cells) {
    const c = nameOf(cell);
    if (c === '' || KNOWN_NAMES.has(c)) continue;
    for (const name of LONG_COLUMNS[key]) {
      const cut = c.length >= 3 && name.startsWith(c) ? name.length - c.length : Infinity;
      const d = Math.min(distance(c, name), cut);
      const within = cut === d || d <= (name.length <= 3 ? 0 : name.length <= 5 ? 1 : 2);
      if (within && (best === null || d < best.d))
        best = { cell: cell.trim().replace(/^"(.*)"$/, '$1'), name, d };
    }
  }
  return best && { cell: best.cell, name: best.name };
}

/**
 * BAD_HEADER naming each required column `missing` from the header `names` (the first as
 * its field), and for each the header cell it may be misspelt as.
 */
function missingColumns(
  file: string,
  names: string[],
  missing: LongColumn[],
  header: string,
  where: { line?: number },
): Err {
  const guesses = missing.flatMap((key) => {
    const near = nearestName(key, names);
    return near
      ? [`${quoted(near.cell)} is not a name GEX Desk reads: did you mean ${near.name}?`]
      : [];
  });
  const list = missing.map((key) => `no "${key}" column`);
  const said = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
  return err(
    'BAD_HEADER',
    `${file}: ${said} in ${header}${guesses.length > 0 ? `; ${guesses.join(' ')}` : ''} (see docs/formats.md)`,
    { file, field: missing[0]!, ...where },
  );
}

/** Which column holds what; BAD_HEADER when a required one is missing or one appears twice. */
export function mapHeader(
  file: string,
  names: string[],
  line: number | undefined,
): Result<LongHeader> {
  const where = line === undefined ? {} : { line };
  // A Parquet file (no line) has columns, not a header line.
  const header = line === undefined ? 'the file' : 'the header';
  const idx: LongHeader = {};
  const norm = names.map(normalise);
  let eodColumns = false;
  for (const key of Object.keys(LONG_COLUMNS) as LongColumn[]) {
    for (const name of LONG_COLUMNS[key].flatMap((n) => [n, `${n}${EOD_SUFFIX}`])) {
      const found = norm.flatMap((n, i) => (n === name ? [i] : []));
      if (found.length > 1)
        return err(
          'BAD_HEADER',
          `${file}: ${header} has ${found.length} columns named ${name}; which is ${key} is unclear`,
          { file, field: key, ...where },
        );
      if (found.length === 1) {
        idx[key] = found[0]!;
        eodColumns ||= name.endsWith(EOD_SUFFIX);
        break;
      }
    }
  }
  const root = norm.indexOf('root');
  if (root >= 0 && root !== idx.underlying) idx.root = root;
  const eodDate = norm.indexOf(EOD_DATE);
  if (idx.as_of === undefined && eodColumns && eodDate >= 0) {
    idx.as_of = eodDate;
    idx.asOfClock = EOD_CLOCK;
  }
  const missing = REQUIRED.filter((key) => idx[key] === undefined);
  if (missing.length > 0) return missingColumns(file, names, missing, header, where);
  if (idx.gamma === undefined && idx.iv === undefined) {
    return err('BAD_HEADER', `${file}: ${header} needs a "gamma" or an "iv" column (or both)`, {
      file,
      field: 'gamma',
      ...where,
    });
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

export type SnapshotFacts = { underlying: string; as_of: string; spot: number };

const notATimestamp = (idx: LongHeader): string =>
  idx.asOfClock
    ? `is not a date (of the ${EOD_DATE} the ${EOD_SUFFIX} columns are of)`
    : NOT_A_TIMESTAMP;

/** An as_of cell as a timestamp's text: a date-only column's day at the time its header gives. */
export const withClock = (cell: string, idx: LongHeader): string =>
  idx.asOfClock ? `${cell.trim()} ${idx.asOfClock}` : cell;

/** Row r's as_of, or its error: missing, or not a timestamp. */
function parseAsOf(t: Table, idx: LongHeader, r: number, conv: GexConventions): string | Err {
  const cell = t.text(idx.as_of!, r);
  if (isNoValueText(cell)) return t.bad(r, idx.as_of!, 'as_of', 'is missing');
  const iso = parseTimestamp(withClock(cell, idx), conv.exchange_time_zone);
  if (iso !== null) return iso;
  const hint = dayFirstHint(cell);
  return t.bad(
    r,
    idx.as_of!,
    'as_of',
    hint ? `is not a ${idx.asOfClock ? 'date' : 'timestamp'}${hint}` : notATimestamp(idx),
  );
}

/** The snapshot's underlying, as_of and spot as the first row gives them. */
export function firstRowFacts(
  t: Table,
  idx: LongHeader,
  conv: GexConventions,
): Result<SnapshotFacts> {
  // As the CBOE files' symbols give it: a vendor's index ticker `^SPX` (CBOE DataShop,
  // Yahoo) or `$SPX`, and the weekly root `SPXW`, are SPX, one history with the CBOE files'.
  const cell = t.text(idx.underlying!, 0);
  const underlying = underlyingOfRoot(cell);
  if (underlying === '' || isNoTicker(cell))
    return t.bad(0, idx.underlying!, 'underlying', 'is missing');
  if (underlying.length > MAX_UNDERLYING)
    return t.bad(0, idx.underlying!, 'underlying', `is longer than ${MAX_UNDERLYING} characters`);
  const hidden = hiddenIn(underlying);
  if (hidden) return t.bad(0, idx.underlying!, 'underlying', hidden);
  const asOf = parseAsOf(t, idx, 0, conv);
  if (typeof asOf !== 'string') return asOf;
  const spot = t.number(idx.spot!, 0);
  const problem = numberProblem(spot, rule('spot', true));
  if (problem) return t.bad(0, idx.spot!, 'spot', problem);
  return ok({ underlying, as_of: asOf, spot });
}

const NUMERIC: Exclude<NumericField, 'spot' | 'multiplier' | 'deliverable'>[] = [
  'strike',
  'open_interest',
  'volume',
  'iv',
  'gamma',
  'delta',
  'bid',
  'ask',
];
const REQUIRED_NUMBER: ReadonlySet<NumericField> = new Set([
  'spot',
  'strike',
  'open_interest',
  'volume',
]);

/**
 * Row r's OCC option symbol (`AAPL1240119C00190000`, a Polygon-style `O:` prefix taken
 * off), or null where the file has no symbol column or the cell is no OCC symbol (then the
 * row's root is its root or underlying column's, and nothing is checked).
 */
function symbolOf(
  t: Table,
  idx: LongHeader,
  r: number,
  parse: (symbol: string) => OccSymbol | null,
): OccSymbol | null {
  if (idx.option_symbol === undefined) return null;
  return parse(t.text(idx.option_symbol, r).trim().replace(/^O:/i, '').toUpperCase());
}

/**
 * Why row r's symbol names another contract than its columns (expiry, type, strike: a
 * strike within a cent, as a column rounded at 2 decimals writes 16.667), or null.
 */
function symbolDisagrees(occ: OccSymbol, c: Chain['contracts'], r: number): string | null {
  const expiry = c.expiries[c.expiry[r]!]!;
  if (occ.expiry !== expiry) return `expires ${occ.expiry}, not ${expiry} as the row's expiry`;
  if ((occ.option_type === 'C' ? 1 : 0) !== c.call[r])
    return `is a ${occ.option_type === 'C' ? 'call' : 'put'}, not a ${c.call[r] ? 'call' : 'put'} as the row's option_type`;
  if (!(Math.abs(occ.strike - c.strike[r]!) < 0.01))
    return `is of strike ${occ.strike}, not ${c.strike[r]} as the row's strike`;
  return null;
}

export function readTable(
  file: string,
  format: 'long-csv' | 'long-parquet',
  t: Table,
  idx: LongHeader,
  conv: GexConventions,
): Result<Chain> {
  if (t.rows === 0) return err('NO_ROWS', `${file} has a header but no option rows`, { file });
  const unreadable = t.prepareText?.([
    ...(['underlying', 'as_of', 'expiry', 'option_type'] as const).map((k): [number, string] => [
      idx[k]!,
      k,
    ]),
    ...(idx.option_symbol === undefined
      ? []
      : [[idx.option_symbol, 'option_symbol'] as [number, string]]),
    ...(idx.root === undefined ? [] : [[idx.root, 'root'] as [number, string]]),
  ]);
  if (unreadable) return unreadable;
  const c = allocContracts(t.rows);
  for (let r = 0; r < t.rows; r++) c.line[r] = t.lineOf(r);
  const first = firstRowFacts(t, idx, conv);
  if (!first.ok) return first;
  const { as_of: asOf } = first.value;
  // The first row's, but a stock's where the first rows are its adjusted options' (AAPL1
  // before AAPL), as the CBOE files' symbols decide it.
  let underlying = first.value.underlying;
  const okAsOf = new Set([t.text(idx.as_of!, 0)]);
  const expiryCode = new Map<string, number>();
  const sameUnderlying = new Set([t.text(idx.underlying!, 0)]);
  // Each contract's root: its row's root column, else its underlying cell (`SPXW`, `^SPX`).
  const rootCol = idx.root ?? idx.underlying!;
  const rootCode = new Map<string, number>();
  const parseSymbol = occParser();
  const symbols: (OccSymbol | null)[] | null = idx.option_symbol === undefined ? null : [];
  for (let r = 0; r < t.rows; r++) {
    const u = t.text(idx.underlying!, r);
    if (!sameUnderlying.has(u)) {
      if (isNoTicker(u)) return t.bad(r, idx.underlying!, 'underlying', 'is missing');
      const hidden = hiddenIn(u);
      if (hidden) return t.bad(r, idx.underlying!, 'underlying', hidden);
      const of = underlyingOfRoot(u);
      if (of !== underlying) {
        // A stock's adjusted options (AAPL1 beside AAPL) are of the stock, their rows
        // dropped as such (gex.ts); any other underlying is not.
        const parent = parentOfAdjusted(of, underlying);
        if (parent === null)
          return t.bad(
            r,
            idx.underlying!,
            'underlying',
            `differs from the first row's ${quoted(underlying)}: a file holds one underlying`,
          );
        underlying = parent;
      }
      sameUnderlying.add(u);
    }
    // An OCC option symbol's root, where the file has them (AAPL1 and AAPL7 rows told
    // apart from AAPL's only by their symbols), else the root column's or the underlying's.
    const symbol = symbolOf(t, idx, r, parseSymbol);
    if (symbols) symbols[r] = symbol;
    const symbolRoot = symbol && symbol.root;
    const [rootText, rootAt, rootField] =
      symbolRoot === null
        ? [t.text(rootCol, r), rootCol, 'root']
        : [symbolRoot, idx.option_symbol!, 'option_symbol'];
    let root = rootCode.get(rootText);
    if (root === undefined) {
      // `^SPX` and `SPX` in one file are one root (a vendor's prefix), so one contract:
      // written both ways, its duplicate is found (else both rows counted, GEX doubled).
      const name = isNoTicker(rootText) ? underlying : tickerOf(rootText);
      const of = underlyingOfRoot(name);
      if (of !== underlying && parentOfAdjusted(of, underlying) !== underlying)
        return t.bad(
          r,
          rootAt,
          rootField,
          `is ${symbolRoot === null ? 'an option root' : `an option symbol of root ${quoted(name)}, the root`} of ${quoted(of)}, not of the file's underlying ${quoted(underlying)}: a file holds one underlying`,
        );
      root = c.roots.indexOf(name);
      if (root < 0) root = c.roots.push(name) - 1;
      rootCode.set(rootText, root);
    }
    c.root[r] = root;
    const a = t.text(idx.as_of!, r);
    if (!okAsOf.has(a)) {
      const iso = parseAsOf(t, idx, r, conv);
      if (typeof iso !== 'string') return iso;
      if (Date.parse(iso) !== Date.parse(asOf))
        return t.bad(
          r,
          idx.as_of!,
          'as_of',
          `differs from the first row's ${asOf}: a file holds one snapshot`,
        );
      okAsOf.add(a);
    }
    const e = t.text(idx.expiry!, r);
    let code = expiryCode.get(e);
    if (code === undefined) {
      const iso = parseExpiry(e);
      if (iso === null)
        return t.bad(
          r,
          idx.expiry!,
          'expiry',
          isNoValueText(e)
            ? 'is missing'
            : dayFirstHint(e)
              ? `is not a date${dayFirstHint(e)}`
              : NOT_A_DATE,
        );
      code = c.expiries.indexOf(iso);
      if (code < 0) {
        code = c.expiries.length;
        c.expiries.push(iso);
      }
      expiryCode.set(e, code);
    }
    c.expiry[r] = code;
    const typeText = t.text(idx.option_type!, r);
    const type = optionType(typeText);
    if (type < 0)
      return t.bad(
        r,
        idx.option_type!,
        'option_type',
        isNoValueText(typeText) ? 'is missing' : 'must be C, P, call or put',
      );
    c.call[r] = type;
  }
  // Slash dates whose order only a guess could decide (a day/month file, QA fmt2 F7).
  const asOfCell = withClock(t.text(idx.as_of!, 0), idx);
  const ambiguous = dayMonthAmbiguity(asOfCell, asOf.slice(0, 10), expiryCode.keys());
  if (ambiguous)
    return /^\s*\d{1,2}\/\d{1,2}\/\d{4}/.test(asOfCell)
      ? t.bad(0, idx.as_of!, 'as_of', ambiguous)
      : t.bad(0, idx.expiry!, 'expiry', ambiguous);
  const spots = new Float64Array(t.rows);
  const bad = t.numbers(idx.spot!, 'spot', rule('spot', true), spots);
  if (bad) return bad;
  const spot = spots[0]!;
  for (let r = 1; r < t.rows; r++) {
    if (spots[r] !== spot)
      return t.bad(
        r,
        idx.spot!,
        'spot',
        `differs from the first row's ${spot}: a file holds one snapshot`,
      );
  }
  for (const key of NUMERIC) {
    const col = idx[key];
    const out = c[key];
    if (col === undefined) {
      out.fill(NaN);
      continue;
    }
    const problem = t.numbers(col, key, rule(key, REQUIRED_NUMBER.has(key)), out);
    if (problem) return problem;
  }
  // A symbol and its row name one contract: one that disagrees is refused, never stored
  // under either (as the CBOE CSV's symbols against their lines).
  if (symbols)
    for (let r = 0; r < t.rows; r++) {
      const occ = symbols[r];
      const wrong = occ ? symbolDisagrees(occ, c, r) : null;
      if (wrong)
        return t.bad(
          r,
          idx.option_symbol!,
          'option_symbol',
          `${wrong}: a symbol and its row name one contract; correct the row or its symbol`,
        );
    }
  // A contract the file says is of other than the chain's multiplier of shares (a mini's
  // 10, an adjusted option's 150): counted at the chain's, its exposure would be misstated.
  for (const key of ['multiplier', 'deliverable'] as const) {
    const col = idx[key];
    if (col === undefined) continue;
    const size = new Float64Array(t.rows);
    const problem = t.numbers(col, key, rule(key, false), size);
    if (problem) return problem;
    for (let r = 0; r < t.rows; r++)
      if (isOtherSize(size[r]!, conv.contract_multiplier)) c.adjusted[r] = 1;
  }
  return ok({ format, underlying, as_of: asOf, spot, contracts: c });
}
