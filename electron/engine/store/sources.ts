// Data sources and their reliability: the share of a source's ingests that succeeded,
// which rule G4 reads. A source is created the first time a request names it; a source
// with no history counts as fully reliable. An analyst may override a source's
// reliability (with a justification); new requests then read the override instead.
import { INPUT_ERRORS, type ErrorCode } from '../../../shared/result.ts';
import { iso, num, type Store, type Tx } from './db.ts';

/**
 * One more success or failure for a source. Its row exists from its first request's
 * arrival, so this is one UPDATE; a row missing anyway (a store written by an older
 * version) is created with the count, at its first stored request's arrival (now when it
 * has none), as storeRequests creates one.
 */
async function recordIngest(db: Store | Tx, id: string, success: boolean): Promise<void> {
  const column = success ? 'ingests_ok' : 'ingests_failed';
  if ((await db.run(`UPDATE sources SET ${column} = ${column} + 1 WHERE id = $1`, [id])) === 0)
    await db.run(
      `INSERT INTO sources (id, name, ${column}, created_at)
         VALUES ($1, $1, 1, coalesce((SELECT min(submitted_at) FROM requests WHERE source = $1), now()))
         ON CONFLICT (id) DO UPDATE SET ${column} = sources.${column} + 1`,
      [id],
    );
}

/** GUIDELINES: the source's share of successful ingests; a source with no history counts as 1. */
export const reliabilityOf = (ok: number, failed: number): number =>
  ok + failed === 0 ? 1 : ok / (ok + failed);

/** A job that failed on its input: the only failure that counts against its source. */
export const failedOnInput = (job: { status: string; error: { code: string } | null }): boolean =>
  job.status === 'failed' && job.error !== null && INPUT_ERRORS.has(job.error.code as ErrorCode);

/**
 * Counts a job's FINAL outcome in its source's record (inside the transaction of that
 * final state): a success (a duplicate is none), or a failure that says the source sent
 * bad data. Preemptions,
 * cancels, shutdowns, timeouts and crashed workers say nothing about the source. A job is
 * counted once, by its final outcome: a failure that an analyst retried keeps counting
 * until its retry ends (keepFailureOnRetry), and that end replaces it — a success takes
 * the failure back and counts a success, a failure on input again leaves the count as it
 * is, an end that says nothing about the source (a cancel) leaves the failure counted.
 */
export async function recordOutcome(
  db: Store | Tx,
  job: { id: string; source: string; status: string; error: { code: string } | null },
): Promise<void> {
  if (job.status === 'completed' || job.status === 'duplicate') {
    // A duplicate ingested nothing: it is no success (a file sent again and again would
    // wash out its source's failures, G4 lifted), but a retried failure it ends was no
    // failure either.
    const ok = job.status === 'completed' ? 1 : 0;
    if (await takeKeptFailure(db, job.id))
      await db.run(
        `UPDATE sources SET ingests_ok = ingests_ok + ${ok}, ingests_failed = greatest(ingests_failed - 1, 0)
           WHERE id = $1`,
        [job.source],
      );
    else if (ok) await recordIngest(db, job.source, true);
  } else if (failedOnInput(job) && !(await keptFailure(db, job.id)))
    await recordIngest(db, job.source, false);
}

/**
 * An analyst retries a job (inside the retry's transaction): a failure on input that its
 * end counted keeps counting against its source until the retry ends — the file has not
 * been ingested, and a retry waiting hours in a paused or busy queue must not lift G4 for
 * the source's other requests meanwhile. Noted in `retried_failures`, so that the retry's
 * end (recordOutcome) replaces it rather than counting once more, after a restart too.
 * A cancelled job counted nothing — unless it was itself a retry of such a failure, which
 * is noted already.
 */
export async function keepFailureOnRetry(
  db: Store | Tx,
  job: { id: string; source: string; status: string; error: { code: string } | null },
): Promise<void> {
  if (failedOnInput(job))
    await db.run(
      `INSERT INTO retried_failures (job_id, source) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING`,
      [job.id, job.source],
    );
}

async function keptFailure(db: Store | Tx, jobId: string): Promise<boolean> {
  return (await db.all('SELECT 1 FROM retried_failures WHERE job_id = $1', [jobId])).length > 0;
}

/** The job's retried failure, replaced by its success: no longer kept. */
async function takeKeptFailure(db: Store | Tx, jobId: string): Promise<boolean> {
  return (await db.run('DELETE FROM retried_failures WHERE job_id = $1', [jobId])) > 0;
}

/** The retried failures still counted (their jobs waiting, running, failed again or cancelled). */
export async function keptFailures(db: Store | Tx): Promise<{ job_id: string; source: string }[]> {
  return db.all('SELECT job_id, source FROM retried_failures');
}

/** A source as stored: its counts, the analyst's override (if any) and its latest arrival. */
export interface StoredSource {
  id: string;
  name: string;
  completed: number;
  failed: number;
  /**
   * Its jobs that ended as duplicates (their content already stored): counted neither way
   * in its reliability (recordOutcome), shown so that its counts read true (QA day F5).
   */
  duplicates: number;
  override: {
    reliability: number;
    justification: string;
    author: string | null;
    at: string;
  } | null;
  last_ingest_at: string | null;
  created_at: string;
}

const SOURCE_SELECT = `SELECT s.id, s.name, s.ingests_ok, s.ingests_failed, epoch_ms(s.created_at) AS created_at,
    s.reliability_override, s.override_justification, s.override_author, epoch_ms(s.override_at) AS override_at,
    (SELECT epoch_ms(max(r.submitted_at)) FROM requests r WHERE r.source = s.id) AS last_ingest,
    coalesce(d.n, 0) AS duplicates
  FROM sources s
  LEFT JOIN (SELECT source, count(*) AS n FROM jobs WHERE status = 'duplicate' GROUP BY source) d
    ON d.source = s.id`;

const toStoredSource = (r: Record<string, unknown>): StoredSource => ({
  id: r.id as string,
  name: r.name as string,
  completed: num(r.ingests_ok),
  failed: num(r.ingests_failed),
  duplicates: num(r.duplicates),
  override:
    r.reliability_override === null || r.reliability_override === undefined
      ? null
      : {
          reliability: num(r.reliability_override),
          justification: (r.override_justification as string | null) ?? '',
          author: (r.override_author as string | null) ?? null,
          at: iso(r.override_at)!,
        },
  last_ingest_at: iso(r.last_ingest),
  created_at: iso(r.created_at)!,
});

export async function listStoredSources(db: Store | Tx): Promise<StoredSource[]> {
  return (await db.all<Record<string, unknown>>(`${SOURCE_SELECT} ORDER BY s.id`)).map(
    toStoredSource,
  );
}

export async function storedSource(db: Store | Tx, id: string): Promise<StoredSource | undefined> {
  const rows = await db.all<Record<string, unknown>>(`${SOURCE_SELECT} WHERE s.id = $1`, [id]);
  return rows[0] ? toStoredSource(rows[0]) : undefined;
}

/** Sets (or, with null, clears) a source's reliability override. */
export async function writeOverride(
  tx: Tx,
  id: string,
  o: { reliability: number; justification: string; author: string | null; atMs: number } | null,
): Promise<void> {
  await tx.run(
    `UPDATE sources SET reliability_override = $2, override_justification = $3, override_author = $4,
       override_at = $5::TIMESTAMPTZ WHERE id = $1`,
    [
      id,
      o?.reliability ?? null,
      o?.justification ?? null,
      o?.author ?? null,
      o ? new Date(o.atMs).toISOString() : null,
    ],
  );
}
