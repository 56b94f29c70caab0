// Turns a structurally valid rule file into a program: a fact table with a slot per
// fact (fact-table.ts), the derived facts (derived.ts), and the decision tables
// (tables.ts), whose conditions are closures over the slots (conditions.ts). Every
// misuse of a fact becomes a located problem. The evaluator (compile.ts), partial
// evaluation (partial.ts) and the analysis (analyse.ts) all run this one program, so
// what `rules check` proves is what `decide` executes.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { DURATION, type LevelTargets, type RuleFile } from '../../../shared/rules.ts';
import type { Cond } from './cond.ts';
import { createConditionCompiler } from './conditions.ts';
import { buildDerived, type AgeProgram, type OrdinalProgram } from './derived.ts';
import { createFactTable, type FactInfo, type Slots } from './fact-table.ts';
import { collectProblems, type Problem } from './problems.ts';
import { buildTables, type TableProgram } from './tables.ts';

export type Program = {
  slots: Slots;
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

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const durationMs = (text: string): number => {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
};

/** Builds the program of a rule file whose shape zod has accepted. */
export const buildProgram = (file: RuleFile): Program => {
  const { problems, report } = collectProblems();
  const derivedNames = new Set(Object.keys(file.derived));
  const table = createFactTable(derivedNames.size);
  const conditions = createConditionCompiler(table.slots, derivedNames, report);
  // The facts a condition may use: the given ones, then each derived one once declared.
  const known = new Map(table.facts);
  const { ages, ordinals } = buildDerived(file, table, known, conditions, report);
  conditions.startRules();
  const { tables, overrides } = buildTables(file, known, conditions, report);
  const targets = Object.fromEntries(
    PRIORITY_LEVELS.map((l) => [
      l,
      { target_ms: durationMs(file.levels[l].target), onLate: file.levels[l].on_late },
    ]),
  ) as LevelTargets;
  return {
    slots: table.slots,
    facts: table.facts,
    ages,
    ordinals,
    overrides,
    tables,
    combine: file.combine,
    targets,
    problems,
    ruleAtoms: conditions.ruleAtoms,
  };
};
