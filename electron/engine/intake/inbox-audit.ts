// The audit entry of a file the watched inbox moved to failed/ of its own accord (inbox.ts
// `onSetAside`): one changed in processing/ after it was taken, whose job completed on the
// bytes taken (in that request's trail), or one refused at the door, no request made of it.
// Its note, the inbox dialog, the drawer and `gex-desk inbox` said so, but the audit trail,
// where an analyst looks for every decision, did not. A failed job's file has none: its
// job's `failed` entry tells it (and a rejected request's, its `rejected` entry).
import type { AuditEntry } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { visible } from '../../../shared/visible.ts';
import { getJob } from '../jobs/repository.ts';
import { auditedTransaction, type AuditInput } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import type { SetAside } from './inbox.ts';

/** Who moved it, as the trail names the scheduler's own steps `scheduler`. */
export const INBOX_ACTOR = 'inbox';

/** The entry: kind `inbox`, its job and request when it has them, what changed and where it lies now. */
export function setAsideEntry(aside: SetAside, job: ProcessingJob | undefined): AuditInput {
  const where = `moved to ${visible(aside.to)} (${aside.note ? 'its note beside it' : 'its note could not be written'})`;
  const explanation = aside.jobId
    ? `${aside.error.message}; ${where}${job ? `; its job stays ${job.status}` : ''}`
    : `refused by the inbox, no request made of it: ${aside.error.message}; ${where}`;
  return {
    kind: 'inbox',
    request_id: job?.request_id ?? null,
    job_id: aside.jobId,
    rule_version: null,
    rule: null,
    priority: null,
    facts: {
      code: aside.error.code,
      ...(job ? { source: job.source } : {}),
      from: aside.from,
      to: aside.to,
      note: aside.note,
    },
    explanation,
    actor: INBOX_ACTOR,
    file: aside.file,
    underlying: job?.underlying ?? null,
  };
}

/** Writes the entry of a file set aside, and announces it once committed. */
export function auditSetAside(
  store: Store,
  announce: (e: AuditEntry) => void,
  aside: SetAside,
): Promise<AuditEntry> {
  return auditedTransaction(store, announce, async (tx, audit) => {
    const job = aside.jobId ? await getJob(tx, aside.jobId) : undefined;
    return audit(setAsideEntry(aside, job));
  });
}
