// Proves things about a rule set by trying every case that matters: each numeric
// fact's thresholds cut its number line into finitely many intervals, and ordered
// facts have finitely many values, so one representative point per interval (and
// each threshold itself) covers every input. Facts that feed the same derived fact
// are enumerated together and the results deduplicated, which keeps the product
// small. Finds: derived facts with no value for some input, rows that are never
// reached, conflicting rows/rules, and inputs no rule gives a level for.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { OrdinalProgram } from './derived.ts';
import type { FactInfo } from './fact-table.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import type { TableProgram } from './tables.ts';

const COMPONENT_LIMIT = 250_000;
const PRODUCT_LIMIT = 1_000_000;

type Value = number | string | null;

/** Representative points of a numeric fact: each threshold and a point inside every interval between them. */
export const numericPoints = (info: FactInfo): number[] => {
  const t = [...info.thresholds]
    .filter((x) => x >= info.min && x <= info.max)
    .sort((a, b) => a - b);
  const points = new Set<number>();
  const lo = Number.isFinite(info.min) ? info.min : (t[0] ?? 0) - 1;
  const top = t.length ? Math.max(lo, t[t.length - 1]!) : lo;
  const hi = Number.isFinite(info.max) ? info.max : top + 1;
  if (info.integer) {
    points.add(Math.ceil(lo));
    for (const x of t)
      for (const d of [-1, 0, 1]) points.add(Math.floor(x) + d).add(Math.ceil(x) + d);
    points.add(Math.floor(hi));
    return [...points].filter((x) => x >= info.min && x <= info.max).sort((a, b) => a - b);
  }
  const cuts = [...new Set([lo, ...t, hi])].sort((a, b) => a - b);
  cuts.forEach((x, i) => {
    points.add(x);
    const next = cuts[i + 1];
    if (next !== undefined) points.add((x + next) / 2);
  });
  return [...points].sort((a, b) => a - b);
};

type Base = { info: FactInfo; points: Value[] };

export const analyse = (p: Program): Problem[] => {
  const problems: Problem[] = [];
  const { num, str, rawStr } = p.slots;
  const ageInfos = new Set(p.ages.map((a) => a.info));

  // What each derived fact and the rules look at.
  const ruleFacts = new Set<string>();
  const allTables = [...p.overrides, ...p.tables];
  for (const t of allTables) {
    for (const r of t.rows) {
      for (const f of r.cond?.facts ?? []) ruleFacts.add(f);
      if (r.level < 0 && r.levelSlot >= 0) ruleFacts.add('requested_priority');
    }
    for (const a of t.adjusters) for (const f of a.cond.facts) ruleFacts.add(f);
  }
  const ordinalDeps = new Map<OrdinalProgram, Set<string>>();
  for (const o of p.ordinals)
    ordinalDeps.set(o, new Set(o.rows.flatMap((r) => [...(r.cond?.facts ?? [])])));

  // Union-find over fact names.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const referenced = new Set<string>(ruleFacts);
  for (const [o, deps] of ordinalDeps) {
    referenced.add(o.info.name);
    for (const d of deps) referenced.add(d);
  }
  for (const f of referenced) parent.set(f, f);
  for (const [o, deps] of ordinalDeps) for (const d of deps) parent.set(find(d), find(o.info.name));

  const isBase = (info: FactInfo) => !info.derived || ageInfos.has(info);
  const pointsOf = (info: FactInfo): Value[] => {
    if (info.type === 'number') return [...numericPoints(info), ...(info.nullable ? [NaN] : [])];
    if (info.type === 'level') return [NaN, 0, 1, 2, 3];
    return [...info.literals, '\u0000other', ...(info.nullable ? [null] : [])];
  };
  const setValue = (info: FactInfo, v: Value) => {
    if (info.type === 'string') {
      str[info.slot] = v as string | null;
      rawStr[info.slot] = v === '\u0000other' ? 'other' : (v as string | null);
    } else num[info.slot] = v as number;
  };
  const getValue = (info: FactInfo): Value =>
    info.type === 'string' ? str[info.slot]! : num[info.slot]!;
  const show = (info: FactInfo, v: Value): string => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return `${info.name}=null`;
    if (info.type === 'ordinal' || info.type === 'level')
      return `${info.name}=${info.values[v as number]}`;
    if (info.type === 'string')
      return `${info.name}=${v === '\u0000other' ? 'another value' : JSON.stringify(v)}`;
    return `${info.name}=${v}`;
  };

  // Facts nobody looks at still need a valid value.
  for (const info of p.facts.values()) {
    if (referenced.has(info.name) || info.type === 'timestamp') continue;
    setValue(
      info,
      info.type === 'number' ? Math.max(0, info.min) : info.type === 'string' ? 'x' : NaN,
    );
  }

  // --- per component: enumerate its base facts, derive, deduplicate
  const components = new Map<string, string[]>();
  for (const f of referenced) {
    const r = find(f);
    components.set(r, [...(components.get(r) ?? []), f]);
  }
  const ordinalHit = new Map<
    OrdinalProgram,
    { first: boolean[]; holds: boolean[]; produced: boolean[] }
  >();
  for (const o of p.ordinals)
    ordinalHit.set(o, {
      first: o.rows.map(() => false),
      holds: o.rows.map(() => false),
      produced: o.info.values.map(() => false),
    });
  let derivedFailed = false;
  const uncoveredReported = new Set<OrdinalProgram>();
  type Tuple = { infos: FactInfo[]; values: Value[] };
  const tupleLists: Tuple[][] = [];

  for (const members of components.values()) {
    const infos = members.map((m) => p.facts.get(m)!);
    const bases: Base[] = infos.filter(isBase).map((info) => ({ info, points: pointsOf(info) }));
    const ords = p.ordinals.filter((o) => members.includes(o.info.name));
    const keyInfos = infos.filter(
      (i) => ords.some((o) => o.info === i) || (isBase(i) && ruleFacts.has(i.name)),
    );
    const size = bases.reduce((n, b) => n * b.points.length, 1);
    if (size > COMPONENT_LIMIT) {
      problems.push({
        path: ords[0]?.path ?? [],
        code: 'ANALYSIS_LIMIT',
        severity: 'warning',
        message: `too many combinations of ${members.join(', ')} (${size}) to check every case; conflicts and gaps were not checked`,
      });
      return problems;
    }
    const seen = new Map<string, Tuple>();
    const idx = bases.map(() => 0);
    for (let n = 0; n < size; n++) {
      let rem = n;
      for (let b = 0; b < bases.length; b++) {
        const len = bases[b]!.points.length;
        idx[b] = rem % len;
        rem = Math.floor(rem / len);
        setValue(bases[b]!.info, bases[b]!.points[idx[b]!]!);
      }
      let failed = false;
      for (const o of ords) {
        const hit = ordinalHit.get(o)!;
        let v = NaN;
        o.rows.forEach((r, j) => {
          const holds = r.cond === null || r.cond.holds();
          if (!holds) return;
          hit.holds[j] = true;
          if (Number.isNaN(v)) {
            v = r.rank;
            hit.first[j] = true;
            if (r.rank >= 0) hit.produced[r.rank] = true;
          }
        });
        num[o.info.slot] = v;
        if (Number.isNaN(v) && !failed) {
          failed = true;
          derivedFailed = true;
          if (!uncoveredReported.has(o)) {
            uncoveredReported.add(o);
            problems.push({
              path: [...o.path, 'rows'],
              code: 'UNCOVERED',
              severity: 'error',
              message: `no row of ${o.info.name} holds when ${bases.map((b) => show(b.info, getValue(b.info))).join(', ')}; end the table with a row without "when"`,
            });
          }
        }
      }
      if (failed) continue;
      const values = infos.map(getValue);
      const key = keyInfos.map((i) => String(getValue(i))).join('|');
      if (!seen.has(key)) seen.set(key, { infos, values });
    }
    tupleLists.push([...seen.values()]);
  }

  for (const o of p.ordinals) {
    const hit = ordinalHit.get(o)!;
    if (!derivedFailed) unreachable(problems, o.info.name, o.rows, hit.first, hit.holds);
    o.info.values.forEach((v, k) => {
      if (!hit.produced[k] && !derivedFailed)
        problems.push({
          path: [...o.path, 'values'],
          code: 'VALUE_NEVER_PRODUCED',
          severity: 'warning',
          message: `${o.info.name} is never ${JSON.stringify(v)}`,
        });
    });
  }
  if (derivedFailed) return problems;

  // --- the rules over every combination of the components' cases
  const total = tupleLists.reduce((n, l) => n * l.length, 1);
  if (total > PRODUCT_LIMIT) {
    problems.push({
      path: ['rules'],
      code: 'ANALYSIS_LIMIT',
      severity: 'warning',
      message: `too many combinations of cases (${total}) to check every one; conflicts and gaps were not checked`,
    });
    return problems;
  }
  const state = new Map<
    TableProgram,
    { first: boolean[]; holds: boolean[]; applied: boolean; adjusted: boolean[] }
  >();
  for (const t of allTables)
    state.set(t, {
      first: t.rows.map(() => false),
      holds: t.rows.map(() => false),
      applied: false,
      adjusted: t.adjusters.map(() => false),
    });
  const reported = new Set<string>();
  const report = (key: string, pr: Problem) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(pr);
  };
  const describePoint = () =>
    tupleLists
      .flatMap((_, c) => {
        const tuple = current[c]!;
        return tuple.infos
          .filter((i) => ruleFacts.has(i.name))
          .map((i) => show(i, tuple.values[tuple.infos.indexOf(i)] ?? null));
      })
      .join(', ') || 'any facts';
  const current: Tuple[] = tupleLists.map((l) => l[0]!);
  const rowName = (t: TableProgram, j: number) =>
    t.rows[j]!.id ? `row ${t.rows[j]!.id}` : `row ${j + 1} of ${t.id}`;

  for (let n = 0; n < total; n++) {
    let rem = n;
    for (let c = 0; c < tupleLists.length; c++) {
      const list = tupleLists[c]!;
      const tuple = list[rem % list.length]!;
      rem = Math.floor(rem / list.length);
      current[c] = tuple;
      tuple.infos.forEach((info, k) => setValue(info, tuple.values[k]!));
    }
    let decided = false;
    let overrideLevel: { t: TableProgram; j: number; level: number } | null = null;
    for (const t of allTables) {
      const s = state.get(t)!;
      let first = -1;
      const matching: number[] = [];
      t.rows.forEach((r, j) => {
        if (!(r.cond === null || r.cond.holds())) return;
        s.holds[j] = true;
        matching.push(j);
        if (first < 0) {
          first = j;
          s.first[j] = true;
        }
      });
      if (first < 0) continue;
      const levelOf = (j: number) => {
        const r = t.rows[j]!;
        return r.level >= 0 ? r.level : num[r.levelSlot]!;
      };
      const level = levelOf(first);
      if (Number.isNaN(level)) {
        report(`null-level:${t.id}:${first}`, {
          path: t.rows[first]!.path,
          code: 'NO_LEVEL',
          severity: 'error',
          message: `${rowName(t, first)} takes its level from a fact that can be null here (${describePoint()}); test it with {"!=": null}`,
        });
        continue;
      }
      s.applied = true;
      decided = true;
      if (t.hit === 'unique') {
        for (const j of matching) {
          if (levelOf(j) !== level)
            report(`unique:${t.id}:${first}:${j}`, {
              path: t.rows[j]!.path,
              code: 'CONFLICT',
              severity: 'error',
              message: `${rowName(t, first)} and ${rowName(t, j)} both hold and give ${PRIORITY_LEVELS[level]} vs ${PRIORITY_LEVELS[levelOf(j)]} when ${describePoint()}; the table is "unique"`,
            });
        }
      }
      if (t.override) {
        if (overrideLevel && overrideLevel.level !== level)
          report(`override:${overrideLevel.t.id}:${t.id}`, {
            path: t.path,
            code: 'CONFLICT',
            severity: 'error',
            message: `overrides ${overrideLevel.t.id} and ${t.id} both apply and give ${PRIORITY_LEVELS[overrideLevel.level]} vs ${PRIORITY_LEVELS[level]} when ${describePoint()}`,
          });
        overrideLevel ??= { t, j: first, level };
      }
      let direction = 0;
      let directionBy = '';
      t.adjusters.forEach((a, k) => {
        if (!a.cond.holds()) return;
        s.adjusted[k] = true;
        const sign = Math.sign(a.steps);
        if (direction !== 0 && sign !== direction)
          report(`adjust:${directionBy}:${a.id}`, {
            path: a.path,
            code: 'CONFLICT',
            severity: 'error',
            message: `${directionBy} and ${a.id} both adjust ${t.id}, in opposite directions, when ${describePoint()}`,
          });
        direction = sign;
        directionBy = a.id;
      });
    }
    if (!decided)
      report('uncovered', {
        path: ['rules'],
        code: 'UNCOVERED',
        severity: 'error',
        message: `no rule gives a level when ${describePoint()}; add a row without "when" to a table`,
      });
  }

  for (const t of allTables) {
    const s = state.get(t)!;
    unreachable(problems, t.id, t.rows, s.first, s.holds, t.hit === 'unique');
    if (!s.applied && s.holds.some(Boolean) === false)
      problems.push({
        path: t.path,
        code: 'NEVER_APPLIES',
        severity: 'warning',
        message: `rule ${t.id} never applies`,
      });
    t.adjusters.forEach((a, k) => {
      if (!s.adjusted[k])
        problems.push({
          path: a.path,
          code: 'NEVER_APPLIES',
          severity: 'warning',
          message: `rule ${a.id} never applies`,
        });
    });
  }
  return problems;
};

const unreachable = (
  problems: Problem[],
  owner: string,
  rows: readonly { path: readonly (string | number)[]; cond: unknown }[],
  first: boolean[],
  holds: boolean[],
  unique = false,
) => {
  rows.forEach((r, j) => {
    if (first[j]) return;
    // In a "unique" table a row covered by others (with the same level) is only redundant.
    const redundant = unique && holds[j];
    problems.push({
      path: r.path,
      code: redundant ? 'REDUNDANT_ROW' : 'UNREACHABLE_ROW',
      severity: redundant ? 'warning' : 'error',
      message: holds[j]
        ? `row ${j + 1} of ${owner} is never reached: the rows before it hold in every case it holds`
        : `row ${j + 1} of ${owner} never holds: no valid facts satisfy its condition`,
    });
  });
};
