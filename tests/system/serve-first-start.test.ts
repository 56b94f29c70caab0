// A command during `gex-desk serve`'s first start after an install or an update, while it
// builds the UI (tens of seconds): CONTRACTS says every command works beside a running
// serve. serve opened the database, then built, and put up its local endpoint only
// after the build, so a command found the database held by an engine "starting" past its
// 1.5 s grace and exited 3 (DB_LOCKED). The endpoint is now up once the engine has
// started: the command is handed to serve, exit 0, while the build goes on.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../electron/host/renderer-build.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, runCli } from '../cli/run-cli.ts';
import { dbIsFree } from '../desktop/db-lock.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('a command while gex-desk serve builds the UI', () => {
  it('is handed to serve (exit 0), not refused as DB_LOCKED', { timeout: 300_000 }, async () => {
    await buildRenderer(); // a build to make stale (none in a fresh checkout)
    const dir = mkdtempSync(join(tmpdir(), 'gex-first-start-'));
    const home = join(dir, 'home');
    const db = join(dir, 'gex.duckdb');
    const chain = join(dir, 'spx.csv');
    writeCboeCsv(chain, { seed: 71, expiries: 2, strikesPerExpiry: 10 });
    // The UI's sources look newer than its build, as after an update: serve builds it.
    const page = join(repoRoot, 'out/renderer/index.html');
    const built = statSync(page);
    utimesSync(page, built.atime, new Date(2000, 0, 1));
    const serve = spawn(process.execPath, [BIN, 'serve', '--db', db], {
      cwd: repoRoot,
      env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(serve);
    let stdout = '';
    let stderr = '';
    serve.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const building = new Promise<void>((resolve, reject) => {
      serve.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Building the user interface')) resolve();
      });
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    try {
      await building;
      const r = await runCli(['ingest', chain, '--json', '--db', db], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines[0]).toMatchObject({ status: 'completed' });
      // Still building (no address yet), and serve holds the database: it went through serve.
      expect(stdout).toBe('');
      expect(dbIsFree(db)).toBe(false);
      const listening = await new Promise<boolean>((resolve) => {
        const check = () => /GEX Desk at http:\/\/127\.0\.0\.1:\d+\//.test(stdout);
        if (check()) return resolve(true);
        serve.stdout!.on('data', () => check() && resolve(true));
        serve.once('exit', () => resolve(false));
      });
      expect(listening, stderr).toBe(true);
    } finally {
      if (statSync(page).mtimeMs < built.mtimeMs) utimesSync(page, built.atime, built.mtime);
      serve.kill('SIGTERM');
      await new Promise((resolve) =>
        serve.exitCode !== null || serve.signalCode !== null
          ? resolve(null)
          : serve.once('exit', resolve),
      );
    }
  });
});
