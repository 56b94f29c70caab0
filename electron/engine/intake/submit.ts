// The submit flow: from "ingest this file" to an acknowledged, durable job. A cheap
// facts pass (in a worker) reads the file's as_of, volume, open interest and total
// GEX; the GEX change against the latest stored snapshot and the source's reliability
// are added; the active rules decide the level; then the request, the job and the
// audit entry are written in ONE transaction before the request is acknowledged and
// the job handed to the scheduler.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { SubmitAck, SubmitRequest } from '../../../shared/api.ts';
import type { Decision } from '../../../shared/domain.ts';
import type { FileFacts } from '../../../shared/pipeline.ts';
import { ok, type AppError, type Result } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { Logger } from '../log.ts';
import type { RulesService } from '../rules/service.ts';
import { insertJob, getJob, type QueuedRow } from '../jobs/repository.ts';
import { appendAudit } from '../store/audit.ts';
import type { Store, Tx } from '../store/db.ts';
import { getSnapshot, requestContext } from '../store/snapshots.ts';
import { ensureSource, recordIngest, reliabilityOf } from '../store/sources.ts';

export interface IngestDeps {
  store: Store;
  rules: RulesService;
  events: EngineEvents;
  log: Logger;
  /** The cheap facts pass, run off the event loop. */
  readFacts(file: string): Promise<Result<FileFacts>>;
  /** Hands a stored, queued job to the scheduler (with the row as stored). */
  enqueue(jobId: string, row: QueuedRow): void;
  clock?: () => Date;
}

/** GUIDELINES: |total − previous| ÷ |previous|; null when there is no previous snapshot or it was 0. */
export const gexChange = (total: number, previous: number | null): number | null =>
  previous === null || previous === 0 ? null : Math.abs(total - previous) / Math.abs(previous);

export async function submit(deps: IngestDeps, req: SubmitRequest): Promise<Result<SubmitAck>> {
  const clock = deps.clock ?? (() => new Date());
  const now = clock();
  const file = resolve(req.file);
  const request_id = randomUUID();
  const request = { ...req, file };

  const facts = await deps.readFacts(file);
  if (!facts.ok) return ok(await storeUnreadable(deps, request, request_id, now, facts.error));

  const f = facts.value;
  const context = await requestContext(deps.store, { content_hash: f.content_hash, underlying: f.underlying, source: request.source });
  const existing = context.duplicate_of ? await getSnapshot(deps.store, context.duplicate_of) : undefined;
  const knownSource = context.source_ok !== null;
  const reliability = reliabilityOf(context.source_ok ?? 0, context.source_failed ?? 0);
  // The decision is made now, after the facts pass: `now` is this moment, not the arrival.
  const decidedAt = clock();
  const given: Record<string, unknown> = {
    underlying: f.underlying,
    as_of: f.as_of,
    now: decidedAt.toISOString(),
    total_volume: Math.round(f.total_volume),
    total_open_interest: Math.round(f.total_open_interest),
    gex_change: gexChange(f.total_gex, context.previous_total_gex),
    source_reliability: reliability,
    ...(request.requested_priority ? { requested_priority: request.requested_priority } : {}),
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
  };
  const compiled = deps.rules.active.compiled;
  const decided = compiled.decide(given, decidedAt);
  if (!decided.ok) {
    const entry = await appendAudit(deps.store, {
      kind: 'rejected', request_id, job_id: null, rule_version: deps.rules.active.version, rule: null, priority: null,
      facts: given, explanation: `rejected: ${decided.error.message}`, actor: request.author ?? null,
    });
    deps.events.emit('audit:appended', entry);
    return ok({ request_id, job_id: null, status: 'rejected', decision: null, snapshot_id: null, error: { ...decided.error, file } });
  }
  const decision: Decision = {
    priority: decided.value.priority,
    rule: decided.value.rule,
    explanation: decided.value.explanation,
    rule_version: deps.rules.active.version,
  };
  const job_id = randomUUID();
  const status = existing ? 'duplicate' : 'queued';
  const stored = await deps.store.transaction(async (tx) => {
    await storeRequest(tx, request, request_id, now, f.content_hash, { given, derived: decided.value.derived }, knownSource);
    const entry = await appendAudit(tx, {
      kind: request.requested_priority ? 'override' : 'decision', request_id, job_id, rule_version: decision.rule_version,
      rule: decision.rule, priority: decision.priority, facts: { ...given, ...decided.value.derived },
      explanation: decision.explanation, actor: request.author ?? null,
    });
    // The job is submitted when it is stored: its wait starts here, as the last
    // statement before the commit (not when it was asked for, which may be much
    // earlier under load).
    const queuedAt = clock();
    const row = await insertJob(tx, {
      id: job_id, request_id, file, source: request.source, underlying: f.underlying, content_hash: f.content_hash,
      priority: decision.priority, rule: decision.rule, rule_version: decision.rule_version, submitted_at: queuedAt.toISOString(),
    });
    queueMicrotask(() => deps.events.emit('audit:appended', entry));
    if (existing) {
      await endAtSubmit(tx, job_id, 'duplicate', queuedAt, { snapshot_id: existing.id });
      await recordIngest(tx, request.source, true);
      return { ...row.job, status: 'duplicate' as const, finished_at: queuedAt.toISOString(), snapshot_id: existing.id };
    }
    // The scheduler may pick the job before the commit completes. Nothing of its run
    // is stored or announced before then: marking it running and storing its snapshot
    // are statements that wait for this transaction, and a job whose row never
    // appeared (a rollback) is dropped and its work discarded.
    deps.enqueue(job_id, row);
    return row.job;
  });
  // Announced at once, before the scheduler's `running` (which waits for its write).
  deps.events.emit('job:updated', stored);
  deps.log.info('request.accepted', { request_id, job_id, file, status, priority: decision.priority, rule: decision.rule });
  return ok({ request_id, job_id, status, decision, snapshot_id: existing?.id ?? null, error: null });
}

/** A file the facts pass could not read: stored as a failed job with its error, so it is visible and counted. */
async function storeUnreadable(
  deps: IngestDeps,
  request: SubmitRequest,
  request_id: string,
  now: Date,
  error: AppError,
): Promise<SubmitAck> {
  const job_id = randomUUID();
  const priority = request.requested_priority ?? 'LOW';
  await deps.store.transaction(async (tx) => {
    await storeRequest(tx, request, request_id, now, null, null, false);
    await insertJob(tx, {
      id: job_id, request_id, file: request.file, source: request.source, underlying: null, content_hash: null,
      priority, rule: 'unreadable', rule_version: null, submitted_at: now.toISOString(),
    });
    await endAtSubmit(tx, job_id, 'failed', now, { error });
    await recordIngest(tx, request.source, false);
  });
  const job = await getJob(deps.store, job_id);
  if (job) deps.events.emit('job:updated', job);
  deps.log.warn('request.unreadable', { request_id, job_id, file: request.file, error });
  return { request_id, job_id, status: 'failed', decision: null, snapshot_id: null, error };
}

async function storeRequest(
  tx: Tx,
  request: SubmitRequest,
  id: string,
  now: Date,
  contentHash: string | null,
  facts: Record<string, unknown> | null,
  knownSource: boolean,
): Promise<void> {
  if (!knownSource) await ensureSource(tx, request.source);
  await tx.run(
    `INSERT INTO requests (id, file, source, requested_priority, justification, author, submitted_at, content_hash, facts)
     VALUES ($1, $2, $3, $4, $5, $6, $7::TIMESTAMPTZ, $8, $9::JSON)`,
    [
      id, request.file, request.source, request.requested_priority ?? null, request.justification ?? null,
      request.author ?? null, now.toISOString(), contentHash, facts === null ? null : JSON.stringify(facts),
    ],
  );
}

/** A job that ends as it is submitted: a duplicate of stored content, or a file that cannot be read. */
async function endAtSubmit(
  tx: Tx,
  id: string,
  status: 'duplicate' | 'failed',
  now: Date,
  outcome: { snapshot_id?: string; error?: AppError },
): Promise<void> {
  await tx.run(
    `UPDATE jobs SET status = $2, finished_at = $3::TIMESTAMPTZ, snapshot_id = $4, error = $5::JSON WHERE id = $1`,
    [id, status, now.toISOString(), outcome.snapshot_id ?? null, outcome.error ? JSON.stringify(outcome.error) : null],
  );
}
