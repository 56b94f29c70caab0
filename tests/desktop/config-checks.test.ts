// What the real config loader refuses and how it says so: the GEX_DESK_* variables read
// through one parser (empty is unset, a bad value named), a config file named by
// GEX_DESK_CONFIG that is not there, a folder where the file should be, a byte-order
// mark, numbers past what a date can hold, and where each path setting came from.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig, saveConfigValue } from '../../electron/engine/config.ts';
import { connectTimeoutMs } from '../../electron/host/cli/find-engine.ts';
import { lockWaitMs } from '../../electron/host/local/wait-for-command.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const home = () => {
  const d = mkdtempSync(join(tmpdir(), 'gex-config-'));
  dirs.push(d);
  return d;
};
const message = (r: ReturnType<typeof loadConfig>) => (r.ok ? null : r.error.message);

it('reads the timeout variables as the others: empty is unset, a bad value is refused naming it', () => {
  const dir = home();
  // Empty: the default (the lock wait was 0 s, "after 0 s of waiting").
  expect(lockWaitMs({ GEX_DESK_LOCK_WAIT_MS: '' })).toBe(120_000);
  expect(connectTimeoutMs({ GEX_DESK_CONNECT_TIMEOUT_MS: '' })).toBe(5_000);
  expect(lockWaitMs({ GEX_DESK_LOCK_WAIT_MS: '0' })).toBe(0);
  expect(lockWaitMs({ GEX_DESK_LOCK_WAIT_MS: '300' })).toBe(300);
  expect(loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_LOCK_WAIT_MS: '' }).ok).toBe(true);
  // Not a number: refused by every command (loadConfig), not silently the default.
  for (const [name, v, range] of [
    ['GEX_DESK_LOCK_WAIT_MS', 'abc', '0 to 2147483647'],
    ['GEX_DESK_LOCK_WAIT_MS', '1.5', '0 to 2147483647'],
    ['GEX_DESK_LOCK_WAIT_MS', ' ', '0 to 2147483647'],
    ['GEX_DESK_CONNECT_TIMEOUT_MS', 'abc', '1 to 2147483647'],
    ['GEX_DESK_CONNECT_TIMEOUT_MS', '0', '1 to 2147483647'],
    ['GEX_DESK_PROGRESS_MS', '0', '1 to 2147483647'],
    ['GEX_DESK_PROGRESS_MS', '10s', '1 to 2147483647'],
    ['GEX_DESK_WORKERS', 'abc', '1 to 64'],
    // What Number() would take: a hex, an exponent, a fraction point, spaces around.
    ['GEX_DESK_LOCK_WAIT_MS', '0x10', '0 to 2147483647'],
    ['GEX_DESK_LOCK_WAIT_MS', '1e3', '0 to 2147483647'],
    ['GEX_DESK_WORKERS', '2.0', '1 to 64'],
    ['GEX_DESK_WORKERS', ' 2 ', '1 to 64'],
    ['GEX_DESK_WORKERS', '0b1', '1 to 64'],
  ] as const)
    expect(loadConfig({}, { GEX_DESK_HOME: dir, [name]: v })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: name,
        message: `${name} must be a whole number from ${range}, not "${v}"`,
      },
    });
});

it('treats the path variables set empty as unset', () => {
  const dir = home();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ workers: 3 }));
  const r = loadConfig(
    {},
    {
      GEX_DESK_HOME: dir,
      GEX_DESK_CONFIG: '',
      GEX_DESK_DB: '',
      GEX_DESK_DATA_DIR: '',
      GEX_DESK_INBOX: '',
    },
  );
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value).toMatchObject({
    workers: 3,
    configFile: join(dir, 'config.json'),
    dbPath: join(dir, 'gex-desk.duckdb'),
    dataDir: join(dir, 'data'),
    inbox: join(dir, 'inbox'),
  });
});

it('refuses a config file named by GEX_DESK_CONFIG that is not there; the per-user one may be absent', () => {
  const dir = home();
  const named = join(dir, 'desk.json');
  expect(loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_CONFIG: named })).toMatchObject({
    ok: false,
    error: {
      code: 'VALIDATION',
      field: 'GEX_DESK_CONFIG',
      message: `GEX_DESK_CONFIG names the config file ${named}, which does not exist: create it, or unset GEX_DESK_CONFIG to use the per-user file ${join(dir, 'config.json')}`,
    },
  });
  expect(loadConfig({}, { GEX_DESK_HOME: dir }).ok).toBe(true);
  writeFileSync(named, JSON.stringify({ conventions: { rate: 0.05 } }));
  const r = loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_CONFIG: named });
  expect(r.ok && r.value.conventions.rate).toBe(0.05);
});

it('says a config file that is a folder is a folder, not that it is not valid JSON', () => {
  const dir = home();
  mkdirSync(join(dir, 'config.json'));
  expect(message(loadConfig({}, { GEX_DESK_HOME: dir }))).toBe(
    `The config file ${join(dir, 'config.json')} is a folder, not a file: name the JSON file in it`,
  );
  const other = join(dir, 'settings');
  mkdirSync(other);
  expect(message(loadConfig({}, { GEX_DESK_HOME: dir, GEX_DESK_CONFIG: other }))).toBe(
    `The config file ${other} (GEX_DESK_CONFIG) is a folder, not a file: name the JSON file in it`,
  );
});

it('reads a config file that starts with a byte-order mark (Windows Notepad), and keeps it readable when a setting is saved', () => {
  const dir = home();
  const file = join(dir, 'config.json');
  writeFileSync(file, '\uFEFF' + JSON.stringify({ workers: 2, conventions: { rate: 0.05 } }));
  const r = loadConfig({}, { GEX_DESK_HOME: dir });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.workers).toBe(2);
  expect(saveConfigValue(file, 'inbox', join(dir, 'in')).ok).toBe(true);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
    workers: 2,
    conventions: { rate: 0.05 },
    inbox: join(dir, 'in'),
  });
});

it('refuses a latency window or a staging time no date can hold (queue failed: "Invalid time value")', () => {
  const dir = home();
  const file = join(dir, 'config.json');
  const refused = (settings: object) => {
    writeFileSync(file, JSON.stringify(settings));
    return message(loadConfig({}, { GEX_DESK_HOME: dir }));
  };
  expect(refused({ latencyWindowMs: 9007199254740991 })).toBe(
    `The config file ${file}: latencyWindowMs: at most 31536000000 (a year)`,
  );
  expect(refused({ latencyWindowMs: 8.7e15 })).not.toBeNull();
  expect(refused({ keepStagedHours: 1e13 })).toBe(
    `The config file ${file}: keepStagedHours: at most 87840 (ten years)`,
  );
  expect(refused({ latencyWindowMs: 31536000000, keepStagedHours: 87840 })).toBeNull();
});

it('notes where each path setting came from: the file and its key, the variable, the flag', () => {
  const dir = home();
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dbPath: 'a.duckdb', dataDir: 'd', inbox: 'i' }));
  const fromFile = loadConfig({}, { GEX_DESK_HOME: dir });
  expect(fromFile.ok && fromFile.value.origins).toEqual({
    dbPath: `dbPath in ${file}`,
    dataDir: `dataDir in ${file}`,
    inbox: `inbox in ${file}`,
  });
  const fromEnv = loadConfig(
    { dbPath: join(dir, 'b.duckdb') },
    { GEX_DESK_HOME: dir, GEX_DESK_DATA_DIR: join(dir, 'e') },
  );
  expect(fromEnv.ok && fromEnv.value.origins).toEqual({
    dbPath: '--db',
    dataDir: 'GEX_DESK_DATA_DIR',
    inbox: `inbox in ${file}`,
  });
  const none = loadConfig({}, { GEX_DESK_HOME: home() });
  expect(none.ok && none.value.origins).toEqual({});
  // A blank path given to the loader itself is never the current folder.
  expect(message(loadConfig({ dataDir: '' }, { GEX_DESK_HOME: dir }))).toBe(
    '--data-dir needs a path, not ""',
  );
});
