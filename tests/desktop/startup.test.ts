// A launch that fails never leaves the app half up: with the real engine, when the
// engine cannot start (a bad config file, the database held by another process) or a
// later step throws (the window), the user gets a dialog saying why, the database is
// already released when it shows, the app exits with 3, and nothing rejects unhandled.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../shared/result.ts';
import { startEngine } from '../../electron/engine/engine.ts';
import { launchOrExit, START_FAILED_TITLE, type Launch } from '../../electron/main/startup.ts';
import { whoRuns } from '../../electron/host/local/running-engine.ts';
import { dbIsFree, holdDb } from './db-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'gex-startup-'));
let dir: string;
let n = 0;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeEach(() => {
  dir = join(root, String(++n));
  mkdirSync(dir, { recursive: true });
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const paths = () => ({
  dbPath: join(dir, 'gex.duckdb'),
  dataDir: join(dir, 'data'),
  inbox: join(dir, 'inbox'),
  configFile: join(dir, 'config.json'),
});

/** The shell's side, recording what the user would see and whether the database was free then. */
function shell() {
  const seen = {
    dialogs: [] as { title: string; message: string; dbFree: boolean }[],
    exits: [] as number[],
    logs: [] as string[],
  };
  return {
    seen,
    shell: {
      showError: (title: string, message: string) =>
        seen.dialogs.push({ title, message, dbFree: dbIsFree(paths().dbPath) }),
      exit: (code: number) => void seen.exits.push(code),
      log: (event: string) => void seen.logs.push(event),
    },
  };
}

/** The desktop launch's shape: the engine first, then the steps that may throw. */
const launchThat =
  (after: () => void): Launch =>
  async (started) => {
    const s = await startEngine({ ...paths(), workers: 1, prewarm: 0 });
    if (!s.ok) return s;
    started(s.value);
    after();
    return ok(undefined);
  };

/** A launch whose engine does not start; what the user saw. */
async function failsToStart() {
  const { seen, shell: sh } = shell();
  expect(
    await launchOrExit(
      launchThat(() => undefined),
      sh,
    ),
  ).toBe(false);
  return seen;
}

describe('a failed launch', () => {
  it('after the engine started: shuts it down before the dialog, then exits 3', async () => {
    const { seen, shell: sh } = shell();
    const up = await launchOrExit(
      launchThat(() => {
        throw new Error('Failed to create the window: no display');
      }),
      sh,
    );
    expect(up).toBe(false);
    expect(seen.dialogs).toEqual([
      { title: START_FAILED_TITLE, message: expect.stringContaining('no display'), dbFree: true },
    ]);
    expect(seen.exits).toEqual([3]);
    expect(seen.logs).toEqual(['launch.failed']);
  });

  it('when the engine cannot start (a bad config file): says which file and why, exits 3', async () => {
    writeFileSync(paths().configFile, '{ "workers": "many" ');
    const seen = await failsToStart();
    expect(seen.dialogs[0]!.message).toContain(paths().configFile);
    expect(seen.dialogs[0]!.message).toContain('not valid JSON');
    expect(seen.exits).toEqual([3]);
  });

  it('when another process holds the database: says so, with what to do', async () => {
    const holder = await holdDb(paths().dbPath);
    try {
      const seen = await failsToStart();
      expect(seen.dialogs[0]!.message).toMatch(
        /in use by another process \(PID \d+\): another GEX Desk .* or another program/,
      );
      expect(seen.dialogs[0]!.message).toContain('Close the other program');
      expect(seen.exits).toEqual([3]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('when GEX Desk already runs on the database (gex-desk serve): says which program, and its PID', async () => {
    const home = join(dir, 'home');
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'serving-child.ts'), home, dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('serving') && resolve());
        child.once('exit', (code) => reject(new Error(`the serving child exited with ${code}`)));
      });
      const { seen, shell: sh } = shell();
      const up = await launchOrExit(
        launchThat(() => undefined),
        {
          ...sh,
          whoRuns: (db) => whoRuns(home, db),
        },
      );
      expect(up).toBe(false);
      expect(seen.dialogs[0]!.message).toBe(
        `GEX Desk already runs on the database ${paths().dbPath} (gex-desk serve, PID ${child.pid}).\n\nUse that one, or stop it and start GEX Desk again.`,
      );
      expect(seen.exits).toEqual([3]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('still exits when the dialog itself fails', async () => {
    const { seen, shell: sh } = shell();
    const up = await launchOrExit(
      launchThat(() => {
        throw new Error('boom');
      }),
      {
        ...sh,
        showError: () => {
          throw new Error('no dialog without a display');
        },
      },
    );
    expect(up).toBe(false);
    expect(seen.exits).toEqual([3]);
    expect(seen.logs).toEqual(['launch.failed', 'launch.dialog_failed']);
    expect(dbIsFree(paths().dbPath)).toBe(true);
  });

  it('a launch that succeeds leaves the engine to the app', async () => {
    const { seen, shell: sh } = shell();
    let engine: { shutdown(ms?: number): Promise<void> } | null = null;
    const up = await launchOrExit(async (started) => {
      const s = await startEngine({ ...paths(), workers: 1, prewarm: 0 });
      if (!s.ok) return s;
      engine = s.value;
      started(s.value);
      return ok(undefined);
    }, sh);
    expect(up).toBe(true);
    expect(seen).toEqual({ dialogs: [], exits: [], logs: [] });
    expect(dbIsFree(paths().dbPath)).toBe(false);
    await engine!.shutdown();
    expect(dbIsFree(paths().dbPath)).toBe(true);
  });
});
