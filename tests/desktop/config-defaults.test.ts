// The engine's defaults when nothing is configured: pipeline workers leave a core to the
// engine's own process, and DuckDB's threads are the cores the workers leave (config.ts
// explains the measurements).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultWorkers, loadConfig, storeThreads } from '../../electron/engine/config.ts';
import { startEngine } from '../../electron/engine/engine.ts';

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
  // Out of range in the environment: named there, not as "Invalid configuration: workers".
  for (const v of ['0', '100'])
    expect(loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_WORKERS: v })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'GEX_DESK_WORKERS',
        message: `GEX_DESK_WORKERS must be a whole number from 1 to 64, not "${v}"`,
      },
    });
});

it('gives DuckDB the cores the workers leave, at least one', () => {
  expect(storeThreads(1, 2)).toBe(1);
  expect(storeThreads(7, 8)).toBe(1);
  expect(storeThreads(4, 8)).toBe(4);
  expect(storeThreads(12, 8)).toBe(1);
});

it("runs the engine's DuckDB with those threads", async () => {
  const dir = home();
  const started = await startEngine({
    dbPath: join(dir, 'gex.duckdb'),
    configFile: join(dir, 'none.json'),
    workers: 1,
    runJobs: false,
  });
  if (!started.ok) throw new Error(started.error.message);
  const engine = started.value;
  try {
    const row = await engine.store.one<{ t: bigint | number }>(
      "SELECT current_setting('threads') AS t",
    );
    expect(Number(row?.t)).toBe(storeThreads(1));
  } finally {
    await engine.shutdown();
  }
});

it('refuses conventions the pipeline would refuse when the file is loaded, not at its first file', () => {
  const dir = home();
  const configFile = join(dir, 'config.json');
  const refused = (conventions: object) => {
    writeFileSync(configFile, JSON.stringify({ conventions }));
    const r = loadConfig({}, { GEX_DESK_HOME: dir });
    return r.ok ? null : r.error;
  };
  expect(refused({ exchange_time_zone: 'Mars/Olympus' })).toMatchObject({
    code: 'VALIDATION',
    message: `The config file ${configFile}: conventions.exchange_time_zone: "Mars/Olympus" is not a time zone`,
    field: 'conventions.exchange_time_zone',
  });
  expect(refused({ profile_low: 1.3 })?.message).toBe(
    `The config file ${configFile}: conventions.profile_low must be below profile_high`,
  );
  expect(refused({ exchange_time_zone: 'Europe/London', rate: 0.05 })).toBeNull();
  const loaded = loadConfig({}, { GEX_DESK_HOME: dir });
  expect(loaded.ok && loaded.value.conventions).toMatchObject({
    exchange_time_zone: 'Europe/London',
    rate: 0.05,
    profile_points: 60,
  });
});

it('says a misspelt setting, with the ones there are, instead of ignoring it', () => {
  const dir = home();
  const configFile = join(dir, 'config.json');
  const refused = (settings: object) => {
    writeFileSync(configFile, JSON.stringify(settings));
    const r = loadConfig({}, { GEX_DESK_HOME: dir });
    return r.ok ? null : r.error.message;
  };
  expect(refused({ wrokers: 2 })).toBe(
    `The config file ${configFile}: no setting "wrokers"; the settings here are dbPath, dataDir, inbox, workers, workerHeapMb, latencyWindowMs, maxUploadBytes, limits, keepStagedHours, conventions, attach`,
  );
  expect(refused({ conventions: { exchange_timezone: 'Europe/London' } })).toBe(
    `The config file ${configFile}: conventions: no setting "exchange_timezone"; the settings here are contract_multiplier, move, day_count, rate, dividend_yield, profile_points, profile_low, profile_high, exchange_time_zone`,
  );
  expect(refused({ limits: { maxRow: 5, maxCols: 3 } })).toBe(
    `The config file ${configFile}: limits: no settings "maxRow", "maxCols"; the settings here are maxFileBytes, maxColumns, maxRows, maxLineBytes`,
  );
  // What the app itself keeps there is a setting.
  expect(refused({ workers: 1, inbox: 'in', limits: { maxRows: 5 } })).toBeNull();
});
