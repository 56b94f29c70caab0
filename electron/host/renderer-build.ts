// Builds the renderer alone (no Electron bundles) into out/renderer when it is
// missing or older than its sources: `gex-desk serve` right after `npm install`
// needs no build step, and the e2e tests always drive the current UI.
// Runnable by hand: `node electron/host/renderer-build.ts [--force]`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export async function buildRenderer(force = false): Promise<void> {
  if (!force && !rendererIsStale()) return;
  // Always the production bundle `serve` ships, also under a test runner: vitest sets
  // NODE_ENV=test, which would otherwise bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    const { rendererConfig } = await import('../../electron.vite.config.ts');
    await build({ configFile: false, logLevel: 'warn', mode: 'production', ...rendererConfig });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildRenderer(process.argv.includes('--force'));
}
