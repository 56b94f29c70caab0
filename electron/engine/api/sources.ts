// The sources view's calls: each source's record (counts, computed and effective
// reliability, the analyst's override, latest arrival, and what its reliability sets off
// under the active rules), and setting or clearing an override. A change is written with
// its audit entry (kind `source`: who, why, from what to what) in one transaction, then
// announced; new requests of the source read the override from the intake's memory, which
// takes it from that announcement (source:updated, intake/memory.ts onSource).
import type { AuditEntry, CallHandlers, SourceRecord } from '../../../shared/api.ts';
import { normalSourceName } from '../../../shared/api/ingest.ts';
import { reliabilityText } from '../../../shared/reliability.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { ActiveRuleSet } from '../rules/service.ts';
import { auditedTransaction } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import {
  listStoredSources,
  reliabilityOf,
  storedSource,
  writeOverride,
  type StoredSource,
} from '../store/sources.ts';
import { echoed } from '../../../shared/visible.ts';

export interface SourcesDeps {
  store: Store;
  events: EngineEvents;
  /** The active rules: their version, and what a reliability sets off under them. */
  activeRules(): Promise<Result<ActiveRules>>;
  clock?: () => number;
}

type SourceCalls = Pick<CallHandlers, 'sources:list' | 'sources:set' | 'sources:clear'>;
type ActiveRules = Pick<ActiveRuleSet, 'version' | 'compiled'>;

/**
 * The known sources `id` (read as SourceName reads it) may have meant, when none is named
 * so: one that is the same name once read alike (a record written before names were read
 * in NFC), else those that differ only in case — every one of them, never the first
 * found, so that the hint does not point at another vendor's "ACME" beside "Acme".
 */
export function nearSources(id: string, known: string[]): string[] {
  const name = normalSourceName(id);
  const same = known.filter((k) => normalSourceName(k) === name);
  if (same.length > 0) return same.filter((k) => k !== id);
  const lower = name.toLowerCase();
  return known.filter((k) => normalSourceName(k).toLowerCase() === lower);
}

export function sourceHandlers(deps: SourcesDeps): SourceCalls {
  const toRecord = (s: StoredSource, rules: ActiveRules): SourceRecord => {
    const computed = reliabilityOf(s.completed, s.failed);
    const reliability = s.override?.reliability ?? computed;
    return {
      ...s,
      computed_reliability: computed,
      reliability,
      triggers: rules.compiled.reliabilityTriggers(reliability),
      rule_version: rules.version,
    };
  };

  /** Writes the override (or its removal) with its audit entry, then announces both. */
  const change = async (
    id: string,
    next: { reliability: number; justification: string; author: string | null } | null,
    why: { justification: string | null; author: string | null },
    stored = false,
  ): Promise<Result<SourceRecord>> => {
    const active = await deps.activeRules();
    if (!active.ok) return active;
    const rules = active.value;
    const atMs = (deps.clock ?? Date.now)();
    const announce = (e: AuditEntry) => deps.events.emit('audit:appended', e);
    const after = await auditedTransaction(deps.store, announce, async (tx, audit) => {
      const before = await storedSource(tx, id);
      if (!before) return null;
      if (next === null && before.override === null) return { source: before, changed: false }; // nothing to clear
      await writeOverride(tx, id, next && { ...next, atMs });
      const computed = reliabilityOf(before.completed, before.failed);
      const was = before.override
        ? `override ${reliabilityText(before.override.reliability)}`
        : `computed ${reliabilityText(computed)}`;
      const what = next
        ? `reliability set to ${reliabilityText(next.reliability)} (was ${was})`
        : `reliability override ${reliabilityText(before.override!.reliability)} cleared (back to computed ${reliabilityText(computed)})`;
      await audit({
        kind: 'source',
        request_id: null,
        job_id: null,
        rule_version: rules.version,
        rule: null,
        priority: null,
        facts: {
          source: id,
          reliability_override: next?.reliability ?? null,
          previous_override: before.override?.reliability ?? null,
          computed_reliability: computed,
          justification: why.justification,
        },
        explanation: `source ${id}: ${what}${why.justification ? `: ${why.justification}` : ''}`,
        actor: why.author,
        at: new Date(atMs),
      });
      return { source: (await storedSource(tx, id))!, changed: true };
    });
    if (!after) {
      const known = (await listStoredSources(deps.store)).map((s) => s.id);
      const near = nearSources(id, known);
      // A record written before names were read in NFC ("Zu\u0308rich"), which no name typed
      // now reaches: the one meant, when it is the only one read alike.
      const alike = near.filter((k) => normalSourceName(k) === normalSourceName(id));
      if (alike.length === 1 && !stored) return change(alike[0]!, next, why, true);
      const hint =
        near.length > 0 ? ` (did you mean ${near.map((k) => `"${k}"`).join(' or ')}?)` : '';
      return err(
        'NOT_FOUND',
        `There is no source "${echoed(id)}"${hint}: a source is known once a request has named it.`,
        { field: 'id' },
      );
    }
    const record = toRecord(after.source, rules);
    if (after.changed) deps.events.emit('source:updated', record);
    return ok(record);
  };

  return {
    'sources:list': async () => {
      const [sources, rules] = await Promise.all([
        listStoredSources(deps.store),
        deps.activeRules(),
      ]);
      if (!rules.ok) return rules;
      return ok(sources.map((s) => toRecord(s, rules.value)));
    },
    'sources:set': async ({ id, reliability, justification, author }) =>
      change(
        id,
        { reliability, justification: justification.trim(), author: author ?? null },
        {
          justification: justification.trim(),
          author: author ?? null,
        },
      ),
    'sources:clear': async ({ id, justification, author }) =>
      change(id, null, { justification: justification?.trim() || null, author: author ?? null }),
  };
}
