// Text from outside (file and folder names, sources, rule authors and comments, audit
// text) shown where control and format characters would act instead of being read: a
// terminal obeys ESC sequences (a title set, the screen cleared, the clipboard written),
// a carriage return overwrites a row, U+202E reverses what follows, a zero-width space
// makes two names look alike. Each such character is shown escaped, as a person can read
// and type it back (`\x1b`, `\r`, `\u202e`); every other character as it is.

/** Control (Cc), format (Cf) characters and the line and paragraph separators. */
export const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One character escaped: `\n`, `\r`, `\t`, `\x1b` (up to U+00FF), else `\u202e` (or `\u{e0001}`). */
export function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/**
 * A character a person reads: a letter, digit, punctuation or symbol that is not one of
 * those drawn as nothing — Unicode's default-ignorable characters (the Hangul fillers
 * U+115F, U+1160, U+3164, U+FFA0, U+034F, U+17B4/5, variation selectors) and the blank
 * Braille pattern U+2800. A combining mark (U+0301) is read only on such a character.
 */
const READ = /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Whether a person reads nothing in `text`: no character READ takes, only white space,
 * control and format characters, fillers drawn as nothing, combining marks on their own
 * (a zero-width space or a Hangul filler is no justification, as it is no source name).
 */
export const blank = (text: string | null | undefined): boolean => !READ.test(text ?? '');

/**
 * A character no name may hold (a source, an author, an underlying): those INVISIBLE acts
 * with, and those drawn as nothing (READ's default-ignorable fillers, U+2800), so that
 * `acme` + U+034F, `SP` + U+200B + `X` or a Hangul filler alone cannot pass for another
 * name, or for none. Free text (a justification, a comment) may hold the drawn-as-nothing
 * ones (an emoji's variation selector); blank() says whether it reads as anything.
 */
export const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029\p{Default_Ignorable_Code_Point}\u2800]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');

/** The first character of `text` a name may not hold (HIDDEN), escaped (`\u200b`); null when none. */
export function hiddenIn(text: string): string | null {
  const c = HIDDEN.exec(text)?.[0];
  return c === undefined ? null : escapeChar(c);
}

/** Why a name (`what`: "a source name") cannot be: it holds a HIDDEN character, named escaped. */
export const hiddenRefusal = (what: string, text: string): string | null => {
  const c = hiddenIn(text);
  return c === null
    ? null
    : `${what} may not hold ${c}: control, format and invisible filler characters (escape sequences, U+202E, zero-width spaces, U+034F, U+3164) make a name act on the screen or look like another`;
};

/** Letters of the scripts that Latin names are most often faked in (а, е, о, р, с, ο, ρ …). */
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const LOOKALIKE_ALL = new RegExp(LOOKALIKE.source, 'gu');

/**
 * A name (a source, an author, an underlying) as it is shown: every HIDDEN character
 * escaped, and in a name mixing Latin letters with Cyrillic or Greek ones, those shown
 * escaped too, so that `аcme` (a Cyrillic а) reads `\u0430cme`, not as acme. A name of one
 * script (`Zürich`, `Москва`) is shown as it is.
 */
export function visibleName(text: string): string {
  const shown = text.replace(HIDDEN_ALL, escapeChar);
  return LATIN.test(text) && LOOKALIKE.test(text)
    ? shown.replace(LOOKALIKE_ALL, escapeChar)
    : shown;
}

/** `text` with every control and format character shown escaped. */
export const visible = (text: string): string => text.replace(INVISIBLE_ALL, escapeChar);

/**
 * Lines of text: as `visible`, but what lays out lines stays as it is — a line break (a
 * table, a paragraph; `\r\n` too: a rule file written on Windows) and a tab, which moves
 * on and hides nothing. A lone carriage return, which would write over its line, is shown.
 */
export const visibleLines = (text: string): string =>
  text.replace(INVISIBLE_ALL, (c, at: number) =>
    c === '\n' || c === '\t' || (c === '\r' && text[at + 1] === '\n') ? c : escapeChar(c),
  );

/** The most characters of a request's id (or key, or other token) a message echoes. */
export const ECHO_MAX = 40;

/**
 * What a request gave (an id, a key), as a message echoes it back: at most `max`
 * characters of it, "…" when cut, each control or format character escaped, and each one
 * drawn as nothing (HIDDEN: `acme\u034f` is not read as acme). An id of
 * 5 MB was echoed whole, and a crafted one put a sentence of its own in the app's error
 * panel; the start is enough to tell which was meant.
 */
export function echoed(text: string, max = ECHO_MAX): string {
  // Up to 2 UTF-16 units per character: enough to count `max` characters, never all of a huge text.
  const chars = [...text.slice(0, max * 2 + 2)];
  const cut = chars.length > max || text.length > max * 2 + 2;
  return (cut ? chars.slice(0, max).join('') + '…' : text).replace(HIDDEN_ALL, escapeChar);
}

/**
 * A value as a message quotes it: a string in quotes with its `"` and `\` escaped as JSON
 * writes them, then cut and its controls escaped (echoed()), so that a level
 * `MEDIUM", got "LOW` + U+202E reads as one value, `"MEDIUM\", got \"LOW\u202e"`; anything
 * else as JSON writes it, its control and format characters escaped.
 */
export const quotedEcho = (v: unknown, max = ECHO_MAX): string =>
  typeof v === 'string'
    ? `"${echoed(v.replace(/["\\]/g, '\\$&'), max)}"`
    : visible(JSON.stringify(v) ?? String(v));

/**
 * A value from a file (a cell, a name, a JSON value), as every pipeline message echoes it:
 * at most 40 characters (39 and "…" when cut), quoted, its control and format characters
 * escaped as the rules messages escape theirs (quotedEcho). A header cell `strike` + U+200B
 * (copied from a web page) read `"strike" is not a name GEX Desk reads: did you mean
 * strike?`; it reads `"strike\u200b" …`, showing what to remove. Here, not in the pipeline,
 * so that the configuration's check (pipeline/conventions.ts) quotes without loading it.
 */
export const quoted = (value: unknown): string =>
  typeof value === 'string' ? quotedEcho(value, 39) : echoed(String(JSON.stringify(value)), 39);
