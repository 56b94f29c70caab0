// Builds the renderer alone (no Electron bundles) into out/renderer when it is
// missing or older than its sources: `gex-desk serve` right after `npm install`
// needs no build step, and the e2e tests always drive the current UI.
// A build never empties the folder: a running `gex-desk serve` may still serve the
// previous build to an open tab, whose lazily loaded chunks have the old hashed names;
// assets no build has written for a week are removed.
// Runnable by hand: `node electron/host/renderer-build.ts [--force]`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'out/renderer/index.html');
const SOURCES = [
  'renderer',
  'shared',
  'electron.vite.config.ts',
  'electron/host/http/csp.ts',
  'package-lock.json',
];

function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

export function rendererIsStale(): boolean {
  if (!existsSync(OUT)) return true;
  const built = statSync(OUT).mtimeMs;
  return SOURCES.some((s) => newest(join(ROOT, s)) > built);
}

export const RENDERER_DIR = join(ROOT, 'out/renderer');

/** How long an asset no build wrote again is kept for tabs opened on an earlier build. */
export const KEEP_OLD_ASSETS_MS = 7 * 24 * 3600_000;

/** Removes the assets of earlier builds that no build has written for KEEP_OLD_ASSETS_MS. */
export function pruneOldAssets(now = Date.now()): string[] {
  const dir = join(RENDERER_DIR, 'assets');
  const removed: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    if (st?.isFile() && now - st.mtimeMs > KEEP_OLD_ASSETS_MS) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

export async function buildRenderer(force = false): Promise<void> {
  if (!force && !rendererIsStale()) return;
  // Always the production bundle `serve` ships, also under a test runner: vitest sets
  // NODE_ENV=test, which would otherwise bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    const { rendererConfig } = await import('../../electron.vite.config.ts');
    await build({
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      ...rendererConfig,
      build: { ...rendererConfig.build, emptyOutDir: false },
    });
    pruneOldAssets();
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

/**
 * The same build in a process of its own: the bundler's memory (0.7 GB of it) goes with
 * that process instead of staying with a long-lived `serve` for its whole life. Its
 * output is kept for the error, whose last lines say what failed.
 */
export function buildRendererApart(force = false): Promise<void> {
  return new Promise((done, failed) => {
    const args = [fileURLToPath(import.meta.url), ...(force ? ['--force'] : [])];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    const keep = (b: Buffer) => (said = (said + b.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', failed);
    child.on('exit', (code, signal) =>
      code === 0
        ? done()
        : failed(
            new Error(`${said.trim().split('\n').slice(-5).join('\n')} (exit ${code ?? signal})`),
          ),
    );
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildRenderer(process.argv.includes('--force'));
}
