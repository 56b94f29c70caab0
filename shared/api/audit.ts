// The audit trail's entries: every step of a request from its arrival to its end, rule
// activations and source overrides, with who did what and why.
import { z } from 'zod';
import { IsoTimestamp, PriorityLevel } from '../domain.ts';

/**
 * What an audit entry records. A request's trail runs from `arrival` (its bytes staged)
 * through its `decision` (or `override`, or `rejected`), `started`, `preempted`,
 * `requeued` (a retryable failure, a restart, a shutdown), `retried` and `cancelled`
 * (by whom), `late` and `escalation`, to `completed` or `failed`. `rules` is a rule-set
 * activation; `source` a source's reliability override set or cleared (by whom, why);
 * `removed` a snapshot removed from the store (by whom, why, what it was); `inbox` a file
 * the watched inbox moved to failed/ of its own accord — changed in processing/ after it was
 * taken (in its request's trail: its job completed on the bytes taken) or refused at its
 * door (no request made of it) — with why and where it lies now;
 * `job` is how entries written before version 4 of the store were kinded.
 */
export const AuditKind = z.enum([
  'arrival',
  'decision',
  'override',
  'rejected',
  'started',
  'preempted',
  'requeued',
  'retried',
  'cancelled',
  'late',
  'escalation',
  'completed',
  'failed',
  'rules',
  'job',
  'source',
  'removed',
  'inbox',
]);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: IsoTimestamp,
  kind: AuditKind,
  request_id: z.string().nullable(),
  job_id: z.string().nullable(),
  /** The file as the analyst named it, and its underlying once known. */
  file: z.string().nullable().default(null),
  underlying: z.string().nullable().default(null),
  rule_version: z.number().int().nullable(),
  rule: z.string().nullable(),
  priority: PriorityLevel.nullable(),
  facts: z.record(z.string(), z.unknown()).nullable(),
  explanation: z.string(),
  actor: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
