// The layout of CBOE's delayed-quotes "Download CSV" before its body: the preamble (line 2's
// "Last:" price, line 3's date) and the header whose call and put columns share names
// around Strike. Both the reader and sniff (a file's first bytes) read them with this one
// code, so the facts sniff gives are the reader's.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { quoted } from './chain.ts';
import { rowTexts, splitCsvLine } from './csv-scan.ts';
import { numberProblem, parseNumberText, rule } from './numbers.ts';
import { hour24, monthNumber, validWall, zonedIso, type WallTime } from './time.ts';

export const HEADER_LINE = 4;
export const FIRST_DATA_LINE = 5;

/**
 * Time zones of the labels a date line may carry (the offset is the zone's on that date).
 * CBOE writes EST, EDT or ET: the exchange's own zone (`conventions.exchange_time_zone`),
 * as is a date line without a label. Any other label is refused, never taken for
 * exchange time: a file saved on the west coast would be three hours off.
 */
const EXCHANGE = '';
const LABEL_ZONES: Record<string, string> = {
  '': EXCHANGE,
  EST: EXCHANGE,
  EDT: EXCHANGE,
  ET: EXCHANGE,
  EASTERN: EXCHANGE,
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
  CENTRAL: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MT: 'America/Denver',
  MOUNTAIN: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PT: 'America/Los_Angeles',
  PACIFIC: 'America/Los_Angeles',
};
export const KNOWN_ZONE_LABELS = Object.keys(LABEL_ZONES).filter(Boolean).join(', ');

const TIME = String.raw`,?\s*(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*([A-Za-z]+)?`;
const MONTH_FIRST = new RegExp(String.raw`Date:\s*([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})` + TIME);
const DAY_FIRST = new RegExp(String.raw`Date:\s*(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})` + TIME);

/** The time zone label of a date line when it is not one of LABEL_ZONES; null otherwise. */
export function unknownZoneLabel(line: string): string | null {
  const text = line.replace(/"/g, '');
  const m = MONTH_FIRST.exec(text) ?? DAY_FIRST.exec(text);
  const label = (m?.[8] ?? '').toUpperCase();
  return Object.hasOwn(LABEL_ZONES, label) ? null : label;
}

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
  const hour = hour24(Number(m[4]), m[7]);
  if (hour === null) return null;
  const t: WallTime = {
    year: Number(parts[2]),
    month,
    day: Number(parts[1]),
    hour,
    minute: Number(m[5]),
    second: m[6] ? Number(m[6]) : 0,
  };
  if (!validWall(t)) return null;
  const label = (m[8] ?? '').toUpperCase();
  if (!Object.hasOwn(LABEL_ZONES, label)) return null; // a label it does not know (unknownZoneLabel says which)
  return zonedIso(t, LABEL_ZONES[label] || exchangeZone);
}

/**
 * The text after "Last:" on line 2, or null when the line has no such cell. CBOE writes
 * these lines' numbers with thousands separators and no quotes ("Volume: 71,039,449"), so
 * a price of 17,245.32 comes as the cells "Last: 17" and "245.32": the digit groups that
 * follow are joined back, never read as a price of 17.
 */
function lastText(line: string): string | null {
  const cells = splitCsvLine(line);
  for (let i = 0; i < cells.length; i++) {
    const m = /^\s*Last:\s*(.*)$/i.exec(cells[i]!);
    if (!m) continue;
    let text = m[1]!.replace(/[$\s]/g, '');
    while (/^-?\d{1,3}(,\d{3})*$/.test(text) && /^\s*\d{3}(\.\d*)?\s*$/.test(cells[i + 1] ?? ''))
      text += `,${cells[++i]!.trim()}`;
    return text;
  }
  return null;
}

/** spot from line 2's "Last:", as_of from line 3's "Date:". */
export function readPreamble(
  file: string,
  lines: string[],
  conv: GexConventions,
): Result<{ spot: number; as_of: string }> {
  const text = lastText(lines[1] ?? '');
  const spot = text === null ? NaN : parseNumberText(text);
  if (text === null || text === '' || Number.isNaN(spot)) {
    return err(
      'BAD_VALUE',
      `${file}, line 2, field "Last": no positive underlying price after "Last:"`,
      { file, line: 2, field: 'Last' },
    );
  }
  const problem = numberProblem(spot, rule('spot', true));
  if (problem !== null)
    return err('BAD_VALUE', `${file}, line 2, field "Last" (${quoted(text)}) ${problem}`, {
      file,
      line: 2,
      field: 'Last',
    });
  const zoneLabel = unknownZoneLabel(lines[2] ?? '');
  if (zoneLabel !== null)
    return err(
      'BAD_VALUE',
      `${file}, line 3, field "Date": the time zone "${zoneLabel}" is not one GEX Desk knows (${KNOWN_ZONE_LABELS}; EST, EDT and ET are the exchange's)`,
      { file, line: 3, field: 'Date' },
    );
  const asOf = parseCboeDate(lines[2] ?? '', conv.exchange_time_zone);
  if (asOf === null) {
    return err(
      'BAD_VALUE',
      `${file}, line 3, field "Date": not a date like "January 7, 2024 at 10:52 AM EST"`,
      { file, line: 3, field: 'Date' },
    );
  }
  return ok({ spot, as_of: asOf });
}

export type Side = 'call' | 'put';
export const SIDE_FIELDS = [
  {
    key: 'open_interest',
    label: 'Open Interest',
    names: ['open interest', 'open int', 'oi'],
    required: true,
  },
  { key: 'volume', label: 'Volume', names: ['volume', 'vol'], required: true },
  { key: 'iv', label: 'IV', names: ['iv', 'implied volatility'], required: false },
  { key: 'gamma', label: 'Gamma', names: ['gamma'], required: false },
  { key: 'delta', label: 'Delta', names: ['delta'], required: false },
  { key: 'bid', label: 'Bid', names: ['bid'], required: false },
  { key: 'ask', label: 'Ask', names: ['ask'], required: false },
] as const;
export type SideField = (typeof SIDE_FIELDS)[number]['key'];

export type CboeHeader = {
  /** The header line ends inside the bytes read (sniff reads only a file's head). */
  complete: boolean;
  width: number;
  strike: number;
  expiry: number;
  /** The option symbol columns, -1 where absent. */
  calls: number;
  puts: number;
  side: Record<Side, Partial<Record<SideField, number>>>;
};

export const sideLabel = (side: Side): string => (side === 'call' ? 'Calls' : 'Puts');

/** The header (line 4, starting at byte `start`): where each needed column is. */
export function readHeader(
  file: string,
  bytes: Buffer,
  start: number,
  limits: ReadLimits,
): Result<CboeHeader> {
  const where = { file, line: HEADER_LINE };
  const row = rowTexts(bytes, start, limits.maxColumns + 1);
  if (row.count > limits.maxColumns) {
    return err(
      'TOO_MANY_COLUMNS',
      `${file}, line 4: the header has more than ${limits.maxColumns} columns (limits.maxColumns)`,
      where,
    );
  }
  const header = row.cells.map((h) => h.trim().toLowerCase());
  if (header.length < 2)
    return err(
      'BAD_HEADER',
      `${file}, line 4: the header line (Expiration Date, Calls, …, Strike, Puts, …) is missing`,
      where,
    );
  const find = (names: readonly string[], from: number, to: number): number => {
    for (let i = from; i < to; i++) if (names.includes(header[i]!)) return i;
    return -1;
  };
  const strike = find(['strike'], 0, header.length);
  const expiry = find(['expiration date', 'expiration', 'expiry', 'expiry date'], 0, header.length);
  for (const [idx, name] of [
    [strike, 'Strike'],
    [expiry, 'Expiration Date'],
  ] as const) {
    if (idx < 0)
      return err('BAD_HEADER', `${file}, line 4: no "${name}" column in the header`, {
        ...where,
        field: name,
      });
  }
  const side: CboeHeader['side'] = { call: {}, put: {} };
  for (const s of ['call', 'put'] as const) {
    const [from, to] = s === 'call' ? [0, strike] : [strike + 1, header.length];
    for (const f of SIDE_FIELDS) {
      const idx = find(f.names, from, to);
      if (idx >= 0) side[s][f.key] = idx;
      else if (f.required) {
        return err(
          'BAD_HEADER',
          `${file}, line 4: no ${f.label} column on the ${s} side of Strike`,
          { ...where, field: `${sideLabel(s)} ${f.label}` },
        );
      }
    }
    if (side[s].iv === undefined && side[s].gamma === undefined) {
      return err('BAD_HEADER', `${file}, line 4: neither IV nor Gamma on the ${s} side of Strike`, {
        ...where,
        field: `${sideLabel(s)} Gamma`,
      });
    }
  }
  const calls = find(['calls', 'call'], 0, header.length);
  const puts = find(['puts', 'put'], 0, header.length);
  return ok({ complete: row.terminated, width: header.length, strike, expiry, calls, puts, side });
}

/** Fallback when no symbol is an OCC symbol: the first word of the name on line 2. */
export function nameFromLine2(line: string): string {
  const name = (splitCsvLine(line)[0] ?? '').trim();
  return (name.split(/\s+/)[0] ?? 'UNKNOWN').toUpperCase().slice(0, 10) || 'UNKNOWN';
}
