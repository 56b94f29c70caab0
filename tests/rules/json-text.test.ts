// A rule file's JSON text: every kind of syntax error is told in words at its line
// and column, a key given twice in an object is refused, and every diagnostic's range
// (line, column → endLine, endColumn, the end just after the last character, as
// Monaco marks it) covers exactly the offending text, whatever the line breaks.
import { describe, expect, it } from 'vitest';
import { checkRules, defaultRulesText } from '../../electron/engine/rules/index.ts';

/** 1-based line and column of `offset`, counting \n, \r\n and \r as one break each (by plain splitting). */
const position = (text: string, offset: number) => {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
};
/** The range Monaco would mark for `needle` (its first occurrence at or after `from`). */
const rangeOf = (text: string, needle: string, from = 0) => {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`not in text: ${needle}`);
  const a = position(text, start);
  const b = position(text, start + needle.length);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
};

const syntax = (text: string) => {
  const r = checkRules(text);
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.code === 'SYNTAX');
};

describe('JSON syntax errors', () => {
  const cases: [string, string, string, number?][] = [
    // text, the offending part (its first occurrence from the offset given), the words of the message
    ['{"a": 1,}', ',', 'trailing comma: remove the "," before }'],
    ['[1, 2,]', ',]', 'trailing comma: remove the "," before ]'],
    ['{"a" 1}', '1', `':' expected after key "a", found '1'`],
    ['{"a": 1 "b": 2}', '"b"', `',' or '}' expected, found '"'`],
    ['[1 2]', '2', `',' or ']' expected, found '2'`],
    ['{"a": tru}', 'tru', `unexpected 'tru': a value (string in double quotes`],
    ["{'a': 1}", "'a'", 'strings must be in double quotes'],
    ['{"a": 01}', '01', `bad number '01'`],
    ['{"a": 1.}', '1.', `bad number '1.'`],
    ['{"a": "x\\q"}', '\\q', `bad escape '\\q'`],
    ['{"a": "\\u12"}', '\\u', 'bad \\u escape: four hex digits expected'],
    ['{"a": "a\tb"}', '\t', 'control character in string; escape it'],
    ['{"a": 1 // note\n}', '// note', 'comments are not allowed in JSON'],
    ['{"a": /* c */ 1}', '/* c */', 'comments are not allowed in JSON'],
    ['{"a": "open\n}', '"open', 'unterminated string (a string cannot span lines)'],
    ['{ a: 1 }', 'a', `a key in double quotes expected, found 'a'`],
    ['{"a": 1} }', '}', `unexpected '}' after the end of the document`, 8],
  ];
  for (const [text, part, words, from] of cases) {
    it(`${JSON.stringify(text)}: ${words}`, () => {
      const [d, ...rest] = syntax(text);
      expect(rest).toEqual([]);
      expect(d!.message).toContain(words);
      expect(d!.message.startsWith('JSON syntax: ')).toBe(true);
      const at = rangeOf(text, part, from);
      expect({ line: d!.line, column: d!.column }).toEqual({ line: at.line, column: at.column });
    });
  }

  it('places an error at the end of the file, and refuses deep nesting without a crash', () => {
    expect(syntax('{"a": 1')[0]).toMatchObject({
      line: 1,
      column: 8,
      message: expect.stringContaining("',' or '}' expected, found end of file"),
    });
    expect(syntax('[1, [2')[0]!.message).toContain("',' or ']' expected, found end of file");
    expect(syntax('[1,\n')[0]).toMatchObject({ line: 2, column: 1 });
    expect(syntax('['.repeat(100_000))[0]!.message).toContain('nested too deeply');
  });

  it('accepts a byte-order mark before the document', () => {
    expect(checkRules('\ufeff' + defaultRulesText())).toEqual({ ok: true, diagnostics: [] });
  });
});

describe('duplicate keys', () => {
  it('refuses every key given twice in one object, at the second one, with the first one’s place', () => {
    const text = '{\n  "a": 1,\n  "b": { "c": 2, "c": 3 },\n  "a": 4\n}';
    const d = syntax(text);
    expect(d).toHaveLength(2);
    expect(d[0]).toMatchObject(rangeOf(text, '"c"', text.indexOf('"c"') + 1));
    expect(d[0]!.message).toBe(
      'JSON syntax: duplicate key "c": it is already set at line 3, column 10; a key may appear once in an object',
    );
    expect(d[1]).toMatchObject(rangeOf(text, '"a"', text.indexOf('"a"') + 1));
    expect(d[1]!.message).toContain('already set at line 2, column 3');
  });

  it('allows the same key in different objects', () => {
    const text = defaultRulesText();
    expect(text.split('"when"').length).toBeGreaterThan(5);
    expect(checkRules(text).ok).toBe(true);
  });

  it('refuses a duplicated key in the default file, where JSON.parse would keep the last', () => {
    const text = defaultRulesText().replace(
      '"combine": "highest-level",',
      '"combine": "highest-level",\n  "combine": "first-applicable",',
    );
    expect(JSON.parse(text).combine).toBe('first-applicable');
    const [d] = syntax(text);
    expect(d).toMatchObject(rangeOf(text, '"combine"', text.indexOf('"combine": "first')));
  });
});

describe('diagnostic ranges', () => {
  const DEFAULT = defaultRulesText();

  it('cover an unknown fact’s key exactly', () => {
    const text = DEFAULT.replace(
      '"source_reliability": { "<": 0.8 }',
      '"source_reliabilty": { "<": 0.8 }',
    );
    const [d] = checkRules(text).diagnostics;
    expect(d).toMatchObject({ code: 'UNKNOWN_FACT', ...rangeOf(text, '"source_reliabilty"') });
  });

  it('cover a whole row over several lines', () => {
    const text = DEFAULT.replace('"hit": "first"', '"hit": "unique"');
    const d = checkRules(text).diagnostics.find((x) => x.code === 'CONFLICT')!;
    const start = text.indexOf('{ "id": "G3.HIGH"');
    const end = text.indexOf('"level": "HIGH" }', start) + '"level": "HIGH" }'.length;
    expect(d).toMatchObject(rangeOf(text, text.slice(start, end)));
    expect(d.endLine! - d.line).toBe(3);
  });

  it('cover a value, and the trailing comma of a syntax error', () => {
    const text = DEFAULT.replace('"demote": 1', '"demote": "one"');
    const d = checkRules(text).diagnostics.find((x) => x.code === 'BAD_SHAPE')!;
    expect(d).toMatchObject(rangeOf(text, '"one"'));
    expect(syntax('{\n  "a": 1,\n}')[0]).toMatchObject({
      line: 2,
      column: 9,
      endLine: 2,
      endColumn: 10,
    });
  });

  it('are the same whatever the line breaks (\\n, \\r\\n, \\r), as Monaco counts them', () => {
    const lf = DEFAULT.replace(
      '"source_reliability": { "<": 0.8 }',
      '"source_reliabilty": { "<": 0.8 }',
    );
    const [want] = checkRules(lf).diagnostics;
    for (const eol of ['\r\n', '\r']) {
      const [got] = checkRules(lf.replaceAll('\n', eol)).diagnostics;
      expect(got).toEqual(want);
    }
  });
});
