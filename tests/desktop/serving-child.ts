// A real engine with its local endpoint, in a child process, as `gex-desk serve` runs one:
// what a second launch on the same database finds holding it. Usage: node serving-child.ts
// HOME DIR [--watch-inbox] (DIR holds the database, the data folder and the inbox, watched
// with --watch-inbox); prints "serving" once up.
import { join } from 'node:path';
import { startEngine } from '../../electron/engine/engine.ts';
import { serveLocal } from '../../electron/host/local/endpoint.ts';

const [home, dir] = process.argv.slice(2) as [string, string];
const started = await startEngine({
  dbPath: join(dir, 'gex.duckdb'),
  dataDir: join(dir, 'data'),
  inbox: join(dir, 'inbox'),
  configFile: join(dir, 'config.json'),
  workers: 1,
  watchInbox: process.argv[4] === '--watch-inbox',
});
if (!started.ok) throw new Error(started.error.message);
await serveLocal(started.value, { home, host: 'serve' });
console.log('serving');
setInterval(() => undefined, 1 << 30);
