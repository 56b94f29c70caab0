// Build of the three Electron bundles and of the renderer, which the browser host
// (`gex-desk serve`) also serves. Native addons stay outside the bundle (they are
// unpacked from the asar by electron-builder.yml); the pipeline worker and the copier are
// entries of their own so that the desktop app can start them as Electron utility processes, and
// the rule analysis's worker thread is its own entry (out/main/rules-worker.js). The
// preload imports only shared/channels.ts and types, so its bundle has no zod.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/host/http/csp.ts';

const root = import.meta.dirname;
const NATIVE = [/^@duckdb\//, /^nodejs-polars/, /\.node$/];

/** Puts the production CSP into index.html's meta tag; the dev server (HMR) needs a looser one. */
function cspMeta(): Plugin {
  let dev = false;
  return {
    name: 'gex-csp-meta',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const csp = dev
        ? contentSecurityPolicy({
            extra: { 'script-src': "'unsafe-inline'", 'connect-src': 'ws: http://localhost:*' },
          })
        : contentSecurityPolicy();
      return html.replace('%GEX_CSP%', csp);
    },
  };
}

const workerEntry = resolve(root, 'electron/engine/workers/pipeline-worker.ts');
const mainInput: Record<string, string> = { index: resolve(root, 'electron/main/index.ts') };
if (existsSync(workerEntry)) mainInput['pipeline-worker'] = workerEntry;
// The copier (the capture of a file on a network share) runs as a utility process too.
const copierEntry = resolve(root, 'electron/engine/intake/copier-process.ts');
if (existsSync(copierEntry)) mainInput.copier = copierEntry;
// The rule analysis's worker thread (electron/engine/rules/analysis.ts), started by the engine.
mainInput['rules-worker'] = resolve(root, 'electron/engine/rules/analysis-worker.ts');

/** The renderer on its own: electron-vite builds it with the rest, tests build it alone with vite. */
export const rendererConfig = {
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react(), cspMeta()],
  worker: { format: 'es' as const },
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    minify: true,
    rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
  },
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: { input: mainInput, external: NATIVE },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() packages: bundle everything into one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
