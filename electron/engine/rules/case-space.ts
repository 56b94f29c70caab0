// The cases the rules are tried on: one case of each component set at a time (its
// facts' values written to the slots), whether the cases set are a request the facts'
// check lets through, and how they read in a message. A component's cases can be
// projected on the facts a table reads: cases that differ only in facts nothing left to
// try reads are one case (a volume component tried by rows on total_volume alone has as
// many cases as total_volume's thresholds make, whatever total_open_interest's are).
import type { Case } from './analyse-derived.ts';
import { caseValues } from './cases.ts';
import type { Program } from './program.ts';
import { blank } from '../../../shared/visible.ts';

/** The most cases one table (or one pair of overrides) is tried on. */
export const PRODUCT_LIMIT = 1_000_000;

/** Trying cases of some components: each component's index, its cases, and the product of them. */
export type CaseSpace = ReturnType<typeof caseSpace>;

export const caseSpace = (p: Program, lists: Case[][], ruleFacts: Set<string>) => {
  const values = caseValues(p);
  const compOf = new Map<string, number>();
  lists.forEach((l, c) => l[0]?.infos.forEach((i) => compOf.set(i.name, c)));
  const current: (Case | null)[] = lists.map(() => null);
  const componentsOf = (facts: Iterable<string>): number[] =>
    [...new Set([...facts].map((f) => compOf.get(f)).filter((c) => c !== undefined))].sort(
      (a, b) => a - b,
    );
  const set = (c: number, tuple: Case) => {
    current[c] = tuple;
    tuple.infos.forEach((info, k) => values.set(info, tuple.values[k]!));
  };
  const level = p.facts.get('requested_priority')!;
  const justification = p.facts.get('justification')!;
  const reqComp = compOf.get(level.name);
  const justComp = compOf.get(justification.name);
  /**
   * Whether the cases set are a request the facts' check lets through: GUIDELINES G1 refuses
   * a requested level without a justification before any rule runs, so no row needs to
   * cover that case, and a row that only holds there is never reached. Only when both are
   * set: a justification nothing looks at may be any valid one.
   */
  const valid = (): boolean => {
    if (reqComp === undefined || justComp === undefined) return true;
    if (current[reqComp] === null || current[justComp] === null) return true;
    const { num, str } = p.slots;
    return Number.isNaN(num[level.slot]!) || !blank(str[justification.slot]);
  };
  /** The cases set, as the rules see them: "impact=low, change=large, …". */
  const describe = () =>
    current
      .flatMap((c) =>
        c === null
          ? []
          : c.infos
              .map((info, k) => [info, c.values[k] ?? null] as const)
              .filter(([info]) => ruleFacts.has(info.name))
              .map(([info, v]) => values.show(info, v)),
      )
      .join(', ') || 'any facts';
  const size = (comps: number[]) => comps.reduce((n, c) => n * lists[c]!.length, 1);
  // What valid() reads is kept apart in every projection: a case standing for others must
  // be valid exactly when they are.
  const validity = new Set([level.name, justification.name]);
  const projections = new Map<string, number[]>();
  /**
   * The indexes of one case of component `c` for each different tuple of the values of
   * `facts` (and what valid() reads) in it. Trying only these tries every case, for
   * conditions that read no other fact of `c`.
   */
  const project = (c: number, facts: ReadonlySet<string>): number[] => {
    const list = lists[c]!;
    const ks: number[] = [];
    list[0]!.infos.forEach((info, k) => {
      if (facts.has(info.name) || validity.has(info.name)) ks.push(k);
    });
    const key = `${c}:${ks.join(',')}`;
    let out = projections.get(key);
    if (!out) {
      const seen = new Set<string>();
      out = [];
      for (let i = 0; i < list.length; i++) {
        const vs = list[i]!.values;
        const tuple = JSON.stringify(ks.map((k) => vs[k] ?? null));
        if (seen.has(tuple)) continue;
        seen.add(tuple);
        out.push(i);
      }
      projections.set(key, out);
    }
    return out;
  };
  /** How many cases `comps` have, projected on `facts`. */
  const sizeOn = (comps: number[], facts: ReadonlySet<string>) =>
    comps.reduce((n, c) => n * project(c, facts).length, 1);
  /**
   * Calls `visit` for every valid case of `comps` (at most PRODUCT_LIMIT), projected on
   * `facts` when given (what the conditions tried read); false past the limit.
   */
  const each = (comps: number[], visit: () => void, facts?: ReadonlySet<string>): boolean => {
    const idx = comps.map((c) => (facts ? project(c, facts) : lists[c]!.map((_, i) => i)));
    const total = idx.reduce((n, l) => n * l.length, 1);
    if (total > PRODUCT_LIMIT) return false;
    for (let n = 0; n < total; n++) {
      let rem = n;
      comps.forEach((c, i) => {
        const l = idx[i]!;
        set(c, lists[c]![l[rem % l.length]!]!);
        rem = Math.floor(rem / l.length);
      });
      if (valid()) visit();
    }
    for (const c of comps) current[c] = null;
    return true;
  };
  return {
    lists,
    compOf,
    current,
    componentsOf,
    set,
    valid,
    describe,
    size,
    project,
    sizeOn,
    each,
    /** The components of requested_priority and justification (what valid() reads). */
    validityComps: [reqComp, justComp] as const,
    validComps: [reqComp, justComp].filter((c) => c !== undefined),
  };
};
