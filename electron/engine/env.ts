// The GEX_DESK_* environment variables, read through one parser so that each is read the
// same way: set empty counts as not set (a session script's `export GEX_DESK_X=`), and a
// value that is not what the variable takes is refused naming the variable, never
// replaced by the default in silence (`GEX_DESK_LOCK_WAIT_MS=abc` waited 2 min,
// `GEX_DESK_LOCK_WAIT_MS=` not at all). loadConfig checks them all (checkEnv), so every
// command and the app stop at once on a bad one; the readers below then trust them.
// GEX_DESK_TS_CACHE is read by bin/ before any of this loads (empty there means off).
import { resolve } from 'node:path';
import { err, ok, type Result } from '../../shared/result.ts';
import { MAX_WORKERS } from '../../shared/workers.ts';

/** setTimeout's longest delay (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

interface WholeNumber {
  min: number;
  max: number;
  /** When the variable is not set. */
  fallback: number;
}

/** The whole-number variables: their range and their default. */
export const NUMBER_VARS = {
  GEX_DESK_WORKERS: { min: 1, max: MAX_WORKERS, fallback: 0 },
  GEX_DESK_LOCK_WAIT_MS: { min: 0, max: MAX_TIMER_MS, fallback: 120_000 },
  GEX_DESK_CONNECT_TIMEOUT_MS: { min: 1, max: MAX_TIMER_MS, fallback: 5_000 },
  /** When `ingest` first says on stderr that a file is still running (then every 3×): for tests. */
  GEX_DESK_PROGRESS_MS: { min: 1, max: MAX_TIMER_MS, fallback: 10_000 },
} as const satisfies Record<string, WholeNumber>;
export type NumberVar = keyof typeof NUMBER_VARS;

/** The path variables (each resolved against the current folder). */
export const PATH_VARS = [
  'GEX_DESK_HOME',
  'GEX_DESK_CONFIG',
  'GEX_DESK_DB',
  'GEX_DESK_DATA_DIR',
  'GEX_DESK_INBOX',
] as const;
export type PathVar = (typeof PATH_VARS)[number];

/** A variable's value; undefined when not set or set empty. */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** A path variable, resolved; undefined when not set or set empty. */
export function envPath(env: NodeJS.ProcessEnv, name: PathVar): string | undefined {
  const v = envValue(env, name);
  return v === undefined ? undefined : resolve(v);
}

/** A whole-number variable, checked; undefined when not set or set empty. */
export function envNumber(env: NodeJS.ProcessEnv, name: NumberVar): Result<number | undefined> {
  const v = envValue(env, name);
  if (v === undefined) return ok(undefined);
  const { min, max } = NUMBER_VARS[name];
  // Digits only: Number() would also take 0x10, 1e3, 2.0 and " 2 ".
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    return err('VALIDATION', `${name} must be a whole number from ${min} to ${max}, not "${v}"`, {
      field: name,
    });
  return ok(n);
}

/**
 * A whole-number variable, or its default when not set. A bad value gives the default
 * too: loadConfig (checkEnv) has refused it before anything reads it this way.
 */
export function envNumberOr(env: NodeJS.ProcessEnv, name: NumberVar): number {
  const r = envNumber(env, name);
  return (r.ok ? r.value : undefined) ?? NUMBER_VARS[name].fallback;
}

/** Every whole-number variable checked: the first bad one. */
export function checkEnv(env: NodeJS.ProcessEnv): Result<void> {
  for (const name of Object.keys(NUMBER_VARS) as NumberVar[]) {
    const r = envNumber(env, name);
    if (!r.ok) return r;
  }
  return ok(undefined);
}
