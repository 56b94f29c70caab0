// Which port `gex-desk serve` listens on when --port is not given: the one it served this
// database on last time, when it is free, else any free one (kept for next time). A
// browser keeps what a page stores — the analyst's unsaved rule draft, the Rules view's
// side tab — per origin, and the origin names the port: a new port at every start was a
// new origin, and the draft kept "across restarts" was left behind with the old one.
import { readFileSync } from 'node:fs';
import { servePortFile, writeServePort } from './discovery.ts';

/** The port last served on for `dbPath` (undefined: none kept, or not a port). */
export function lastServePort(home: string, dbPath: string): number | undefined {
  try {
    const { port } = JSON.parse(readFileSync(servePortFile(home, dbPath), 'utf8')) as {
      port?: unknown;
    };
    return Number.isInteger(port) && (port as number) > 1023 && (port as number) <= 65535
      ? (port as number)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `port` as the one to serve `dbPath` on next time (best effort: a read-only home only loses the memory). */
export function keepServePort(home: string, dbPath: string, port: number): void {
  try {
    writeServePort(servePortFile(home, dbPath), port);
  } catch {
    // The next serve picks a free port, as before.
  }
}
