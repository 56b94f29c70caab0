// The submit flow: from "ingest this file" to an acknowledged, durable request, with the
// arrival as the clock. The arrival time is taken first; the file's bytes are captured
// into staging (so moving or deleting the file afterwards loses nothing); the cheap facts
// (the request, the source's record, the file's two ends) go to the rules, which decide
// at once whenever the facts still unread cannot change the outcome. Otherwise the job
// waits as `deciding`, ranked by the highest level it could still get, for the facts read
// that decides it (decide.ts). The request, the job and their audit entries are written
// in ONE transaction before the request is acknowledged.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { AuditEntry, SubmitAck, SubmitRequest } from '../../../shared/api.ts';
import type { Decision, GexConventions, ProcessingJob } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { ok, type AppError, type Result } from '../../../shared/result.ts';
import type { GivenFactName, PartialDecision } from '../../../shared/rules.ts';
import type { EngineEvents } from '../events.ts';
import { jobAudit } from '../jobs/job-audit.ts';
import { insertJob, type QueuedRow } from '../jobs/repository.ts';
import type { Logger } from '../log.ts';
import type { RulesService } from '../rules/service.ts';
import { auditedTransaction, type AuditInput } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import { ensureSource } from '../store/sources.ts';
import { FILE_FACTS, readHead, type FileHead } from './cheap-facts.ts';
import { requestContext, type RequestContext } from './context.ts';
import { endDuplicate, endUnreadable, storeRequest } from './requests.ts';
import type { StagedJobs } from './staged-jobs.ts';
import type { Staged, Staging } from './staging.ts';

export interface IntakeDeps {
  store: Store;
  rules: RulesService;
  events: EngineEvents;
  log: Logger;
  staging: Staging;
  stagedJobs: StagedJobs;
  conventions: GexConventions;
  limits: ReadLimits;
  /** Hands a stored job (queued or deciding) to the scheduler, with the row as stored. */
  enqueue(jobId: string, row: QueuedRow): void;
  clock?: () => number;
}

type Request = SubmitRequest & { file: string };

interface Arrival {
  request: Request;
  request_id: string;
  job_id: string;
  arrivedMs: number;
}

export const announcer = (events: EngineEvents) => (e: AuditEntry) => events.emit('audit:appended', e);

export async function submit(deps: IntakeDeps, req: Request): Promise<Result<SubmitAck>> {
  // The clock starts here: rule `now`, waits and latencies all count from this moment.
  const a: Arrival = {
    arrivedMs: (deps.clock ?? Date.now)(),
    request: { ...req, file: resolve(req.file) },
    request_id: randomUUID(),
    job_id: randomUUID(),
  };
  const captured = await deps.staging.capture(a.request.file);
  if (!captured.ok) return ok(await storeUnreadable(deps, a, captured.error, null));
  const staged = captured.value;
  const head = readHead(a.request.file, staged, deps.conventions, deps.limits);
  if (!head.ok) {
    deps.staging.release(staged.hash);
    return ok(await storeUnreadable(deps, a, head.error, staged));
  }
  const context = await requestContext(deps.store, {
    content_hash: staged.hash,
    underlying: head.value.underlying,
    source: a.request.source,
    arrived_at: new Date(a.arrivedMs).toISOString(),
    request_id: a.request_id,
  });
  const { given, unknown } = arrivalFacts(a, head.value, context);
  const rules = deps.rules.active;
  // Partial evaluation of the decision tables: decided now, or the range of levels the
  // facts still unread could give.
  const decided = rules.compiled.decidePartial(given, unknown, new Date(a.arrivedMs));
  if (!decided.ok) {
    deps.staging.release(staged.hash);
    return ok(await storeRejected(deps, a, head.value, given, decided.error));
  }
  const outcome = decided.value;
  const decision: Decision | null =
    outcome.kind === 'decided'
      ? { ...pick(outcome.decision), rule_version: rules.version }
      : null;
  const duplicateOf = decision ? (context.duplicate?.id ?? null) : null;
  const stored = await auditedTransaction(deps.store, announcer(deps.events), async (tx, audit) => {
    const derived = outcome.kind === 'decided' ? outcome.decision.derived : {};
    await storeRequest(tx, {
      id: a.request_id,
      request: a.request,
      arrivedMs: a.arrivedMs,
      staged,
      underlying: head.value.underlying,
      knownSource: context.source_known,
      facts: { given, derived, unknown },
      total_gex: context.duplicate?.total_gex ?? null,
    });
    const row = await insertJob(tx, {
      id: a.job_id,
      request_id: a.request_id,
      file: a.request.file,
      source: a.request.source,
      underlying: head.value.underlying,
      content_hash: staged.hash,
      submitted_at: new Date(a.arrivedMs).toISOString(),
      ...(decision
        ? { status: 'queued', priority: decision.priority, rule: decision.rule, rule_version: decision.rule_version }
        : {
            status: 'deciding',
            priority: outcome.kind === 'pending' ? outcome.upper : 'LOW',
            rule: 'deciding',
            rule_version: rules.version,
          }),
    });
    await audit(arrivalEntry(row.job, staged, head.value, outcome, a.arrivedMs));
    if (decision) await audit(decisionEntry(row.job, decision, { ...given, ...derived }, a.request.author ?? null));
    if (duplicateOf) return { job: await endDuplicate(tx, audit, row.job, duplicateOf, a.arrivedMs), row: null };
    return { job: row.job, row };
  });
  // Committed: the job is the scheduler's now (with its row as stored: no read behind a busy store).
  if (stored.row) {
    deps.stagedJobs.hold(a.job_id, staged.hash);
    deps.enqueue(a.job_id, stored.row);
  } else deps.staging.release(staged.hash);
  deps.events.emit('job:updated', stored.job);
  deps.log.info('request.accepted', {
    request_id: a.request_id,
    job_id: a.job_id,
    file: a.request.file,
    status: stored.job.status,
    priority: stored.job.priority,
    rule: stored.job.rule,
  });
  return ok({
    request_id: a.request_id,
    job_id: a.job_id,
    status: duplicateOf ? 'duplicate' : decision ? 'queued' : 'deciding',
    decision,
    snapshot_id: duplicateOf,
    error: null,
  });
}

const pick = (d: { priority: Decision['priority']; rule: string; explanation: string }) => ({
  priority: d.priority,
  rule: d.rule,
  explanation: d.explanation,
});

/** The facts known at arrival, and the names of those only a read of the whole file gives. */
function arrivalFacts(a: Arrival, head: FileHead, context: RequestContext) {
  const { request } = a;
  const given: Record<string, unknown> = {
    now: new Date(a.arrivedMs).toISOString(),
    source_reliability: context.source_reliability,
    ...(request.requested_priority ? { requested_priority: request.requested_priority } : {}),
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
  };
  const unknown = new Set<GivenFactName>(FILE_FACTS);
  if (head.underlying !== null) given.underlying = head.underlying;
  else unknown.add('underlying');
  if (head.as_of !== null) given.as_of = head.as_of;
  else unknown.add('as_of');
  const dup = context.duplicate;
  const previous = context.previous_total_gex;
  if (dup) {
    // The same content is stored: its totals are this file's.
    given.total_volume = Math.round(dup.total_volume);
    given.total_open_interest = Math.round(dup.total_open_interest);
    unknown.delete('total_volume');
    unknown.delete('total_open_interest');
  }
  if (head.underlying !== null && (previous === null || dup)) {
    // With nothing to compare with, a file is news (null) whatever it says.
    given.gex_change = dup && previous !== null && previous !== 0 ? Math.abs(dup.total_gex - previous) / Math.abs(previous) : null;
    unknown.delete('gex_change');
  }
  return { given, unknown: [...unknown] };
}

function arrivalEntry(job: ProcessingJob, staged: Staged, head: FileHead, outcome: PartialDecision, arrivedMs: number): AuditInput {
  const what = `${staged.size.toLocaleString('en-US')} bytes, ${head.format}, sha256 ${staged.hash.slice(0, 12)}…`;
  const next =
    outcome.kind === 'pending'
      ? `waiting for its facts read; the rules could give it ${outcome.lower === outcome.upper ? outcome.upper : `${outcome.lower} to ${outcome.upper}`}`
      : 'decided at arrival';
  const facts = { size: staged.size, content_hash: staged.hash, ...head };
  return jobAudit(job, 'arrival', `arrived (${what}); ${next}`, { actor: null, at: new Date(arrivedMs), facts });
}

/** The decision (or override) entry: the rule, its version, the facts given and derived. */
export function decisionEntry(job: ProcessingJob, d: Decision, facts: Record<string, unknown>, author: string | null): AuditInput {
  const decided = { ...job, effective_priority: d.priority, rule: d.rule, rule_version: d.rule_version };
  const kind = facts.requested_priority ? 'override' : 'decision';
  return jobAudit(decided, kind, d.explanation, { actor: author, facts });
}

/** A file that could not be captured or recognised: stored as a failed job, audited, counted. */
async function storeUnreadable(deps: IntakeDeps, a: Arrival, error: AppError, staged: Staged | null): Promise<SubmitAck> {
  const clean = { ...error, file: a.request.file };
  const job = await auditedTransaction(deps.store, announcer(deps.events), async (tx, audit) => {
    await storeRequest(tx, {
      id: a.request_id,
      request: a.request,
      arrivedMs: a.arrivedMs,
      staged,
      underlying: null,
      knownSource: false,
      facts: null,
      total_gex: null,
    });
    const row = await insertJob(tx, {
      id: a.job_id,
      request_id: a.request_id,
      file: a.request.file,
      source: a.request.source,
      underlying: null,
      content_hash: null,
      priority: a.request.requested_priority ?? 'LOW',
      rule: 'unreadable',
      rule_version: null,
      submitted_at: new Date(a.arrivedMs).toISOString(),
    });
    return endUnreadable(tx, audit, row.job, clean, a.arrivedMs);
  });
  deps.events.emit('job:updated', job);
  deps.log.warn('request.unreadable', { request_id: a.request_id, job_id: a.job_id, file: a.request.file, error: clean });
  return { request_id: a.request_id, job_id: a.job_id, status: 'failed', decision: null, snapshot_id: null, error: clean };
}

/** An invalid request (a fact the rules refuse): rejected, audited, nothing queued. */
async function storeRejected(
  deps: IntakeDeps,
  a: Arrival,
  head: FileHead,
  given: Record<string, unknown>,
  error: AppError,
): Promise<SubmitAck> {
  await auditedTransaction(deps.store, announcer(deps.events), async (tx, audit) => {
    await ensureSource(tx, a.request.source);
    await audit({
      kind: 'rejected',
      request_id: a.request_id,
      job_id: null,
      rule_version: deps.rules.active.version,
      rule: null,
      priority: null,
      facts: given,
      explanation: `rejected: ${error.message}`,
      actor: a.request.author ?? null,
      file: a.request.file,
      underlying: head.underlying,
      at: new Date(a.arrivedMs),
    });
  });
  const clean = { ...error, file: a.request.file };
  return { request_id: a.request_id, job_id: null, status: 'rejected', decision: null, snapshot_id: null, error: clean };
}
