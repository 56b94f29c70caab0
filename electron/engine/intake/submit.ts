// The submit flow: from "ingest this file" to an acknowledged, durable request, with the
// arrival as the clock. The arrival time is taken first; the file's bytes are captured
// into staging (so moving or deleting the file afterwards loses nothing); the cheap facts
// (the request, the source's record as of the arrival, the file's two ends) go to the
// rules, which decide at once whenever the facts still unread cannot change the outcome.
// Otherwise the job waits as `deciding`, ranked by the highest level it could still get,
// for the facts read that decides it (decide.ts). The request, the job and their audit
// entries are written together (arrival-writer.ts, with the other arrivals of the moment)
// before the request is acknowledged.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { FileSubmitRequest, SubmitAck } from '../../../shared/api.ts';
import type { FileIdentity } from '../../../shared/copier.ts';
import {
  levelRank,
  type Decision,
  type GexConventions,
  type PriorityLevel,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { ok, type AppError, type Result } from '../../../shared/result.ts';
import type { PartialDecision } from '../../../shared/rules.ts';
import type { EngineEvents } from '../events.ts';
import type { ArrivalTicket } from '../jobs/arriving.ts';
import { jobAudit, type AuditedJob } from '../jobs/job-audit.ts';
import type { NewJob, QueuedRow } from '../jobs/repository.ts';
import type { Logger } from '../log.ts';
import type { RulesService } from '../rules/service.ts';
import type { AuditInput } from '../store/audit.ts';
import { arrivalFacts, type Arrival } from './arrival-facts.ts';
import type { ArrivalRecord, ArrivalWriter } from './arrival-writer.ts';
import { isSeen } from './capture-copy.ts';
import { readHead, type FileHead } from './cheap-facts.ts';
import { levelBound } from './level-bound.ts';
import type { IntakeMemory, RequestContext } from './memory.ts';
import type { StagedJobs } from './staged-jobs.ts';
import type { SameFileTurn, SameFileTurns } from './same-file.ts';
import type { Staged, Staging } from './staging.ts';

export interface IntakeDeps {
  rules: RulesService;
  events: EngineEvents;
  log: Logger;
  staging: Staging;
  stagedJobs: StagedJobs;
  memory: IntakeMemory;
  writer: ArrivalWriter;
  /** The same path submitted twice is captured and written in submission order (same-file.ts). */
  turns: SameFileTurns;
  conventions: GexConventions;
  limits: ReadLimits;
  /** Hands a stored job (queued or deciding) to the scheduler, with the row as stored. */
  enqueue(jobId: string, row: QueuedRow): void;
  /** Tells the scheduler a request is on its way in, so that lower work waits for it. */
  arriving(atMs: number, level: PriorityLevel | null): ArrivalTicket;
  clock?: () => number;
}

/** Where a request came from, when the engine itself sent it (not part of the public request). */
export interface SubmitOrigin {
  /** The watched inbox (its folder) whose processing/ the file was taken into. */
  inbox?: string;
  /** The file as that inbox saw it when it took it: captured only if it is still that file. */
  seen?: FileIdentity;
}

export async function submit(
  deps: IntakeDeps,
  req: FileSubmitRequest,
  origin: SubmitOrigin = {},
): Promise<Result<SubmitAck>> {
  // The clock starts here: rule `now`, waits and latencies all count from this moment —
  // or from the arrival the command line gives, when it was given the file before it
  // could submit it (never later than this moment, nor earlier than an arrival the engine
  // has already taken: memory.placeArrival).
  const receivedMs = (deps.clock ?? Date.now)();
  const given = req.arrived_at === undefined ? NaN : Date.parse(req.arrived_at);
  const { given_as, ...named } = req;
  const read = resolve(req.file);
  const arrivedMs = deps.memory.placeArrival(
    Number.isFinite(given) ? Math.min(given, receivedMs) : receivedMs,
  );
  const a: Arrival = {
    arrivedMs,
    // The source's record as of the arrival, read before any wait (a capture's turn in a
    // burst): outcomes learnt at or after it do not count (memory.sourceAt).
    source_reliability: deps.memory.sourceAt(req.source, arrivedMs).reliability,
    // The version that decides this request, whatever is activated while it waits.
    rules: deps.rules.active,
    startedMs: performance.now(),
    // A chain piped in is named as given (`-`), never by its copy that the command deletes.
    request: { ...named, file: given_as ?? read },
    read,
    request_id: req.request_id ?? randomUUID(),
    job_id: randomUUID(),
    inbox: origin.inbox ?? null,
    order: 0,
  };
  // Lower work is held back from the request's coming in, whenever it arrived.
  const ticket = deps.arriving(receivedMs, req.requested_priority ?? null);
  a.order = deps.memory.noteArrival(a.request_id, a.arrivedMs);
  // Its place among the submissions of the same file, taken before anything is awaited.
  const turn = deps.turns.enter(a.read);
  let waits = false;
  try {
    const r = await admit(deps, a, ticket, turn, origin.seen);
    waits = r.ok && (r.value.status === 'queued' || r.value.status === 'deciding');
    return r;
  } finally {
    // Only a request that waits for its read or its run may still bring a total.
    if (!waits) deps.memory.noteSettled(a.request_id);
    turn.done();
    ticket.done();
  }
}

async function admit(
  deps: IntakeDeps,
  a: Arrival,
  ticket: ArrivalTicket,
  turn: SameFileTurn,
  seen: FileIdentity | undefined,
): Promise<Result<SubmitAck>> {
  const req = a.request;
  // The level known before the capture (requested, or the rules' bound on the file's
  // ends): captures go by it, and lower work is held back only by what may outrank it.
  let bound = req.requested_priority;
  if (!bound) {
    ticket.reading();
    // A file the inbox took that is no longer that file is not peeked at (its capture refuses it).
    bound = seen && !(await isSeen(a.read, seen)) ? 'CRITICAL' : await levelBound(deps, a);
    ticket.read();
    ticket.level(bound);
  }
  // The same file submitted before (at this level or higher) is captured and written first.
  turn.level(bound);
  await turn.wait();
  let readStartedMs = 0;
  const started = () => {
    readStartedMs = performance.now();
    ticket.reading();
  };
  const captured = await deps.staging.capture(a.read, {
    rank: levelRank(bound),
    started,
    ...(seen ? { seen } : {}),
  });
  ticket.read();
  // Where the time between arrival and acknowledgement goes, for the log.
  const capturedMs = performance.now();
  // Not captured for the machine's sake (a full disk): refused, nothing stored — not a failed
  // job that a retry could not run (its file has no copy) — and the same request may be sent
  // again (a watched inbox keeps the file and does).
  if (!captured.ok && captured.error.transient) return captured;
  if (!captured.ok) return ok(await unreadable(deps, a, captured.error, null));
  const staged = captured.value;
  const head = readHead(a.request.file, staged, deps.conventions, deps.limits);
  if (!head.ok) {
    deps.staging.release(staged.hash);
    return ok(await unreadable(deps, a, head.error, staged));
  }
  deps.memory.noteUnderlying(
    a.request_id,
    head.value.underlying,
    head.value.underlying_one_of ?? null,
  );
  const context = deps.memory.context({
    content_hash: staged.hash,
    underlying: head.value.underlying,
    source: a.request.source,
    arrivedMs: a.arrivedMs,
    request_id: a.request_id,
  });
  const { given, unknown, base } = arrivalFacts(a, head.value, context);
  const rules = a.rules;
  // Partial evaluation of the decision tables: decided now, or the range of levels the
  // facts still unread could give.
  const decided = rules.compiled.decidePartial(given, unknown, new Date(a.arrivedMs));
  if (!decided.ok) {
    deps.staging.release(staged.hash);
    return ok(await rejected(deps, a, head.value, given, decided.error));
  }
  const outcome = decided.value;
  ticket.level(outcome.kind === 'decided' ? outcome.decision.priority : outcome.upper);
  const decision: Decision | null =
    outcome.kind === 'decided'
      ? {
          priority: outcome.decision.priority,
          rule: outcome.decision.rule,
          explanation: outcome.decision.explanation,
          rule_version: rules.version,
        }
      : null;
  const duplicateOf = decision ? (context.duplicate?.id ?? null) : null;
  const derived = outcome.kind === 'decided' ? outcome.decision.derived : {};
  const job: NewJob = {
    id: a.job_id,
    request_id: a.request_id,
    file: a.request.file,
    source: a.request.source,
    underlying: head.value.underlying,
    content_hash: staged.hash,
    submitted_at: new Date(a.arrivedMs).toISOString(),
    arrival_order: a.order,
    inbox: a.inbox,
    ...(decision
      ? {
          status: 'queued',
          priority: decision.priority,
          rule: decision.rule,
          rule_version: decision.rule_version,
        }
      : {
          status: 'deciding',
          priority: outcome.kind === 'pending' ? outcome.upper : 'LOW',
          rule: 'deciding',
          rule_version: rules.version,
        }),
  };
  const asJob = { ...job, effective_priority: job.priority };
  const audits = [
    arrivalEntry(asJob, staged, head.value, outcome, a.arrivedMs, a.request.author ?? null),
  ];
  if (decision)
    audits.push(
      decisionEntry(asJob, decision, { ...given, ...derived, ...base }, a.request.author ?? null),
    );
  const decidedMs = performance.now();
  // Before its job exists: a later request read meanwhile knows to wait for this one's read.
  if (!decision) deps.memory.noteDeciding(a.request_id);
  const written = await deps.writer.write({
    request: requestRow(a, staged, head.value.underlying, context, {
      given,
      derived,
      unknown,
      ...base,
    }),
    job,
    audits,
    ...(duplicateOf ? { end: { duplicateOf } } : {}),
  });
  // Committed: the job is the scheduler's now (with its row as stored: no read behind a busy store).
  if (written.row) {
    deps.stagedJobs.hold(a.job_id, staged.hash);
    deps.enqueue(a.job_id, written.row);
  } else deps.staging.release(staged.hash);
  deps.events.emit('job:updated', written.job!);
  deps.log.info('request.accepted', {
    request_id: a.request_id,
    job_id: a.job_id,
    file: a.request.file,
    status: written.job!.status,
    priority: written.job!.priority,
    rule: written.job!.rule,
    capture_ms: Math.round(capturedMs - a.startedMs),
    // Of which reading the file (the rest waited for a capture slot).
    read_ms: Math.round(capturedMs - readStartedMs),
    decide_ms: Math.round(decidedMs - capturedMs),
    write_ms: Math.round(performance.now() - decidedMs),
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

function requestRow(
  a: Arrival,
  staged: Staged | null,
  underlying: string | null,
  context: RequestContext | null,
  facts: Record<string, unknown> | null,
): ArrivalRecord['request'] {
  return {
    id: a.request_id,
    request: a.request,
    arrivedMs: a.arrivedMs,
    arrivalOrder: a.order,
    staged,
    underlying,
    knownSource: context?.source_known ?? false,
    facts,
    total_gex: context?.duplicate?.total_gex ?? null,
  };
}

function arrivalEntry(
  job: AuditedJob,
  staged: Staged,
  head: FileHead,
  outcome: PartialDecision,
  arrivedMs: number,
  author: string | null,
): AuditInput {
  const what = `${staged.size.toLocaleString('en-US')} bytes, ${head.format}, sha256 ${staged.hash.slice(0, 12)}…`;
  const next =
    outcome.kind === 'pending'
      ? `waiting for its facts read; the rules could give it ${outcome.lower === outcome.upper ? outcome.upper : `${outcome.lower} to ${outcome.upper}`}${outcome.no_level ? ', or no level at all (the rule set has a gap: the request then fails RULES_INVALID)' : ''}`
      : 'decided at arrival';
  const facts = { size: staged.size, content_hash: staged.hash, ...head };
  // By whoever sent it, as an unreadable file's arrival.
  return jobAudit(job, 'arrival', `arrived (${what}); ${next}`, {
    actor: author,
    at: new Date(arrivedMs),
    facts,
  });
}

/**
 * The decision (or override) entry: the rule, its version, the facts given and derived.
 * A level set by hand (G1, an override) is the analyst's (`author`); one the rules gave
 * (G2–G4) is no analyst's: the submitter is on the arrival entry.
 */
export function decisionEntry(
  job: AuditedJob,
  d: Decision,
  facts: Record<string, unknown>,
  author: string | null,
): AuditInput {
  const decided = {
    ...job,
    effective_priority: d.priority,
    rule: d.rule,
    rule_version: d.rule_version,
  };
  const kind = facts.requested_priority ? 'override' : 'decision';
  return jobAudit(decided, kind, d.explanation, {
    actor: kind === 'override' ? author : null,
    facts,
  });
}

/** A file that could not be captured or recognised: stored as a failed job, audited, counted. */
async function unreadable(
  deps: IntakeDeps,
  a: Arrival,
  error: AppError,
  staged: Staged | null,
): Promise<SubmitAck> {
  const clean = { ...error, file: a.request.file };
  const job: NewJob = {
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
    arrival_order: a.order,
    inbox: a.inbox,
  };
  const actor = a.request.author ?? null;
  const rule_version = a.rules.version;
  // Its arrival first, as every request's trail begins (no level: none was decided).
  const what = staged
    ? ` (${staged.size.toLocaleString('en-US')} bytes, sha256 ${staged.hash.slice(0, 12)}…)`
    : '';
  const arrival: AuditInput = {
    ...jobAudit(
      { ...job, effective_priority: job.priority, status: 'failed' },
      'arrival',
      `arrived${what} from ${a.request.source}; its file cannot be read`,
      {
        actor,
        at: new Date(a.arrivedMs),
        facts: {
          source: a.request.source,
          ...(staged ? { size: staged.size, content_hash: staged.hash } : {}),
        },
      },
    ),
    rule_version,
  };
  const written = await deps.writer.write({
    request: requestRow(a, staged, null, null, null),
    job,
    audits: [arrival],
    end: { unreadable: { error: clean, actor, rule_version } },
  });
  deps.events.emit('job:updated', written.job as ProcessingJob);
  deps.log.warn('request.unreadable', {
    request_id: a.request_id,
    job_id: a.job_id,
    file: a.request.file,
    error: clean,
  });
  return {
    request_id: a.request_id,
    job_id: a.job_id,
    status: 'failed',
    decision: null,
    snapshot_id: null,
    error: clean,
  };
}

/** An invalid request (a fact the rules refuse): rejected, audited, nothing queued. */
async function rejected(
  deps: IntakeDeps,
  a: Arrival,
  head: FileHead,
  given: Record<string, unknown>,
  error: AppError,
): Promise<SubmitAck> {
  await deps.writer.write({
    request: requestRow(a, null, head.underlying, null, { given, derived: {}, unknown: [] }),
    job: null,
    audits: [
      {
        kind: 'rejected',
        request_id: a.request_id,
        job_id: null,
        rule_version: a.rules.version,
        rule: null,
        priority: null,
        facts: given,
        explanation: `rejected: ${error.message}`,
        actor: a.request.author ?? null,
        file: a.request.file,
        underlying: head.underlying,
        // When it was found invalid (written now), not its arrival.
      },
    ],
  });
  const clean = { ...error, file: a.request.file };
  return {
    request_id: a.request_id,
    job_id: null,
    status: 'rejected',
    decision: null,
    snapshot_id: null,
    error: clean,
  };
}
