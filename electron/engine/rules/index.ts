// The rule engine's public API: what the CLI (`gex-desk rules eval|check`), the
// ingest path, the scheduler and the rule editor call. Pure TypeScript, no database:
// versions and the audit log are the store's business.
//
//   parseRules(text: string): Result<RuleSet>
//       The rule set of a rule file's text, or its first error (RULES_SYNTAX for JSON
//       syntax, RULES_INVALID otherwise) with line and column.
//   parseChecked(text: string): Result<RuleSet>
//       As parseRules without the case analysis, for a text already checked whole.
//   compileText(text, version) / compileChecked(text, version): Result<CompiledRules>
//       parseRules / parseChecked, then compileRules.
//   checkRules(text: string): { ok: boolean; diagnostics: Diagnostic[] }
//       Every error and warning, each with 1-based line and column (UTF-16 columns,
//       as Monaco counts). `ok` is false when there is an error; warnings do not
//       block. Errors: syntax, shape, unknown facts, type mismatches, unknown values,
//       unreachable rows, conflicts, inputs no rule decides.
//   compileRules(ruleSet: RuleSet, version: number | null): CompiledRules
//       Build once per version. `decide(facts: unknown, now?: Date)` validates the
//       facts and returns Result<Decision & { derived, facts }>; an invalid fact gives
//       { code: 'INVALID_FACT', message, fact }. `targets[level]` = { target_ms, onLate }.
//       `decideValid(facts: Facts, now?)` skips validation for facts already parsed
//       with FactsInput.
//       `decidePartial(facts, unknown: readonly GivenFactName[], now?)` →
//       Result<PartialDecision>: from the facts known at arrival (the ones in `unknown`
//       are absent or ignored), { kind: 'decided', decision } when every completion of
//       the unknown facts gets that level and rule (explanation, facts and derived
//       from the known facts only), else { kind: 'pending', upper, lower, no_level? }:
//       the highest and lowest level a completion can get, and no_level: true when
//       some completion gets no level at all (a gap in the rules). Known facts are validated as by
//       decide; one that makes every completion invalid is an INVALID_FACT error.
//   whatIf(compiled, records: WhatIfRecord[]): WhatIfResult
//       The records (facts as stored at arrival, `now` included, and the decision
//       they got) that `compiled` decides otherwise, with counts per level pair.
//   defaultRulesText(): string            GUIDELINES.md G1–G4 as a rule file.
//   defaultRules(): CompiledRules         compileRules(parseRules(defaultRulesText()), null), cached.
//   evalLines(input, compiled, now?): AsyncIterable<string>
//       `rules eval`: input is the whole text, an AsyncIterable<string> of lines
//       (node:readline), or an AsyncIterable<Uint8Array> of byte chunks
//       (process.stdin); yields one JSON object per non-blank input line, WITHOUT a
//       trailing newline.
//   rulesJsonSchema(): Record<string, unknown>   the JSON Schema of a rule file (Monaco).
//   validateFacts(input: unknown): Result<Facts>
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import type { Diagnostic, RuleSet } from '../../../shared/rules.ts';
import { checkRuleText } from './check.ts';
import { compileRules, type CompiledRules } from './compile.ts';
import { DEFAULT_RULES_TEXT } from './default-rules.ts';

export { compileRules, type CompiledRules, type DecisionWithFacts } from './compile.ts';
export { validateFacts } from './facts.ts';
export { evalLines } from './eval-lines.ts';
export { whatIf } from './whatif.ts';
export { rulesJsonSchema } from './schema.ts';

/**
 * The last text checked and its result: a cold process takes about 30 ms to check a rule
 * file (zod's first use, the analysis), and the same text is often checked again — an
 * activation checks it, then compiles it; the engine checks the default rules while
 * DuckDB opens its file, and compiles them once it has read which set is active.
 */
let last: { text: string; result: ReturnType<typeof checkRuleText> } | null = null;
const checked = (text: string): ReturnType<typeof checkRuleText> => {
  if (last?.text !== text) last = { text, result: checkRuleText(text) };
  return last.result;
};

export const checkRules = (text: string): { ok: boolean; diagnostics: Diagnostic[] } => {
  const { ok: valid, diagnostics } = checked(text);
  return { ok: valid, diagnostics };
};

export const parseRules = (text: string): Result<RuleSet> => {
  const r = checked(text);
  return r.ruleSet ? ok(r.ruleSet) : rulesError(r.diagnostics);
};

/**
 * The rule set of a text whose case analysis has been done (a stored version, checked at
 * its activation; a text the analysis worker passed): its syntax, shape and facts only —
 * milliseconds where the analysis of a large set takes seconds.
 */
export const parseChecked = (text: string): Result<RuleSet> => {
  const r = last?.text === text ? last.result : checkRuleText(text, { analyse: false });
  return r.ruleSet ? ok(r.ruleSet) : rulesError(r.diagnostics);
};

/** A failed check as one error: the first one, where it is, and how many more there are. */
export const rulesError = (diagnostics: Diagnostic[]): Err => {
  const first = diagnostics.find((d) => d.severity === 'error')!;
  const more = diagnostics.filter((d) => d.severity === 'error').length - 1;
  return err(
    first.code === 'SYNTAX' ? 'RULES_SYNTAX' : 'RULES_INVALID',
    first.message + (more > 0 ? ` (and ${more} more)` : ''),
    {
      line: first.line,
      column: first.column,
    },
  );
};

/** A rule file's text, checked whole (the case analysis included), compiled. */
export function compileText(text: string, version: number | null): Result<CompiledRules> {
  const parsed = parseRules(text);
  return parsed.ok ? ok(compileRules(parsed.value, version)) : parsed;
}

/** A text already checked whole (parseChecked), compiled: what the engine decides with. */
export function compileChecked(text: string, version: number | null): Result<CompiledRules> {
  const parsed = parseChecked(text);
  return parsed.ok ? ok(compileRules(parsed.value, version)) : parsed;
}

export const defaultRulesText = (): string => DEFAULT_RULES_TEXT;

let cachedDefault: CompiledRules | null = null;
export const defaultRules = (): CompiledRules => {
  if (!cachedDefault) {
    const parsed = parseRules(DEFAULT_RULES_TEXT);
    if (!parsed.ok) throw new Error(`the default rule set is invalid: ${parsed.error.message}`);
    cachedDefault = compileRules(parsed.value, null);
  }
  return cachedDefault;
};
