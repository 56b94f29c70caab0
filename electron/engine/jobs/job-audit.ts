// The audit entry of something that happened to a job: who, what, which rule and level,
// and the file and underlying it concerns, so that every row of the trail reads on its own.
import type { AuditKind } from '../../../shared/api.ts';
import { endedUndecided, type ProcessingJob } from '../../../shared/domain.ts';
import type { AuditInput } from '../store/audit.ts';

export type AuditedJob = Pick<
  ProcessingJob,
  'id' | 'request_id' | 'rule' | 'rule_version' | 'effective_priority' | 'file' | 'underlying'
> & { status?: ProcessingJob['status'] };

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
    // A job that ended with no decision of the rules has no level to record (its stored
    // one is a default or the bound it waited at).
    priority:
      job.status && endedUndecided({ status: job.status, rule: job.rule })
        ? null
        : job.effective_priority,
    facts: extra.facts ?? null,
    explanation,
    actor: extra.actor === undefined ? SCHEDULER_ACTOR : extra.actor,
    file: job.file,
    underlying: job.underlying,
    ...(extra.at ? { at: extra.at } : {}),
  };
}
