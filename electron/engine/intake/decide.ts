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
// facts kept, not read again) and is decided in arrival order. An earlier one decided at
// its arrival (whose total comes only with its run) it reads itself, in a turn of its own
// on a worker the scheduler counts ('again'; docs/scheduler.md).
import { FactsResult, type FileFacts } from '../../../shared/pipeline.ts';
import { err, INPUT_ERRORS, ok, type AppError, type Result } from '../../../shared/result.ts';
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
import { gexChangeBase } from './arrival-facts.ts';
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

/**
 * Reads of an earlier request's file that failed for a reason not its content's, after
 * which the later request waits for that request's run instead (readEarlier).
 */
const EARLIER_READ_ATTEMPTS = 3;

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
   * level depends on it: noted read, or settled (no total: its file's own bytes cannot be
   * read, which will fail its run too, or its job ended), so that the later one compares
   * with the request before it. A read that fails for another reason (a crashed or stopped
   * worker, a timeout, the machine) says nothing of its total: the later request reads it
   * again (EARLIER_READ_ATTEMPTS), then waits for its run (whose end brings its total, or
   * settles it) — never compared with the request before it meanwhile.
   * `used`: the read took a worker.
   */
  const readEarlier = async (
    requestId: string,
    job: ProcessingJob,
    ctx: JobContext,
    kept: Kept,
  ): Promise<{ used: boolean; failed?: string }> => {
    const staged = await stagedOf(deps.store.at(ctx.level), requestId);
    if (!staged) {
      deps.memory.noteSettled(requestId);
      return { used: false };
    }
    const taskId = `${job.id}:previous:${requestId}`;
    const facts = await readFacts(ctx, taskId, staged);
    if (ctx.signal.aborted) return { used: true };
    if (facts.ok) {
      deps.memory.noteRead(
        requestId,
        facts.value.underlying,
        staged.arrivedMs,
        facts.value.total_gex,
      );
      return { used: true };
    }
    const e = facts.error;
    if (INPUT_ERRORS.has(e.code) && !e.transient) {
      deps.memory.noteSettled(requestId);
      return { used: true };
    }
    const tries = (kept.tries.get(requestId) ?? 0) + 1;
    kept.tries.set(requestId, tries);
    const what = `the read of earlier request ${requestId}'s file (${staged.file}), which its level compares with, failed (${e.code}: ${e.message})`;
    if (tries < EARLIER_READ_ATTEMPTS) return { used: true, failed: `${what}; read again` };
    kept.awaitRun.add(requestId);
    return {
      used: true,
      failed: `${what} ${tries} times; waits for that request's run to bring its total`,
    };
  };
  /**
   * Decides a job whose facts are read; `used`: this turn of it already took a worker (its
   * own read). One read per turn: a later read goes back to the scheduler ('again').
   */
  const decideKept = async (
    job: ProcessingJob,
    kept: Kept,
    ctx: JobContext,
    used: boolean,
  ): Promise<DecideOutcome> => {
    /** Its facts kept while it is not decided, to be asked again. */
    const park = (arrivedMs: number): Kept => {
      // The facts of jobs that ended while they waited (cancelled) are let go here.
      for (const [id, k] of waiting) if (!deps.memory.unread(k.requestId)) waiting.delete(id);
      const still = { ...kept, requestId: job.request_id, arrivedMs };
      waiting.set(job.id, still);
      return still;
    };
    let outcome = await decide(deps, job, kept.facts, kept.readStartedAt, ctx);
    while (outcome.kind === 'unread') {
      const { arrivedMs } = outcome;
      const toRead = outcome.requests.filter((id) => !kept.awaitRun.has(id));
      if (toRead.length === 0) return waitForRuns(park(arrivedMs), outcome.requests);
      if (used) {
        park(arrivedMs);
        return { kind: 'again' };
      }
      const read = await readEarlier(toRead[0]!, job, ctx, kept);
      if (ctx.signal.aborted) return { kind: 'gone', job: undefined };
      used ||= read.used;
      if (read.failed !== undefined) {
        const still = park(arrivedMs);
        if (!kept.awaitRun.has(toRead[0]!)) return { kind: 'again', why: read.failed };
        const runs = outcome.requests.filter((id) => kept.awaitRun.has(id));
        return { ...waitForRuns(still, runs), why: read.failed };
      }
      outcome = await decide(deps, job, kept.facts, kept.readStartedAt, ctx);
    }
    if (outcome.kind !== 'earlier') return outcome;
    return waitFor(park(outcome.arrivedMs), outcome.earlier);
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
  /** Waits for the runs of earlier requests whose files could not be read for it. */
  const waitForRuns = (k: Kept, requests: string[]) => {
    if (!k.untilRuns) {
      const until = deps.memory.whenSettled(requests);
      k.untilRuns = until;
      void until.then(() => {
        if (k.untilRuns === until) k.untilRuns = undefined;
      });
    }
    return { kind: 'wait' as const, earlier: requests, until: k.untilRuns };
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
      const runs = [...kept.awaitRun].filter((id) => deps.memory.unread(id));
      if (runs.length > 0) return ok(waitForRuns(kept, runs));
      waiting.delete(job.id);
      return ok(await decideKept(job, kept, ctx, false));
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
    const read1: Kept = {
      facts: read.value,
      readStartedAt,
      requestId: job.request_id,
      arrivedMs: NaN,
      tries: new Map(),
      awaitRun: new Set(),
    };
    return ok(await decideKept(job, read1, ctx, true));
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
  /** Failed reads of earlier requests' files, by request (readEarlier). */
  tries: Map<string, number>;
  /** Earlier requests whose files could not be read for it: it waits for their runs. */
  awaitRun: Set<string>;
  /** Its wait in the memory for those runs (whenSettled). */
  untilRuns?: Promise<void>;
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
  | { kind: 'unread'; arrivedMs: number; requests: string[] }
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
      if (requests.length > 0) return { kind: 'unread', arrivedMs, requests };
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
      const base = gexChangeBase(context, unknown);
      const facts = {
        given: recorded,
        derived: decided.ok ? decided.value.derived : {},
        unknown,
        ...base,
      };
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
            { ...recorded, ...decided.value.derived, read_started_at: readStartedAt, ...base },
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
          { ...recorded, ...decided.value.derived, read_started_at: readStartedAt, ...base },
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
