// Reader for CBOE's delayed-quotes "Download CSV": a three-line preamble (blank; name
// and Last:; Date: and Volume:), a header whose call and put columns share names around
// Strike (cboe-csv-layout.ts), then one line per (expiry, strike) holding a call and a
// put. Produces two contract rows per line. See docs/formats.md for every quirk handled.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import {
  allocContracts,
  parseExpiryColumn,
  parseNumberColumn,
  quoted,
  type Chain,
  type Contracts,
} from './chain.ts';
import {
  cboeLines,
  nameFromLine2,
  readHeader,
  readPreamble,
  SIDE_FIELDS,
  sideLabel,
  type CboeHeader,
} from './cboe-csv-layout.ts';
import { symbolFields, type SymbolCheck } from './cboe-csv-symbols.ts';
import { cellIndex, scanCsv, textAt, type CsvTable } from './csv-scan.ts';
import { firstLines, lineStart, preambleLines } from './csv-text.ts';
import { rule } from './numbers.ts';
import { parentOfAdjusted, parseOcc, underlyingOfRoot } from './occ.ts';
import { HEAD_BYTES } from './detect-format.ts';
import type { SourceFile } from './source.ts';

export { parseCboeDate } from './cboe-csv-layout.ts';

/** The columns the body scan keeps. */
export function keptColumns(h: CboeHeader): number[] {
  const cols = [h.expiry, h.strike, h.calls, h.puts];
  for (const side of ['call', 'put'] as const)
    for (const f of SIDE_FIELDS) cols.push(h.side[side][f.key] ?? -1);
  return cols.filter((c) => c >= 0);
}

export function readCboeCsv(
  src: SourceFile,
  conv: GexConventions,
  limits: ReadLimits,
): Result<Chain> {
  const { file, bytes } = src;
  // Where detectFormat found the "Last:" line (line 2, or 1 without the empty first line).
  const at = cboeLines(firstLines(bytes.subarray(0, HEAD_BYTES), 4));
  if (at === null)
    return err('UNKNOWN_FORMAT', `${file}: no "Last:" line where a CBOE download has it`, {
      file,
      line: 2,
    });
  const pre = preambleLines(file, bytes, at.header, limits.maxLineBytes);
  if (!pre.ok) return pre;
  const lines = pre.value;
  const facts = readPreamble(file, lines, at, conv);
  if (!facts.ok) return facts;
  if (lines.length < at.header || (lines[at.header - 1] ?? '').trim() === '') {
    return err(
      'BAD_HEADER',
      `${file}, line ${at.header}: the header line (Expiration Date, Calls, …, Strike, Puts, …) is missing`,
      { file, line: at.header },
    );
  }
  const header = readHeader(file, bytes, lineStart(bytes, at.header), at.header, limits);
  if (!header.ok) return header;
  const h = header.value;
  const bodyStart = lineStart(bytes, at.body);
  const scanned = scanCsv(file, bytes, bodyStart < 0 ? bytes.length : bodyStart, at.body, h.width, {
    keep: keptColumns(h),
    maxRows: Math.floor(limits.maxRows / 2),
    rowLimit: `${limits.maxRows} contracts, two a line (limits.maxRows)`,
    maxLineBytes: limits.maxLineBytes,
  });
  if (!scanned.ok) return scanned;
  const t = scanned.value;
  if (t.rows === 0)
    return err('NO_ROWS', `${file} has a header but no option rows`, { file, line: at.header });
  // Calls in slots [0, rows), puts in [rows, 2 rows).
  const c = allocContracts(t.rows * 2);
  for (let r = 0; r < t.rows; r++) {
    c.line[r] = t.lines[r]!;
    c.line[t.rows + r] = t.lines[r]!;
    c.call[r] = 1;
  }
  const failed =
    parseExpiryColumn(file, t, h.expiry, 'Expiration Date', c.expiries, c.expiry, 0) ??
    parseNumberColumn(file, t, h.strike, 'Strike', rule('strike', true), c.strike, 0);
  if (failed) return failed;
  c.expiry.copyWithin(t.rows, 0, t.rows);
  c.strike.copyWithin(t.rows, 0, t.rows);
  for (const side of ['call', 'put'] as const) {
    const offset = side === 'call' ? 0 : t.rows;
    for (const f of SIDE_FIELDS) {
      const idx = h.side[side][f.key];
      const out = c[f.key];
      if (idx === undefined) {
        out.fill(NaN, offset, offset + t.rows);
        continue;
      }
      const bad = parseNumberColumn(
        file,
        t,
        idx,
        `${sideLabel(side)} ${f.label}`,
        rule(f.key, f.required),
        out,
        offset,
      );
      if (bad) return bad;
    }
  }
  const fromSymbols = symbolRoots(file, t, h, c, symbolFields(file, t, h.strike, c));
  if (typeof fromSymbols === 'object' && fromSymbols !== null) return fromSymbols;
  const underlying = fromSymbols ?? nameFromLine2(lines[at.last - 1] ?? '');
  return ok({
    format: 'cboe-csv',
    underlying,
    as_of: facts.value.as_of,
    spot: facts.value.spot,
    contracts: c,
  });
}

/** What a symbol cell says: its raw root (the text before the 15-character OCC tail). */
export type SymbolCell =
  { raw: string; root: string; underlying: string } | { raw: string; root: null; underlying: null };

/** The root and underlying of a symbol cell; null for a cell too short to hold a symbol. */
export function symbolCell(
  bytes: Buffer,
  start: number,
  end: number,
  escaped: number,
): SymbolCell | null {
  if (end - start < 16) return null;
  const raw = bytes.toString('latin1', start, end - 15);
  const occ = parseOcc(textAt(bytes, start, end, escaped));
  return occ
    ? { raw, root: occ.root, underlying: underlyingOfRoot(occ.root) }
    : { raw, root: null, underlying: null };
}

/**
 * Fills each contract's root from its side's symbol and returns the one underlying of the
 * symbols (SPXW and SPX → SPX), null when no symbol is an OCC symbol, or the error of
 * the first symbol of another underlying: a file holds one underlying. The roots are
 * judged in file order (a line's call, then its put), each distinct raw root once, by
 * its first cell, which is what sniff reads from a file's first data line. Each OCC
 * symbol's expiry, type and strike are checked against its line by `agree`
 * (cboe-csv-symbols.ts), in the same order, so the first bad cell is the one named.
 */
function symbolRoots(
  file: string,
  t: CsvTable,
  h: CboeHeader,
  c: Contracts,
  agree: SymbolCheck,
): string | null | Err {
  type Seen = { code: number; underlying: string | null };
  const raws = new Map<string, Seen>();
  const byName = new Map<string, number>();
  const bytes = t.bytes;
  let underlying: string | null = null;
  // Consecutive lines mostly share a side's root: compare its bytes before making a string.
  const last = [
    { start: 0, len: -1, seen: null as Seen | null },
    { start: 0, len: -1, seen: null as Seen | null },
  ];
  const take = (r: number, col: number, slot: number, side: 0 | 1): Err | null => {
    const i = cellIndex(t, r, col);
    const start = t.starts[i]!;
    const len = t.ends[i]! - start - 15;
    if (len < 1) return null;
    const prev = last[side]!;
    let seen = prev.len === len && sameBytes(bytes, prev.start, start, len) ? prev.seen : null;
    if (!seen) {
      const raw = bytes.toString('latin1', start, start + len);
      seen = raws.get(raw) ?? null;
      if (!seen) {
        const cell = symbolCell(bytes, start, t.ends[i]!, t.escaped[i]!)!;
        const name = cell.root ?? raw.trim().toUpperCase();
        let code = byName.get(name);
        if (code === undefined) {
          code = c.roots.length;
          c.roots.push(name);
          byName.set(name, code);
        }
        seen = { code, underlying: cell.underlying };
        raws.set(raw, seen);
        if (cell.underlying !== null && underlying !== null && cell.underlying !== underlying) {
          // A stock's adjusted options (AAPL1 beside AAPL) are of the stock; any other is not.
          const parent = parentOfAdjusted(cell.underlying, underlying);
          if (parent === null) {
            const line = t.lines[r]!;
            const field = sideLabel(side === 0 ? 'call' : 'put');
            return err(
              'BAD_VALUE',
              `${file}, line ${line}, field "${field}": the symbol root ${quoted(cell.root!)} is of ${quoted(cell.underlying)}, not ${underlying} as the first symbol: a file holds one underlying`,
              { file, line, field },
            );
          }
          underlying = parent;
        }
        underlying ??= cell.underlying;
      }
      last[side] = { start, len, seen };
    }
    c.root[slot] = seen.code;
    return seen.underlying === null ? null : agree(r, i, slot, side);
  };
  c.root.fill(-1);
  for (let r = 0; r < t.rows; r++) {
    const bad =
      (h.calls >= 0 ? take(r, h.calls, r, 0) : null) ??
      (h.puts >= 0 ? take(r, h.puts, t.rows + r, 1) : null);
    if (bad) return bad;
  }
  return underlying;
}

function sameBytes(b: Buffer, a: number, c: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[a + k] !== b[c + k]) return false;
  return true;
}
