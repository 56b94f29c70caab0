// Turns a structurally valid rule file into a program: every fact gets a slot in a
// preallocated array, every condition becomes a closure over those slots, and every
// misuse of a fact (unknown name, wrong type, unknown ordinal value) becomes a
// located problem. The evaluator (compile.ts) and the analysis (analyse.ts) both
// run this one program, so what `rules check` proves is what `decide` executes.
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import {
  DURATION,
  GIVEN_FACTS,
  type AdjustRule,
  type Condition,
  type FactType,
  type LevelTargets,
  type RuleFile,
  type TableRule,
} from '../../../shared/rules.ts';
import type { JsonPath } from './json-locate.ts';

export type Problem = {
  path: JsonPath;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  atKey?: boolean;
};

export type FactInfo = {
  name: string;
  /** Index into `num` (numbers, ordinals, levels) or `str` (strings). */
  slot: number;
  type: 'number' | 'ordinal' | 'level' | 'string' | 'timestamp';
  derived: boolean;
  integer: boolean;
  min: number;
  max: number;
  nullable: boolean;
  /** Ordinal values, lowest first. */
  values: readonly string[];
  /** Numeric constants and string literals the rule file compares this fact with. */
  thresholds: Set<number>;
  literals: Set<string>;
  /** Used in a rule (not only by derived facts). */
  usedByRules: boolean;
  /** Used in any condition. */
  used: boolean;
};

export type Cond = {
  holds: () => boolean;
  /** What held, with the actual values (call only when `holds()`). */
  explain: () => string;
  /** The condition as written. */
  text: string;
  facts: Set<string>;
};

export type AgeProgram = {
  info: FactInfo;
  from: string;
  to: string;
  skewMs: number;
  futureLimitMs: number;
};

export type OrdinalProgram = {
  info: FactInfo;
  path: JsonPath;
  rows: { rank: number; cond: Cond | null; path: JsonPath }[];
};

export type RowProgram = {
  id: string | undefined;
  /** Index in PRIORITY_LEVELS (0 = CRITICAL), or -1 when the level comes from a fact. */
  level: number;
  levelSlot: number;
  cond: Cond | null;
  note: string | undefined;
  path: JsonPath;
};

export type AdjustProgram = {
  id: string;
  title: string | undefined;
  steps: number;
  cond: Cond;
  path: JsonPath;
};

export type TableProgram = {
  id: string;
  title: string | undefined;
  override: boolean;
  hit: 'first' | 'unique';
  rows: RowProgram[];
  adjusters: AdjustProgram[];
  path: JsonPath;
};

export type Program = {
  num: Float64Array;
  str: (string | null)[];
  /** The facts' strings as given (for explanations); `str` holds them lower-cased. */
  rawStr: (string | null)[];
  facts: Map<string, FactInfo>;
  ages: AgeProgram[];
  ordinals: OrdinalProgram[];
  overrides: TableProgram[];
  tables: TableProgram[];
  combine: 'highest-level' | 'first-applicable';
  targets: LevelTargets;
  problems: Problem[];
  /** Comparisons of rules (not derived facts) on numbers and strings, which are not discrete. */
  ruleAtoms: Cond[];
};

export const displayName = (fact: string): string => fact.replaceAll('_', ' ');
const fmt = (v: number): string => (Number.isNaN(v) ? 'null' : String(v));
const quote = (v: unknown): string => JSON.stringify(v);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
export const durationMs = (text: string): number => {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
};

const OPS = ['<', '<=', '>', '>=', '==', '!=', 'in'] as const;
type Op = (typeof OPS)[number];
const OP_WORD: Record<Op, string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '=',
  '!=': '≠',
  in: 'in',
};

const TRUE: Cond = { holds: () => true, explain: () => '', text: '', facts: new Set() };

const and = (parts: Cond[]): Cond => {
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0]!;
  const facts = new Set(parts.flatMap((p) => [...p.facts]));
  const text = parts.map((p) => p.text).join(', ');
  const explain = () => parts.map((p) => p.explain()).join(', ');
  if (parts.length === 2) {
    const a = parts[0]!.holds;
    const b = parts[1]!.holds;
    return { holds: () => a() && b(), explain, text, facts };
  }
  if (parts.length === 3) {
    const a = parts[0]!.holds;
    const b = parts[1]!.holds;
    const c = parts[2]!.holds;
    return { holds: () => a() && b() && c(), explain, text, facts };
  }
  const fs = parts.map((p) => p.holds);
  return {
    holds: () => {
      for (let i = 0; i < fs.length; i++) if (!fs[i]!()) return false;
      return true;
    },
    explain,
    text,
    facts,
  };
};

const or = (parts: Cond[]): Cond => {
  const facts = new Set(parts.flatMap((p) => [...p.facts]));
  const fs = parts.map((p) => p.holds);
  const holds =
    fs.length === 2
      ? (() => {
          const a = fs[0]!;
          const b = fs[1]!;
          return () => a() || b();
        })()
      : () => {
          for (let i = 0; i < fs.length; i++) if (fs[i]!()) return true;
          return false;
        };
  return {
    holds,
    explain: () => (parts.find((p) => p.holds()) ?? parts[0]!).explain(),
    text: parts.map((p) => `(${p.text})`).join(' or '),
    facts,
  };
};

/** Builds the program of a rule file whose shape zod has accepted. */
export const buildProgram = (file: RuleFile): Program => {
  const problems: Problem[] = [];
  const problem = (
    path: JsonPath,
    code: string,
    message: string,
    atKey = false,
    severity: 'error' | 'warning' = 'error',
  ) => problems.push({ path, code, message, severity, atKey });

  const facts = new Map<string, FactInfo>();
  let numSlots = 0;
  let strSlots = 0;
  const addFact = (
    name: string,
    t: Omit<FactInfo, 'slot' | 'name' | 'thresholds' | 'literals' | 'usedByRules' | 'used'>,
  ): FactInfo => {
    const info: FactInfo = {
      ...t,
      name,
      slot: t.type === 'string' ? strSlots++ : t.type === 'timestamp' ? -1 : numSlots++,
      thresholds: new Set(),
      literals: new Set(),
      usedByRules: false,
      used: false,
    };
    facts.set(name, info);
    return info;
  };
  for (const [name, t] of Object.entries(GIVEN_FACTS) as [string, FactType][]) {
    const base = {
      derived: false,
      integer: false,
      min: -Infinity,
      max: Infinity,
      nullable: false,
      values: [] as string[],
    };
    if (t.kind === 'number')
      addFact(name, {
        ...base,
        type: 'number',
        integer: t.integer,
        min: t.min,
        max: t.max,
        nullable: t.nullable,
      });
    else if (t.kind === 'string') addFact(name, { ...base, type: 'string', nullable: t.nullable });
    else if (t.kind === 'level')
      addFact(name, { ...base, type: 'level', nullable: t.nullable, values: PRIORITY_LEVELS });
    else addFact(name, { ...base, type: 'timestamp' });
  }

  // One slot per fact, allocated once: the closures capture these arrays directly.
  const capacity = Object.keys(GIVEN_FACTS).length + Object.keys(file.derived).length;
  const num = new Float64Array(capacity);
  const str = new Array<string | null>(capacity).fill(null);
  const rawStr = new Array<string | null>(capacity).fill(null);
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
      const hint = facts.has(name)
        ? `; a derived fact can use only the facts declared before it`
        : `; known facts: ${[...known.keys()].filter((k) => facts.get(k)?.type !== 'timestamp').join(', ')}`;
      problem(path, 'UNKNOWN_FACT', `unknown fact "${name}"${hint}`, true);
      return null;
    }
    if (forRules) info.usedByRules = true;
    info.used = true;
    if (info.type === 'timestamp') {
      problem(
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
      problem(path, 'EMPTY_TEST', `the test of ${name} has no comparison`);
      return null;
    }
    const parts: Cond[] = [];
    for (const [op, v, p] of ops) {
      const c = comparison(info, op, v, p, test === v);
      if (c && forRules && (info.type === 'number' || info.type === 'string')) ruleAtoms.push(c);
      if (c) parts.push(c);
    }
    if (parts.length !== ops.length) return null;
    if (parts.length === 1) return parts[0]!;
    // Several comparisons on one fact: "gex change 0.07 ≥ 0.05, ≤ 0.1".
    const all = and(parts);
    const label = displayName(name);
    const strip = (s: string) => (s.startsWith(label + ' ') ? s.slice(label.length + 1) : s);
    return {
      ...all,
      text: `${label} ${parts.map((q) => strip(q.text)).join(', ')}`,
      explain: () => {
        const e = parts.map((q) => q.explain());
        return [e[0]!, ...e.slice(1).map((x) => strip(x).replace(/^\S+ /, ''))].join(', ');
      },
    };
  };

  const comparison = (
    info: FactInfo,
    op: Op,
    v: unknown,
    path: JsonPath,
    bare: boolean,
  ): Cond | null => {
    const label = displayName(info.name);
    const factsSet = new Set([info.name]);
    const slot = info.slot;
    const mismatch = (what: string) => {
      problem(path, 'TYPE_MISMATCH', `${info.name} ${what}`);
      return null;
    };
    if (!OPS.includes(op))
      return mismatch(`: unknown comparison "${op}"; use one of ${OPS.join(', ')}`);
    const list = op === 'in' ? (Array.isArray(v) ? v : null) : [v];
    if (!list) return mismatch(`: "in" needs a list of values`);
    if (typeof v === 'boolean' || list.some((x) => typeof x === 'boolean'))
      return mismatch(`is never true or false; ${quote(v)} cannot match`);
    const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';

    if (info.type === 'number') {
      for (const x of list) {
        if (x === null) {
          if (!info.nullable) return mismatch(`is never null`);
          if (ordering) return mismatch(`: null cannot be compared with ${op}`);
        } else if (typeof x !== 'number') return mismatch(`is a number; ${quote(x)} is not`);
        else info.thresholds.add(x);
      }
      const val = () => fmt(num[slot]!);
      const c = list[0] as number | null;
      const mk = (holds: () => boolean, rhs: string): Cond => ({
        holds,
        explain: () => `${label} ${val()} ${rhs}`,
        text: `${label} ${rhs}`,
        facts: factsSet,
      });
      if (op === 'in') {
        const nums = list.map((x) => (x === null ? NaN : (x as number)));
        const hasNull = nums.some(Number.isNaN);
        return mk(
          () => {
            const x = num[slot]!;
            return Number.isNaN(x) ? hasNull : nums.includes(x);
          },
          `in ${list.map((x) => fmt(x === null ? NaN : (x as number))).join(', ')}`,
        );
      }
      if (c === null) {
        return op === '!='
          ? {
              holds: () => !Number.isNaN(num[slot]!),
              explain: () => `${label} ${val()}`,
              text: `${label} not null`,
              facts: factsSet,
            }
          : {
              holds: () => Number.isNaN(num[slot]!),
              explain: () => `${label} null`,
              text: `${label} null`,
              facts: factsSet,
            };
      }
      const rhs = `${OP_WORD[op]} ${c}`;
      switch (op) {
        case '<':
          return mk(() => num[slot]! < c, rhs);
        case '<=':
          return mk(() => num[slot]! <= c, rhs);
        case '>':
          return mk(() => num[slot]! > c, rhs);
        case '>=':
          return mk(() => num[slot]! >= c, rhs);
        case '==':
          return mk(() => num[slot]! === c, rhs);
        default:
          return mk(() => num[slot]! !== c, rhs);
      }
    }

    if (info.type === 'ordinal' || info.type === 'level') {
      const isLevel = info.type === 'level';
      if (isLevel && ordering) return mismatch(`can only be compared with ==, != or in`);
      // Levels are stored as their index in PRIORITY_LEVELS; ordinals as their rank.
      const code = (x: unknown): number | null => {
        if (x === null) return info.nullable ? NaN : null;
        if (typeof x !== 'string') return null;
        const i = isLevel ? PRIORITY_LEVELS.indexOf(x as PriorityLevel) : info.values.indexOf(x);
        return i < 0 ? null : i;
      };
      const codes: number[] = [];
      for (const x of list) {
        const k = code(x);
        if (k === null) {
          if (x === null) return mismatch(`is never null`);
          return mismatch(
            typeof x === 'string'
              ? `has no value ${quote(x)}; its values are ${info.values.join(', ')}`
              : `is ${isLevel ? 'a level' : 'an ordered fact'} (${info.values.join(', ')}); ${quote(x)} is not one of its values`,
          );
        }
        codes.push(k);
      }
      const name = (k: number) => (Number.isNaN(k) ? 'null' : info.values[k]!);
      const val = () => name(num[slot]!);
      const k = codes[0]!;
      const top = info.values.length - 1;
      if (op === 'in') {
        return {
          holds: () => {
            const x = num[slot]!;
            return Number.isNaN(x) ? codes.some(Number.isNaN) : codes.includes(x);
          },
          explain: () => `${label} ${val()}`,
          text: `${label} in ${codes.map(name).join(', ')}`,
          facts: factsSet,
        };
      }
      if (Number.isNaN(k)) {
        return op === '!='
          ? {
              holds: () => !Number.isNaN(num[slot]!),
              explain: () => `${label} ${val()}`,
              text: `${label} given`,
              facts: factsSet,
            }
          : {
              holds: () => Number.isNaN(num[slot]!),
              explain: () => `${label} null`,
              text: `${label} null`,
              facts: factsSet,
            };
      }
      if (op === '>=' && k === 0)
        problem(
          path,
          'ALWAYS_HOLDS',
          `${quote(info.values[0])} is the lowest ${info.name}, so "at least" it always holds; write {"==": ${quote(info.values[0])}} for exactly ${info.values[0]}`,
          false,
          'warning',
        );
      const atLeastText = k === top ? `${label} ${name(k)}` : `${label} at least ${name(k)}`;
      switch (op) {
        case '>=':
          return {
            holds: () => num[slot]! >= k,
            explain: () =>
              num[slot] === k ? `${label} ${name(k)}` : `${label} ${val()} ≥ ${name(k)}`,
            text: bare || k === top ? atLeastText : `${label} ≥ ${name(k)}`,
            facts: factsSet,
          };
        case '==':
          return {
            holds: () => num[slot] === k,
            explain: () => `${label} ${name(k)}`,
            text: `${label} ${name(k)}`,
            facts: factsSet,
          };
        case '!=':
          return {
            holds: () => num[slot] !== k,
            explain: () => `${label} ${val()} ≠ ${name(k)}`,
            text: `${label} ≠ ${name(k)}`,
            facts: factsSet,
          };
        default: {
          const f =
            op === '<'
              ? (x: number) => x < k
              : op === '<='
                ? (x: number) => x <= k
                : (x: number) => x > k;
          return {
            holds: () => f(num[slot]!),
            explain: () => `${label} ${val()} ${OP_WORD[op]} ${name(k)}`,
            text: `${label} ${OP_WORD[op]} ${name(k)}`,
            facts: factsSet,
          };
        }
      }
    }

    // strings: compared case-insensitively
    if (ordering) return mismatch(`is a string and can only be compared with ==, != or in`);
    const lits: (string | null)[] = [];
    for (const x of list) {
      if (x === null) {
        if (!info.nullable) return mismatch(`is never null`);
        lits.push(null);
      } else if (typeof x !== 'string') return mismatch(`is a string; ${quote(x)} is not`);
      else {
        lits.push(x.trim().toLowerCase());
        info.literals.add(x.trim().toLowerCase());
      }
    }
    const raw = () => rawStr[slot] ?? null;
    const shown = () => (raw() === null ? 'null' : quote(raw()));
    const l = lits[0] ?? null;
    if (op === 'in')
      return {
        holds: () => lits.includes(str[slot] ?? null),
        explain: () => `${label} ${shown()}`,
        text: `${label} in ${list.map(quote).join(', ')}`,
        facts: factsSet,
      };
    if (op === '!=')
      return {
        holds: () => (str[slot] ?? null) !== l,
        explain: () => `${label} ${shown()}`,
        text: `${label} ≠ ${quote(v)}`,
        facts: factsSet,
      };
    return {
      holds: () => (str[slot] ?? null) === l,
      explain: () => `${label} ${shown()}`,
      text: `${label} ${quote(v)}`,
      facts: factsSet,
    };
  };

  const condition = (
    c: Condition | undefined,
    path: JsonPath,
    known: Map<string, FactInfo>,
  ): Cond | null => {
    if (c === undefined) return null;
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
        else {
          const h = inner.holds;
          part = {
            holds: () => !h(),
            explain: () => `not (${inner.text})`,
            text: `not (${inner.text})`,
            facts: inner.facts,
          };
        }
      } else {
        part = factTest(key, test, p, known);
        if (!part) bad = true;
      }
      if (part) parts.push(part);
    }
    if (bad) return null;
    return and(parts);
  };

  // --- derived facts, in order; each sees the given facts and the ones before it
  const known = new Map(facts);
  const ages: AgeProgram[] = [];
  const ordinals: OrdinalProgram[] = [];
  for (const [name, d] of Object.entries(file.derived)) {
    const path = ['derived', name];
    if (facts.has(name)) {
      problem(path, 'DUPLICATE_FACT', `"${name}" is already a fact`, true);
      continue;
    }
    if (d.kind === 'age') {
      let okRefs = true;
      for (const k of ['from', 'to'] as const) {
        if (facts.get(d[k])?.type !== 'timestamp') {
          problem(
            [...path, k],
            'TYPE_MISMATCH',
            `${k} must be a timestamp fact (as_of or now), not ${quote(d[k])}`,
          );
          okRefs = false;
        }
      }
      const info = addFact(name, {
        type: 'number',
        derived: true,
        integer: false,
        // Ages in [-skew, 0) count as 0; below -future_limit the facts are invalid.
        min: d.skew_tolerance_s >= d.future_limit_s ? 0 : -d.future_limit_s,
        max: Infinity,
        nullable: false,
        values: [],
      });
      known.set(name, info);
      if (okRefs)
        ages.push({
          info,
          from: d.from,
          to: d.to,
          skewMs: d.skew_tolerance_s * 1000,
          futureLimitMs: d.future_limit_s * 1000,
        });
    } else {
      const dup = d.values.find((v, i) => d.values.indexOf(v) !== i);
      if (dup !== undefined)
        problem([...path, 'values'], 'DUPLICATE_VALUE', `value ${quote(dup)} is listed twice`);
      const rows: OrdinalProgram['rows'] = [];
      d.rows.forEach((row, i) => {
        const rp = [...path, 'rows', i];
        const rank = d.values.indexOf(row.value);
        if (rank < 0)
          problem(
            [...rp, 'value'],
            'UNKNOWN_VALUE',
            `${name} has no value ${quote(row.value)}; its values are ${d.values.join(', ')}`,
          );
        const cond = row.when === undefined ? null : condition(row.when, [...rp, 'when'], known);
        rows.push({ rank, cond, path: rp });
      });
      const info = addFact(name, {
        type: 'ordinal',
        derived: true,
        integer: true,
        min: 0,
        max: d.values.length - 1,
        nullable: false,
        values: d.values,
      });
      known.set(name, info);
      ordinals.push({ info, path, rows });
    }
  }

  // --- rules
  forRules = true;
  const tables: TableProgram[] = [];
  const overrides: TableProgram[] = [];
  const ids = new Map<string, number>();
  const isAdjust = (r: TableRule | AdjustRule): r is AdjustRule => 'adjusts' in r;
  file.rules.forEach((r, i) => {
    if (ids.has(r.id))
      problem(
        ['rules', i, 'id'],
        'DUPLICATE_ID',
        `rule id ${quote(r.id)} is used by rule ${ids.get(r.id)! + 1} too`,
      );
    ids.set(r.id, i);
  });
  file.rules.forEach((r, i) => {
    if (isAdjust(r)) return;
    const path = ['rules', i];
    const rowIds = new Set<string>();
    const rows: RowProgram[] = r.rows.map((row, j) => {
      const rp = [...path, 'rows', j];
      if (row.id !== undefined) {
        if (rowIds.has(row.id) || (ids.has(row.id) && row.id !== r.id))
          problem([...rp, 'id'], 'DUPLICATE_ID', `row id ${quote(row.id)} is used twice`);
        rowIds.add(row.id);
      }
      let level = -1;
      let levelSlot = -1;
      if (typeof row.level === 'string') level = PRIORITY_LEVELS.indexOf(row.level);
      else {
        const f = facts.get(row.level.fact);
        if (!f || f.type !== 'level')
          problem(
            [...rp, 'level', 'fact'],
            'TYPE_MISMATCH',
            `a level can come only from a level fact (requested_priority), not ${quote(row.level.fact)}`,
          );
        else {
          levelSlot = f.slot;
          f.usedByRules = true;
        }
      }
      const cond = row.when === undefined ? null : condition(row.when, [...rp, 'when'], known);
      return { id: row.id, level, levelSlot, cond, note: row.note, path: rp };
    });
    const t: TableProgram = {
      id: r.id,
      title: r.title,
      override: r.override ?? false,
      hit: r.hit ?? 'first',
      rows,
      adjusters: [],
      path,
    };
    (t.override ? overrides : tables).push(t);
  });
  file.rules.forEach((r, i) => {
    if (!isAdjust(r)) return;
    const path = ['rules', i];
    const target = tables.find((t) => t.id === r.adjusts);
    if (!target) {
      const o = overrides.some((t) => t.id === r.adjusts);
      problem(
        [...path, 'adjusts'],
        'UNKNOWN_RULE',
        o
          ? `${r.adjusts} is an override; overrides cannot be adjusted`
          : `no table rule ${quote(r.adjusts)} to adjust`,
      );
    }
    if ((r.demote === undefined) === (r.escalate === undefined))
      problem(path, 'BAD_ADJUST', `give exactly one of "demote" or "escalate"`);
    const cond = condition(r.when, [...path, 'when'], known);
    if (target && cond)
      target.adjusters.push({
        id: r.id,
        title: r.title,
        steps: r.demote ?? -(r.escalate ?? 0),
        cond,
        path,
      });
  });

  const targets = Object.fromEntries(
    PRIORITY_LEVELS.map((l) => [
      l,
      { target_ms: durationMs(file.levels[l].target), onLate: file.levels[l].on_late },
    ]),
  ) as LevelTargets;

  return {
    num,
    str,
    rawStr,
    facts,
    ages,
    ordinals,
    overrides,
    tables,
    combine: file.combine,
    targets,
    problems,
    ruleAtoms,
  };
};
