// Reader for CBOE's delayed-quotes JSON: {"timestamp": "2025-09-06 23:24:50", "data":
// {"options": [{"option": "META250912C00300000", "open_interest", "volume", "iv",
// "gamma", "delta", "bid", "ask", …}], "current_price", "symbol"}}. Expiry, type and
// strike come from the OCC symbol; the timestamp, having no offset, is exchange time.
import { isAscii } from 'node:buffer';
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import { allocContracts, quoted, type Chain } from './chain.ts';
import { EMPTY, NOT_A_NUMBER, numberProblem, rule, TOO_BIG } from './numbers.ts';
import { occParser, parentOfAdjusted, underlyingOfRoot } from './occ.ts';
import type { SourceFile } from './source.ts';
import { parseTimestamp, TIMESTAMP_FORMS } from './time.ts';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** 1-based line of character `pos` of `text`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** V8's "…, "<snippet of the file>" is not valid JSON" tail. */
const SNIPPET = /, (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/;

/** Where JSON.parse stopped: V8 gives "at position N" or a quoted snippet around the token. */
function errorPosition(text: string, message: string): number {
  const m = /position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const snip = /Unexpected token '([\s\S])'/.exec(message);
  const around = SNIPPET.exec(message);
  if (snip && around) {
    const at = text.indexOf(around[1]!);
    if (at >= 0)
      return at + Math.max(0, around[1]!.indexOf(snip[1]!, Math.min(10, around[1]!.length - 1)));
  }
  return text.length;
}

/** V8's reason without the file's content or the position (given as a line instead). */
const reasonOf = (message: string): string =>
  // The snippet first: it may hold the file's own line breaks.
  (message.replace(SNIPPET, '').split('\n')[0] ?? '')
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at position \d+.*$/, '')
    .slice(0, 80);

/** NaN, Infinity or -Infinity where JSON.parse stopped at `pos` (-Infinity: at its I), and where it starts. */
function notJsonLiteral(text: string, pos: number): { word: string; at: number } | null {
  if (text.startsWith('NaN', pos)) return { word: 'NaN', at: pos };
  if (!text.startsWith('Infinity', pos)) return null;
  return text[pos - 1] === '-' ? { word: '-Infinity', at: pos - 1 } : { word: 'Infinity', at: pos };
}

/**
 * The JSON path of the value at `pos` of `text` (`$.data.options[3].gamma`), from a scan of
 * the text before it (valid JSON so far, where JSON.parse stopped); null at the top level.
 * Only for an error's message: a scan of the text up to the error. A key quoted as the
 * file's text is (at most 40 characters, escaped).
 */
function jsonPathAt(text: string, pos: number): string | null {
  // Each open container: an array's index, or an object's last key (null before the first).
  const stack: (number | string | null)[] = [];
  let inObject = false;
  const kinds: boolean[] = []; // true: object
  for (let i = 0; i < pos && i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (inObject && stack.at(-1) === null) {
        // A key: the next non-blank character is its colon.
        let k = j + 1;
        while (k < text.length && /\s/.test(text[k]!)) k++;
        if (text[k] === ':') {
          let name: string;
          try {
            name = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            name = text.slice(i + 1, j);
          }
          stack[stack.length - 1] = name;
        }
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      inObject = ch === '{';
      kinds.push(inObject);
      stack.push(inObject ? null : 0);
    } else if (ch === '}' || ch === ']') {
      kinds.pop();
      stack.pop();
      inObject = kinds.at(-1) ?? false;
    } else if (ch === ',') {
      const top = stack.at(-1);
      if (typeof top === 'number') stack[stack.length - 1] = top + 1;
      else if (inObject) stack[stack.length - 1] = null;
    }
  }
  if (stack.length === 0) return null;
  return (
    '$' +
    stack
      .map(
        (s) =>
          typeof s === 'number'
            ? `[${s}]`
            : s === null
              ? ''
              : /^[A-Za-z_$][\w$]{0,39}$/.test(s)
                ? `.${s}`
                : `[${quoted(s)}]`, // escaped and cut as any of the file's text
      )
      .join('')
  );
}

export function parseJsonText(file: string, bytes: Buffer): Result<Json> {
  // Pure ASCII (every CBOE download seen) reads as the same string without UTF-8's
  // decoding: 0.7 against 4.3 ms for a 6 MB chain.
  let text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return ok(JSON.parse(text));
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    let pos = errorPosition(text, message);
    // Python's json.dump and pandas write NaN and ±Infinity, which JSON has no words for.
    const literal = notJsonLiteral(text, pos);
    if (literal) pos = literal.at;
    const line = lineAt(text, pos);
    const column = pos - text.lastIndexOf('\n', pos - 1);
    if (/end of JSON input|Unterminated string/i.test(message) || pos >= text.trimEnd().length) {
      return err(
        'TRUNCATED',
        `${file}, line ${line}: the JSON ends before it is complete: the file was cut short`,
        { file, line },
      );
    }
    // A minified chain is one line of megabytes: the column, and the value's path, find it.
    const path = jsonPathAt(text, pos);
    const hint = literal
      ? `: ${literal.word} is not a JSON value; write null where a value is not known`
      : '';
    return err(
      'BAD_SHAPE',
      `${file}, line ${line}, column ${column}${path ? ` (${path})` : ''}: not valid JSON (${reasonOf(message)})${hint}`,
      { file, line, ...(path ? { field: path } : {}) },
    );
  }
}

/**
 * What a JSON value of the wrong type is, for a message: `not "749.75" (text)`, `not
 * 1757201090`, or that it is null or missing.
 */
const notA = (v: Json): string =>
  v === undefined
    ? 'but it is missing'
    : v === null
      ? 'but it is null'
      : typeof v === 'string'
        ? `not ${quoted(v)} (text: write it without the quotes)`
        : `not ${quoted(v)}`;

const shape = (file: string, path: string, what: string): Err =>
  err('BAD_SHAPE', `${file}: ${path} ${what}`, { file, field: path });

/** A JSON value as a number under the readers' markers (numbers.ts). */
const jsonNumber = (v: Json): number =>
  v === null || v === undefined
    ? EMPTY
    : typeof v !== 'number'
      ? NOT_A_NUMBER
      : Number.isFinite(v)
        ? v
        : TOO_BIG;

const NUMBER_FIELDS = [
  ['open_interest', true],
  ['volume', true],
  ['iv', false],
  ['gamma', false],
  ['delta', false],
  ['bid', false],
  ['ask', false],
] as const;
/** The rules, made once (not per option). */
const RULES = NUMBER_FIELDS.map(([key, required]) => [key, rule(key, required)] as const);
const STRIKE = rule('strike', true);

export function readCboeJson(
  src: SourceFile,
  conv: GexConventions,
  limits: ReadLimits,
): Result<Chain> {
  const { file } = src;
  const parsed = parseJsonText(file, src.bytes);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (!isObject(root)) return shape(file, '$', 'must be an object with "timestamp" and "data"');
  const data = root.data;
  if (!isObject(data))
    return shape(file, '$.data', 'must be an object with "options" and "current_price"');
  if (typeof root.timestamp !== 'string')
    return shape(
      file,
      '$.timestamp',
      `must be a string such as "2025-09-06 23:24:50" (exchange time), ${notA(root.timestamp)}; write ${TIMESTAMP_FORMS}`,
    );
  const asOf = parseTimestamp(root.timestamp, conv.exchange_time_zone);
  if (asOf === null)
    return err(
      'BAD_VALUE',
      `${file}: $.timestamp (${quoted(root.timestamp)}) is not a timestamp: write ${TIMESTAMP_FORMS}`,
      { file, field: '$.timestamp' },
    );
  const spot = data.current_price;
  if (typeof spot !== 'number')
    return shape(
      file,
      '$.data.current_price',
      `must be a number (the underlying's price), ${notA(spot)}`,
    );
  if (!(spot > 0))
    return shape(file, '$.data.current_price', `must be a positive number, not ${quoted(spot)}`);
  const spotProblem = numberProblem(jsonNumber(spot), rule('spot', true));
  if (spotProblem)
    return err('BAD_VALUE', `${file}: $.data.current_price (${spot}) ${spotProblem}`, {
      file,
      field: '$.data.current_price',
    });
  const options = data.options;
  if (!Array.isArray(options))
    return shape(file, '$.data.options', 'must be an array of option quotes');
  if (options.length === 0)
    return err('NO_ROWS', `${file}: $.data.options is empty`, { file, field: '$.data.options' });
  if (options.length > limits.maxRows) {
    return err(
      'TOO_MANY_ROWS',
      `${file}: $.data.options holds ${options.length} contracts, more than the limit of ${limits.maxRows} (limits.maxRows)`,
      { file, field: '$.data.options' },
    );
  }

  const c = allocContracts(options.length);
  const expiryCode = new Map<string, number>();
  const rootCode = new Map<string, number>();
  let underlying: string | null = null;
  const parseOcc = occParser();
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    // Only an error needs the option's path.
    const at = (): string => `$.data.options[${i}]`;
    if (!isObject(o)) return shape(file, at(), 'must be an object');
    if (typeof o.option !== 'string')
      return shape(file, `${at()}.option`, 'must be an OCC option symbol string');
    const occ = parseOcc(o.option);
    if (!occ)
      return err(
        'BAD_VALUE',
        `${file}: ${at()}.option (${quoted(o.option)}) is not an OCC option symbol`,
        { file, field: `${at()}.option` },
      );
    let code = expiryCode.get(occ.expiry);
    if (code === undefined) {
      code = c.expiries.length;
      c.expiries.push(occ.expiry);
      expiryCode.set(occ.expiry, code);
    }
    let rc = rootCode.get(occ.root);
    if (rc === undefined) {
      const u = underlyingOfRoot(occ.root);
      if (underlying === null) underlying = u;
      else if (u !== underlying) {
        const parent = parentOfAdjusted(u, underlying);
        if (parent !== null) underlying = parent;
        else
          return err(
            'BAD_VALUE',
            `${file}: ${at()}.option (${quoted(o.option)}) is an option on ${quoted(u)}, not ${underlying} as the first: a file holds one underlying`,
            { file, field: `${at()}.option` },
          );
      }
      rc = c.roots.length;
      c.roots.push(occ.root);
      rootCode.set(occ.root, rc);
    }
    c.root[i] = rc;
    c.line[i] = i + 1;
    c.expiry[i] = code;
    c.strike[i] = occ.strike;
    c.call[i] = occ.option_type === 'C' ? 1 : 0;
    for (const [key, numberRule] of RULES) {
      const raw = o[key];
      const v = jsonNumber(raw);
      if (Number.isNaN(v)) return shape(file, `${at()}.${key}`, `must be a number, ${notA(raw)}`);
      const problem = numberProblem(v, numberRule);
      // A key written null is there to see: "missing" would send the analyst looking for it.
      if (problem === 'is missing')
        return shape(
          file,
          `${at()}.${key}`,
          raw === null ? 'must be a number, but it is null' : 'is missing',
        );
      if (problem)
        return err('BAD_VALUE', `${file}: ${at()}.${key} (${v}) ${problem}`, {
          file,
          field: `${at()}.${key}`,
        });
      c[key][i] = v === EMPTY ? NaN : v;
    }
    const strikeProblem = numberProblem(occ.strike, STRIKE);
    if (strikeProblem)
      return err(
        'BAD_VALUE',
        `${file}: ${at()}.option has strike ${occ.strike}, which ${strikeProblem}`,
        { file, field: `${at()}.option` },
      );
  }
  return ok({ format: 'cboe-json', underlying: underlying!, as_of: asOf, spot, contracts: c });
}
