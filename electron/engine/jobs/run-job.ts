// What running one ingest job means, handed to the scheduler (which knows nothing of
// GEX): the pipeline in a worker writes the Parquet file, then one transaction of the
// store's urgent lane stores the snapshot and completes the job together — so a
// snapshot exists exactly when its job is completed, even across crashes, and a job
// cancelled meanwhile stores nothing.
import { rmSync } from 'node:fs';
import type { GexConventions } from '../../../shared/domain.ts';
import { PipelineResult, type PipelineOutput } from '../../../shared/pipeline.ts';
import { err, ok } from '../../../shared/result.ts';
import type { EngineEvents } from '../events.ts';
import { completeJobTx } from './repository.ts';
import type { RunJob } from './scheduler.ts';
import type { Store } from '../store/db.ts';
import { saveSnapshot } from '../store/snapshots.ts';
import { recordIngest } from '../store/sources.ts';

class JobNotRunning extends Error {}

export function createRunJob(deps: { store: Store; events: EngineEvents; dataDir: string; conventions: GexConventions }): RunJob {
  const { store, events, dataDir, conventions } = deps;
  return async (job, ctx) => {
    // The job's id names its snapshot, so a run repeated after a crash rewrites the
    // same Parquet file instead of leaving an orphan beside the new one.
    const result = await ctx.pool.run(
      { type: 'run', taskId: job.id, input: { file: job.file, dataDir, snapshotId: job.id, conventions } },
      { onProgress: ctx.onProgress, signal: ctx.signal },
    );
    const parsed = PipelineResult.safeParse(result);
    if (!parsed.success) return err('INTERNAL', `The pipeline worker answered in an unexpected shape: ${parsed.error.message}`);
    if (!parsed.data.ok) {
      await recordIngest(store, job.source, false);
      return parsed.data;
    }
    const output = parsed.data.value as PipelineOutput;
    let saved;
    try {
      saved = await saveSnapshot(store, output, { request_id: job.request_id, job_id: job.id }, async (tx, outcome) => {
        if (!(await completeJobTx(tx, job.id, outcome.snapshot.id, outcome.status))) throw new JobNotRunning();
        await recordIngest(tx, job.source, true);
      });
    } catch (e) {
      if (!(e instanceof JobNotRunning)) throw e;
      rmSync(output.strikesParquet, { force: true });
      return err('CANCELLED', `job ${job.id} was no longer running; its snapshot was not stored`);
    }
    if (saved.status === 'completed') events.emit('snapshot:created', saved.snapshot);
    return ok({ status: saved.status, snapshot_id: saved.snapshot.id });
  };
}
