// The engine's defaults when nothing is configured: pipeline workers leave a core to the
// engine's own process (config.ts explains the measurement).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultWorkers, loadConfig } from '../../electron/engine/config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const home = () => {
  const d = mkdtempSync(join(tmpdir(), 'gex-config-'));
  dirs.push(d);
  return d;
};

it('runs one pipeline worker per core but one, never none', () => {
  expect(defaultWorkers(1)).toBe(1);
  expect(defaultWorkers(2)).toBe(1);
  expect(defaultWorkers(8)).toBe(7);
  const loaded = loadConfig({}, { GEX_DESK_HOME: home() });
  if (!loaded.ok) throw new Error(loaded.error.message);
  expect(loaded.value.workers).toBe(Math.max(1, availableParallelism() - 1));
});

it('takes the configured number of workers over the default: file, then environment', () => {
  const dir = home();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ workers: 5 }));
  const fromFile = loadConfig({}, { GEX_DESK_HOME: dir });
  expect(fromFile.ok && fromFile.value.workers).toBe(5);
  const fromEnv = loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_WORKERS: '3' });
  expect(fromEnv.ok && fromEnv.value.workers).toBe(3);
});
