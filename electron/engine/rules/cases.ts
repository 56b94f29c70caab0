// The cases the analysis (analyse.ts) tries instead of every input: each numeric
// fact's thresholds cut its number line into finitely many intervals, so a point
// inside each interval and each threshold itself stand for all its values; strings
// are their literals and one other value; levels and ordinals their values. Facts
// that feed the same derived fact form a component and are enumerated together.
import { quotedEcho } from '../../../shared/visible.ts';
import type { OrdinalProgram } from './derived.ts';
import type { FactInfo } from './fact-table.ts';
import type { Program } from './program.ts';

export type Value = number | string | null;

/** A string no literal equals: "another value". */
const OTHER = '\u0000other';

/** Representative points of a numeric fact: each threshold and a point inside every interval between them. */
const numericPoints = (info: FactInfo): number[] => {
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

/** The values that stand for every value of a fact (given facts and ages; ordinals are derived). */
export const pointsOf = (info: FactInfo): Value[] => {
  if (info.type === 'number') return [...numericPoints(info), ...(info.nullable ? [NaN] : [])];
  if (info.type === 'level') return [NaN, 0, 1, 2, 3];
  // A literal no valid request can have (an underlying "" or of 11 characters) stands for
  // no case: a row that needs it never holds, and no valid request lacks a level for it.
  const valid = [...info.literals].filter((l) => {
    const n = [...l].length; // characters, as the facts' check counts them
    return n >= info.min && n <= info.max;
  });
  return [...valid, OTHER, ...(info.nullable ? [null] : [])];
};

/** Reading and writing a case's values in the program's slots, and showing them in a message. */
export const caseValues = (p: Program) => {
  const { num, str, rawStr } = p.slots;
  const set = (info: FactInfo, v: Value) => {
    if (info.type === 'string') {
      str[info.slot] = v as string | null;
      rawStr[info.slot] = v === OTHER ? 'other' : (v as string | null);
    } else num[info.slot] = v as number;
  };
  const get = (info: FactInfo): Value =>
    info.type === 'string' ? str[info.slot]! : num[info.slot]!;
  const show = (info: FactInfo, v: Value): string => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return `${info.name}=null`;
    if (info.type === 'ordinal' || info.type === 'level')
      return `${info.name}=${info.values[v as number]}`;
    if (info.type === 'string')
      return `${info.name}=${v === OTHER ? 'another value' : quotedEcho(v)}`;
    return `${info.name}=${v}`;
  };
  return { set, get, show };
};

export type Components = {
  /** Facts the rules (not only derived facts) look at. */
  ruleFacts: Set<string>;
  /** Facts some condition looks at, with the derived ones that use them. */
  referenced: Set<string>;
  /** Groups of referenced facts linked through derived facts; each is enumerated on its own. */
  groups: string[][];
};

export const componentsOf = (p: Program): Components => {
  const ruleFacts = new Set<string>();
  for (const t of [...p.overrides, ...p.tables]) {
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
  const groups = new Map<string, string[]>();
  for (const f of referenced) {
    const r = find(f);
    groups.set(r, [...(groups.get(r) ?? []), f]);
  }
  return { ruleFacts, referenced, groups: [...groups.values()] };
};
