// A strict JSON parser that remembers where every value and key is, so that a rule
// file's errors can be shown at their line and column (JSON.parse only says "at
// position N", and only for syntax errors). Columns count UTF-16 code units, as
// editors (Monaco) do; lines and columns are 1-based.

export type Position = { line: number; column: number };
export type Span = { start: number; end: number };

export type JsonNode =
  | (Span & { kind: 'object'; entries: Map<string, { key: Span; node: JsonNode }> })
  | (Span & { kind: 'array'; items: JsonNode[] })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'boolean'; value: boolean })
  | (Span & { kind: 'null' });

export type JsonPath = readonly (string | number)[];

export type Located =
  | { ok: true; value: unknown; root: JsonNode; text: string }
  | { ok: false; message: string; offset: number; line: number; column: number };

class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export const positionAt = (text: string, offset: number): Position => {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
};

const describeChar = (text: string, i: number): string =>
  i >= text.length ? 'end of file' : `'${text[i] === '\n' ? '\\n' : text[i]}'`;

/** Parses JSON text, keeping positions; an error carries the line and column where parsing stopped. */
export const parseJsonLocated = (text: string): Located => {
  let i = 0;
  const n = text.length;

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else if (c === 0xfeff && i === 0) i++;
      else break;
    }
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };

  const parseString = (): { value: string; span: Span } => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return { value: out, span: { start, end: i } };
      }
      if (c === 10 || c === 13) fail('unterminated string (a string cannot span lines)', start);
      if (c < 32) fail('control character in string; escape it', i);
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape: four hex digits expected', i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          fail(`bad escape '\\${e ?? ''}'`, i);
        }
        chunk = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (): JsonNode => {
    const start = i;
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${describeChar(text, i)}`);
    i += m![0].length;
    const after = text[i];
    if (after !== undefined && /[0-9A-Za-z_.]/.test(after))
      fail(`bad number '${text.slice(start, i + 1)}'`, start);
    return { kind: 'number', value: Number(m![0]), start, end: i };
  };

  const literal = (word: string): void => {
    if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? ''))
      i += word.length;
    else {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i, i + 40));
      fail(
        m
          ? `unexpected '${m[0]}': a value (string in double quotes, number, true, false, null, object or array) expected`
          : `unexpected ${describeChar(text, i)}`,
      );
    }
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > 200) fail('nested too deeply');
    ws();
    if (i >= n) fail('unexpected end of file: a value expected');
    const c = text[i]!;
    const start = i;
    if (c === '{') {
      i++;
      const entries = new Map<string, { key: Span; node: JsonNode }>();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries, start, end: i };
      }
      let comma = -1;
      for (;;) {
        ws();
        if (text[i] !== '"') {
          if (text[i] === '}' && comma >= 0) fail('trailing comma: remove the "," before }', comma);
          fail(`a key in double quotes expected, found ${describeChar(text, i)}`);
        }
        const key = parseString();
        if (entries.has(key.value)) fail(`duplicate key "${key.value}"`, key.span.start);
        ws();
        if (text[i] !== ':')
          fail(`':' expected after key "${key.value}", found ${describeChar(text, i)}`);
        i++;
        const node = parseValue(depth + 1);
        entries.set(key.value, { key: key.span, node });
        ws();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', entries, start, end: i };
        }
        fail(`',' or '}' expected, found ${describeChar(text, i)}`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items, start, end: i };
      }
      let comma = -1;
      for (;;) {
        ws();
        if (text[i] === ']' && comma >= 0) fail('trailing comma: remove the "," before ]', comma);
        items.push(parseValue(depth + 1));
        ws();
        if (text[i] === ',') {
          comma = i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', items, start, end: i };
        }
        fail(`',' or ']' expected, found ${describeChar(text, i)}`);
      }
    }
    if (c === '"') {
      const s = parseString();
      return { kind: 'string', value: s.value, ...s.span };
    }
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    if (c === 't') {
      literal('true');
      return { kind: 'boolean', value: true, start, end: i };
    }
    if (c === 'f') {
      literal('false');
      return { kind: 'boolean', value: false, start, end: i };
    }
    if (c === 'n') {
      literal('null');
      return { kind: 'null', start, end: i };
    }
    if (c === '/') fail('comments are not allowed in JSON');
    if (c === "'") fail('strings must be in double quotes');
    literal('\u0000'); // always fails with a helpful message
    throw new Error('unreachable');
  };

  try {
    const root = parseValue(0);
    ws();
    if (i < n) fail(`unexpected ${describeChar(text, i)} after the end of the document`);
    return { ok: true, value: toValue(root), root, text };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const pos = positionAt(text, e.offset);
    return { ok: false, message: e.message, offset: e.offset, ...pos };
  }
};

const toValue = (node: JsonNode): unknown => {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, { node: v }] of node.entries) o[k] = toValue(v);
      return o;
    }
    case 'array':
      return node.items.map(toValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
};

/**
 * The span of the value at `path` (or of its key, with `key: true`); when the path
 * goes deeper than the document, the span of the deepest existing value on it.
 */
export const spanAt = (root: JsonNode, path: JsonPath, key = false): Span => {
  let node = root;
  let span: Span = root;
  for (const part of path) {
    if (node.kind === 'object' && typeof part === 'string') {
      const entry = node.entries.get(part);
      if (!entry) return span;
      node = entry.node;
      span = key ? entry.key : entry.node;
    } else if (node.kind === 'array' && typeof part === 'number') {
      const item = node.items[part];
      if (!item) return span;
      node = item;
      span = item;
    } else return span;
  }
  return span;
};
