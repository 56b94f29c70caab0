// Which GEX Desk program runs the engine of a database, from its discovery file (a live
// process): the words of a launch that finds the database held by it — a second `serve`,
// the desktop app beside `serve` — instead of a bare "in use by another process".
// Its discovery file is looked for in `home`, then in the user folder the mark beside the
// database names (db-mark.ts).
import { homesOf } from './db-mark.ts';
import { discoveryFile, processAlive, readDiscovery, type Discovery } from './discovery.ts';

/** "gex-desk serve, PID 123" or "the desktop app, PID 123"; null when no engine runs on `dbPath`. */
export function whoRuns(home: string, dbPath: string): string | null {
  const d = homesOf(home, dbPath)
    .map((h) => readDiscovery(discoveryFile(h, dbPath)))
    .find((x): x is Discovery => x !== null && processAlive(x.pid));
  if (!d) return null;
  const program =
    d.host === 'serve' ? 'gex-desk serve' : d.host === 'desktop' ? 'the desktop app' : d.host;
  return `${program}, PID ${d.pid}`;
}
