// The active rule set: compiled once per version and swapped atomically on
// activation, so a decision always sees one whole version. Activation never touches
// jobs already queued or running (their level is stored on the job); new requests
// use the new version at once. A request still waiting for its facts read is decided by
// the version active at its arrival (GUIDELINES v2: the app's own queueing never changes
// a level): a replaced version stays compiled while requests of it are deciding, and one
// not kept (after a restart) is compiled again from the stored history. A database
// without rules starts with the default rule set, which encodes GUIDELINES.md. A text
// to activate or dry-run is checked in the rule analysis's worker thread (analysis.ts),
// then compiled here without the analysis; stored versions, checked at their activation,
// are compiled the same way.
import type { AuditEntry, Diagnostic, LevelPolicyInfo, RuleVersion } from '../../../shared/api.ts';
import { PRIORITY_LEVELS, type Decision } from '../../../shared/domain.ts';
import { unknownFact, type RuleSet } from '../../../shared/rules.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import { analysisRunner, type RunAnalysis } from './analysis.ts';
import type { EngineEvents } from '../events.ts';
import { visible } from '../../../shared/visible.ts';
import {
  compileChecked,
  compileRules,
  defaultRulesText,
  parseChecked,
  parseRules,
  rulesError,
  type CompiledRules,
} from './index.ts';
import { auditedTransaction } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import {
  activeRuleSet,
  activeRuleVersion,
  ruleVersionExists,
  decidingRuleVersions,
  ruleHistory,
  ruleSetText,
  storeRuleSet,
} from '../store/rule-sets.ts';

export { compileText } from './index.ts';

export const SYSTEM_AUTHOR = 'gex-desk';

/**
 * The active rule set, compiled: its version (null for the default set of a store that
 * has stored none yet, read without writing it), its text and its compiled rules.
 */
export interface ActiveRuleSet {
  version: number | null;
  text: string;
  compiled: CompiledRules;
}

/** One stored version of the rules, compiled. */
export type VersionedRules = ActiveRuleSet & { version: number };

export class RulesService {
  #store: Store;
  #events: EngineEvents | undefined;
  #analyse: RunAnalysis;
  #active!: VersionedRules;
  /** Versions other than the active one that waiting requests arrived under, by version. */
  #kept = new Map<number, Promise<Result<VersionedRules>>>();

  private constructor(store: Store, events: EngineEvents | undefined, analyse: RunAnalysis) {
    this.#store = store;
    this.#events = events;
    this.#analyse = analyse;
  }

  /**
   * Checks the default rule set — what a new database activates, and what most run on —
   * ahead of `load`: the engine spends that time while DuckDB opens its file, and `load`
   * finds the text checked (rules/index.ts keeps the last check).
   */
  static checkDefaults(): Result<RuleSet> {
    return parseRules(defaultRulesText());
  }

  /** `analyse`: the rule analysis's runner (the engine's, with its budget; default analysisRunner()). */
  static async load(
    store: Store,
    events?: EngineEvents,
    analyse: RunAnalysis = analysisRunner(),
  ): Promise<Result<RulesService>> {
    const service = new RulesService(store, events, analyse);
    let active = await activeRuleSet(store);
    if (!active) {
      const v = await storeRuleSet(
        store,
        defaultRulesText(),
        SYSTEM_AUTHOR,
        'default rules (GUIDELINES.md version 2)',
      );
      active = { version: v.version, text: defaultRulesText() };
    }
    const compiled = compileChecked(active.text, active.version);
    if (!compiled.ok) return compiled;
    service.#active = { ...active, compiled: compiled.value };
    return ok(service);
  }

  get active(): VersionedRules {
    return this.#active;
  }

  /**
   * The rules of `version` — the one a waiting request arrived under, which decides it: the
   * active version, one kept since its replacement, or one compiled again from the stored
   * history. Null (a request stored without its version) is the active version.
   */
  async ofVersion(version: number | null): Promise<Result<VersionedRules>> {
    if (version === null || version === this.#active.version) return ok(this.#active);
    let kept = this.#kept.get(version);
    if (!kept) {
      kept = this.text(version).then((t) => {
        if (!t.ok) return t;
        const compiled = compileChecked(t.value.text, version);
        return compiled.ok ? ok({ ...t.value, compiled: compiled.value }) : compiled;
      });
      this.#kept.set(version, kept);
      // A version that could not be loaded is asked for again next time.
      const forget = () => {
        if (this.#kept.get(version) === kept) this.#kept.delete(version);
      };
      void kept.then((r) => (r.ok ? undefined : forget()), forget);
    }
    return kept;
  }

  /** The active rule set's levels: each one's target and late behaviour, CRITICAL first. */
  levels(): LevelPolicyInfo[] {
    return levelPolicies(this.#active.compiled);
  }

  /** Every diagnostic of `text`, from the analysis's worker thread (RULES_TOO_COMPLEX past its budget). */
  check(text: string): Promise<Result<{ ok: boolean; diagnostics: Diagnostic[] }>> {
    return this.#analyse('check', text);
  }

  /**
   * Decides each facts object with `text` (not activated); nothing is stored. The active
   * text is decided by its compiled rules, checked at its activation; another text is
   * checked first, which costs nothing when it was just checked (the editor's check of the
   * same draft: analysis.ts keeps the last answers by text).
   */
  async dryRun(
    text: string,
    facts: Record<string, unknown>[],
  ): Promise<Result<(Decision | { error: AppError })[]>> {
    let rules: CompiledRules;
    if (text === this.#active.text) rules = this.#active.compiled;
    else {
      const checked = await this.check(text);
      if (!checked.ok) return checked;
      if (!checked.value.ok) return rulesError(checked.value.diagnostics);
      const compiled = compileChecked(text, null);
      if (!compiled.ok) return compiled;
      rules = compiled.value;
    }
    return ok(
      facts.map((f) => {
        // A key that is no fact is refused, as `rules eval` refuses it (unknownFact).
        const stray = unknownFact(f);
        if (stray) return { error: stray };
        const d = rules.decide(f);
        return d.ok
          ? {
              priority: d.value.priority,
              rule: d.value.rule,
              explanation: d.value.explanation,
              rule_version: null,
            }
          : { error: d.error };
      }),
    );
  }

  /**
   * Stores `text` as the new active version. With `base` (the version the analyst's draft
   * started from, or the one whose changes they chose to undo), refused as CONFLICT when
   * another version is active by then: read in the same transaction as the write, so no
   * activation can land between the check and the new version. Without it, `text` replaces
   * whatever is active (`rules activate FILE`: the whole file is the analyst's choice).
   */
  async activate(
    text: string,
    author: string,
    comment: string,
    base?: number,
  ): Promise<Result<RuleVersion>> {
    return this.#activate(text, author, comment, base, false);
  }

  async #activate(
    text: string,
    author: string,
    comment: string,
    base: number | undefined,
    rollback: boolean,
  ): Promise<Result<RuleVersion>> {
    const analysed = await this.check(text);
    // Rules whose check could not finish (its budget, a crash) are never activated.
    if (!analysed.ok)
      return err(
        analysed.error.code,
        `${analysed.error.message} The rules were not activated: only a rule set checked whole is.`,
      );
    const checked = analysed.value;
    if (!checked.ok) {
      const first = checked.diagnostics.find((d) => d.severity === 'error');
      return err(
        'RULES_INVALID',
        `The rules are not valid: ${first ? `${first.message} (line ${first.line}, column ${first.column})` : 'see rules check'}`,
        {
          ...(first ? { line: first.line, column: first.column } : {}),
        },
      );
    }
    const parsed = parseChecked(text);
    if (!parsed.ok) return parsed;
    // The new version and its audit entry are one fact: written together, then announced.
    const announce = (e: AuditEntry) => this.#events?.emit('audit:appended', e);
    const stored = await auditedTransaction(this.#store, announce, async (tx, audit) => {
      if (base !== undefined) {
        // A base that was never stored is a mistake in the request, not a race: said so.
        if (!(await ruleVersionExists(tx, base))) return { kind: 'missing' as const };
        const now = await activeRuleVersion(tx);
        if (now && now.version !== base) return { kind: 'stale' as const, now };
      }
      const v = await storeRuleSet(tx, text, author, comment);
      await audit({
        kind: 'rules',
        request_id: null,
        job_id: null,
        rule_version: v.version,
        rule: null,
        priority: null,
        facts: null,
        explanation: `rule set version ${v.version} activated${comment ? `: ${comment}` : ''}`,
        actor: author,
      });
      return { kind: 'stored' as const, v };
    });
    if (stored.kind === 'missing')
      return err(
        'NOT_FOUND',
        `There is no rule set version ${base}, which this change names as its base; nothing was activated.`,
        { field: 'base' },
      );
    if (stored.kind === 'stale') return staleBase(base!, stored.now, rollback);
    const version = stored.v;
    const replaced = this.#active;
    this.#active = {
      version: version.version,
      text,
      compiled: compileRules(parsed.value, version.version),
    };
    this.#kept.set(replaced.version, Promise.resolve(ok(replaced)));
    await this.#forgetUnused();
    this.#events?.emit('rules:activated', version);
    return ok(version);
  }

  /** Keeps only the versions that requests still deciding arrived under (any other loads again). */
  async #forgetUnused(): Promise<void> {
    const used = await decidingRuleVersions(this.#store).catch(() => null);
    if (!used) return; // kept until the next activation asks again
    for (const v of this.#kept.keys()) if (!used.includes(v)) this.#kept.delete(v);
  }

  /**
   * Activates an earlier version's text again, as a new version; the analyst's comment
   * follows the standard one. A version whose text is the active one's changes nothing: no
   * new version, no audit entry, and the active version is the answer (as `rules activate`
   * of the active text). `base`: the version the analyst compared it against (the dialog's
   * diff); refused as `activate` refuses a stale base, in the same transaction, so a
   * rollback racing another activation never silently undoes it.
   */
  async rollback(
    version: number,
    author: string,
    comment?: string,
    base?: number,
  ): Promise<Result<RuleVersion>> {
    const text = await ruleSetText(this.#store, version);
    if (text === undefined) return err('NOT_FOUND', `There is no rule set version ${version}.`);
    if (text === this.#active.text && (base === undefined || base === this.#active.version)) {
      const current = (await this.history()).find((v) => v.active);
      if (current && (base === undefined || current.version === base)) return ok(current);
    }
    const why = comment?.trim();
    return this.#activate(
      text,
      author,
      `rollback to version ${version}${why ? `: ${why}` : ''}`,
      base,
      true,
    );
  }

  history(): Promise<RuleVersion[]> {
    return ruleHistory(this.#store);
  }

  async text(version: number): Promise<Result<{ version: number; text: string }>> {
    const text = await ruleSetText(this.#store, version);
    return text === undefined
      ? err('NOT_FOUND', `There is no rule set version ${version}.`)
      : ok({ version, text });
  }
}

/** The refusal of an activation whose base is no longer the active version: who replaced it and why. */
export function staleBase(base: number, active: RuleVersion, rollback = false) {
  // Shown as it is read (a comment's U+202E would reverse the rest of the sentence).
  const why = active.comment.trim() ? `"${visible(active.comment.trim())}"` : 'no comment';
  const again = rollback ? 'roll back again' : 'activate again';
  return err(
    'CONFLICT',
    `Version ${active.version} (by ${visible(active.author)}: ${why}) has been activated since version ${base}, ` +
      `which this change was based on; nothing was activated. Compare with version ${active.version} ` +
      `and ${again}, based on it, to replace it.`,
    { field: 'base' },
  );
}

/** The levels in order (CRITICAL first), with the targets and late behaviour `compiled` defines. */
export function levelPolicies(compiled: CompiledRules): LevelPolicyInfo[] {
  const t = compiled.targets;
  return PRIORITY_LEVELS.map((level) => ({
    level,
    target_ms: t[level].target_ms,
    on_late: t[level].onLate,
  }));
}
