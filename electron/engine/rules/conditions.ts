// Compiles the `when` of a row, an ordinal's row or an adjustment into a Cond: each
// fact test becomes comparisons (compare.ts), and any/all/not combine them
// (cond.ts). Misuse of a fact (unknown name, a timestamp, an empty test) becomes a
// located problem; the comparators report type mismatches.
import { quotedEcho } from '../../../shared/visible.ts';
import type { Condition } from '../../../shared/rules.ts';
import { and, not, or, type Cond } from './cond.ts';
import { comparison } from './compare.ts';
import type { FactInfo, Slots } from './fact-table.ts';
import { displayName, type Op } from './ops.ts';
import type { JsonPath, Report } from './problems.ts';

export type ConditionCompiler = {
  /** The condition at `path`, seeing the facts in `known`; null when it has errors. */
  condition: (c: Condition, path: JsonPath, known: Map<string, FactInfo>) => Cond | null;
  /** From now on conditions belong to rules (not to derived facts). */
  startRules: () => void;
  /** Comparisons of rules on numbers and strings, which are not discrete (compile.ts memoizes on them). */
  ruleAtoms: Cond[];
};

const quote = (v: unknown): string => quotedEcho(v);

export const createConditionCompiler = (
  slots: Slots,
  derivedNames: ReadonlySet<string>,
  report: Report,
): ConditionCompiler => {
  let forRules = false;
  const ruleAtoms: Cond[] = [];

  const factTest = (
    name: string,
    test: unknown,
    path: JsonPath,
    known: Map<string, FactInfo>,
  ): Cond | null => {
    const info = known.get(name);
    if (!info) {
      const hint = derivedNames.has(name)
        ? `; a derived fact can use only the facts declared before it`
        : `; known facts: ${[...known.values()]
            .filter((f) => f.type !== 'timestamp')
            .map((f) => f.name)
            .join(', ')}`;
      report(path, 'UNKNOWN_FACT', `unknown fact ${quote(name)}${hint}`, true);
      return null;
    }
    if (forRules) info.usedByRules = true;
    info.used = true;
    if (info.type === 'timestamp') {
      report(
        path,
        'TYPE_MISMATCH',
        `${name} is a timestamp and cannot be compared; compare a derived age (e.g. age_s) instead`,
        true,
      );
      return null;
    }
    const ops: [Op, unknown, JsonPath][] =
      test !== null && typeof test === 'object' && !Array.isArray(test)
        ? Object.entries(test).map(([op, v]) => [op as Op, v, [...path, op]])
        : [[info.type === 'ordinal' ? '>=' : '==', test, path]];
    if (ops.length === 0) {
      report(path, 'EMPTY_TEST', `the test of ${name} has no comparison`);
      return null;
    }
    const label = displayName(name);
    const parts: Cond[] = [];
    for (const [op, v, p] of ops) {
      const c = comparison(info, op, v, {
        slots,
        label,
        bare: test === v,
        quote,
        mismatch: (what) => {
          report(p, 'TYPE_MISMATCH', `${info.name} ${what}`);
          return null;
        },
        warn: (code, message) => report(p, code, message, false, 'warning'),
      });
      if (c && forRules && (info.type === 'number' || info.type === 'string')) ruleAtoms.push(c);
      if (c && info.type === 'number')
        for (const x of Array.isArray(v) ? v : [v])
          if (typeof x === 'number') info.thresholdsAt.push({ value: x, at: p });
      if (c) parts.push(c);
    }
    if (parts.length !== ops.length) return null;
    if (parts.length === 1) return parts[0]!;
    // Several comparisons on one fact: "gex change 0.07 ≥ 0.05, ≤ 0.1".
    const all = and(parts);
    const strip = (s: string) => (s.startsWith(label + ' ') ? s.slice(label.length + 1) : s);
    const text = `${label} ${parts.map((q) => strip(q.text)).join(', ')}`;
    const known1 = info.type === 'string' ? slots.strKnown : slots.numKnown;
    return {
      ...all,
      text,
      explain: () => {
        if (known1[info.slot] !== 1) return text;
        const e = parts.map((q) => q.explain());
        return [e[0]!, ...e.slice(1).map((x) => strip(x).replace(/^\S+ /, ''))].join(', ');
      },
    };
  };

  const condition = (c: Condition, path: JsonPath, known: Map<string, FactInfo>): Cond | null => {
    const parts: Cond[] = [];
    let bad = false;
    for (const [key, test] of Object.entries(c)) {
      const p = [...path, key];
      let part: Cond | null = null;
      if (key === 'any' || key === 'all') {
        const subs = (test as Condition[]).map((s, i) => condition(s, [...p, i], known));
        if (subs.some((s) => s === null)) bad = true;
        else part = key === 'any' ? or(subs as Cond[]) : and(subs as Cond[]);
      } else if (key === 'not') {
        const inner = condition(test as Condition, p, known);
        if (!inner) bad = true;
        else part = not(inner);
      } else {
        part = factTest(key, test, p, known);
        if (!part) bad = true;
      }
      if (part) parts.push(part);
    }
    if (bad) return null;
    return and(parts);
  };

  return {
    condition,
    startRules: () => {
      forRules = true;
    },
    ruleAtoms,
  };
};
