// Deciding a job whose level the rules could not give at its arrival: its file's facts
// are read in a worker (which leaves the parsed chain for the run, so the file is parsed
// once), the GEX change is computed against the latest EARLIER request of the same
// underlying whose file was read (GUIDELINES v2), and the rules active at the arrival —
// not those active now, should an analyst have activated others meanwhile — decide with
// `now` still the arrival. The request's facts, the job's level and the decision's audit
// entry are written in one transaction; a job whose content turned out to be stored already ends as
// its duplicate; a request the rules find invalid is rejected.
// A request read while an earlier one of its underlying still waits for its own read (two
// files of a new underlying a moment apart, a command's files sharing its start) would
// compare with the wrong total — or none, and be taken for a first snapshot — whichever read
// ended first: when its level depends on `gex_change`, it waits for the earlier one (its
// facts kept, not read again) and is decided in arrival order.
import { FactsResult, type FileFacts } from '../../../shared/pipeline.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { Decision, GexConventions, ProcessingJob } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import type { DerivedFacts } from '../../../shared/rules.ts';
import type { EngineEvents } from '../events.ts';
import { jobAudit } from '../jobs/job-audit.ts';
import { decideQueued, endWaiting } from '../jobs/repository.ts';
import type { DecideJob, DecideOutcome, JobContext } from '../jobs/types.ts';
import type { RulesService, VersionedRules } from '../rules/service.ts';
import { auditedTransaction } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import { recordOutcome } from '../store/sources.ts';
import { gexChange, type IntakeMemory } from './memory.ts';
import { endDuplicate, getRequest, recordFileFacts, stagedOf } from './requests.ts';
import type { Staging } from './staging.ts';
import { decisionEntry } from './submit.ts';
import { announcer } from './announce.ts';

export interface DecideDeps {
  store: Store;
  memory: IntakeMemory;
  rules: RulesService;
  events: EngineEvents;
  staging: Staging;
  conventions: GexConventions;
  limits: ReadLimits;
  clock?: () => number;
}

export function createDecideJob(deps: DecideDeps): DecideJob {
  /** Facts read of jobs waiting for an earlier request's read, by job id. */
  const waiting = new Map<string, Kept>();
  /** A file's facts, read in a worker; `chainFile`: where to leave the parsed chain for its run. */
  const readFacts = async (
    ctx: JobContext,
    taskId: string,
    staged: { hash: string; file: string },
    chainFile?: string,
  ): Promise<Result<FileFacts>> => {
    const read = await ctx.pool.run(
      {
        type: 'facts',
        taskId,
        file: deps.staging.pathOf(staged.hash),
        sourceFile: staged.file,
        contentHash: staged.hash,
        ...(chainFile ? { chainFile } : {}),
        conventions: deps.conventions,
        limits: deps.limits,
      },
      { signal: ctx.signal },
    );
    const parsed = FactsResult.safeParse(read);
    if (!parsed.success)
      return err(
        'INTERNAL',
        `The facts read answered in an unexpected shape: ${parsed.error.message}`,
      );
    if (!parsed.data.ok) return { ok: false, error: { ...parsed.data.error, file: staged.file } };
    return ok(parsed.data.value as FileFacts);
  };
  /**
   * The total of an earlier request decided at its arrival, read for a later one whose
   * level depends on it: noted read, or settled (no total: its file cannot be read, or its
   * job ended), so that the later one compares with the request before it.
   */
  const readEarlier = async (requestId: string, job: ProcessingJob, ctx: JobContext) => {
    const staged = await stagedOf(deps.store.at(ctx.level), requestId);
    if (!staged) return deps.memory.noteSettled(requestId);
    const taskId = `${job.id}:previous:${requestId}`;
    const facts = await readFacts(ctx, taskId, staged);
    if (ctx.signal.aborted) return;
    if (!facts.ok) return deps.memory.noteSettled(requestId);
    deps.memory.noteRead(
      requestId,
      facts.value.underlying,
      staged.arrivedMs,
      facts.value.total_gex,
    );
  };
  const decideKept = async (
    job: ProcessingJob,
    kept: Kept,
    ctx: JobContext,
  ): Promise<DecideOutcome> => {
    let outcome = await decide(deps, job, kept.facts, kept.readStartedAt, ctx);
    while (outcome.kind === 'unread') {
      for (const id of outcome.requests) await readEarlier(id, job, ctx);
      if (ctx.signal.aborted) return { kind: 'gone', job: undefined };
      outcome = await decide(deps, job, kept.facts, kept.readStartedAt, ctx);
    }
    if (outcome.kind !== 'earlier') return outcome;
    // The facts of jobs that ended while they waited (cancelled) are let go here.
    for (const [id, k] of waiting) if (!deps.memory.unread(k.requestId)) waiting.delete(id);
    const still = { ...kept, requestId: job.request_id, arrivedMs: outcome.arrivedMs };
    waiting.set(job.id, still);
    return waitFor(still, outcome.earlier);
  };
  const waitFor = (k: Kept, earlier: string[]) => {
    // One wait in the memory per job, however often it is asked again meanwhile.
    if (!k.until) {
      const until = deps.memory.whenEarlierRead(k.requestId, k.facts.underlying, k.arrivedMs);
      k.until = until;
      void until.then(() => {
        if (k.until === until) k.until = undefined;
      });
    }
    return { kind: 'wait' as const, earlier, until: k.until };
  };
  return async (job, ctx) => {
    const kept = waiting.get(job.id);
    if (kept) {
      // Asked again while the earlier read is still under way: nothing to look up.
      const earlier = deps.memory.earlierStillDeciding(
        job.request_id,
        kept.facts.underlying,
        kept.arrivedMs,
      );
      if (earlier.length > 0) return ok(waitFor(kept, earlier));
      waiting.delete(job.id);
      return ok(await decideKept(job, kept, ctx));
    }
    const hash = job.content_hash;
    if (!hash)
      return err('INTERNAL', `job ${job.id} is deciding but has no staged content`, {
        file: job.file,
      });
    const readStartedAt = new Date().toISOString();
    const staged = { hash, file: job.file };
    const read = await readFacts(ctx, `${job.id}:facts`, staged, deps.staging.chainPathOf(hash));
    if (!read.ok) return read;
    const read1 = { facts: read.value, readStartedAt, requestId: job.request_id, arrivedMs: NaN };
    return ok(await decideKept(job, read1, ctx));
  };
}

/** A job's facts read, kept while it waits for an earlier request's; its arrival. */
interface Kept {
  requestId: string;
  facts: FileFacts;
  readStartedAt: string;
  arrivedMs: number;
  /** Its wait in the memory while that one is pending (whenEarlierRead). */
  until?: Promise<void>;
}

async function decide(
  deps: DecideDeps,
  job: ProcessingJob,
  f: FileFacts,
  readStartedAt: string,
  ctx: Pick<JobContext, 'decided' | 'level'>,
): Promise<
  | DecideOutcome
  | { kind: 'earlier'; arrivedMs: number; earlier: string[] }
  | { kind: 'unread'; requests: string[] }
> {
  const request = await getRequest(deps.store.at(ctx.level), job.request_id);
  const atArrival = request?.facts?.given ?? {};
  const arrivedAt = request?.arrived_at ?? job.submitted_at;
  const arrivedMs = Date.parse(arrivedAt);
  // The version it arrived under (recorded on its job at arrival) decides it. Awaited
  // before the memory is asked: from there to the wait's check nothing may be awaited, or
  // an earlier request's read noted meanwhile would be neither compared with nor waited for.
  const rules = await rulesOfArrival(deps.rules, job);
  const context = deps.memory.context({
    content_hash: f.content_hash,
    underlying: f.underlying,
    source: job.source,
    arrivedMs,
    request_id: job.request_id,
  });
  // The facts as they were at arrival (now, reliability, the request's own), completed by the file's.
  const given: Record<string, unknown> = {
    ...atArrival,
    underlying: f.underlying,
    as_of: f.as_of,
    total_volume: Math.round(f.total_volume),
    total_open_interest: Math.round(f.total_open_interest),
    gex_change: gexChange(f.total_gex, context.previous_total_gex),
  };
  // An earlier request of the underlying not read yet may be this one's previous: its
  // `gex_change` is not known. When its level depends on it, it waits for the earlier
  // read, or reads the file of an earlier request decided at its arrival (whose run may be
  // hours away); when it does not, it is decided with `gex_change` recorded as unknown.
  let recorded = given;
  let unknown: string[] = [];
  let decided: Result<Decision & { derived: DerivedFacts }> | null = null;
  if (!context.previous_final) {
    const { gex_change: _change, ...rest } = given;
    const partial = rules.compiled.decidePartial(rest, ['gex_change'], new Date(arrivedAt));
    if (partial.ok && partial.value.kind === 'pending') {
      const earlier = deps.memory.earlierStillDeciding(job.request_id, f.underlying, arrivedMs);
      if (earlier.length > 0) return { kind: 'earlier', arrivedMs, earlier };
      const requests = deps.memory.earlierDecidedUnread(job.request_id, f.underlying, arrivedMs);
      // (Never empty while the previous total is not final; were it, the loop reading them
      // would spin: decided below with the total as it is.)
      if (requests.length > 0) return { kind: 'unread', requests };
    }
    if (partial.ok && partial.value.kind === 'decided') {
      decided = ok(partial.value.decision);
      recorded = rest;
      unknown = ['gex_change'];
    }
  }
  decided ??= rules.compiled.decide(given, new Date(arrivedAt));
  if (decided.ok) ctx.decided(decided.value.priority);
  const outcome = await auditedTransaction(
    deps.store.at(ctx.level),
    announcer(deps.events),
    async (tx, audit): Promise<DecideOutcome> => {
      // Its decision (or rejection) and, for a duplicate, its end: when written, after any
      // wait for the store, all at one moment, so that the trail stays in time order.
      const now = (deps.clock ?? Date.now)();
      const at = new Date(now);
      const facts = { given: recorded, derived: decided.ok ? decided.value.derived : {}, unknown };
      await recordFileFacts(tx, job.request_id, {
        facts,
        underlying: f.underlying,
        total_gex: f.total_gex,
      });
      if (!decided.ok) {
        const error: AppError = { ...decided.error, file: job.file };
        const ended = await endWaiting(
          tx,
          job.id,
          'failed',
          { error, underlying: f.underlying },
          now,
        );
        if (!ended) return { kind: 'gone', job: undefined };
        await audit(
          jobAudit(ended, 'rejected', `rejected: ${error.message}`, {
            actor: request?.author ?? null,
            facts: recorded,
            at,
          }),
        );
        await recordOutcome(tx, ended);
        return { kind: 'ended', job: ended };
      }
      const d: Decision = {
        priority: decided.value.priority,
        rule: decided.value.rule,
        explanation: decided.value.explanation + (rules.note ?? ''),
        rule_version: rules.version,
      };
      const withUnderlying = { ...job, underlying: f.underlying };
      if (context.duplicate) {
        await audit({
          ...decisionEntry(
            withUnderlying,
            d,
            { ...recorded, ...decided.value.derived, read_started_at: readStartedAt },
            request?.author ?? null,
          ),
          at,
        });
        const ended = await endDuplicate(tx, audit, withUnderlying, context.duplicate.id, now, d);
        return { kind: 'ended', job: ended };
      }
      const row = await decideQueued(tx, job.id, { ...d, underlying: f.underlying }, now);
      if (!row) return { kind: 'gone', job: undefined };
      await audit({
        ...decisionEntry(
          row.job,
          d,
          { ...recorded, ...decided.value.derived, read_started_at: readStartedAt },
          request?.author ?? null,
        ),
        at,
      });
      return { kind: 'queued', row };
    },
  );
  // Read (and not failed): the next request of this underlying compares with this file.
  if (outcome.kind !== 'gone' && !(outcome.kind === 'ended' && outcome.job?.status === 'failed'))
    deps.memory.noteRead(job.request_id, f.underlying, Date.parse(arrivedAt), f.total_gex);
  return outcome;
}

/**
 * The rules of the version active at the job's arrival. Should that version no longer compile
 * (a stored text an older app accepted), the active rules decide and the explanation says so.
 */
async function rulesOfArrival(
  service: RulesService,
  job: ProcessingJob,
): Promise<VersionedRules & { note?: string }> {
  const r = await service.ofVersion(job.rule_version);
  if (r.ok) return r.value;
  const active = service.active;
  return {
    ...active,
    note: ` (the rules of its arrival, version ${job.rule_version}, could not be used: ${r.error.message}; decided by version ${active.version})`,
  };
}
