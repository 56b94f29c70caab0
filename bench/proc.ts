// What the benches share: running a fresh process and timing it from the outside, medians,
// the SPX sample, the numpy reference's interpreter, and the figures an e2e file measures.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SPX_SAMPLE = resolve(REPO, '../shared/samples/spx_quotedata_2024-01-07.csv');
export const BIN = resolve(REPO, 'bin/gex-desk.js');

export interface Ran {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end; `ms` is the wall time from spawn to exit, as a user sees it.
 * `env` is added to this process's environment, or is the whole of it when not `inherit`.
 */
export function timed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  inherit = true,
): Promise<Ran> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: REPO,
      env: inherit ? { ...process.env, ...env } : env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

/** Like `timed`, but a failure is an error naming the command and its stderr. */
export async function mustRun(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  const r = await timed(cmd, args, env);
  if (r.code !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** The environment of a `gex-desk` command on the desk `home` (GEX_DESK_HOME), the caller's own GEX_DESK_ settings left out. */
export function deskEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GEX_DESK_')) env[k] = v;
  return { ...env, GEX_DESK_HOME: home };
}

/** Runs `gex-desk ARGS` on the desk `home` to its end: its stdout, or an error with its stderr. */
export async function gexOn(home: string, args: string[]): Promise<string> {
  const r = await timed(process.execPath, [BIN, ...args], deskEnv(home), false);
  if (r.code !== 0) throw new Error(`${args[0]} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * A Python with numpy and pandas, or null: the system's first (Debian's python3-pandas lives
 * beside /usr/bin/python3), then the one on PATH. Not the other way: a newer pandas
 * pip-installed on PATH (pandas 3 under pyenv here, 2026-12-07) made the reference take
 * 1.16 s against the system's 0.55 s, which would flatter the cold ratio.
 */
export function findPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import numpy, pandas'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

/** Peak resident memory of a live process (Linux VmHWM), in MB; null elsewhere. */
export function peakRssMb(pid: number): number | null {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return null;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

/**
 * Runs an e2e test file that measures the UI in Chromium and writes its figures to
 * `test-results/NAME` (a timing goal is judged by the bench, not by the test, which a
 * loaded machine would fail at random), and gives those figures.
 */
export function e2eFigures<T>(testFile: string, name: string): T {
  const results = resolve(REPO, 'test-results', name);
  rmSync(results, { force: true });
  const run = spawnSync('npx', ['vitest', 'run', testFile], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`${testFile} failed (exit ${run.status})`);
  return JSON.parse(readFileSync(results, 'utf8')) as T;
}
