// Structured logs: one JSON object a line in <dataDir>/logs/gex-desk.log, so that a
// support question can be answered from the file. Never throws: logging must not take
// the engine down. Bounded: past LOG_MAX_BYTES the file becomes gex-desk.1.log (the
// older ones move up, the oldest past LOG_KEEP is dropped) and a new one starts, so
// that an app open all day, every day, does not fill the disk. Every process of a
// database (the app, commands) appends to the same file; each checks its size after
// every LOG_CHECK_BYTES it wrote, and a rename by one is seen by the others at their
// next line (they append by path).
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir, PRIVATE_FILE, restrict } from './private-files.ts';

export const LOG_MAX_BYTES = 10 * 1024 * 1024;
export const LOG_KEEP = 3;
const LOG_CHECK_BYTES = 256 * 1024;

/** gex-desk.log → gex-desk.1.log → … → gex-desk.<keep>.log, the oldest dropped. */
export function rotateLog(file: string, keep = LOG_KEEP): void {
  const old = (n: number) => file.replace(/\.log$/, `.${n}.log`);
  rmSync(old(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    try {
      renameSync(old(n), old(n + 1));
    } catch {
      // not there yet
    }
  }
  renameSync(file, old(1));
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  readonly file: string;
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  dataDir: string,
  component = 'engine',
  maxBytes = LOG_MAX_BYTES,
): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'gex-desk.log');
  let ready = false;
  // Bytes written since the size was last looked at; the first line looks at once.
  let unchecked = Infinity;
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    try {
      if (!ready) {
        privateDir(dir);
        // The log names files, sources and analysts: the user's alone (private-files.ts).
        restrict(file, PRIVATE_FILE);
        ready = true;
      }
      if (unchecked >= Math.min(LOG_CHECK_BYTES, maxBytes / 4)) {
        unchecked = 0;
        try {
          if (statSync(file).size >= maxBytes) rotateLog(file);
        } catch {
          // none yet, or another process rotated it a moment ago
        }
      }
      const line =
        JSON.stringify({
          t: new Date().toISOString(),
          level,
          component,
          pid: process.pid,
          event,
          ...fields,
        }) + '\n';
      appendFileSync(file, line, { mode: PRIVATE_FILE });
      unchecked += line.length;
    } catch {
      // A full disk or a read-only folder must not stop ingest.
    }
  };
  return {
    file,
    log,
    info: (e, f) => log('info', e, f),
    warn: (e, f) => log('warn', e, f),
    error: (e, f) => log('error', e, f),
  };
}
