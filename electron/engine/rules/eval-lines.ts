// `gex-desk rules eval`: JSON Lines of facts in, one JSON line of decision (or error)
// out per input line, in order, each with the input's 1-based `line`: a caller matches
// them by it (or by the `id` echoed from the facts, null when they have none), or by
// position: every line is answered, a blank (or whitespace-only) one too, as a line that
// is not JSON (skipped, it put every later answer one place off its line). Lines end at
// LF (JSON Lines; CRLF is one end, a lone CR none); the empty "line" after a final newline
// is no line. A line that is not a JSON object is answered with its line alone, since it
// has no id to echo; one with a key that is neither a fact nor `id` is refused, naming it
// (shared/rules.ts unknownFact).
import type { CompiledRules } from './compile.ts';
import { messageOf } from '../../../shared/result.ts';
import { unknownFact } from '../../../shared/rules.ts';

type Input = string | AsyncIterable<string | Uint8Array>;

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * Lines of the input with their 1-based numbers. A string (or a string item of the
 * iterable, such as a line from node:readline) is one or more whole lines; byte
 * items (process.stdin) are chunks of UTF-8 that may split lines anywhere.
 */
async function* numberedLines(input: Input): AsyncGenerator<[number, string]> {
  let n = 0;
  if (typeof input === 'string') {
    const lines = input.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) yield [++n, stripCr(line)];
    return;
  }
  const decoder = new TextDecoder();
  let rest = '';
  for await (const item of input) {
    if (typeof item === 'string') {
      for (const line of item.split('\n')) yield [++n, stripCr(line)];
      continue;
    }
    rest += decoder.decode(item, { stream: true });
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      yield [++n, stripCr(rest.slice(0, nl))];
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest.length) yield [n + 1, stripCr(rest)];
}

/** Why a blank line holds no request; an empty line said apart from one of white space. */
const blankMessage = (line: number, text: string) =>
  `line ${line} is blank: ${text === '' ? '' : 'only white space, '}no JSON object of facts`;

/**
 * Decides every line of facts with `compiled`. `input`: the whole text, an
 * AsyncIterable of lines (node:readline), or of byte chunks (process.stdin). Yields one
 * JSON object per input line, without the newline:
 * `{"id","line","priority","rule","explanation"}`, `{"id","line","error":{"code","message","fact"}}`,
 * or `{"line":N,"error":{...}}` for a line that is not a JSON object (a blank one
 * included). A line's `now` fact wins over `now`, which wins over the clock.
 */
export async function* evalLines(
  input: Input,
  compiled: CompiledRules,
  now?: Date,
): AsyncGenerator<string> {
  for await (const [line, raw] of numberedLines(input)) {
    // A BOM (a file saved by a Windows editor, piped in) is not part of the first line's JSON.
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') {
      yield JSON.stringify({
        line,
        error: { code: 'INVALID_REQUEST', message: blankMessage(line, text) },
      });
      continue;
    }
    let facts: unknown;
    try {
      facts = JSON.parse(text);
    } catch (e) {
      yield JSON.stringify({
        line,
        error: {
          code: 'INVALID_REQUEST',
          message: `line ${line} is not JSON: ${messageOf(e)}`,
        },
      });
      continue;
    }
    if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) {
      yield JSON.stringify({
        line,
        error: { code: 'INVALID_REQUEST', message: `line ${line} is not a JSON object of facts` },
      });
      continue;
    }
    const id = (facts as { id?: unknown }).id ?? null;
    // A misspelt fact (`requested_priorty`) refuses the line: decided without it, the
    // answer would be another level than the request would get.
    const stray = unknownFact(facts as Record<string, unknown>);
    const r = stray ? { ok: false as const, error: stray } : compiled.decide(facts, now);
    if (r.ok) {
      yield JSON.stringify({
        id,
        line,
        priority: r.value.priority,
        rule: r.value.rule,
        explanation: r.value.explanation,
      });
    } else {
      const { code, message, fact } = r.error;
      yield JSON.stringify({
        id,
        line,
        error: fact === undefined ? { code, message } : { code, message, fact },
      });
    }
  }
}
