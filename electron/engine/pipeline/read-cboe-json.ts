// Reader for CBOE's delayed-quotes JSON: {"timestamp": "2025-09-06 23:24:50", "data":
// {"options": [{"option": "META250912C00300000", "open_interest", "volume", "iv",
// "gamma", "bid", "ask", …}], "current_price", "symbol"}}. Expiry, type and strike come
// from the OCC symbol; the timestamp, having no offset, is exchange time.
import type { GexConventions } from '../../../shared/domain.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import { allocContracts, type Chain } from './chain.ts';
import { parseOcc, underlyingOfRoot } from './occ.ts';
import type { SourceFile } from './source.ts';
import { parseTimestamp } from './time.ts';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 1-based line of character `pos` of `text`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Where JSON.parse stopped: V8 gives "at position N" or a quoted snippet around the token. */
function errorPosition(text: string, message: string): number {
  const m = /position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const snip = /Unexpected token '([\s\S])', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (snip) {
    const at = text.indexOf(snip[2]!);
    if (at >= 0) return at + Math.max(0, snip[2]!.indexOf(snip[1]!, Math.min(10, snip[2]!.length - 1)));
  }
  return text.length;
}

export function parseJsonText(file: string, bytes: Buffer): Result<Json> {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return ok(JSON.parse(text));
  } catch (e) {
    const message = (e as Error).message;
    const pos = errorPosition(text, message);
    const line = lineAt(text, pos);
    if (/end of JSON input|Unterminated string/i.test(message) || pos >= text.trimEnd().length) {
      return err('TRUNCATED', `${file}, line ${line}: the JSON ends before it is complete: the file was cut short`, { file, line });
    }
    return err('BAD_SHAPE', `${file}, line ${line}: not valid JSON (${message.split('\n')[0]})`, { file, line });
  }
}

const shape = (file: string, path: string, what: string): Err =>
  err('BAD_SHAPE', `${file}: ${path} ${what}`, { file, field: path });

export function readCboeJson(src: SourceFile, conv: GexConventions): Result<Chain> {
  const { file } = src;
  const parsed = parseJsonText(file, src.bytes);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (!isObject(root)) return shape(file, '$', 'must be an object with "timestamp" and "data"');
  const data = root.data;
  if (!isObject(data)) return shape(file, '$.data', 'must be an object with "options" and "current_price"');
  if (typeof root.timestamp !== 'string') return shape(file, '$.timestamp', 'must be a string such as "2025-09-06 23:24:50"');
  const asOf = parseTimestamp(root.timestamp, conv.exchange_time_zone);
  if (asOf === null) return err('BAD_VALUE', `${file}: $.timestamp ("${root.timestamp}") is not a timestamp`, { file, field: '$.timestamp' });
  const spot = data.current_price;
  if (typeof spot !== 'number' || !(spot > 0)) return shape(file, '$.data.current_price', 'must be a positive number');
  const options = data.options;
  if (!Array.isArray(options)) return shape(file, '$.data.options', 'must be an array of option quotes');
  if (options.length === 0) return err('NO_ROWS', `${file}: $.data.options is empty`, { file, field: '$.data.options' });

  const c = allocContracts(options.length);
  const expiryCode = new Map<string, number>();
  const roots = new Map<string, number>();
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    const at = `$.data.options[${i}]`;
    if (!isObject(o)) return shape(file, at, 'must be an object');
    if (typeof o.option !== 'string') return shape(file, `${at}.option`, 'must be an OCC option symbol string');
    const occ = parseOcc(o.option);
    if (!occ) return err('BAD_VALUE', `${file}: ${at}.option ("${o.option}") is not an OCC option symbol`, { file, field: `${at}.option` });
    let code = expiryCode.get(occ.expiry);
    if (code === undefined) {
      code = c.expiries.length;
      c.expiries.push(occ.expiry);
      expiryCode.set(occ.expiry, code);
    }
    roots.set(occ.root, (roots.get(occ.root) ?? 0) + 1);
    c.line[i] = i + 1;
    c.expiry[i] = code;
    c.strike[i] = occ.strike;
    c.call[i] = occ.option_type === 'C' ? 1 : 0;
    for (const [key, required] of NUMBER_FIELDS) {
      const v = o[key];
      if (v === null || v === undefined) {
        if (required) return shape(file, `${at}.${key}`, 'is missing');
        c[key][i] = NaN;
      } else if (typeof v !== 'number' || !Number.isFinite(v)) {
        return shape(file, `${at}.${key}`, `must be a number, not ${JSON.stringify(v).slice(0, 40)}`);
      } else if (v < 0 && key !== 'gamma' && key !== 'bid' && key !== 'ask') {
        return err('BAD_VALUE', `${file}: ${at}.${key} (${v}) must not be negative`, { file, field: `${at}.${key}` });
      } else c[key][i] = v;
    }
    if (!(c.strike[i]! > 0)) return err('BAD_VALUE', `${file}: ${at}.option has strike 0`, { file, field: `${at}.option` });
  }
  let underlying = '';
  let most = -1;
  for (const [r, n] of roots) {
    if (n > most) {
      most = n;
      underlying = underlyingOfRoot(r);
    }
  }
  return ok({ format: 'cboe-json', underlying, as_of: asOf, spot, contracts: c });
}

const NUMBER_FIELDS: ['open_interest' | 'volume' | 'iv' | 'gamma' | 'bid' | 'ask', boolean][] = [
  ['open_interest', true],
  ['volume', true],
  ['iv', false],
  ['gamma', false],
  ['bid', false],
  ['ask', false],
];
