// What running one ingest job means, handed to the scheduler (which knows nothing of
// GEX): the pipeline in a worker, on the job's STAGED bytes (the content that was decided
// on, whatever happened to the analyst's file since), reading the chain its facts read
// left when there is one; then one transaction in the store's lane of its level stores the
// snapshot and completes the job together — so a snapshot exists exactly when its job is
// completed, even across crashes, and a job cancelled meanwhile stores nothing.
import { existsSync } from 'node:fs';
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import { PipelineResult, type PipelineOutput } from '../../../shared/pipeline.ts';
import { err, ok } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import type { Staging } from '../intake/staging.ts';
import type { EnginePhases } from './engine-phase.ts';
import type { Store } from '../store/db.ts';
import { removeHandOff, SAME_CHAIN_NOTE, saveSnapshot } from '../store/snapshots.ts';
import { removeRunFiles } from '../store/unstored-exports.ts';
import type { RunJob } from './types.ts';
import { folderFault } from '../folder-fault.ts';

class JobNotRunning extends Error {}

export interface RunJobDeps {
  store: Store;
  /** Marks the jobs whose result the engine's own process is storing. */
  phases: EnginePhases;
  /** Marks the jobs from their run's start until its files are stored or removed. */
  runs: EnginePhases;
  events: EngineEvents;
  staging: Staging;
  dataDir: string;
  conventions: GexConventions;
  limits: ReadLimits;
  /**
   * The stored snapshot a job of this content is the duplicate of, if any (IntakeMemory): a
   * copy that waited for another request's run of the same content ends as its duplicate
   * instead of running the pipeline again.
   */
  duplicateOf?: (contentHash: string) => string | null;
}

export function createRunJob(deps: RunJobDeps): RunJob {
  const { store, events, staging, dataDir, conventions, limits, phases, runs } = deps;
  const run: RunJob = async (job, ctx) => {
    if (!job.content_hash || !existsSync(staging.pathOf(job.content_hash)))
      return err(
        'FILE_NOT_FOUND',
        `${job.file}: nothing of this request is staged any more (it could not be read when it arrived, or its bytes were kept for a retry and have expired); submit the file again`,
        { file: job.file },
      );
    // Its content was stored while it waited (the scheduler holds a copy behind a run of the
    // same content): that snapshot is its answer, and the pipeline is not run again.
    const stored = deps.duplicateOf?.(job.content_hash) ?? null;
    if (stored)
      return ok({
        status: 'duplicate',
        snapshot_id: stored,
        note: 'its content was stored while it waited; not run again',
      });
    // The job's id names its snapshot, so a run repeated after a crash rewrites the
    // same Parquet file instead of leaving an orphan beside the new one.
    const input = {
      file: staging.pathOf(job.content_hash),
      sourceFile: job.file,
      contentHash: job.content_hash,
      chainFile: staging.chainPathOf(job.content_hash),
      dataDir,
      snapshotId: job.id,
      conventions,
      limits,
    };
    const result = await ctx.pool.run(
      { type: 'run', taskId: job.id, input },
      { onProgress: ctx.onProgress, signal: ctx.signal },
    );
    // A worker stopped mid-run (a crash, a timeout, a cancel) may have left files of it.
    const takeBack = async () => {
      if (job.underlying) await removeRunFiles(dataDir, job.underlying, job.id, true);
    };
    const parsed = PipelineResult.safeParse(result);
    if (!parsed.success) {
      await takeBack();
      return err(
        'INTERNAL',
        `The pipeline worker answered in an unexpected shape: ${parsed.error.message}`,
      );
    }
    if (!parsed.data.ok) {
      await takeBack();
      return parsed.data;
    }
    const output = parsed.data.value as PipelineOutput;
    const ids = { request_id: job.request_id, job_id: job.id };
    let saved;
    phases.enter(job.id);
    try {
      // Through the store's lane of the job's level: a burst of LOW work never holds up
      // the data a CRITICAL request waits for (the scheduler's reads and states likewise).
      saved = await saveSnapshot(
        store.at(job.effective_priority),
        output,
        ids,
        async (tx, outcome) => {
          const done = await ctx.complete(tx, {
            status: outcome.status,
            snapshot_id: outcome.snapshot.id,
            ...(outcome.sameChain ? { note: SAME_CHAIN_NOTE } : {}),
          });
          if (!done) throw new JobNotRunning();
        },
      );
    } catch (e) {
      removeHandOff(output); // not stored (the transaction did not commit)
      if (!(e instanceof JobNotRunning)) throw e;
      return err('CANCELLED', `job ${job.id} was no longer running; its snapshot was not stored`);
    } finally {
      try {
        phases.leave(job.id);
      } catch {
        // Left on a folder that can no longer be written: the next start settles it.
      }
    }
    if (saved.status === 'completed') events.emit('snapshot:created', saved.snapshot);
    return ok({ status: saved.status, snapshot_id: saved.snapshot.id });
  };
  const folder = { path: dataDir, label: 'the data folder' };
  return async (job, ctx) => {
    try {
      runs.enter(job.id);
      try {
        return await run(job, ctx);
      } finally {
        try {
          runs.leave(job.id);
        } catch {
          // Left on a folder that can no longer be written: the next start sweeps it.
        }
      }
    } catch (e) {
      // The data folder refused a write (read-only, full): the machine's doing, and the job
      // waits for it (in-service.ts), rather than an INTERNAL failure blamed on the file.
      const fault = folderFault(e, folder, 'the run', job.file);
      if (fault) return fault;
      throw e;
    }
  };
}
