// Shared by the pipeline tests that run whole files: the real pipeline on a file with the
// default conventions, its output under `dir`, as a result, a value, or a refusal.
import { join } from 'node:path';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { conventions } from './helpers.ts';

export function pipelineOn(dir: string) {
  const result = (file: string) =>
    runPipeline({
      file,
      dataDir: join(dir, 'out'),
      snapshotId: `t${Math.random().toString(36).slice(2)}`,
      conventions: conventions(),
    });
  return {
    result,
    /** The run's value; throws with the error when the file was refused. */
    async value(file: string) {
      const r = await result(file);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    },
    /** The refusal; throws when the file was read. */
    async failure(file: string) {
      const r = await result(file);
      if (r.ok) throw new Error(`${file} was read`);
      return r.error;
    },
  };
}
