// Whether another process can open a DuckDB file right now: the question a user's next
// `gex-desk` command asks after the app failed to start. Synchronous on purpose, so
// that it can be asked from inside a (synchronous, modal) dialog call.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const DUCKDB = pathToFileURL(createRequire(import.meta.url).resolve('@duckdb/node-api')).href;

export function dbIsFree(path: string): boolean {
  const script = `import { DuckDBInstance } from ${JSON.stringify(DUCKDB)};
try { const db = await DuckDBInstance.create(${JSON.stringify(path)}); db.closeSync(); console.log('free'); }
catch (e) { console.log(/lock/i.test(String(e)) ? 'locked' : 'error: ' + e); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  }).trim();
  if (out !== 'free' && out !== 'locked') throw new Error(out);
  return out === 'free';
}

/** Another process holding the database, until it is killed. */
export async function holdDb(path: string): Promise<ChildProcess> {
  const script = `import { DuckDBInstance } from ${JSON.stringify(DUCKDB)};
const db = await DuckDBInstance.create(${JSON.stringify(path)}); await db.connect(); console.log('holding'); setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}
