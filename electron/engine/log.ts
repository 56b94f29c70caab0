// Structured logs: one JSON object a line in <dataDir>/logs/gex-desk.log, so that a
// support question can be answered from the file. Never throws: logging must not take
// the engine down.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  readonly file: string;
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(dataDir: string, component = 'engine'): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'gex-desk.log');
  let ready = false;
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    try {
      if (!ready) {
        mkdirSync(dir, { recursive: true });
        ready = true;
      }
      appendFileSync(
        file,
        JSON.stringify({
          t: new Date().toISOString(),
          level,
          component,
          pid: process.pid,
          event,
          ...fields,
        }) + '\n',
      );
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
