// What a CBOE JSON file says about itself in its first and last bytes, without parsing
// the rest: "timestamp" and the first option's symbol usually open the file, and
// "current_price" closes it, after the options array. The head is read forwards, the
// tail backwards (a string's opening quote is the first unescaped one before its close),
// each value decoded with JSON.parse so it is exactly what the reader's JSON.parse gives.
// Where the two ends cannot tell, the answer is null. The reader checks its own result
// against these (read-chain.ts), so a file whose ends disagree with its whole is refused.

/** Members of an object seen at one end: key → the value's JSON text (primitives only). */
type Members = Map<string, string>;

export type JsonEnds = {
  root: Members;
  data: Members;
  /** The first element of $.data.options when the head holds it whole. */
  firstOption: unknown;
  /** The head holds the whole root object. */
  whole: boolean;
};

const WS = new Set([' ', '\t', '\n', '\r']);
const PRIMITIVE = /[-+0-9.eEa-z]/;

const ws = (s: string, i: number): number => {
  while (i < s.length && WS.has(s[i]!)) i++;
  return i;
};
const wsBack = (s: string, j: number): number => {
  while (j >= 0 && WS.has(s[j]!)) j--;
  return j;
};

/** Index after the string starting at s[i] === '"', or -1 when it does not end in s. */
function stringEnd(s: string, i: number): number {
  for (let j = s.indexOf('"', i + 1); j >= 0; j = s.indexOf('"', j + 1)) {
    let k = j - 1;
    while (s[k] === '\\') k--;
    if ((j - 1 - k) % 2 === 0) return j + 1;
  }
  return -1;
}

/** Index of the opening quote of the string ending at s[j] === '"', or -1. */
function stringStart(s: string, j: number): number {
  for (let i = s.lastIndexOf('"', j - 1); i >= 0; i = s.lastIndexOf('"', i - 1)) {
    let k = i - 1;
    while (k >= 0 && s[k] === '\\') k--;
    // A quote whose backslashes run back to the tail's start is unknowable.
    if (k < 0) return -1;
    if ((i - 1 - k) % 2 === 0) return i;
  }
  return -1;
}

/** Index after the value starting at s[i], or -1 when it does not end in s. */
function valueEnd(s: string, i: number, eof: boolean): number {
  const ch = s[i];
  if (ch === undefined) return -1;
  if (ch === '"') return stringEnd(s, i);
  if (ch === '{' || ch === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j]!;
      if (c === '"') {
        j = stringEnd(s, j) - 1;
        if (j < 0) return -1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length && PRIMITIVE.test(s[j]!)) j++;
  return j === i || (j === s.length && !eof) ? -1 : j;
}

/** Index of the first character of the value ending at s[j], or -1 when it starts before s. */
function valueStart(s: string, j: number): number {
  const ch = s[j];
  if (ch === '"') return stringStart(s, j);
  if (ch === '}' || ch === ']') {
    let depth = 0;
    for (let i = j; i >= 0; i--) {
      const c = s[i]!;
      if (c === '"') {
        i = stringStart(s, i);
        if (i < 0) return -1;
      } else if (c === '}' || c === ']') depth++;
      else if (c === '{' || c === '[') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }
  let i = j;
  while (i >= 0 && PRIMITIVE.test(s[i]!)) i--;
  return i === j || i < 0 ? -1 : i + 1;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isPrimitive = (text: string): boolean => text[0] !== '{' && text[0] !== '[';

/** The head, forwards: root members up to $.data, data members up to the options, options[0]. */
function readHead(s: string, eof: boolean, out: JsonEnds): void {
  let i = ws(s, 0);
  if (s[i] !== '{') return;
  i = ws(s, i + 1);
  const members = (into: Members, depth: number): 'closed' | 'open' => {
    if (s[i] === '}') {
      i++;
      return 'closed';
    }
    for (;;) {
      if (s[i] !== '"') return 'open';
      const keyEnd = stringEnd(s, i);
      if (keyEnd < 0) return 'open';
      const key = parse(s.slice(i, keyEnd));
      i = ws(s, keyEnd);
      if (typeof key !== 'string' || s[i] !== ':') return 'open';
      i = ws(s, i + 1);
      if (depth === 1 && key === 'data' && s[i] === '{') {
        i = ws(s, i + 1);
        if (members(out.data, 2) === 'open') return 'open';
      } else {
        if (depth === 2 && key === 'options' && s[i] === '[') {
          const first = ws(s, i + 1);
          const end = s[first] === '{' ? valueEnd(s, first, eof) : -1;
          if (end > 0) out.firstOption = parse(s.slice(first, end));
          // The options run past the head of any but a small file: not worth scanning.
          if (!eof) return 'open';
        }
        const end = valueEnd(s, i, eof);
        if (end < 0) return 'open';
        const text = s.slice(i, end);
        if (isPrimitive(text)) into.set(key, text);
        else into.delete(key);
        i = end;
      }
      i = ws(s, i);
      if (s[i] === '}') {
        i++;
        return 'closed';
      }
      if (s[i] !== ',') return 'open';
      i = ws(s, i + 1);
    }
  };
  out.whole = members(out.root, 1) === 'closed';
}

/**
 * The tail, backwards: the root's last members, then (taking the first container that
 * starts before the tail for $.data) data's last members up to the options array.
 * The first member seen backwards is the last in the file: JSON.parse's choice too.
 */
function readTail(s: string, root: Members, data: Members): void {
  let j = wsBack(s, s.length - 1);
  if (s[j] !== '}') return;
  j = wsBack(s, j - 1);
  const members = (into: Members, depth: number): void => {
    if (s[j] === '{') return;
    for (;;) {
      // In data, the first container going backwards is the options: stop there.
      const start = depth === 2 && (s[j] === '}' || s[j] === ']') ? -1 : valueStart(s, j);
      if (start < 0) {
        // A container that starts before the tail: at the root, $.data; in data, the options.
        if (depth === 1 && s[j] === '}') {
          j = wsBack(s, j - 1);
          members(data, 2);
        }
        return;
      }
      const text = s.slice(start, j + 1);
      j = wsBack(s, start - 1);
      if (s[j] !== ':') return;
      j = wsBack(s, j - 1);
      if (s[j] !== '"') return;
      const keyStart = stringStart(s, j);
      if (keyStart < 0) return;
      const key = parse(s.slice(keyStart, j + 1));
      if (typeof key !== 'string') return;
      if (!into.has(key) && isPrimitive(text)) into.set(key, text);
      else if (depth === 1 && key === 'data' && !into.has(key)) {
        // $.data whole inside the tail: its members are known.
        const whole = parse(text);
        if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
          for (const [k, v] of Object.entries(whole))
            if (v === null || typeof v !== 'object') data.set(k, JSON.stringify(v));
        }
        into.set(key, '{}');
      }
      j = wsBack(s, keyStart - 1);
      if (s[j] !== ',') return;
      j = wsBack(s, j - 1);
    }
  };
  members(root, 1);
}

/** Both ends of a CBOE JSON file (the head from byte 0; the tail ending at the file's end). */
export function readJsonEnds(head: Buffer, tail: Buffer, eof: boolean): JsonEnds {
  let h = head.toString('utf8');
  if (h.charCodeAt(0) === 0xfeff) h = h.slice(1);
  const out: JsonEnds = { root: new Map(), data: new Map(), firstOption: undefined, whole: false };
  readHead(h, eof, out);
  if (out.whole) return out;
  const root: Members = new Map();
  const data: Members = new Map();
  readTail(tail.toString('utf8'), root, data);
  // The tail's members come later in the file than the head's: they win.
  for (const [k, v] of root) out.root.set(k, v);
  for (const [k, v] of data) out.data.set(k, v);
  return out;
}

export const jsonValue = parse;
