// The per-user folder is the user's alone (README, "Who may read it"): made 0700 whatever
// the umask, by whichever command makes it first. Before, only `gex-desk inbox` (through
// the config file) made it 0700; `ingest` and `serve` in a new home made it 0755 through
// the data folder (QA sec2 N5), and every export under it and DuckDB's WAL (0644 until
// the burst's end) were open to every account. The real command, from a fresh HOME.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, runCli } from './run-cli.ts';

const mode = (path: string) => statSync(path).mode & 0o777;
let umask = 0;
let dir = '';
beforeAll(() => {
  umask = process.umask(0o022); // the children take it
  dir = mkdtempSync(join(tmpdir(), 'gex-user-mode-'));
});
afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

/** A new home: nothing of GEX Desk's there, the per-user folder found the default way. */
function freshHome(name: string): { env: NodeJS.ProcessEnv; own: string } {
  const home = join(dir, name);
  return {
    env: { HOME: home, GEX_DESK_HOME: '', XDG_CONFIG_HOME: '', XDG_CACHE_HOME: '' },
    own: join(home, '.config', 'gex-desk'),
  };
}

describe.runIf(process.platform === 'linux')('the per-user folder, under umask 022', () => {
  it('is made 0700 by `ingest`, the first command in a new home', async () => {
    const { env, own } = freshHome('ingest');
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { seed: 3, expiries: 2, strikesPerExpiry: 10 });
    const ran = await runCli(['ingest', file], { env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(mode(own)).toBe(0o700);
    expect(mode(join(own, 'gex-desk.duckdb'))).toBe(0o600);
  });

  it('is made 0700 by `serve`, the first command in a new home', async () => {
    const { env, own } = freshHome('serve');
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: repoRoot,
      env: { ...process.env, GEX_DESK_WORKERS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('GEX Desk at') && resolve(true));
      child.on('exit', () => resolve(false));
    });
    expect(listening, stderr).toBe(true);
    try {
      expect(mode(own)).toBe(0o700);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });
});
