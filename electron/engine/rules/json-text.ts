// A rule file's JSON text: parsed by jsonc-parser (the parser behind Monaco's JSON
// support) in strict mode (no comments, no trailing commas), with what it does not
// do itself: a key given twice in one object is refused, so is a number too large to
// hold (1e400, which it reads as Infinity), and its error codes become
// sentences that say what was expected and what was found. Every value and key keeps
// its place, so that any problem can be shown at its line and column (1-based, in
// UTF-16 code units, with the line breaks Monaco counts: \n, \r\n and \r).
import {
  getNodeValue,
  parseTree,
  printParseErrorCode,
  visit,
  type Node,
  type ParseErrorCode,
} from 'jsonc-parser';
import type { JsonPath } from './problems.ts';

export type Position = { line: number; column: number };
export type Span = { start: number; end: number };
/** A problem in the text itself, between two offsets. */
export type SyntaxProblem = Span & { message: string };

export type ParsedJson =
  { ok: true; value: unknown; root: Node } | { ok: false; problems: SyntaxProblem[] };

const OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
const MAX_DEPTH = 200;

/** 1-based line and column of each offset of `text`. */
export const positionsOf = (text: string): ((offset: number) => Position) => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
};

const found = (text: string, i: number): string =>
  i >= text.length
    ? 'end of file'
    : `'${text[i] === '\n' ? '\\n' : text[i] === '\r' ? '\\r' : text[i]}'`;

/** Where the parser stood when it met the first error. */
type Context = { container: 'object' | 'array' | null; expectKey: boolean; lastKey: string };

/** The first error as a sentence, placed where it is best seen. */
const describe = (
  text: string,
  code: string,
  offset: number,
  length: number,
  ctx: Context,
): SyntaxProblem => {
  const at = (message: string, start = offset, len = Math.max(1, length)): SyntaxProblem => ({
    message,
    start,
    end: Math.min(text.length, start + len),
  });
  const token = text.slice(offset, offset + length);
  let before = offset - 1;
  while (before >= 0 && /\s/.test(text[before]!)) before--;
  const closer = text[offset];
  if ((closer === '}' || closer === ']') && text[before] === ',')
    return at(`trailing comma: remove the "," before ${closer}`, before);
  const word = /^[A-Za-z0-9_.+-]+/.exec(text.slice(offset, offset + 40))?.[0];
  // A number the scanner stopped reading early: "01", "1x".
  const afterNumber = /[0-9.]/.test(text[offset - 1] ?? '');
  if (word && afterNumber && /^(CommaExpected|EndOfFileExpected|InvalidSymbol)$/.test(code)) {
    let start = offset - 1;
    while (start > 0 && /[-+.0-9eE]/.test(text[start - 1]!)) start--;
    return at(
      `bad number '${text.slice(start, offset + word.length)}'`,
      start,
      offset + word.length - start,
    );
  }
  const key = `a key in double quotes expected, found ${found(text, offset)}`;
  /** The part of the string token that is wrong, else the whole token. */
  const inString = (re: RegExp, message: (part: string) => string) => {
    const m = re.exec(token);
    return m ? at(message(m[0]), offset + m.index, m[0].length) : at(message(''));
  };
  switch (code) {
    case 'InvalidSymbol':
      if (closer === "'") return at('strings must be in double quotes');
      if (ctx.expectKey) return at(key);
      return word
        ? at(
            `unexpected '${word}': a value (string in double quotes, number, true, false, null, object or array) expected`,
            offset,
            word.length,
          )
        : at(`unexpected ${found(text, offset)}`);
    case 'PropertyNameExpected':
      return at(key);
    case 'ValueExpected':
      if (ctx.expectKey) return at(key);
      return offset >= text.length
        ? at('unexpected end of file: a value expected')
        : at(`a value expected, found ${found(text, offset)}`);
    case 'ColonExpected':
      return at(`':' expected after key "${ctx.lastKey}", found ${found(text, offset)}`);
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected': {
      const close =
        code === 'CloseBraceExpected' || (code === 'CommaExpected' && ctx.container === 'object')
          ? '}'
          : ']';
      return at(`',' or '${close}' expected, found ${found(text, offset)}`);
    }
    case 'EndOfFileExpected':
      return at(`unexpected ${found(text, offset)} after the end of the document`);
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return at('comments are not allowed in JSON');
    case 'UnexpectedEndOfString':
      return at(
        /[\r\n]/.test(text.slice(offset, offset + length + 1))
          ? 'unterminated string (a string cannot span lines)'
          : 'unterminated string',
        offset,
        1,
      );
    case 'InvalidUnicode':
      return inString(/\\u(?![0-9a-fA-F]{4})/, () => 'bad \\u escape: four hex digits expected');
    case 'InvalidEscapeCharacter':
      return inString(/\\[^"\\/bfnrtu]/, (e) => `bad escape '${e}'`);
    case 'InvalidCharacter': {
      // A character below U+0020, which a JSON string must escape.
      let i = 0;
      while (i < token.length && token.charCodeAt(i) >= 32) i++;
      return at('control character in string; escape it', offset + (i < token.length ? i : 0), 1);
    }
    default:
      return at(`bad number '${token}'`);
  }
};

class TooDeep extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super('nested too deeply');
    this.offset = offset;
  }
}

/** The problems of the text: its first syntax error, every key repeated in an object, every number out of range. */
const syntaxProblems = (text: string): SyntaxProblem[] => {
  const problems: SyntaxProblem[] = [];
  const positions = positionsOf(text);
  const containers: ('object' | 'array')[] = [];
  const keys: Map<string, number>[] = [];
  const ctx: Context = { container: null, expectKey: false, lastKey: '' };
  let first: SyntaxProblem | null = null;
  const open = (kind: 'object' | 'array', offset: number) => {
    if (containers.length >= MAX_DEPTH) throw new TooDeep(offset);
    containers.push(kind);
    if (kind === 'object') keys.push(new Map());
    ctx.container = kind;
    ctx.expectKey = kind === 'object';
  };
  const close = (kind: 'object' | 'array') => {
    containers.pop();
    if (kind === 'object') keys.pop();
    ctx.container = containers[containers.length - 1] ?? null;
    ctx.expectKey = false;
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (offset) => open('object', offset),
        onObjectEnd: () => close('object'),
        onArrayBegin: (offset) => open('array', offset),
        onArrayEnd: () => close('array'),
        onObjectProperty: (property, offset, length) => {
          ctx.expectKey = false;
          ctx.lastKey = property;
          const seen = keys[keys.length - 1]!;
          const earlier = seen.get(property);
          if (earlier === undefined) seen.set(property, offset);
          else if (first === null) {
            const { line, column } = positions(earlier);
            problems.push({
              message: `duplicate key "${property}": it is already set at line ${line}, column ${column}; a key may appear once in an object`,
              start: offset,
              end: offset + length,
            });
          }
        },
        // JSON allows 1e400, but no number can hold it: say so at the number.
        onLiteralValue: (value, offset, length) => {
          if (typeof value === 'number' && !Number.isFinite(value) && first === null)
            problems.push({
              message: `the number ${text.slice(offset, offset + length)} is out of range: a number must lie within ±1.7976931348623157e308`,
              start: offset,
              end: offset + length,
            });
        },
        onSeparator: (character) => {
          if (character === ',') ctx.expectKey = ctx.container === 'object';
        },
        onError: (error: ParseErrorCode, offset, length) => {
          first ??= describe(text, printParseErrorCode(error), offset, length, ctx);
        },
      },
      OPTIONS,
    );
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    first ??= { message: 'nested too deeply', start: e.offset, end: e.offset + 1 };
  }
  if (first) problems.push(first);
  return problems;
};

/** The value of a JSON text, and the tree that places it; or what is wrong with the text. */
export const parseJsonText = (input: string): ParsedJson => {
  // A byte-order mark is allowed before the document; a space keeps every offset.
  const text = input.charCodeAt(0) === 0xfeff ? ' ' + input.slice(1) : input;
  const problems = syntaxProblems(text);
  if (problems.length) return { ok: false, problems };
  const root = parseTree(text, [], OPTIONS)!;
  return { ok: true, value: getNodeValue(root), root };
};

/**
 * The span of the value at `path` (or of its key, with `key: true`); when the path
 * goes deeper than the document, the span of the deepest existing one on it.
 */
export const spanAt = (root: Node, path: JsonPath, key = false): Span => {
  let node = root;
  let span: Span = { start: root.offset, end: root.offset + root.length };
  for (const part of path) {
    let next: Node | undefined;
    let shown: Node | undefined;
    if (node.type === 'object' && typeof part === 'string') {
      const property = node.children?.findLast((p) => p.children?.[0]?.value === part);
      next = property?.children?.[1];
      shown = key ? property?.children?.[0] : next;
    } else if (node.type === 'array' && typeof part === 'number')
      next = shown = node.children?.[part];
    if (!next || !shown) return span;
    node = next;
    span = { start: shown.offset, end: shown.offset + shown.length };
  }
  return span;
};
