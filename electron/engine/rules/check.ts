// `rules check`: a rule file's text → diagnostics with line and column, in three
// passes: JSON syntax, the file's shape (the zod schema also published as JSON Schema),
// and its meaning (facts, types, values, then the exhaustive analysis of conflicts, gaps
// and unreachable rows). A syntax error stops the rest; shape errors in rules only leave
// the meaning of the rest checked, without the analysis, which needs every rule.
import { z } from 'zod';
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { echoed, quotedEcho, visible } from '../../../shared/visible.ts';
import {
  AdjustRule,
  RuleFile,
  TableRule,
  type Diagnostic,
  type RuleSet,
} from '../../../shared/rules.ts';
import { analyse } from './analyse.ts';
import type { Node } from 'jsonc-parser';
import { parseJsonText, positionsOf, spanAt, type Span } from './json-text.ts';
import type { JsonPath, Problem } from './problems.ts';
import { buildProgram } from './program.ts';
import { reservedKeyMessage, reservedKeys } from './reserved-keys.ts';

export type CheckResult = { ok: boolean; diagnostics: Diagnostic[]; ruleSet: RuleSet | null };

const TopLevel = RuleFile.extend({ rules: z.array(z.unknown()).min(1) });

/** A key as a path names it: as it is when it is a name or an operator, else quoted (`when["a\"b"]`). */
const keyText = (s: string, p: string): string =>
  /^[\p{L}\p{N}_<>=!-]+$/u.test(p) ? (s ? `${s}.${p}` : p) : `${s}[${quotedEcho(p)}]`;

const pathText = (path: JsonPath): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : keyText(s, p)), '');

const valueAt = (value: unknown, path: JsonPath): unknown =>
  path.reduce<unknown>(
    (v, p) =>
      v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined,
    value,
  );

/** The id a rule or row gives itself, when it gives one (a string read by a person). */
const idOf = (v: unknown): string | null => {
  const id = v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.trim() !== '' ? echoed(id) : null;
};

/**
 * Where a problem is, as the analyst names it: in a rule, its id and the row's number and
 * id (`WATCH row 602 (W.U0300.lo) level`) rather than `rules[2].rows[601].level`, which
 * leaves counting an 801-row table to them; elsewhere the path, which names its keys. Every
 * diagnostic with a place in the file is named by it: shape, meaning and analysis alike.
 */
const placeName = (value: unknown, path: JsonPath): string => {
  const [top, i, inRule, j] = path;
  if (top === 'derived' && typeof i === 'string' && inRule === 'rows' && typeof j === 'number') {
    const tail = pathText(path.slice(4));
    return `derived.${i} row ${j + 1}${tail ? ` ${tail}` : ''}`;
  }
  if (top !== 'rules' || typeof i !== 'number') return pathText(path) || 'the file';
  const rule = valueAt(value, ['rules', i]);
  let where = idOf(rule) ?? `rules[${i}]`;
  let rest = path.slice(2);
  if (inRule === 'rows' && typeof j === 'number') {
    const row = valueAt(value, ['rules', i, 'rows', j]);
    const id = idOf(row);
    where += ` row ${j + 1}${id ? ` (${id})` : ''}`;
    rest = path.slice(4);
  }
  const tail = pathText(rest);
  return tail ? `${where} ${tail}` : where;
};

/** A string as a message quotes it (quotedEcho): a value holding `", got "` reads as one value. */
const quoted = (text: string): string => quotedEcho(text);

/**
 * What was written, for a message: a string quoted, a number, true, false or null as it is,
 * each cut and escaped (echoed()); nothing of an object or a list, whose place says enough.
 */
const gotText = (written: unknown): string => {
  if (typeof written === 'string') return `; got ${quoted(written)}`;
  if (written === null || ['number', 'boolean'].includes(typeof written))
    return `; got ${echoed(String(written))}`;
  return '';
};

type Place = (span: Span) => Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>;

/** Line and column of a span's start and end (the end as Monaco wants it: just after the last character). */
const placer = (text: string): Place => {
  const at = positionsOf(text);
  return (span) => {
    const a = at(span.start);
    const b = at(span.end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
};

/** Zod issues → diagnostics at the offending value (or key). */
const shapeDiagnostics = (
  place: Place,
  root: Node,
  value: unknown,
  issues: z.core.$ZodIssue[],
  prefix: JsonPath = [],
): Diagnostic[] =>
  issues.flatMap((issue): Diagnostic[] => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    const where = placeName(value, path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({
        severity: 'error',
        code: 'UNKNOWN_PROPERTY',
        message: `${where}: unknown property ${quoted(k)}`,
        ...place(spanAt(root, [...path, k], true)),
      }));
    }
    if (path.length > 0 && valueAt(value, path) === undefined) {
      const last = path[path.length - 1]!;
      return [
        {
          severity: 'error',
          code: 'MISSING_PROPERTY',
          message: `${placeName(value, path.slice(0, -1))}: "${last}" is required (${issue.message.replace(/^Invalid input: /, '')})`,
          ...place(spanAt(root, path.slice(0, -1))),
        },
      ];
    }
    if (issue.code === 'invalid_key') {
      return [
        {
          severity: 'error',
          code: 'BAD_NAME',
          message: `${where}: a name must be lower case letters, digits and _ (starting with a letter)`,
          ...place(spanAt(root, path, true)),
        },
      ];
    }
    // zod's own message may say it was null already ("received null").
    const written = valueAt(value, path);
    return [
      {
        severity: 'error',
        code: 'BAD_SHAPE',
        message: `${where}: ${issue.message}${slipOf(written) || (/received null/.test(issue.message) ? '' : gotText(written))}`,
        ...place(spanAt(root, path)),
      },
    ];
  });

/** What was written, when it is a level in the wrong case ("low" for "LOW"): said, with what was meant. */
function slipOf(written: unknown): string {
  if (typeof written !== 'string') return '';
  const level = PRIORITY_LEVELS.find((l) => l === written.trim().toUpperCase());
  return level && level !== written ? `; got ${quoted(written)}: did you mean "${level}"?` : '';
}

const problemDiagnostic = (place: Place, root: Node, value: unknown, p: Problem): Diagnostic => ({
  severity: p.severity,
  code: p.code,
  // Whatever a message echoes, no control or format character acts on the reader.
  message: visible(`${placeName(value, p.path)}: ${p.message}`),
  ...place(spanAt(root, p.path, p.atKey)),
});

const within = (path: JsonPath, prefix: JsonPath) => prefix.every((p, k) => path[k] === p);

type Refused = { isAdjust: boolean; issues: z.core.$ZodIssue[] };

/**
 * A refused rule made well-formed for the check of its other parts: its unknown properties
 * left out, each refused row a catch-all (`skipped`, nothing said of it); null when that
 * does not make it well-formed.
 */
function mend(r: unknown, i: number, bad: Refused): { rule: unknown; skipped: JsonPath[] } | null {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return null;
  const rule: Record<string, unknown> = { ...r };
  for (const x of bad.issues)
    if (x.code === 'unrecognized_keys' && x.path.length === 0)
      for (const k of x.keys) delete rule[k];
  const rows = new Set(
    bad.issues.flatMap((x) =>
      x.path[0] === 'rows' && typeof x.path[1] === 'number' ? [x.path[1]] : [],
    ),
  );
  if (!bad.isAdjust && Array.isArray(rule.rows))
    rule.rows = rule.rows.map((row: unknown, j) => (rows.has(j) ? { level: 'LOW' } : row));
  return (bad.isAdjust ? AdjustRule : TableRule).safeParse(rule).success
    ? { rule, skipped: [...rows].map((j) => ['rules', i, 'rows', j]) }
    : null;
}

/**
 * The problems of meaning (facts, types, values, names; not the case analysis, which needs
 * every rule) of a file whose only shape errors are in rules: each refused rule mended, or
 * standing in as a table of one catch-all under its id, nothing said of what stood in.
 */
function meaningOfTheRest(
  file: RuleFile,
  rules: unknown[],
  refused: Map<number, Refused>,
): Problem[] {
  const skipped: JsonPath[] = [];
  const standIns = rules.map((r, i) => {
    const bad = refused.get(i);
    if (!bad) return r;
    const mended = mend(r, i, bad);
    if (mended) {
      skipped.push(...mended.skipped);
      return mended.rule;
    }
    skipped.push(['rules', i]);
    const id = r !== null && typeof r === 'object' ? (r as { id?: unknown }).id : undefined;
    return { id: typeof id === 'string' && id ? id : `rules[${i}]`, rows: [{ level: 'LOW' }] };
  });
  return buildProgram({ ...file, rules: standIns as RuleFile['rules'] }).problems.filter(
    (p) => !skipped.some((s) => within(p.path, s)),
  );
}

const byPosition = (a: Diagnostic, b: Diagnostic) => a.line - b.line || a.column - b.column;

/**
 * Checks a rule file's text; `ruleSet` is set when there are no errors (warnings allowed).
 * `analyse: false` skips the case analysis (conflicts, gaps, unreachable rows), which takes
 * seconds on a large set: for a text already checked whole (a stored version, or one the
 * analysis worker passed), whose rule set is all the engine still needs to compile.
 */
export const checkRuleText = (text: string, { analyse: analysed = true } = {}): CheckResult => {
  const place = placer(text);
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    return {
      ok: false,
      ruleSet: null,
      diagnostics: parsed.problems.map((p) => ({
        severity: 'error',
        code: 'SYNTAX',
        message: `JSON syntax: ${p.message}`,
        ...place(p),
      })),
    };
  }
  const { root, value } = parsed;
  // Before the shape: zod skips a `__proto__` key, so its check would pass what it never saw.
  const reserved = reservedKeys(value).map((path): Diagnostic => ({
    severity: 'error',
    code: 'BAD_NAME',
    message: `${placeName(value, path.slice(0, -1))}: ${reservedKeyMessage(path[path.length - 1]!)}`,
    ...place(spanAt(root, path, true)),
  }));
  const top = TopLevel.safeParse(value);
  const diagnostics: Diagnostic[] = top.success
    ? [...reserved]
    : [...reserved, ...shapeDiagnostics(place, root, value, top.error.issues)];
  // Each rule separately, so that a bad rule gets its own variant's message instead of a union's.
  const rules =
    value !== null && typeof value === 'object' ? (value as { rules?: unknown }).rules : undefined;
  const refused = new Map<number, Refused>();
  if (Array.isArray(rules)) {
    rules.forEach((r, i) => {
      const isAdjust = r !== null && typeof r === 'object' && 'adjusts' in r;
      const res = (isAdjust ? AdjustRule : TableRule).safeParse(r);
      if (!res.success) {
        refused.set(i, { isAdjust, issues: res.error.issues });
        diagnostics.push(...shapeDiagnostics(place, root, value, res.error.issues, ['rules', i]));
      }
    });
  }
  if (diagnostics.length) {
    // Only the rules are wrong: the meaning of the rest is checked too (QA rl F6: an unknown
    // fact elsewhere came only once the shape error was fixed).
    const rest =
      top.success && !reserved.length && Array.isArray(rules)
        ? meaningOfTheRest(value as RuleFile, rules, refused).map((p) =>
            problemDiagnostic(place, root, value, p),
          )
        : [];
    return { ok: false, ruleSet: null, diagnostics: [...diagnostics, ...rest].sort(byPosition) };
  }

  // The value as written (zod would put known keys first; conditions explain in the author's order).
  const file = value as RuleFile;
  const program = buildProgram(file);
  const problems = [...program.problems];
  if (analysed && !problems.some((p) => p.severity === 'error')) problems.push(...analyse(program));
  const all = problems.map((p) => problemDiagnostic(place, root, value, p)).sort(byPosition);
  const ok = !all.some((d) => d.severity === 'error');
  return { ok, diagnostics: all, ruleSet: ok ? file : null };
};
