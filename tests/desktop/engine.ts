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

export async function startTestEngine(opts: EngineOptions = {}): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-desk-'));
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
  const engine = started.value;
  return {
    engine,
    dir,
    async stop() {
      await engine.shutdown(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
