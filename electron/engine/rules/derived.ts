// The rule file's derived facts, in the order it declares them: ages (seconds from
// one timestamp fact to another, with the clock-skew and future limits) and ordinals
// (named values given by a first-hit table). Each becomes a fact of the table with a
// slot of its own, visible to the derived facts after it and to every rule.
import { quotedEcho } from '../../../shared/visible.ts';
import type { RuleFile } from '../../../shared/rules.ts';
import type { Cond } from './cond.ts';
import type { ConditionCompiler } from './conditions.ts';
import type { FactInfo, FactTable } from './fact-table.ts';
import type { JsonPath, Report } from './problems.ts';

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

const quote = (v: unknown): string => quotedEcho(v);

/** Adds the derived facts to `table` (and to `known`, the facts conditions may use). */
export const buildDerived = (
  file: RuleFile,
  table: FactTable,
  known: Map<string, FactInfo>,
  conditions: ConditionCompiler,
  report: Report,
): { ages: AgeProgram[]; ordinals: OrdinalProgram[] } => {
  const { facts, addFact } = table;
  const ages: AgeProgram[] = [];
  const ordinals: OrdinalProgram[] = [];
  for (const [name, d] of Object.entries(file.derived)) {
    const path = ['derived', name];
    if (facts.has(name)) {
      report(path, 'DUPLICATE_FACT', `"${name}" is already a fact`, true);
      continue;
    }
    if (d.kind === 'age') {
      let okRefs = true;
      for (const k of ['from', 'to'] as const) {
        if (facts.get(d[k])?.type !== 'timestamp') {
          report(
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
      continue;
    }
    const dup = d.values.find((v, i) => d.values.indexOf(v) !== i);
    if (dup !== undefined)
      report([...path, 'values'], 'DUPLICATE_VALUE', `value ${quote(dup)} is listed twice`);
    const rows = d.rows.map((row, i) => {
      const rp = [...path, 'rows', i];
      const rank = d.values.indexOf(row.value);
      if (rank < 0)
        report(
          [...rp, 'value'],
          'UNKNOWN_VALUE',
          `${name} has no value ${quote(row.value)}; its values are ${d.values.join(', ')}`,
        );
      const cond =
        row.when === undefined ? null : conditions.condition(row.when, [...rp, 'when'], known);
      return { rank, cond, path: rp };
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
  return { ages, ordinals };
};
