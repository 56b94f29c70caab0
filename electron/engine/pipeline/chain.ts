// The normalised option chain every reader produces: one contract a slot in columnar
// typed arrays (the fields of ContractRow in shared/domain.ts, plus the file line each
// came from), and the one place CSV cells become numbers and dates, strictly, with the
// file, line and field of the first bad cell.
import type { ContractRow } from '../../../shared/domain.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import { err, type Err } from '../../../shared/result.ts';
import { quoted } from '../../../shared/visible.ts';
import { cellText, type CsvTable } from './csv-scan.ts';
import { NOT_A_DATE, parseExpiry } from './dates.ts';
import {
  EMPTY,
  isNoValueText,
  numberProblem,
  parseNumberAt,
  percentText,
  type NumberRule,
} from './numbers.ts';

export type Contracts = {
  n: number;
  /**
   * 1-based line of the file (CSV), row (Parquet) or index + 1 in the options array (JSON,
   * no line of anything): an error names it through contractAt (contract-place.ts).
   */
  line: Int32Array;
  /** Index into `expiries`. */
  expiry: Int32Array;
  /** Distinct expiries, YYYY-MM-DD. */
  expiries: string[];
  strike: Float64Array;
  /** 1 call, 0 put. */
  call: Uint8Array;
  open_interest: Float64Array;
  volume: Float64Array;
  /** NaN where the file has no value (iv, gamma, delta, bid, ask). */
  iv: Float64Array;
  gamma: Float64Array;
  /** The file's delta (puts negative); NaN where the file gives none (then Black-Scholes delta is used). */
  delta: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** Index into `roots` (the OCC root of the contract's symbol), -1 where there is none. */
  root: Int32Array;
  /** Distinct roots, e.g. SPX and SPXW; the long format's is its underlying. */
  roots: string[];
  /**
   * 1 where the file says the contract is not a standard one beyond its root (a long
   * file's multiplier or deliverable that is not the chain's: standard-contract.ts).
   */
  adjusted: Uint8Array;
};

export type Chain = {
  format: ChainFormat;
  underlying: string;
  as_of: string;
  spot: number;
  contracts: Contracts;
};

export function allocContracts(n: number): Contracts {
  return {
    n,
    line: new Int32Array(n),
    expiry: new Int32Array(n),
    expiries: [],
    strike: new Float64Array(n),
    call: new Uint8Array(n),
    open_interest: new Float64Array(n),
    volume: new Float64Array(n),
    iv: new Float64Array(n),
    gamma: new Float64Array(n),
    delta: new Float64Array(n).fill(NaN),
    bid: new Float64Array(n),
    ask: new Float64Array(n),
    root: new Int32Array(n),
    roots: [],
    adjusted: new Uint8Array(n),
  };
}

// How every pipeline message echoes a value from a file (shared/visible.ts).
export { quoted };

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** The chain as ContractRow objects (for callers that want rows, not columns). */
export function toContractRows(chain: Chain): ContractRow[] {
  const c = chain.contracts;
  const rows: ContractRow[] = [];
  for (let i = 0; i < c.n; i++) {
    rows.push({
      underlying: chain.underlying,
      as_of: chain.as_of,
      spot: chain.spot,
      expiry: c.expiries[c.expiry[i]!]!,
      strike: c.strike[i]!,
      option_type: c.call[i] ? 'C' : 'P',
      open_interest: c.open_interest[i]!,
      volume: c.volume[i]!,
      iv: orNull(c.iv[i]!),
      gamma: orNull(c.gamma[i]!),
      bid: orNull(c.bid[i]!),
      ask: orNull(c.ask[i]!),
    });
  }
  return rows;
}

/**
 * Parses column `col` of every row into out[offset + row] under `rule` (numbers.ts); a
 * blank optional cell is NaN. Returns the error of the first bad cell, or null.
 */
export function parseNumberColumn(
  file: string,
  t: CsvTable,
  col: number,
  field: string,
  rule: NumberRule,
  out: Float64Array,
  offset: number,
): Err | null {
  const { bytes, starts, ends, kept } = t;
  const slot = t.slot[col]!;
  for (let r = 0, i = slot; r < t.rows; r++, i += kept) {
    let v = parseNumberAt(bytes, starts[i]!, ends[i]!);
    if (Number.isNaN(v) && rule.percent) v = percentText(cellText(t, r, col));
    // Within [min, max] and not the markers: the common case, no call.
    if (
      v >= rule.min &&
      v <= rule.max &&
      v !== EMPTY &&
      (rule.smallest === undefined || v === 0 || Math.abs(v) >= rule.smallest) &&
      !(rule.above && v === rule.min)
    ) {
      out[offset + r] = v;
      continue;
    }
    const problem = numberProblem(v, rule);
    if (problem !== null) return badCell(file, t, r, col, field, problem);
    out[offset + r] = v === EMPTY ? NaN : v;
  }
  return null;
}

export function badCell(
  file: string,
  t: CsvTable,
  row: number,
  col: number,
  field: string,
  what: string,
): Err {
  const line = t.lines[row]!;
  const value = what === 'is missing' ? '' : ` (${quoted(cellText(t, row, col))})`;
  return err('BAD_VALUE', `${file}, line ${line}, field "${field}"${value} ${what}`, {
    file,
    line,
    field,
  });
}

/** Parses an expiry column into codes into `expiries` (shared across calls). */
export function parseExpiryColumn(
  file: string,
  t: CsvTable,
  col: number,
  field: string,
  expiries: string[],
  out: Int32Array,
  offset: number,
): Err | null {
  const byText = new Map<string, number>();
  const byIso = new Map<string, number>(expiries.map((e, i) => [e, i]));
  for (let r = 0; r < t.rows; r++) {
    const text = cellText(t, r, col);
    let code = byText.get(text);
    if (code === undefined) {
      const iso = parseExpiry(text);
      if (iso === null)
        return badCell(file, t, r, col, field, isNoValueText(text) ? 'is missing' : NOT_A_DATE);
      code = byIso.get(iso);
      if (code === undefined) {
        code = expiries.length;
        expiries.push(iso);
        byIso.set(iso, code);
      }
      byText.set(text, code);
    }
    out[offset + r] = code;
  }
  return null;
}
