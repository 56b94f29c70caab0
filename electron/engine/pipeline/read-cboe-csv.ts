// Reader for CBOE's delayed-quotes "Download CSV": a three-line preamble (blank; name
// and Last:; Date: and Volume:), a header whose call and put columns share names around
// Strike, then one line per (expiry, strike) holding a call and a put. Produces two
// contract rows per line. See docs/formats.md for every quirk handled here.
import type { GexConventions } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { allocContracts, parseExpiryColumn, parseNumberColumn, type Chain } from './chain.ts';
import { cellText, scanCsv, type CsvCells } from './csv-scan.ts';
import { firstLines, lineStart, splitCsvLine } from './csv-text.ts';
import { parseOcc, underlyingOfRoot } from './occ.ts';
import type { SourceFile } from './source.ts';
import { monthNumber, validWall, zonedIso, type WallTime } from './time.ts';

const HEADER_LINE = 4;
const FIRST_DATA_LINE = 5;

/** Time zones of the labels CBOE writes; anything else is the exchange's zone. */
const LABEL_ZONES: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
};

const TIME = String.raw`,?\s*(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*([A-Za-z]{1,5})?`;
const MONTH_FIRST = new RegExp(String.raw`Date:\s*([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})` + TIME);
const DAY_FIRST = new RegExp(String.raw`Date:\s*(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})` + TIME);

/** "Date: January 7, 2024 at 10:52 AM EST" or "Date: February 5 2022, 8:26 PM EST" → ISO. */
export function parseCboeDate(line: string, exchangeZone: string): string | null {
  const text = line.replace(/"/g, '');
  let m = MONTH_FIRST.exec(text);
  let parts: [string, string, string] | null = m ? [m[1]!, m[2]!, m[3]!] : null;
  if (!m) {
    m = DAY_FIRST.exec(text);
    if (m) parts = [m[2]!, m[1]!, m[3]!];
  }
  if (!m || !parts) return null;
  const month = monthNumber(parts[0]);
  if (month === 0) return null;
  let hour = Number(m[4]);
  const ampm = m[7]?.toUpperCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
  }
  const t: WallTime = { year: Number(parts[2]), month, day: Number(parts[1]), hour, minute: Number(m[5]), second: m[6] ? Number(m[6]) : 0 };
  if (!validWall(t)) return null;
  const label = (m[8] ?? '').toUpperCase();
  return zonedIso(t, LABEL_ZONES[label] ?? exchangeZone);
}

/** The number after "Last:" on line 2 (quoted with thousands separators or not). */
function parseLast(line: string): number | null {
  for (const cell of splitCsvLine(line)) {
    const m = /^\s*Last:\s*(.*)$/i.exec(cell);
    if (m) {
      const v = Number(m[1]!.replace(/[,$\s]/g, ''));
      return m[1]!.trim() !== '' && Number.isFinite(v) ? v : null;
    }
  }
  return null;
}

type Side = 'call' | 'put';
const SIDE_FIELDS = [
  { key: 'open_interest', label: 'Open Interest', names: ['open interest', 'open int', 'oi'], required: true, bound: 'nonneg' as const },
  { key: 'volume', label: 'Volume', names: ['volume', 'vol'], required: true, bound: 'nonneg' as const },
  { key: 'iv', label: 'IV', names: ['iv', 'implied volatility'], required: false, bound: 'nonneg' as const },
  { key: 'gamma', label: 'Gamma', names: ['gamma'], required: false },
  { key: 'bid', label: 'Bid', names: ['bid'], required: false },
  { key: 'ask', label: 'Ask', names: ['ask'], required: false },
];

export function readCboeCsv(src: SourceFile, conv: GexConventions): Result<Chain> {
  const { file, bytes } = src;
  const lines = firstLines(bytes, HEADER_LINE);
  const spot = parseLast(lines[1] ?? '');
  if (spot === null || !(spot > 0)) {
    return err('BAD_VALUE', `${file}, line 2, field "Last": no positive underlying price after "Last:"`, { file, line: 2, field: 'Last' });
  }
  const asOf = parseCboeDate(lines[2] ?? '', conv.exchange_time_zone);
  if (asOf === null) {
    return err('BAD_VALUE', `${file}, line 3, field "Date": not a date like "January 7, 2024 at 10:52 AM EST"`, { file, line: 3, field: 'Date' });
  }
  if (lines.length < HEADER_LINE || (lines[3] ?? '').trim() === '') {
    return err('BAD_HEADER', `${file}, line 4: the header line (Expiration Date, Calls, …, Strike, Puts, …) is missing`, { file, line: HEADER_LINE });
  }
  const header = splitCsvLine(lines[3]!).map((h) => h.trim().toLowerCase());
  const find = (names: string[], from: number, to: number): number => {
    for (let i = from; i < to; i++) if (names.includes(header[i]!)) return i;
    return -1;
  };
  const strikeIdx = find(['strike'], 0, header.length);
  const expiryIdx = find(['expiration date', 'expiration', 'expiry', 'expiry date'], 0, header.length);
  const callsIdx = find(['calls', 'call'], 0, header.length);
  const putsIdx = find(['puts', 'put'], 0, header.length);
  for (const [idx, name] of [[strikeIdx, 'Strike'], [expiryIdx, 'Expiration Date']] as const) {
    if (idx < 0) return err('BAD_HEADER', `${file}, line 4: no "${name}" column in the header`, { file, line: HEADER_LINE, field: name });
  }
  const sideCols: Record<Side, Record<string, number>> = { call: {}, put: {} };
  for (const side of ['call', 'put'] as const) {
    const [from, to] = side === 'call' ? [0, strikeIdx] : [strikeIdx + 1, header.length];
    for (const f of SIDE_FIELDS) {
      const idx = find(f.names, from, to);
      if (idx >= 0) sideCols[side][f.key] = idx;
      else if (f.required) {
        const field = `${side === 'call' ? 'Calls' : 'Puts'} ${f.label}`;
        return err('BAD_HEADER', `${file}, line 4: no ${f.label} column on the ${side} side of Strike`, { file, line: HEADER_LINE, field });
      }
    }
    if (sideCols[side].iv === undefined && sideCols[side].gamma === undefined) {
      return err('BAD_HEADER', `${file}, line 4: neither IV nor Gamma on the ${side} side of Strike`, { file, line: HEADER_LINE, field: `${side === 'call' ? 'Calls' : 'Puts'} Gamma` });
    }
  }
  const bodyStart = lineStart(bytes, FIRST_DATA_LINE);
  const scanned = scanCsv(file, bytes, bodyStart < 0 ? bytes.length : bodyStart, FIRST_DATA_LINE, header.length);
  if (!scanned.ok) return scanned;
  const t = scanned.value;
  if (t.rows === 0) return err('NO_ROWS', `${file} has a header but no option rows`, { file, line: HEADER_LINE });
  // Calls in slots [0, rows), puts in [rows, 2 rows).
  const c = allocContracts(t.rows * 2);
  for (let r = 0; r < t.rows; r++) {
    c.line[r] = t.lines[r]!;
    c.line[t.rows + r] = t.lines[r]!;
    c.call[r] = 1;
  }
  const failed =
    parseExpiryColumn(file, t, expiryIdx, 'Expiration Date', c.expiries, c.expiry, 0) ??
    parseNumberColumn(file, t, strikeIdx, 'Strike', { required: true, bound: 'positive' }, c.strike, 0);
  if (failed) return failed;
  c.expiry.copyWithin(t.rows, 0, t.rows);
  c.strike.copyWithin(t.rows, 0, t.rows);
  for (const side of ['call', 'put'] as const) {
    const offset = side === 'call' ? 0 : t.rows;
    for (const f of SIDE_FIELDS) {
      const idx = sideCols[side][f.key];
      const out = c[f.key as 'open_interest' | 'volume' | 'iv' | 'gamma' | 'bid' | 'ask'];
      if (idx === undefined) {
        out.fill(NaN, offset, offset + t.rows);
        continue;
      }
      const field = `${side === 'call' ? 'Calls' : 'Puts'} ${f.label}`;
      const bad = parseNumberColumn(file, t, idx, field, { required: f.required, ...(f.bound ? { bound: f.bound } : {}) }, out, offset);
      if (bad) return bad;
    }
  }
  const underlying =
    underlyingFromSymbols(t, callsIdx >= 0 ? callsIdx : putsIdx) ?? nameFromLine2(lines[1] ?? '');
  return ok({ format: 'cboe-csv', underlying, as_of: asOf, spot, contracts: c });
}

/** The most common underlying among the option symbols' roots (SPXW and SPX → SPX). */
function underlyingFromSymbols(t: CsvCells, col: number): string | null {
  if (col < 0) return null;
  // Count the raw roots (the text before the 15-character OCC tail), then map each
  // distinct root once.
  const roots = new Map<string, { n: number; row: number }>();
  for (let r = 0; r < t.rows; r++) {
    const i = r * t.cols + col;
    const start = t.starts[i]!;
    const end = t.ends[i]!;
    if (end - start < 16) continue;
    const root = t.bytes.toString('latin1', start, end - 15);
    const seen = roots.get(root);
    if (seen) seen.n++;
    else roots.set(root, { n: 1, row: r });
  }
  const counts = new Map<string, number>();
  for (const { n, row } of roots.values()) {
    const occ = parseOcc(cellText(t, row, col));
    if (!occ) continue;
    const u = underlyingOfRoot(occ.root);
    counts.set(u, (counts.get(u) ?? 0) + n);
  }
  let best: string | null = null;
  for (const [u, n] of counts) if (best === null || n > counts.get(best)!) best = u;
  return best;
}

/** Fallback when no symbol is an OCC symbol: the first word of the name on line 2. */
function nameFromLine2(line: string): string {
  const name = (splitCsvLine(line)[0] ?? '').trim();
  return (name.split(/\s+/)[0] ?? 'UNKNOWN').toUpperCase().slice(0, 10) || 'UNKNOWN';
}
