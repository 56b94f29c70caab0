// Preloaded (`node --import`) by the cold-start test: writes every module the process
// loads (ESM and CommonJS alike) to the file named by GEX_MODULE_TRACE, at exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded: string[] = [];
// Recorded as resolved: a later hook may load a module itself without asking this one
// (bin/ts-cache.js serves our stripped TypeScript from its cache).
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    loaded.push(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(process.env.GEX_MODULE_TRACE!, loaded.join('\n')));
