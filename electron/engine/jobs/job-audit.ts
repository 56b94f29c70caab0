// The audit entry of something that happened to a job: who, what, which rule and level,
// and the file and underlying it concerns, so that every row of the trail reads on its own.
import type { AuditKind } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AuditInput } from '../store/audit.ts';

export type AuditedJob = Pick<
  ProcessingJob,
  'id' | 'request_id' | 'rule' | 'rule_version' | 'effective_priority' | 'file' | 'underlying'
>;

export const SCHEDULER_ACTOR = 'scheduler';

export function jobAudit(
  job: AuditedJob,
  kind: AuditKind,
  explanation: string,
  extra: { actor?: string | null; facts?: Record<string, unknown> | null; at?: Date } = {},
): AuditInput {
  return {
    kind,
    request_id: job.request_id,
    job_id: job.id,
    rule_version: job.rule_version,
    rule: job.rule,
    priority: job.effective_priority,
    facts: extra.facts ?? null,
    explanation,
    actor: extra.actor === undefined ? SCHEDULER_ACTOR : extra.actor,
    file: job.file,
    underlying: job.underlying,
    ...(extra.at ? { at: extra.at } : {}),
  };
}
