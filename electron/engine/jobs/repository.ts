// The durable side of the scheduler: every job state change is one conditional UPDATE
// on the `jobs` table (guarded by the status it expects), so a late or repeated
// transition is a no-op instead of a corruption, and the table — not any in-memory
// queue — is the truth that recovery starts from. Callers announce a change only
// after the UPDATE here has resolved.
//
// `submitted_at` is the request's arrival, which every level's target counts from (an
// escalation, a retry, a decision do not restart it; docs/scheduler.md). `queued_at`, a
// column of the first schema, is written as the arrival and read by nothing (earlier
// versions wrote an escalation's time there). A `deciding` job waits for its facts
// read at the highest level the rules could still give it; `decideQueued` turns it into a
// queued job at its level.
import type { JobStatus, PriorityLevel, ProcessingJob } from '../../../shared/domain.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import { iso, num, type Params, type Store, type Tx } from '../store/db.ts';
import { Filters } from '../store/filters.ts';
import { AMBIGUOUS_SHOWN, idKey, MIN_ID_START, onlyId } from '../store/id-start.ts';
import { values } from '../store/values.ts';
import { echoed } from '../../../shared/visible.ts';

type Db = Store | Tx;

export interface NewJob {
  id: string;
  request_id: string;
  file: string;
  source: string;
  underlying: string | null;
  content_hash: string | null;
  priority: PriorityLevel;
  rule: string;
  rule_version: number | null;
  /** The arrival (ISO-8601); the wait clock starts here. */
  submitted_at: string;
  /** `deciding`: waiting for its facts read, `priority` being the highest level it could get. */
  status?: 'queued' | 'deciding';
  /** The watched inbox (its folder) that took the file; absent for any other channel. */
  inbox?: string | null;
  /** Its request's place in arrival order (intake/memory.ts); absent: none (stored as NULL). */
  arrival_order?: number | null;
}

/** A decided level, as the rules gave it. */
export interface LevelDecision {
  priority: PriorityLevel;
  rule: string;
  rule_version: number | null;
}

/** What the dispatcher needs of a queued job. */
export interface QueuedRow {
  id: string;
  seq: number;
  request_id: string;
  rule: string;
  rule_version: number | null;
  /** `decide`: a facts read is its next step (status `deciding`); `run`: the pipeline (status `queued`). */
  phase: 'decide' | 'run';
  /** The effective level (for a `decide` row, the highest level it could get). */
  level: PriorityLevel;
  /**
   * A facts read's rank lent by a later request that waits for its total (ReadyQueue.raise),
   * when above its own level; in memory only. Its counts and its job stay at `level`.
   */
  servedAt?: PriorityLevel;
  /** The arrival: every level's target counts from it. */
  submittedAtMs: number;
  notBeforeMs: number | null;
  late: boolean;
  attempts: number;
  /** Facts reads that failed for a reason a retry may cure (kept in memory only). */
  readAttempts?: number;
  /** Times its worker was stopped from outside (kept in memory only; in-service.ts). */
  stops?: number;
  /** Times it was put back to wait for the machine (a full disk, a read-only folder; in-service.ts). */
  machineWaits?: number;
  /** Pipeline workers that crashed on this job's content, across restarts. */
  crashes: number;
  /** The whole row, so a job can start without reading it again. */
  job: ProcessingJob;
}

const COLUMNS = `id, seq, request_id, file, source, underlying, content_hash, priority, effective_priority, rule, rule_version,
  status, coalesce(revision, 0) AS revision, arrival_order, epoch_ms(submitted_at) AS submitted_at, epoch_ms(decided_at) AS decided_at, epoch_ms(started_at) AS started_at,
  epoch_ms(run_ended_at) AS run_ended_at, epoch_ms(finished_at) AS finished_at, attempts, late, error, snapshot_id`;
const SELECT = `SELECT ${COLUMNS} FROM jobs`;
const first = (rows: Record<string, unknown>[]) => (rows[0] ? toJob(rows[0]) : undefined);

/**
 * A transition: one conditional UPDATE of the job `params[0]`, then its row as written,
 * so that announcing it needs no other read; undefined when the UPDATE matched nothing.
 * Not `RETURNING` every column: in DuckDB that cost more than the UPDATE and a read by
 * id together (docs/performance.md). Given the store, both run in one transaction.
 */
function updated(db: Db, sql: string, params: Params): Promise<ProcessingJob | undefined>;
function updated<T>(
  db: Db,
  sql: string,
  params: Params,
  read: (tx: Tx, id: string) => Promise<T | undefined>,
): Promise<T | undefined>;
function updated(
  db: Db,
  sql: string,
  params: Params,
  read: (tx: Tx, id: string) => Promise<unknown> = getJob,
): Promise<unknown> {
  const both = async (tx: Tx) =>
    (await tx.run(sql, params)) === 0 ? undefined : read(tx, params[0] as string);
  return 'transaction' in db ? db.transaction(both) : both(db);
}

const ts = (ms: number) => new Date(ms).toISOString();

export function toJob(r: Record<string, unknown>): ProcessingJob {
  return {
    id: r.id as string,
    request_id: r.request_id as string,
    file: r.file as string,
    source: r.source as string,
    underlying: (r.underlying as string | null) ?? null,
    content_hash: (r.content_hash as string | null) ?? null,
    priority: r.priority as PriorityLevel,
    effective_priority: r.effective_priority as PriorityLevel,
    rule: r.rule as string,
    rule_version:
      r.rule_version === null || r.rule_version === undefined ? null : num(r.rule_version),
    status: r.status as JobStatus,
    revision: num(r.revision ?? 0),
    submitted_at: iso(r.submitted_at)!,
    seq: num(r.seq),
    arrival_order:
      r.arrival_order === null || r.arrival_order === undefined ? null : num(r.arrival_order),
    decided_at: iso(r.decided_at),
    started_at: iso(r.started_at),
    run_ended_at: iso(r.run_ended_at),
    finished_at: iso(r.finished_at),
    attempts: num(r.attempts),
    late: Boolean(r.late),
    error:
      r.error === null || r.error === undefined
        ? null
        : (JSON.parse(r.error as string) as AppError),
    snapshot_id: (r.snapshot_id as string | null) ?? null,
    progress: null,
  };
}

/**
 * Inserts a queued job (the lead calls it inside the submit transaction) and returns
 * what the dispatcher needs of it, so that the scheduler can take it the moment the
 * transaction commits, without a read that would queue behind other statements.
 */
export async function insertJob(tx: Db, job: NewJob): Promise<QueuedRow> {
  return (await insertJobs(tx, [job]))[0]!;
}

/** Inserts jobs in one statement (a burst of arrivals written together), rows in the order given. */
export async function insertJobs(tx: Db, jobs: readonly NewJob[]): Promise<QueuedRow[]> {
  if (jobs.length === 0) return [];
  const v = values(
    jobs.map((job) => {
      const status = job.status ?? 'queued';
      return [
        job.id,
        job.request_id,
        job.file,
        job.source,
        job.underlying,
        job.content_hash,
        job.priority,
        job.priority,
        job.rule,
        job.rule_version,
        status,
        job.submitted_at,
        job.submitted_at,
        status === 'queued' ? job.submitted_at : null,
        // '' (not an inbox's), never NULL: NULL is a job stored before migration 8.
        job.inbox ?? '',
        job.arrival_order ?? null,
      ];
    }),
    [
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'TIMESTAMPTZ',
      'TIMESTAMPTZ',
      'TIMESTAMPTZ',
      null,
    ],
  );
  const rows = await tx.all(
    `INSERT INTO jobs (id, request_id, file, source, underlying, content_hash, priority, effective_priority, rule,
       rule_version, status, submitted_at, queued_at, decided_at, inbox, arrival_order)
     ${v.sql} RETURNING ${QUEUED_COLUMNS}`,
    v.params,
  );
  const byId = new Map(rows.map((r) => [r.id as string, toQueued(r)]));
  return jobs.map((j) => byId.get(j.id)!);
}

/**
 * deciding → queued at the level its facts read decided (its wait clock still counts from
 * the arrival). Undefined when it was no longer deciding (cancelled meanwhile).
 */
export async function decideQueued(
  db: Db,
  id: string,
  d: LevelDecision & { underlying: string | null },
  nowMs: number,
): Promise<QueuedRow | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = 'queued', priority = $2, effective_priority = $2, rule = $3, rule_version = $4,
       decided_at = $5::TIMESTAMPTZ, underlying = coalesce($6, underlying)
     WHERE id = $1 AND status = 'deciding'`,
    [id, d.priority, d.rule, d.rule_version, ts(nowMs), d.underlying],
    async (tx, id) => {
      const rows = await tx.all(`${QUEUED_SELECT} WHERE id = $1`, [id]);
      return rows[0] ? toQueued(rows[0]) : undefined;
    },
  );
}

/**
 * A job that ends before it ever runs: its file could not be read (failed), or its
 * content is already a snapshot (duplicate). From queued (at arrival) or deciding.
 */
export async function endWaiting(
  db: Db,
  id: string,
  status: 'failed' | 'duplicate',
  outcome: {
    error?: AppError;
    snapshot_id?: string;
    decision?: LevelDecision;
    underlying?: string | null;
  },
  nowMs: number,
): Promise<ProcessingJob | undefined> {
  const d = outcome.decision;
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = $2, error = $3::JSON, snapshot_id = $4, finished_at = $5::TIMESTAMPTZ,
         priority = coalesce($6, priority), effective_priority = coalesce($6, effective_priority),
         rule = coalesce($7, rule), rule_version = coalesce($8, rule_version), underlying = coalesce($9, underlying),
         decided_at = CASE WHEN $6 IS NULL THEN decided_at ELSE $5::TIMESTAMPTZ END
       WHERE id = $1 AND status IN ('queued', 'deciding')`,
    [
      id,
      status,
      outcome.error ? JSON.stringify(outcome.error) : null,
      outcome.snapshot_id ?? null,
      ts(nowMs),
      d?.priority ?? null,
      d?.rule ?? null,
      d?.rule_version ?? null,
      outcome.underlying ?? null,
    ],
  );
}

export async function getJob(db: Db, id: string): Promise<ProcessingJob | undefined> {
  const rows = await db.all(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] ? toJob(rows[0]) : undefined;
}

/**
 * The job an analyst names: by its id, by its request's (what the audit trail and
 * `ingest --json` give), or by the start of either (id-start.ts), in capitals or not, with
 * spaces around it or not (idKey). NOT_FOUND, naming it as given, when none;
 * VALIDATION naming them when several.
 */
export async function jobNamed(db: Db, given: string): Promise<Result<ProcessingJob>> {
  const key = idKey(given);
  const exact =
    (await getJob(db, key)) ??
    first(await db.all(`${SELECT} WHERE request_id = $1 ORDER BY seq DESC LIMIT 1`, [key]));
  if (exact) return ok(exact);
  if (key.length >= MIN_ID_START) {
    const rows = await db.all(
      `SELECT id FROM jobs WHERE starts_with(id, $1) OR starts_with(request_id, $1)
       ORDER BY id LIMIT ${AMBIGUOUS_SHOWN}`,
      [key],
    );
    const one = onlyId(
      given,
      rows.map((r) => String(r.id)),
      'job',
    );
    if (one && !one.ok) return one;
    const job = one && (await getJob(db, one.value));
    if (job) return ok(job);
  }
  return err('NOT_FOUND', `There is no job ${echoed(given)}.`);
}

/**
 * Where a job's file lies now (the watched inbox moved it to done/ or failed/ once the job
 * ended), its error naming it there too, as the reason file beside it does. Not a change
 * of the job's state: no revision, no event.
 */
export async function setJobFile(db: Db, id: string, file: string): Promise<void> {
  const job = await getJob(db, id);
  if (!job) return;
  const was = job.file;
  const error = job.error && {
    ...job.error,
    message: job.error.message.split(was).join(file),
    ...(job.error.file === was ? { file } : {}),
  };
  await db.run('UPDATE jobs SET file = $2, error = $3::JSON WHERE id = $1', [
    id,
    file,
    error ? JSON.stringify(error) : null,
  ]);
}

/**
 * The folders whose `processing/` holds the file of an inbox job: the inboxes of this
 * database, the current one and those it was changed from (whose files a stop may have
 * left there). Each is the inbox its jobs were taken by, as the inbox recorded it at
 * submission (the `inbox` column, migration 8), never a folder guessed from a path: a
 * file of another channel that lies in some `…/processing/<source>/` folder names no
 * inbox, nor does a folder named `processing` dropped inside an inbox. A job stored
 * before (`inbox` NULL) keeps the rule it had: source `inbox`, the folder above its
 * path's last `processing`.
 */
export async function inboxesOfJobs(db: Db): Promise<string[]> {
  const rows = await db.all(
    `SELECT DISTINCT coalesce(inbox, regexp_extract(file, '^(.*)[\\\\/]processing[\\\\/]', 1)) AS dir
     FROM jobs
     WHERE (inbox IS NULL AND source = 'inbox' AND regexp_matches(file, '[\\\\/]processing[\\\\/]'))
        OR (inbox <> ''
            AND (starts_with(file, inbox || '/processing/') OR starts_with(file, inbox || '\\processing\\')))`,
  );
  return rows.map((r) => String(r.dir)).filter((d) => d !== '');
}

/**
 * The files under `dir` that a job names (paths as the jobs hold them): in an inbox's done/,
 * those GEX Desk moved there as their jobs completed (setJobFile, before each move), so that
 * a file dropped there by hand is not counted as done.
 */
export async function jobFilesUnder(db: Db, dir: string): Promise<Set<string>> {
  const rows = await db.all(
    `SELECT DISTINCT file FROM jobs WHERE starts_with(file, $1) OR starts_with(file, $2)`,
    [`${dir}/`, `${dir}\\`],
  );
  return new Set(rows.map((r) => String(r.file)));
}

/** The newest job of a file (the inbox settles files a previous run left in processing/). */
export async function latestJobOfFile(db: Db, file: string): Promise<ProcessingJob | undefined> {
  return first(await db.all(`${SELECT} WHERE file = $1 ORDER BY seq DESC LIMIT 1`, [file]));
}

/**
 * A job's place among the arrivals, for the listings that promise newest first: its
 * arrival, then its request's place in arrival order (`arrival_order`: the files of one
 * command share their arrival to the millisecond, and their rows are written in the
 * order their captures ended, not the order they were submitted in), then `seq` (a job
 * whose request was stored before migration 10 has no place: -1, older than any given
 * since, which all follow every stored request, and its jobs keep the order they were
 * stored in). The browser orders the Queue's tabs alike (renderer views/queue/view-order.ts).
 */
const ARRIVAL_PLACE = `coalesce(arrival_order, -1)`;

/**
 * Newest arrival first (rows are stored out of arrival order: a large file is staged while
 * a small one after it is stored; ARRIVAL_PLACE); `after` the job of that id, when a list
 * is read a page at a time.
 */
export async function listJobs(
  db: Db,
  opts: { status?: JobStatus; source?: string; limit: number; after?: string },
): Promise<ProcessingJob[]> {
  const f = new Filters(opts.limit);
  if (opts.status) f.add('status = ?', opts.status);
  if (opts.source) f.add('source = ?', opts.source);
  if (opts.after)
    f.add(
      `(submitted_at, ${ARRIVAL_PLACE}, seq) <
        (SELECT (submitted_at, ${ARRIVAL_PLACE}, seq) FROM jobs WHERE id = ?)`,
      opts.after,
    );
  const rows = await db.all(
    `${SELECT} ${f.where} ORDER BY submitted_at DESC, ${ARRIVAL_PLACE} DESC, seq DESC LIMIT $1`,
    f.values,
  );
  return rows.map(toJob);
}

const toQueued = (r: Record<string, unknown>): QueuedRow => ({
  id: r.id as string,
  seq: num(r.seq),
  phase: r.status === 'deciding' ? 'decide' : 'run',
  request_id: r.request_id as string,
  rule: r.rule as string,
  rule_version: r.rule_version === null ? null : num(r.rule_version),
  level: r.effective_priority as PriorityLevel,
  submittedAtMs: num(r.submitted_at),
  notBeforeMs: r.not_before === null ? null : num(r.not_before),
  late: Boolean(r.late),
  attempts: num(r.attempts),
  crashes: num(r.crashes ?? 0),
  job: toJob(r),
});

const QUEUED_COLUMNS = `${COLUMNS}, epoch_ms(not_before) AS not_before,
  coalesce(crashes, 0) AS crashes`;
const QUEUED_SELECT = `SELECT ${QUEUED_COLUMNS} FROM jobs`;

/** Every job waiting for a worker: queued ones, and deciding ones (waiting for their facts read). */
export async function queuedRows(db: Db): Promise<QueuedRow[]> {
  return (
    await db.all(
      `${QUEUED_SELECT} WHERE status IN ('queued', 'deciding')
       ORDER BY submitted_at, ${ARRIVAL_PLACE}, seq`,
    )
  ).map(toQueued);
}

export async function queuedRow(db: Db, id: string): Promise<QueuedRow | undefined> {
  const r = (
    await db.all(`${QUEUED_SELECT} WHERE id = $1 AND status IN ('queued', 'deciding')`, [id])
  )[0];
  return r ? toQueued(r) : undefined;
}

/**
 * Recovery: jobs left `running` by a process that died go back to `queued`. The
 * interrupted attempt was charged when it started; it is uncharged here so that the
 * re-run counts as that same attempt, not a second one. Those the engine itself was
 * working on (`inEngine`) count one more interruption.
 */
export async function requeueInterrupted(
  db: Db,
  inEngine: readonly string[],
): Promise<{ id: string; interruptions: number }[]> {
  const rows = await db.all<{ id: string; n: number }>(
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = 'queued', started_at = NULL, attempts = greatest(attempts - 1, 0),
       interruptions = coalesce(interruptions, 0) + CASE WHEN list_contains(from_json($1, '["VARCHAR"]'), id) THEN 1 ELSE 0 END
     WHERE status = 'running' RETURNING id, interruptions AS n`,
    [JSON.stringify(inEngine)],
  );
  return rows.map((r) => ({ id: r.id, interruptions: num(r.n) }));
}

/** A pipeline worker crashed on this job's content: counted, across restarts. Returns the count. */
export async function noteCrash(db: Db, id: string): Promise<number> {
  const rows = await db.all<{ n: number }>(
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, crashes = coalesce(crashes, 0) + 1 WHERE id = $1 RETURNING crashes AS n`,
    [id],
  );
  return rows[0] ? num(rows[0].n) : 0;
}

/** queued → running, charging one attempt. Undefined when the job is no longer queued. */
export async function markRunning(
  db: Db,
  id: string,
  nowMs: number,
  late = false,
): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = 'running', started_at = $2::TIMESTAMPTZ, attempts = attempts + 1, not_before = NULL,
         late = late OR $3::BOOLEAN
       WHERE id = $1 AND status = 'queued'`,
    [id, ts(nowMs), late],
  );
}

/**
 * running → completed/duplicate with its snapshot. The lead's snapshot persistence
 * calls this inside the transaction that writes the snapshot, so "snapshot stored"
 * and "job completed" are one atomic fact. `runEndedMs`: when its run ended (its result
 * then waited for this transaction). The row as written; undefined when the job was not
 * running.
 */
export async function completeJobTx(
  tx: Db,
  jobId: string,
  snapshotId: string,
  status: 'completed' | 'duplicate',
  nowMs: number = Date.now(),
  runEndedMs: number | null = null,
): Promise<ProcessingJob | undefined> {
  return updated(
    tx,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = $2, snapshot_id = $3, finished_at = $4::TIMESTAMPTZ, error = NULL,
         run_ended_at = $5::TIMESTAMPTZ,
         underlying = coalesce(underlying, (SELECT underlying FROM gex_snapshots WHERE id = $3))
       WHERE id = $1 AND status = 'running'`,
    [jobId, status, snapshotId, ts(nowMs), runEndedMs === null ? null : ts(runEndedMs)],
  );
}

/** running → failed / cancelled. Undefined when the job was not running any more. */
export async function finishRunning(
  db: Db,
  id: string,
  status: 'failed' | 'cancelled',
  error: AppError,
  nowMs: number,
): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = $2, error = $3::JSON, finished_at = $4::TIMESTAMPTZ
     WHERE id = $1 AND status = 'running'`,
    [id, status, JSON.stringify(error), ts(nowMs)],
  );
}

/** queued (or deciding) → cancelled. */
export async function cancelQueued(
  db: Db,
  id: string,
  error: AppError,
  nowMs: number,
): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = 'cancelled', error = $2::JSON, finished_at = $3::TIMESTAMPTZ
     WHERE id = $1 AND status IN ('queued', 'deciding')`,
    [id, JSON.stringify(error), ts(nowMs)],
  );
}

/**
 * running → queued. `charge: false` (preemption, shutdown) gives the attempt back;
 * a retry after a retryable error keeps it and waits until `notBeforeMs`.
 */
export async function requeueRunning(
  db: Db,
  id: string,
  opts: { charge: boolean; notBeforeMs: number | null; error: AppError | null },
): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, status = 'queued', started_at = NULL,
       attempts = CASE WHEN $2 THEN attempts ELSE greatest(attempts - 1, 0) END,
       not_before = $3::TIMESTAMPTZ, error = $4::JSON
     WHERE id = $1 AND status = 'running'`,
    [
      id,
      opts.charge,
      opts.notBeforeMs === null ? null : ts(opts.notBeforeMs),
      opts.error === null ? null : JSON.stringify(opts.error),
    ],
  );
}

/**
 * failed/cancelled → waiting again, with a fresh attempt budget (an analyst's retry): queued
 * for its run, or — when it ended before its facts read decided its level (its rule is
 * still `deciding`) — deciding again, so that the rules give it its level and it never
 * runs at the upper bound it waited at. Its target still counts from its arrival, so a
 * retry past it is flagged late (escalated below CRITICAL) as any other job is, never
 * given a fresh clock.
 */
export async function requeueFinished(db: Db, id: string): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1,
       status = CASE WHEN rule = 'deciding' THEN 'deciding' ELSE 'queued' END, attempts = 0, error = NULL, not_before = NULL, started_at = NULL,
       finished_at = NULL
     WHERE id = $1 AND status IN ('failed', 'cancelled')`,
    [id],
  );
}

export async function markLate(db: Db, id: string): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, late = true WHERE id = $1 AND status = 'queued'`,
    [id],
  );
}

/** Flags late and moves one level up; its new level's target still counts from the arrival. */
export async function escalateQueued(
  db: Db,
  id: string,
  to: PriorityLevel,
): Promise<ProcessingJob | undefined> {
  return updated(
    db,
    `UPDATE jobs SET revision = coalesce(revision, 0) + 1, late = true, effective_priority = $2
     WHERE id = $1 AND status = 'queued'`,
    [id, to],
  );
}
