// The real engine on a temporary database, for the transport tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine, type EngineOptions } from '../../electron/engine/engine.ts';

export interface TestEngine {
  engine: Engine;
  dir: string;
  stop(): Promise<void>;
}

/** The real engine on the database in `dir` (one worker): started again on the same files after a stop. */
export async function engineIn(dir: string, opts: EngineOptions = {}): Promise<Engine> {
  const started = await startEngine({
    dbPath: join(dir, 'gex.duckdb'),
    dataDir: join(dir, 'data'),
    inbox: join(dir, 'inbox'),
    configFile: join(dir, 'no-config.json'),
    workers: 1,
    ...opts,
  });
  if (!started.ok)
    throw new Error(`the engine did not start: ${started.error.code} ${started.error.message}`);
  return started.value;
}

export async function startTestEngine(opts: EngineOptions = {}): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-desk-'));
  const engine = await engineIn(dir, opts);
  return {
    engine,
    dir,
    async stop() {
      await engine.shutdown(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
