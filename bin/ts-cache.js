// Node strips our TypeScript's types itself, but does it again at every start: for a cold
// `gex-desk ingest` that was the largest part of loading our code (the engine's modules
// 400 → 165 ms, a pipeline worker's 220 → 70 ms; docs/performance.md). This load hook
// keeps each stripped module in a per-user folder, keyed by the SHA-1 of its TypeScript
// (and of Node's version, whose stripper made it), so an edited or updated file is
// stripped again and never served stale. Stripping keeps every line and column where it
// was, so stack traces point at the source as before.
//
// Active when GEX_DESK_TS_CACHE names a folder (bin/gex-desk.js sets it and passes this
// hook on to the pipeline workers through NODE_OPTIONS) and Node has synchronous load
// hooks (22.15 and later); otherwise Node loads the files as usual.
import module from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.GEX_DESK_TS_CACHE;

/** The module's JavaScript, from the cache or stripped now and kept; null to let Node strip it. */
function stripped(ts) {
  const key = createHash('sha1').update(process.version).update('\0').update(ts).digest('hex');
  const file = join(dir, `${key}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // not stripped yet
  }
  let js;
  try {
    js = quietly(() => module.stripTypeScriptTypes(ts, { mode: 'strip' }));
  } catch {
    return null; // Node's own loader reports the error, as it would have
  }
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, js);
    renameSync(tmp, file); // whole or not at all, whichever process writes it first
  } catch {
    // a read-only or full cache folder only costs the next start the stripping again
  }
  return js;
}

/** Without Node's "experimental" warning for stripTypeScriptTypes, which it prints on stderr. */
function quietly(fn) {
  const emit = process.emitWarning;
  process.emitWarning = (w, ...rest) =>
    String(w).includes('stripTypeScriptTypes') ? undefined : emit.call(process, w, ...rest);
  try {
    return fn();
  } finally {
    process.emitWarning = emit;
  }
}

if (dir && module.registerHooks && module.stripTypeScriptTypes) {
  module.registerHooks({
    load(url, context, nextLoad) {
      // Our own modules only: Node refuses TypeScript under node_modules, and that is left
      // to it. Node's own load is not asked first: for a `.ts` file it strips the types
      // itself to find the module's format (62 ms of a cold engine start in a profile).
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/'))
        return nextLoad(url, context);
      const source = stripped(readFileSync(fileURLToPath(url), 'utf8'));
      return source === null
        ? nextLoad(url, context)
        : { format: 'module', source, shortCircuit: true };
    },
  });
}
