// Preloaded (`node --import`) by the cold-start test: writes every module the process
// loads (ESM and CommonJS alike) to the file named by GEX_MODULE_TRACE, at exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded: string[] = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.GEX_MODULE_TRACE!, loaded.join('\n')));
