// The rule file's decision tables and adjustments, assembled: overrides apart from
// the other tables, each adjustment attached to the table it adjusts, every id
// checked for uniqueness, every row's level resolved (a fixed level or a level fact).
import { quotedEcho } from '../../../shared/visible.ts';
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type { AdjustRule, RuleFile, TableRule } from '../../../shared/rules.ts';
import type { Cond } from './cond.ts';
import type { ConditionCompiler } from './conditions.ts';
import type { FactInfo } from './fact-table.ts';
import type { JsonPath, Report } from './problems.ts';

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
  /** Steps towards LOW (negative: towards CRITICAL). */
  steps: number;
  cond: Cond;
  path: JsonPath;
};

export type TableProgram = {
  id: string;
  override: boolean;
  hit: 'first' | 'unique';
  rows: RowProgram[];
  adjusters: AdjustProgram[];
  path: JsonPath;
};

const quote = (v: unknown): string => quotedEcho(v);
const isAdjust = (r: TableRule | AdjustRule): r is AdjustRule => 'adjusts' in r;

const checkIds = (file: RuleFile, report: Report): Map<string, number> => {
  const ids = new Map<string, number>();
  file.rules.forEach((r, i) => {
    if (ids.has(r.id))
      report(
        ['rules', i, 'id'],
        'DUPLICATE_ID',
        `rule id ${quote(r.id)} is used by rule ${ids.get(r.id)! + 1} too`,
      );
    ids.set(r.id, i);
  });
  return ids;
};

const buildTable = (
  r: TableRule,
  path: JsonPath,
  ids: Map<string, number>,
  known: Map<string, FactInfo>,
  conditions: ConditionCompiler,
  report: Report,
): TableProgram => {
  const rowIds = new Set<string>();
  const rows = r.rows.map((row, j): RowProgram => {
    const rp = [...path, 'rows', j];
    if (row.id !== undefined) {
      if (rowIds.has(row.id) || (ids.has(row.id) && row.id !== r.id))
        report([...rp, 'id'], 'DUPLICATE_ID', `row id ${quote(row.id)} is used twice`);
      rowIds.add(row.id);
    }
    let level = -1;
    let levelSlot = -1;
    if (typeof row.level === 'string') level = PRIORITY_LEVELS.indexOf(row.level);
    else {
      const f = known.get(row.level.fact);
      if (!f || f.type !== 'level')
        report(
          [...rp, 'level', 'fact'],
          'TYPE_MISMATCH',
          `a level can come only from a level fact (requested_priority), not ${quote(row.level.fact)}`,
        );
      else {
        levelSlot = f.slot;
        f.usedByRules = true;
      }
    }
    const cond =
      row.when === undefined ? null : conditions.condition(row.when, [...rp, 'when'], known);
    return { id: row.id, level, levelSlot, cond, note: row.note, path: rp };
  });
  return {
    id: r.id,
    override: r.override ?? false,
    hit: r.hit ?? 'first',
    rows,
    adjusters: [],
    path,
  };
};

const attachAdjuster = (
  r: AdjustRule,
  path: JsonPath,
  tables: TableProgram[],
  overrides: TableProgram[],
  known: Map<string, FactInfo>,
  conditions: ConditionCompiler,
  report: Report,
): void => {
  const target = tables.find((t) => t.id === r.adjusts);
  if (!target) {
    const o = overrides.some((t) => t.id === r.adjusts);
    report(
      [...path, 'adjusts'],
      'UNKNOWN_RULE',
      o
        ? `${r.adjusts} is an override; overrides cannot be adjusted`
        : `no table rule ${quote(r.adjusts)} to adjust`,
    );
  }
  if ((r.demote === undefined) === (r.escalate === undefined))
    report(path, 'BAD_ADJUST', `give exactly one of "demote" or "escalate"`);
  const cond = conditions.condition(r.when, [...path, 'when'], known);
  if (target && cond)
    target.adjusters.push({
      id: r.id,
      steps: r.demote ?? -(r.escalate ?? 0),
      cond,
      path,
    });
};

/** The tables of `file`, overrides apart, with their adjustments attached. */
export const buildTables = (
  file: RuleFile,
  known: Map<string, FactInfo>,
  conditions: ConditionCompiler,
  report: Report,
): { tables: TableProgram[]; overrides: TableProgram[] } => {
  const ids = checkIds(file, report);
  const tables: TableProgram[] = [];
  const overrides: TableProgram[] = [];
  file.rules.forEach((r, i) => {
    if (isAdjust(r)) return;
    const t = buildTable(r, ['rules', i], ids, known, conditions, report);
    (t.override ? overrides : tables).push(t);
  });
  file.rules.forEach((r, i) => {
    if (isAdjust(r)) attachAdjuster(r, ['rules', i], tables, overrides, known, conditions, report);
  });
  return { tables, overrides };
};

/** The facts a table's rows, level facts and adjustments read. */
export const tableFacts = (t: TableProgram): Set<string> => {
  const names = new Set<string>();
  for (const r of t.rows) {
    for (const f of r.cond?.facts ?? []) names.add(f);
    if (r.level < 0 && r.levelSlot >= 0) names.add('requested_priority');
  }
  for (const a of t.adjusters) for (const f of a.cond.facts) names.add(f);
  return names;
};
