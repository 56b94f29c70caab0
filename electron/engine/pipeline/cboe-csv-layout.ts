// The layout of CBOE's delayed-quotes "Download CSV" before its body: the preamble (line 2's
// "Last:" price, line 3's date; a line earlier when the empty first line was removed, one
// later below Excel's `sep=,`) and
// the header whose call and put columns share names around Strike. Detection, the reader
// and sniff (a file's first bytes) find and read them with this one code, so the facts
// sniff gives are the reader's.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { quoted } from './chain.ts';
import { isBlankRow, rowTexts, splitCsvLine } from './csv-scan.ts';
import { excelSepHint } from './excel-sep.ts';
import { numberProblem, parseNumberText, rule } from './numbers.ts';
import {
  formatOffset,
  hour24,
  monthNumber,
  validWall,
  wallIso,
  zonedIso,
  type WallTime,
} from './time.ts';

/**
 * The 1-based lines of a download's parts: its "Last:" line (2 as CBOE writes it, after an
 * empty line; 1 when that line was removed), the date line after it, the header, the body.
 */
export type CboeLines = { last: number; date: number; header: number; body: number };

const LAST_CELL = /(^|,)\s*"?Last:/i;

/** A line of only empty or blank cells (an empty line, or `,,,,` as Excel saves one). */
export const isBlankLine = (line: string): boolean => {
  const b = Buffer.from(line, 'utf8');
  return isBlankRow(b, 0, b.length);
};

/**
 * Where a download's parts are, from its first lines (firstLines(…, 4)): its "Last:" cell
 * on line 2 (whatever line 1 holds), or on the first line that is not blank (the empty
 * first line removed, or more blank lines above it); null when neither line has one.
 * Excel's `sep=,` as the first line that is not blank (excel-sep.ts) is no part of the
 * download: the lines after it are read so, numbered as in the file. One naming another
 * separator is not skipped (detect-format.ts refuses it, with cboeLinesAfter).
 */
export function cboeLines(lines: readonly string[]): CboeLines | null {
  const first = lines.findIndex((l) => !isBlankLine(l));
  const hint = first >= 0 && excelSepHint(lines[first]!) === ',';
  return cboeLinesAfter(lines, hint ? first + 1 : 0);
}

/** cboeLines of the lines after the first `skip` (a `sep=` hint and the blank lines above it), numbered as in the file. */
export function cboeLinesAfter(all: readonly string[], skip: number): CboeLines | null {
  const lines = all.slice(skip);
  let last = 0;
  if (LAST_CELL.test(lines[1] ?? '')) last = 2;
  else {
    const first = lines.findIndex((l) => !isBlankLine(l));
    if (first >= 0 && LAST_CELL.test(lines[first]!)) last = first + 1;
  }
  if (last === 0) return null;
  last += skip;
  return { last, date: last + 1, header: last + 2, body: last + 3 };
}

/** The 1-based line among `lines` with a "Last:" cell, 0 when none has one. */
export const lineWithLast = (lines: readonly string[]): number =>
  lines.findIndex((l) => LAST_CELL.test(l)) + 1;

/**
 * Whether a line is a download's header (Expiration Date, Calls, …, Strike, Puts, …): what
 * tells a download whose preamble lines were removed.
 */
export function isCboeHeaderLine(line: string): boolean {
  const cells = new Set(splitCsvLine(line).map((c) => c.trim().toLowerCase()));
  return (
    cells.has('strike') &&
    (cells.has('calls') || cells.has('puts')) &&
    ['expiration date', 'expiration', 'expiry', 'expiry date'].some((n) => cells.has(n))
  );
}

/**
 * What the labels a date line may carry mean. A label that names one offset (EST is
 * UTC−5, EDT UTC−4, PST UTC−8, …) is that offset, whatever the date or the exchange's zone:
 * it is what the file says ("1:30 AM EST" the night clocks go back is the second 01:30,
 * and an EST label on a July date is −05:00). A label that names a zone but no offset
 * (ET, Eastern, CT, PT, …) is that zone's offset on the date; ET and Eastern, as a date
 * line without a label, are the exchange's own zone (`conventions.exchange_time_zone`).
 * Any other label is refused, never taken for exchange time: a file saved on the west
 * coast would be three hours off.
 */
type LabelMeaning = { zone: string } | { offset: number };
const EXCHANGE: LabelMeaning = { zone: '' };
const fixed = (hours: number): LabelMeaning => ({ offset: hours * 60 });
const LABELS: Record<string, LabelMeaning> = {
  '': EXCHANGE,
  EST: fixed(-5),
  EDT: fixed(-4),
  ET: EXCHANGE,
  EASTERN: EXCHANGE,
  UTC: fixed(0),
  GMT: fixed(0),
  Z: fixed(0),
  CST: fixed(-6),
  CDT: fixed(-5),
  CT: { zone: 'America/Chicago' },
  CENTRAL: { zone: 'America/Chicago' },
  MST: fixed(-7),
  MDT: fixed(-6),
  MT: { zone: 'America/Denver' },
  MOUNTAIN: { zone: 'America/Denver' },
  PST: fixed(-8),
  PDT: fixed(-7),
  PT: { zone: 'America/Los_Angeles' },
  PACIFIC: { zone: 'America/Los_Angeles' },
};
export const KNOWN_ZONE_LABELS = Object.keys(LABELS).filter(Boolean).join(', ');

const TIME = String.raw`,?\s*(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*([A-Za-z]+)?`;
const MONTH_FIRST = new RegExp(String.raw`Date:\s*([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})` + TIME);
const DAY_FIRST = new RegExp(String.raw`Date:\s*(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})` + TIME);

/** The time zone label of a date line when it is not one of LABELS; null otherwise. */
export function unknownZoneLabel(line: string): string | null {
  const text = line.replace(/"/g, '');
  const m = MONTH_FIRST.exec(text) ?? DAY_FIRST.exec(text);
  const label = (m?.[8] ?? '').toUpperCase();
  return Object.hasOwn(LABELS, label) ? null : label;
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
  if (!Object.hasOwn(LABELS, label)) return null; // a label it does not know (unknownZoneLabel says which)
  const meaning = LABELS[label]!;
  if ('offset' in meaning) return `${wallIso(t)}${formatOffset(meaning.offset)}`;
  return zonedIso(t, meaning.zone || exchangeZone);
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

/** A download's date, as CBOE writes it (the date line's first cell, after "Date:"). */
const DATE_EXAMPLE = 'January 7, 2024 at 10:52 AM EST';

/**
 * TRUNCATED when the file ends before line `date` (its date line): the lines it has, and
 * the one expected, named (its last line, which exists, is the error's); null when the line
 * is there. `lines` (firstLines) end with an empty string after a final line break: no line.
 */
function endsBefore(file: string, lines: string[], date: number): Result<never> | null {
  const has = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  if (lines.length > date || has >= date) return null;
  return err(
    'TRUNCATED',
    `${file} has ${has === 1 ? '1 line' : `${has} lines`} and ends before its date line (line ${date}, like "Date: ${DATE_EXAMPLE}", then the header and the option rows): it was cut short`,
    { file, line: has, field: 'Date' },
  );
}

/** spot from the "Last:" line (line 2), as_of from the "Date:" line after it. */
export function readPreamble(
  file: string,
  lines: string[],
  at: CboeLines,
  conv: GexConventions,
): Result<{ spot: number; as_of: string }> {
  const text = lastText(lines[at.last - 1] ?? '');
  const spot = text === null ? NaN : parseNumberText(text);
  if (text === null || text === '' || Number.isNaN(spot)) {
    return err(
      'BAD_VALUE',
      `${file}, line ${at.last}, field "Last": no positive underlying price after "Last:"`,
      { file, line: at.last, field: 'Last' },
    );
  }
  const problem = numberProblem(spot, rule('spot', true));
  if (problem !== null)
    return err('BAD_VALUE', `${file}, line ${at.last}, field "Last" (${quoted(text)}) ${problem}`, {
      file,
      line: at.last,
      field: 'Last',
    });
  const ended = endsBefore(file, lines, at.date);
  if (ended) return ended;
  const dateLine = lines[at.date - 1]!;
  const zoneLabel = unknownZoneLabel(dateLine);
  if (zoneLabel !== null)
    return err(
      'BAD_VALUE',
      `${file}, line ${at.date}, field "Date": the time zone "${zoneLabel}" is not one GEX Desk knows (${KNOWN_ZONE_LABELS}; ET and Eastern are the exchange's)`,
      { file, line: at.date, field: 'Date' },
    );
  const asOf = parseCboeDate(dateLine, conv.exchange_time_zone);
  // The file's last line, without its ending (none past it: lines go to the header).
  if (asOf === null && lines.length === at.date)
    return err(
      'TRUNCATED',
      `${file}, line ${at.date}, field "Date": the file ends inside its date line (${quoted(dateLine)}, where CBOE writes one like "${DATE_EXAMPLE}"): it was cut short`,
      { file, line: at.date, field: 'Date' },
    );
  if (asOf === null) {
    return err(
      'BAD_VALUE',
      `${file}, line ${at.date}, field "Date": not a date like "${DATE_EXAMPLE}"`,
      { file, line: at.date, field: 'Date' },
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

/** The header (line `line`, 4 as CBOE writes it, starting at byte `start`): where each needed column is. */
export function readHeader(
  file: string,
  bytes: Buffer,
  start: number,
  line: number,
  limits: ReadLimits,
): Result<CboeHeader> {
  const where = { file, line };
  const row = rowTexts(bytes, start, limits.maxColumns + 1);
  if (row.count > limits.maxColumns) {
    return err(
      'TOO_MANY_COLUMNS',
      `${file}, line ${line}: the header has more than ${limits.maxColumns} columns (limits.maxColumns)`,
      where,
    );
  }
  const header = row.cells.map((h) => h.trim().toLowerCase());
  if (header.length < 2)
    return err(
      'BAD_HEADER',
      `${file}, line ${line}: the header line (Expiration Date, Calls, …, Strike, Puts, …) is missing`,
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
      return err('BAD_HEADER', `${file}, line ${line}: no "${name}" column in the header`, {
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
          `${file}, line ${line}: no ${f.label} column on the ${s} side of Strike`,
          { ...where, field: `${sideLabel(s)} ${f.label}` },
        );
      }
    }
    if (side[s].iv === undefined && side[s].gamma === undefined) {
      return err(
        'BAD_HEADER',
        `${file}, line ${line}: neither IV nor Gamma on the ${s} side of Strike`,
        {
          ...where,
          field: `${sideLabel(s)} Gamma`,
        },
      );
    }
  }
  const calls = find(['calls', 'call'], 0, header.length);
  const puts = find(['puts', 'put'], 0, header.length);
  return ok({ complete: row.terminated, width: header.length, strike, expiry, calls, puts, side });
}

/** Fallback when no symbol is an OCC symbol: the first word of the name on the "Last:" line. */
export function nameFromLine2(line: string): string {
  const name = (splitCsvLine(line)[0] ?? '').trim();
  return (name.split(/\s+/)[0] ?? 'UNKNOWN').toUpperCase().slice(0, 10) || 'UNKNOWN';
}
