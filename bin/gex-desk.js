#!/usr/bin/env node
// The `gex-desk` command. Node 22.18+ strips TypeScript types itself, so the CLI runs
// from source with no build step after `npm install`.
//
// Node's compile cache keeps V8's compiled code of every module (ours and the
// dependencies') in the per-user cache folder, so that a command started again skips
// compiling them. It is filled by the first run of a clean clone, and keyed by each
// file's content, so an edit or an update is never served stale code. NODE_COMPILE_CACHE
// (another folder) and NODE_DISABLE_COMPILE_CACHE=1 are honoured as Node documents.
import module from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { tooOld } from './node-version.js';

// Exit 3: the environment failed (CONTRACTS.md), not the analyst's input.
const old = tooOld(process.versions.node, process.execPath);
if (old) {
  process.stderr.write(`${old}\n`);
  process.exit(3);
}

function cacheRoot() {
  const env = process.env;
  // A base folder set empty or relative counts as not set (the XDG spec's rule).
  const base = (v) => (v && isAbsolute(v) ? v : undefined);
  if (process.platform === 'win32')
    return join(base(env.LOCALAPPDATA) ?? join(homedir(), 'AppData', 'Local'), 'gex-desk', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'gex-desk');
  return join(base(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache'), 'gex-desk');
}

// Before the first import of our code: only modules loaded after this are cached. Set
// in the environment too, so that the pipeline workers this process forks use it.
process.env.NODE_COMPILE_CACHE ||= join(cacheRoot(), 'compile-cache');
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);

// Our modules' stripped JavaScript (ts-cache.js), here and in the pipeline workers this
// process forks. Off with the compile cache (NODE_DISABLE_COMPILE_CACHE=1), or with
// GEX_DESK_TS_CACHE set to an empty string.
if (process.env.GEX_DESK_TS_CACHE === undefined && !process.env.NODE_DISABLE_COMPILE_CACHE)
  process.env.GEX_DESK_TS_CACHE = join(cacheRoot(), 'ts');
if (process.env.GEX_DESK_TS_CACHE) {
  const hook = new URL('./ts-cache.js', import.meta.url).href;
  await import(hook);
  const options = process.env.NODE_OPTIONS ?? '';
  if (!options.includes(hook)) process.env.NODE_OPTIONS = `${options} --import=${hook}`.trim();
}

const { main } = await import('../electron/host/cli.ts');
process.exitCode = await main(process.argv.slice(2));
