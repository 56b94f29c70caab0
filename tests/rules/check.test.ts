// `rules check`: the default file is accepted; a syntax error, an unknown fact, a
// type mismatch, an unreachable row, a conflict and a gap are each refused with the
// line and column of the offending text.
import { describe, expect, it } from 'vitest';
import {
  checkRules,
  compileRules,
  defaultRulesText,
  parseRules,
} from '../../electron/engine/rules/index.ts';

const DEFAULT = defaultRulesText();

/** 1-based line and column of the first occurrence of `needle` at or after `from` (found by plain search). */
const where = (text: string, needle: string, from = 0): { line: number; column: number } => {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`not in text: ${needle}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
};

const replaceOnce = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`not in text: ${from}`);
  return text.replace(from, to);
};

const errors = (text: string) => checkRules(text).diagnostics.filter((d) => d.severity === 'error');

describe('checkRules', () => {
  it('accepts the default rule file without a single diagnostic', () => {
    expect(checkRules(DEFAULT)).toEqual({ ok: true, diagnostics: [] });
  });

  it('places a syntax error at its line and column', () => {
    const text =
      '{\n  "name": "x",\n  "levels": {\n    "CRITICAL": { "target": "30 s" "on_late": "flag" }\n  }\n}\n';
    const r = checkRules(text);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'SYNTAX',
      line: 4,
      column: 36,
    });
    expect(r.diagnostics[0]!.message).toMatch(/',' or '}' expected/);
  });

  it('places a trailing comma, an unterminated string and a missing value', () => {
    expect(checkRules('{\n  "a": 1,\n}').diagnostics[0]).toMatchObject({ line: 2, column: 9 });
    expect(checkRules('{\n  "a": "open\n}').diagnostics[0]).toMatchObject({ line: 2, column: 8 });
    expect(checkRules('{\n  "a": \n}').diagnostics[0]).toMatchObject({ line: 3, column: 1 });
    expect(checkRules('').diagnostics[0]).toMatchObject({ line: 1, column: 1, code: 'SYNTAX' });
    expect(checkRules('{"a": 1} x').diagnostics[0]).toMatchObject({ line: 1, column: 10 });
    expect(checkRules('{"a": 1, "a": 2}').diagnostics[0]).toMatchObject({
      line: 1,
      column: 10,
      message: expect.stringContaining('duplicate key'),
    });
  });

  it('refuses an unknown fact, at the fact', () => {
    const text = replaceOnce(
      DEFAULT,
      '"source_reliability": { "<": 0.8 }',
      '"source_reliabilty": { "<": 0.8 }',
    );
    const [e, ...rest] = errors(text);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'UNKNOWN_FACT', ...where(text, '"source_reliabilty"') });
    expect(e!.message).toContain('source_reliabilty');
  });

  it('refuses a derived fact that uses a later one', () => {
    const text = replaceOnce(
      DEFAULT,
      '{ "when": { "age_s": { "<": 5 } }, "value": "real-time" }',
      '{ "when": { "impact": "high" }, "value": "real-time" }',
    );
    expect(errors(text)[0]).toMatchObject({
      code: 'UNKNOWN_FACT',
      ...where(text, '"impact": "high" }, "value"'),
    });
  });

  it('refuses type mismatches: a number fact against a string, an unknown level, an unknown ordinal value, a timestamp', () => {
    const cases: [string, string, string, string][] = [
      [
        '"source_reliability": { "<": 0.8 }',
        '"source_reliability": { "<": "low" }',
        '"low"',
        'TYPE_MISMATCH',
      ],
      [
        '"impact": "high", "change": "large", "freshness": "real-time" }, "level": "CRITICAL"',
        '"impact": "huge", "change": "large", "freshness": "real-time" }, "level": "CRITICAL"',
        '"huge"',
        'TYPE_MISMATCH',
      ],
      ['"level": "CRITICAL"', '"level": "URGENT"', '"URGENT"', 'BAD_SHAPE'],
      ['"freshness": { "==": "stale" }', '"as_of": { "==": "stale" }', '"as_of"', 'TYPE_MISMATCH'],
      [
        '"requested_priority": { "!=": null }',
        '"requested_priority": { ">": "LOW" }',
        '"LOW"',
        'TYPE_MISMATCH',
      ],
      ['"freshness": { "==": "stale" }', '"underlying": { "<": "SPX" }', '"SPX"', 'TYPE_MISMATCH'],
      ['"freshness": { "==": "stale" }', '"total_volume": null', 'null', 'TYPE_MISMATCH'],
    ];
    for (const [from, to, at, code] of cases) {
      const text = replaceOnce(DEFAULT, from, to);
      const e = errors(text);
      expect(e.length, to).toBeGreaterThan(0);
      expect(e[0], to).toMatchObject({ code, ...where(text, at, text.indexOf(to)) });
    }
  });

  it('says what was meant by a level written in lower case, and nothing more for another word', () => {
    const lower = errors(replaceOnce(DEFAULT, '"level": "CRITICAL"', '"level": "critical"'));
    expect(lower[0]?.message).toMatch(/; got "critical": did you mean "CRITICAL"\?$/);
    const other = errors(replaceOnce(DEFAULT, '"level": "CRITICAL"', '"level": "URGENT"'));
    expect(other[0]?.message).not.toMatch(/did you mean/);
  });

  // QA rl F6: the message named `rules[2].rows[601]` (an 801-row table left to count) and
  // not what was written; every shape error of the file is listed, each at its value.
  it('names a shape error by table and row id and says what was written, for every one', () => {
    const file = JSON.parse(DEFAULT) as {
      rules: { id: string; rows?: Record<string, unknown>[] }[];
    };
    file.rules[2]!.rows![2]!.level = 'MEDIUMX';
    file.rules[0]!.rows![0]!.level = 5;
    file.rules[1]!.id = `G2\u001b[2J${'x'.repeat(60)}`;
    file.rules[1]!.rows![0]!.level = `\u202eLOW${'W'.repeat(60)}`;
    const text = JSON.stringify(file, null, 2);
    const levels = 'a level (CRITICAL, HIGH, MEDIUM, LOW) or {"fact": "requested_priority"}';
    const e = errors(text);
    expect(e.map(({ code, message, line, column }) => ({ code, message, line, column }))).toEqual([
      {
        code: 'BAD_SHAPE',
        message: `G1 row 1 level: ${levels}; got 5`,
        ...where(text, '5', text.indexOf('"level"')),
      },
      {
        code: 'BAD_SHAPE',
        message: `G2\\x1b[2J${'x'.repeat(34)}… row 1 level: ${levels}; got "\\u202eLOW${'W'.repeat(36)}…"`,
        ...where(text, '"\u202e'),
      },
      {
        code: 'BAD_SHAPE',
        message: `G3 row 3 (G3.MEDIUM) level: ${levels}; got "MEDIUMX"`,
        ...where(text, '"MEDIUMX"'),
      },
    ]);
    const missing = replaceOnce(DEFAULT, '"id": "G3.HIGH",', '"id": "G3.HIGH", "colour": 1,');
    expect(errors(missing)[0]?.message).toBe('G3 row 2 (G3.HIGH): unknown property "colour"');
  });

  // QA rl2 N3: a level `MEDIUM", got "LOW` read as two values: `got "MEDIUM", got "LOW"`.
  it('escapes the quote and the backslash of an echoed value, as JSON writes them', () => {
    const file = JSON.parse(DEFAULT) as { rules: { rows?: Record<string, unknown>[] }[] };
    file.rules[2]!.rows![2]!.level = 'MEDIUM", got "LOW\u202e\u0007';
    file.rules[2]!.rows![1]!.level = 'a\\x07';
    file.rules[2]!.rows![0]![`x"y\\`] = 1;
    const levels = 'a level (CRITICAL, HIGH, MEDIUM, LOW) or {"fact": "requested_priority"}';
    expect(errors(JSON.stringify(file, null, 2)).map((d) => d.message)).toEqual([
      'G3 row 1 (G3.CRITICAL): unknown property "x\\"y\\\\"',
      `G3 row 2 (G3.HIGH) level: ${levels}; got "a\\\\x07"`,
      `G3 row 3 (G3.MEDIUM) level: ${levels}; got "MEDIUM\\", got \\"LOW\\u202e\\x07"`,
    ]);
  });

  // QA rl2 N3, beyond shape errors: an unknown fact's name, a value compared and the key in
  // the place were echoed raw (a `"` unescaped, U+202E and BEL acting on the reader).
  it('escapes what meaning errors echo: an unknown fact, a value compared, a key in the place', () => {
    const file = JSON.parse(DEFAULT) as {
      rules: { rows?: Record<string, unknown>[] }[];
    };
    file.rules[1]!.rows![0]!.when = { 'fresh", got "x\u202e\u0007': 1 };
    file.rules[2]!.rows![0]!.when = { impact: 'hi"gh\\\u202e\u0007' };
    expect(errors(JSON.stringify(file, null, 2)).map((d) => d.message)).toEqual([
      expect.stringMatching(
        /^G2 row 1 when\["fresh\\", got \\"x\\u202e\\x07"\]: unknown fact "fresh\\", got \\"x\\u202e\\x07"; known facts: /,
      ),
      'G3 row 1 (G3.CRITICAL) when.impact: impact has no value "hi\\"gh\\\\\\u202e\\x07"; its values are low, medium, high',
    ]);
  });

  // QA rl F6: an unknown fact elsewhere in the file came only once the shape error was fixed.
  it('checks the meaning of the rest of a file whose rules have shape errors', () => {
    const file = JSON.parse(DEFAULT) as {
      rules: (Record<string, unknown> & { rows?: Record<string, unknown>[] })[];
    };
    file.rules[1]!.colour = 'red'; // G2: an unknown property; its row still checked
    file.rules[1]!.rows![0]!.when = { freshnes: { '==': 'stale' } };
    file.rules[2]!.rows![1]!.when = { impactt: 'high' }; // G3.HIGH
    file.rules[2]!.rows![2]!.level = 'MEDIUMX'; // G3.MEDIUM: refused, nothing more said of it
    file.rules[2]!.rows![2]!.when = { nothing: 1 };
    const text = JSON.stringify(file, null, 2);
    const r = checkRules(text);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual([
      { code: 'UNKNOWN_FACT', ...where(text, '"freshnes"') },
      { code: 'UNKNOWN_PROPERTY', ...where(text, '"colour"') },
      { code: 'UNKNOWN_FACT', ...where(text, '"impactt"') },
      { code: 'BAD_SHAPE', ...where(text, '"MEDIUMX"') },
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/^G2 row 1 when\.freshnes: unknown fact "freshnes"/);
  });

  // QA rl2 N3: meaning errors named `rules[2].rows[400].when.underlyng` beside shape errors
  // named `WATCH row 602 (W.U0300.lo)`: every diagnostic in a rule is named the same way.
  it('names every diagnostic in a rule by its id and the row, as shape errors are named', () => {
    const file = JSON.parse(DEFAULT) as {
      rules: (Record<string, unknown> & { rows?: Record<string, unknown>[] })[];
    };
    const watch: Record<string, unknown>[] = Array.from({ length: 401 }, (_, k) => ({
      id: `W.U${k}`,
      when: { underlying: `U${k}` },
      level: 'LOW',
    }));
    watch[400]!.when = { underlyng: 'U400' };
    file.rules.splice(2, 0, { id: 'WATCH', hit: 'first', rows: [...watch, { level: 'LOW' }] });
    const text = JSON.stringify(file, null, 2);
    expect(errors(text).map(({ code, message }) => ({ code, message }))).toEqual([
      {
        code: 'UNKNOWN_FACT',
        message: expect.stringMatching(/^WATCH row 401 \(W\.U400\) when\.underlyng: unknown fact/),
      },
    ]);
    const reserved = replaceOnce(text, '"underlyng"', '"__proto__"');
    expect(errors(reserved).map((d) => d.message)).toEqual([
      expect.stringMatching(/^WATCH row 401 \(W\.U400\) when: "__proto__" cannot be a name/),
    ]);
    // The analysis' own: a row never reached, in a table without row ids.
    const unreachable = replaceOnce(
      DEFAULT,
      '{ "id": "G3.CRITICAL"',
      '{ "when": { "impact": "medium" }, "level": "MEDIUM" },\n        { "id": "G3.CRITICAL"',
    );
    expect(errors(unreachable).map((d) => d.message)).toContain(
      'G3 row 2 (G3.CRITICAL): this row is never reached: the rows before it hold in every case it holds',
    );
  });

  it('refuses a document that is not a rule file', () => {
    for (const text of ['null', '[]', '42', '"rules"']) {
      const r = checkRules(text);
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ code: 'BAD_SHAPE', line: 1, column: 1 });
    }
    const empty = checkRules('{}');
    expect(empty.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('"rules" is required')]),
    );
  });

  it('refuses an unknown property and a missing one', () => {
    const text = replaceOnce(DEFAULT, '"demote": 1', '"demote": 1, "colour": "red"');
    expect(errors(text)[0]).toMatchObject({ code: 'UNKNOWN_PROPERTY', ...where(text, '"colour"') });
    const missing = replaceOnce(DEFAULT, '"combine": "highest-level",', '');
    expect(errors(missing)[0]).toMatchObject({ code: 'MISSING_PROPERTY', line: 1, column: 1 });
  });

  // zod's record skips a `__proto__` key: the schema passed a derived fact of that name,
  // the program met it unchecked, and check, dry run and activate ended INTERNAL, no line.
  it('refuses __proto__, constructor and prototype as names, at the key', () => {
    const age = '{ "kind": "age", "from": "as_of", "to": "now" }';
    for (const [name, value] of [
      ['__proto__', '5'],
      ['__proto__', age],
      ['__proto__', '{ "sneaky": { "kind": "age", "from": "as_of", "to": "now" } }'],
      ['constructor', age],
      ['prototype', age],
    ]) {
      const text = replaceOnce(DEFAULT, '"derived": {', `"derived": {\n    "${name}": ${value},`);
      const r = checkRules(text);
      expect(r.ok, name).toBe(false);
      expect(r.diagnostics[0], `${name}: ${value}`).toMatchObject({
        severity: 'error',
        code: 'BAD_NAME',
        ...where(text, `"${name}"`),
      });
      expect(r.diagnostics[0]!.message).toBe(
        `derived: "${name}" cannot be a name in a rule file (JavaScript reserves it for an object's own machinery); name it otherwise`,
      );
      const parsed = parseRules(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).not.toBe('INTERNAL');
    }
    // Anywhere in the file: in a condition too.
    const when = replaceOnce(
      DEFAULT,
      '"source_reliability": { "<": 0.8 }',
      '"__proto__": { "<": 0.8 }',
    );
    expect(errors(when)[0]).toMatchObject({ code: 'BAD_NAME', ...where(when, '"__proto__"') });
  });

  it('refuses an unreachable row, at the row', () => {
    const text = replaceOnce(
      DEFAULT,
      '{ "id": "G3.CRITICAL"',
      '{ "id": "G3.EARLY", "when": { "impact": "medium" }, "level": "MEDIUM" },\n        { "id": "G3.CRITICAL"',
    );
    const e = errors(text);
    expect(e.map((d) => d.code)).toContain('UNREACHABLE_ROW');
    // G3.CRITICAL needs impact high, which the new first row already covers.
    expect(e.find((d) => d.code === 'UNREACHABLE_ROW')).toMatchObject(
      where(text, '{ "id": "G3.CRITICAL"'),
    );
    const never = replaceOnce(
      DEFAULT,
      '"value": "fresh"',
      '"value": "fresh" },\n        { "when": { "age_s": { "<": 0 } }, "value": "fresh"',
    );
    expect(errors(never)[0]!.message).toMatch(/never (holds|reached)/);
  });

  it('judges rows by the underlyings a valid request can have (1–10 characters after trimming)', () => {
    // A row for an underlying no request can name never holds ...
    for (const name of ['ABCDEFGHIJK', '   ']) {
      const text = replaceOnce(
        DEFAULT,
        '{ "id": "G3.CRITICAL"',
        `{ "id": "G3.ODD", "when": { "underlying": "${name}" }, "level": "CRITICAL" },\n        { "id": "G3.CRITICAL"`,
      );
      const e = errors(text);
      expect(
        e.map((d) => d.code),
        name,
      ).toEqual(['UNREACHABLE_ROW']);
      expect(e[0]).toMatchObject(where(text, '{ "id": "G3.ODD"'));
    }
    // ... and a last row for every underlying but one no request can name covers them all.
    for (const name of ['', 'ZZZZZZZZZZZ']) {
      const text = replaceOnce(
        DEFAULT,
        '{ "id": "G3.LOW", "level": "LOW",',
        `{ "id": "G3.LOW", "when": { "underlying": { "!=": "${name}" } }, "level": "LOW",`,
      );
      expect(errors(text), name).toEqual([]);
    }
    // A ten-character one is a real underlying: the row holds for it.
    const ten = replaceOnce(
      DEFAULT,
      '{ "id": "G3.CRITICAL"',
      '{ "id": "G3.TEN", "when": { "underlying": "ABCDEFGHIJ" }, "level": "CRITICAL" },\n        { "id": "G3.CRITICAL"',
    );
    expect(errors(ten)).toEqual([]);
  });

  it('refuses a conflict: rows of a "unique" table that give different levels for one input', () => {
    const text = replaceOnce(DEFAULT, '"hit": "first"', '"hit": "unique"');
    const e = errors(text);
    expect(e.length).toBeGreaterThan(0);
    expect(e.every((d) => d.code === 'CONFLICT')).toBe(true);
    expect(e[0]).toMatchObject(where(text, '{ "id": "G3.HIGH"'));
    expect(e[0]!.message).toMatch(/\(G3\.HIGH\): this row and row G3\.CRITICAL both hold/);
  });

  it('refuses a conflict: two overrides that can both apply with different levels', () => {
    const text = replaceOnce(
      DEFAULT,
      '"rules": [',
      '"rules": [\n    { "id": "DESK", "override": true, "rows": [ { "when": { "underlying": "SPX" }, "level": "CRITICAL" } ] },',
    );
    const e = errors(text);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'CONFLICT' });
    expect(e[0]!.message).toMatch(/DESK and G1 both apply/);
  });

  it('refuses inputs no rule decides (a table without a catch-all)', () => {
    const text = replaceOnce(
      DEFAULT,
      ',\n        { "id": "G3.LOW", "level": "LOW", "note": "anything else" }',
      '',
    );
    const e = errors(text);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      code: 'UNCOVERED',
      ...where(text, '[', text.indexOf('"rules": [')),
    });
    expect(e[0]!.message).toMatch(/impact=low/);
  });

  it('judges rows by valid requests only: a requested level always comes with a justification (G1)', () => {
    const levels = JSON.parse(DEFAULT).levels;
    const file = (rules: unknown[]) =>
      JSON.stringify({ name: 'g1', levels, derived: {}, combine: 'highest-level', rules }, null, 2);
    // Every valid request has a level: one without a requested level from the first row,
    // one with it has a justification and gets the second.
    const covered = file([
      {
        id: 'T',
        rows: [
          { when: { requested_priority: null }, level: 'LOW' },
          { when: { justification: { '!=': null } }, level: 'HIGH' },
        ],
      },
    ]);
    expect(checkRules(covered)).toEqual({ ok: true, diagnostics: [] });
    // A "unique" table whose rows only both hold for a request G1 refuses.
    const unique = file([
      {
        id: 'U',
        hit: 'unique',
        rows: [
          { when: { requested_priority: 'HIGH' }, level: 'HIGH' },
          { when: { justification: null }, level: 'LOW' },
          {
            when: { requested_priority: { '!=': 'HIGH' }, justification: { '!=': null } },
            level: 'LOW',
          },
        ],
      },
    ]);
    expect(errors(unique)).toEqual([]);
    // A row that needs a requested level without a justification (or a blank one) never holds.
    const dead = file([
      {
        id: 'T',
        rows: [
          { when: { requested_priority: 'HIGH', justification: null }, level: 'HIGH' },
          {
            when: { requested_priority: { in: ['LOW', 'HIGH'] }, justification: '  ' },
            level: 'HIGH',
          },
          { level: 'LOW' },
        ],
      },
    ]);
    expect(errors(dead).map((e) => [e.code, /^T row \d/.exec(e.message)?.[0]])).toEqual([
      ['UNREACHABLE_ROW', 'T row 1'],
      ['UNREACHABLE_ROW', 'T row 2'],
    ]);
  });

  it('proves a level for a watch list split over two tables by underlying and volume', () => {
    // Every request has a level here (UP or DOWN, by underlying and volume). The search once
    // split on every component, smallest first, ran past its limit and refused the set; it
    // now splits on what the rows left read, one underlying at a time.
    const levels = JSON.parse(DEFAULT).levels;
    const names = Array.from({ length: 400 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const text = JSON.stringify({
      name: 'split',
      levels,
      derived: {},
      combine: 'highest-level',
      rules: [
        {
          id: 'UP',
          rows: names.map((u, i) => ({
            when: { underlying: u, total_volume: { '>=': 1000 + 3 * i } },
            level: 'HIGH',
          })),
        },
        {
          id: 'DOWN',
          rows: [
            ...names.map((u, i) => ({
              when: { underlying: u, total_volume: { '<': 1000 + 3 * i } },
              level: 'LOW',
            })),
            { when: { not: { underlying: { in: names } } }, level: 'LOW' },
          ],
        },
      ],
    });
    expect(checkRules(text)).toEqual({ ok: true, diagnostics: [] });
    // Without the rows of one underlying, the gap is found and named.
    const gap = text.replace(
      '{"when":{"underlying":"S123","total_volume":{"<":1369}},"level":"LOW"},',
      '',
    );
    expect(gap).not.toBe(text);
    const e = errors(gap);
    expect(e).toEqual([expect.objectContaining({ code: 'UNCOVERED' })]);
    expect(e[0]!.message).toMatch(/underlying="?S123"?.*total_volume=/i);
  });

  // QA rl F5: past a component's limit the warning sat on derived.impact (the first derived
  // fact of the component, untouched) and said neither where the thresholds came from nor
  // what to do.
  it('places a component past its limit on the rule bringing the thresholds, names its rows and what to do', () => {
    const file = JSON.parse(DEFAULT) as {
      rules: { id: string; rows?: Record<string, unknown>[] }[];
    };
    const g3 = file.rules[2]!;
    const fresh = (i: number) => ({
      id: `G3.V${i}`,
      when: {
        freshness: 'fresh',
        total_volume: { '>=': 100000 + i * 100 },
        total_open_interest: { '>=': 5000 + i * 37 },
      },
      level: 'HIGH',
    });
    const extra = Array.from({ length: 400 }, (_, i) => fresh(i));
    // A row without thresholds between them: the rows named are 1–200 and 202–401.
    extra.splice(200, 0, {
      id: 'G3.STALE',
      when: { freshness: { '==': 'stale' } },
      level: 'LOW',
    } as never);
    g3.rows = [...extra, ...g3.rows!];
    const text = JSON.stringify(file, null, 2);
    const r = checkRules(text);
    expect(r.ok).toBe(true);
    const limits = r.diagnostics.filter((d) => d.code === 'ANALYSIS_LIMIT');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({
      severity: 'warning',
      ...where(text, '{', text.lastIndexOf('{', text.indexOf('"id": "G3"'))),
    });
    const m = limits[0]!.message;
    expect(m).toMatch(
      /^G3: too many combinations of total_volume, total_open_interest, impact \(\d+\)/,
    );
    for (const fact of ['total_volume', 'total_open_interest'])
      expect(m).toContain(
        `${fact} is tried at 1207 values, from 402 thresholds (G3 rows 1–200, 202–401 bring 400, derived.impact rows 1–2 bring 2)`,
      );
    expect(m).toMatch(
      /; to have it checked, give total_volume and total_open_interest fewer distinct thresholds \(rows that share one add no case\), or test impact in the rules instead of their own thresholds$/,
    );
  });

  // QA land F1: every threshold was derived.impact's own, yet the advice said "or test impact
  // in the rules instead of their own thresholds" — the rules already test impact.
  it("a component past its limit by a derived fact's own rows is not told to test that fact in the rules", () => {
    const file = JSON.parse(DEFAULT) as {
      derived: { impact: { rows: Record<string, unknown>[] } };
    };
    const impact = file.derived.impact;
    const extra = Array.from({ length: 400 }, (_, i) => ({
      when: {
        total_volume: { '>=': 100000 + i * 100 },
        total_open_interest: { '>=': 5000 + i * 37 },
      },
      value: 'high',
    }));
    impact.rows = [...extra, ...impact.rows];
    const text = JSON.stringify(file, null, 2);
    const r = checkRules(text);
    expect(r.ok).toBe(true);
    const limits = r.diagnostics.filter((d) => d.code === 'ANALYSIS_LIMIT');
    expect(limits).toHaveLength(1);
    const m = limits[0]!.message;
    expect(m).toContain('derived.impact rows 1–402 bring 402');
    expect(m).toMatch(
      /; to have it checked, give total_volume and total_open_interest fewer distinct thresholds \(rows that share one add no case\)$/,
    );
    expect(m).not.toContain('instead of their own thresholds');
  });

  it('finds a duplicate among 400 watch rows inside G3 (its own rows and G4 kept), not past a limit', () => {
    // G3 then reads underlying, freshness, change, volume and impact, and G4 reliability: the
    // product of their cases was past the limit (ANALYSIS_LIMIT, the duplicate unreported).
    const file = JSON.parse(DEFAULT);
    const g3 = file.rules.find((t: { id: string }) => t.id === 'G3');
    const watch = Array.from({ length: 400 }, (_, i) => ({
      when: {
        underlying: `S${String(i).padStart(3, '0')}`,
        freshness: 'fresh',
        total_volume: { '>=': 1000 + i },
      },
      level: 'HIGH',
    }));
    g3.rows = [...watch, structuredClone(watch[0]), ...g3.rows];
    const r = checkRules(JSON.stringify(file, null, 2));
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['UNREACHABLE_ROW', expect.stringMatching(/^G3 row 401\b.*: this row is never reached/)],
    ]);
    g3.rows.splice(400, 1);
    expect(checkRules(JSON.stringify(file, null, 2))).toEqual({ ok: true, diagnostics: [] });
  });

  it('refuses a set whose levels for every request it cannot show, and names what to add', () => {
    // Every request has a level here too (by underlying, volume and reliability), but the
    // cases no rule has decided yet (each underlying's volumes times its reliabilities) are
    // past the search's limit: the set is refused, not passed with a warning; a catch-all
    // row settles it.
    const levels = JSON.parse(DEFAULT).levels;
    const names = Array.from({ length: 400 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const file = (catchAll: boolean) =>
      JSON.stringify(
        {
          name: 'split',
          levels,
          derived: {},
          combine: 'highest-level',
          rules: [
            {
              id: 'UP',
              rows: names.map((u, i) => ({
                when: {
                  underlying: u,
                  total_volume: { '>=': 1000 + 3 * i },
                  source_reliability: { '>=': 0.5 + i / 1000 },
                },
                level: 'HIGH',
              })),
            },
            {
              id: 'DOWN',
              rows: [
                ...names.flatMap((u, i) => [
                  { when: { underlying: u, total_volume: { '<': 1000 + 3 * i } }, level: 'LOW' },
                  {
                    when: { underlying: u, source_reliability: { '<': 0.5 + i / 1000 } },
                    level: 'LOW',
                  },
                ]),
                { when: { not: { underlying: { in: names } } }, level: 'LOW' },
                ...(catchAll ? [{ level: 'LOW' }] : []),
              ],
            },
          ],
        },
        null,
        2,
      );
    const text = file(false);
    const e = errors(text);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      code: 'UNPROVEN_LEVEL',
      ...where(text, '[', text.indexOf('"rules": [')),
    });
    expect(e[0]!.message).toMatch(/cannot show that every valid request gets a level/);
    expect(e[0]!.message).toMatch(/as the last row of DOWN/);
    expect(checkRules(file(true)).ok).toBe(true);
  });

  it('refuses a derived fact without a value for some input', () => {
    const text = replaceOnce(DEFAULT, ',\n        { "value": "stale" }', '');
    const e = errors(text);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'UNCOVERED' });
    expect(e[0]!.message).toContain('age_s=300');
  });

  it('refuses a level taken from a fact that can be null, and an unknown ordered value', () => {
    const nullable = replaceOnce(
      DEFAULT,
      '{ "when": { "requested_priority": { "!=": null } }, "level"',
      '{ "level"',
    );
    expect(errors(nullable)[0]).toMatchObject({
      code: 'NO_LEVEL',
      ...where(nullable, '{ "level": { "fact"'),
    });
    const value = replaceOnce(DEFAULT, '"value": "stale"', '"value": "old"');
    expect(errors(value)[0]).toMatchObject({ code: 'UNKNOWN_VALUE', ...where(value, '"old"') });
  });

  it('warns that a bare lowest value means "at least" and so always holds', () => {
    const text = replaceOnce(DEFAULT, '"freshness": { "==": "stale" }', '"freshness": "stale"');
    const r = checkRules(text);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'warning',
      code: 'ALWAYS_HOLDS',
      ...where(text, '"stale" }, "level": "LOW"'),
    });
  });

  it('only warns about a row of a "unique" table that adds nothing', () => {
    const text = replaceOnce(
      DEFAULT,
      '"rows": [\n        { "when": { "freshness": { "==": "stale" } }, "level": "LOW" }\n      ]',
      '"hit": "unique", "rows": [\n        { "when": { "freshness": { "==": "stale" } }, "level": "LOW" },\n        { "when": { "freshness": { "==": "stale" }, "impact": "high" }, "level": "LOW" }\n      ]',
    );
    const r = checkRules(text);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'REDUNDANT_ROW' }),
    ]);
  });

  it('parseRules gives the first error with its place; compileRules refuses an unchecked set', () => {
    const bad = parseRules('{\n  "name": 1\n');
    expect(!bad.ok && bad.error).toMatchObject({ code: 'RULES_SYNTAX', line: 3, column: 1 });
    const invalid = parseRules(
      replaceOnce(DEFAULT, '"source_reliability": { "<": 0.8 }', '"reliability": { "<": 0.8 }'),
    );
    expect(!invalid.ok && invalid.error).toMatchObject({
      code: 'RULES_INVALID',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    const good = parseRules(DEFAULT);
    if (!good.ok) throw new Error(good.error.message);
    const broken = structuredClone(good.value);
    (broken.rules[1] as { rows: { when?: unknown }[] }).rows[0]!.when = { nothing: 1 };
    expect(() => compileRules(broken, 1)).toThrow(/unknown fact/);
  });
});
