// First step of the analysis: each component of facts (cases.ts) is enumerated on
// its own, its derived facts computed for every case, and the distinct cases kept
// for the rules. Finds derived facts without a value for some input, ordinal rows
// never reached and values never produced.
import { quotedEcho } from '../../../shared/visible.ts';
import { caseValues, pointsOf, type Components, type Value } from './cases.ts';
import type { OrdinalProgram } from './derived.ts';
import { TRUE } from './cond.ts';
import { setAllKnown, setUnknown, type FactInfo } from './fact-table.ts';
import { componentLimit } from './limit-text.ts';
import type { Problem } from './problems.ts';
import type { Program } from './program.ts';
import { reportUnreachable, rowReach, type RowReach } from './row-reach.ts';

const COMPONENT_LIMIT = 250_000;

/** One case of a component: its facts and their values. */
export type Case = { infos: FactInfo[]; values: Value[] };

type OrdinalSeen = RowReach & { produced: boolean[] };

/**
 * The distinct cases of each component, or null when the analysis must stop here
 * (too many cases, or a derived fact without a value, already reported).
 */
export const enumerateCases = (
  p: Program,
  comps: Components,
  problems: Problem[],
): Case[][] | null => {
  const values = caseValues(p);
  const ageInfos = new Set(p.ages.map((a) => a.info));
  const isBase = (info: FactInfo) => !info.derived || ageInfos.has(info);

  // Facts nobody looks at still need a valid value.
  for (const info of p.facts.values()) {
    if (comps.referenced.has(info.name) || info.type === 'timestamp') continue;
    values.set(
      info,
      info.type === 'number' ? Math.max(0, info.min) : info.type === 'string' ? 'x' : NaN,
    );
  }

  const seenOf = new Map<OrdinalProgram, OrdinalSeen>();
  for (const o of p.ordinals)
    seenOf.set(o, { ...rowReach(o.rows.length), produced: o.info.values.map(() => false) });
  let failed = false;
  let limited = false;
  const uncoveredReported = new Set<OrdinalProgram>();

  /** The ordinals of a component for the case in the slots; false when one has no value. */
  const derive = (ords: OrdinalProgram[], bases: FactInfo[]): boolean => {
    let ok = true;
    for (const o of ords) {
      const seen = seenOf.get(o)!;
      let v = NaN;
      o.rows.forEach((r, j) => {
        if (!(r.cond === null || r.cond.holds())) return;
        seen.holds[j] = true;
        if (Number.isNaN(v)) {
          v = r.rank;
          seen.first[j] = true;
          if (r.rank >= 0) seen.produced[r.rank] = true;
        }
      });
      p.slots.num[o.info.slot] = v;
      if (Number.isNaN(v) && ok) {
        ok = false;
        if (!uncoveredReported.has(o)) {
          uncoveredReported.add(o);
          problems.push({
            path: [...o.path, 'rows'],
            code: 'UNCOVERED',
            severity: 'error',
            message: `no row of ${o.info.name} holds when ${bases.map((b) => values.show(b, values.get(b))).join(', ')}; end the table with a row without "when"`,
          });
        }
      }
    }
    return ok;
  };

  const lists: Case[][] = [];
  for (const members of comps.groups) {
    const infos = members.map((m) => p.facts.get(m)!);
    const bases = infos.filter(isBase).map((info) => ({ info, points: pointsOf(info) }));
    const ords = p.ordinals.filter((o) => members.includes(o.info.name));
    // Cases that differ only in what nothing reads afterwards are one case.
    const keyInfos = infos.filter(
      (i) => ords.some((o) => o.info === i) || (isBase(i) && comps.ruleFacts.has(i.name)),
    );
    const size = bases.reduce((n, b) => n * b.points.length, 1);
    if (size > COMPONENT_LIMIT) {
      limited = true;
      problems.push({
        ...componentLimit(p, members, bases, size, ords[0]?.path ?? []),
        code: 'ANALYSIS_LIMIT',
        severity: 'warning',
      });
      // Past the limit, a derived fact must have a value whatever its inputs.
      for (const o of ords) {
        for (const info of infos) if (info.type !== 'timestamp') setUnknown(p.slots, info);
        const always = o.rows.some((r) => r.cond === null || r.cond.tri() === TRUE);
        setAllKnown(p.slots);
        if (!always)
          problems.push({
            path: [...o.path, 'rows'],
            code: 'UNPROVEN_VALUE',
            severity: 'error',
            message: `cannot show that ${o.info.name} has a value for every input: too many combinations of ${members.join(', ')} (${size}) to try them all; end the table with a row without "when"`,
          });
      }
      continue;
    }
    const seen = new Map<string, Case>();
    for (let n = 0; n < size; n++) {
      let rem = n;
      for (const b of bases) {
        values.set(b.info, b.points[rem % b.points.length]!);
        rem = Math.floor(rem / b.points.length);
      }
      if (
        !derive(
          ords,
          bases.map((b) => b.info),
        )
      ) {
        failed = true;
        continue;
      }
      const key = keyInfos.map((i) => String(values.get(i))).join('|');
      if (!seen.has(key)) seen.set(key, { infos, values: infos.map(values.get) });
    }
    lists.push([...seen.values()]);
  }

  if (failed || limited) return null;
  for (const o of p.ordinals) {
    const seen = seenOf.get(o)!;
    reportUnreachable(problems, o.rows, seen);
    o.info.values.forEach((v, k) => {
      if (!seen.produced[k])
        problems.push({
          path: [...o.path, 'values'],
          code: 'VALUE_NEVER_PRODUCED',
          severity: 'warning',
          message: `${o.info.name} is never ${quotedEcho(v)}`,
        });
    });
  }
  return lists;
};
