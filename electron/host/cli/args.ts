// Flag parsing shared by every command: the common `--db` and `--data-dir`, strict
// checking (an unknown flag is a usage error, exit 2), and typed values.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PriorityLevel } from '../../../shared/domain.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import type { Engine, EngineOptions } from '../../engine/engine.ts';
import type { Store } from '../../engine/store/db.ts';
import { describeError, exitFor, UsageError, type ExitCode, type Output } from './io.ts';

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function engineOptions(values: { db?: string | boolean; 'data-dir'?: string | boolean }): EngineOptions {
  return {
    ...(typeof values.db === 'string' ? { dbPath: values.db } : {}),
    ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
  };
}

export function level(value: string | undefined, flag: string): PriorityLevel | undefined {
  if (value === undefined) return undefined;
  const parsed = PriorityLevel.safeParse(value.toUpperCase());
  if (!parsed.success) throw new UsageError(`${flag} must be one of CRITICAL, HIGH, MEDIUM, LOW, not "${value}"`);
  return parsed.data;
}

export function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return n;
}

/**
 * Starts the engine for one command, reports a start failure with its exit code, and
 * always shuts it down. The engine (and all it imports) is loaded here, when a command
 * needs it, not when the command line is read.
 */
export async function withEngine(
  opts: EngineOptions,
  out: Output,
  work: (engine: Engine) => Promise<ExitCode>,
): Promise<ExitCode> {
  const { startEngine } = await import('../../engine/engine.ts');
  const started = await startEngine(opts);
  if (!started.ok) {
    out.error(describeError(started.error));
    return exitFor(started.error);
  }
  try {
    return await work(started.value);
  } finally {
    await started.value.shutdown();
  }
}

/**
 * Opens only the store, for a command that reads it and needs nothing else of the
 * engine (no rules, workers or scheduler); same errors and exit codes as withEngine.
 */
export async function withStore(
  opts: ConfigOverrides,
  out: Output,
  work: (store: Store) => Promise<ExitCode>,
): Promise<ExitCode> {
  const [{ loadConfig }, { Store }] = await Promise.all([import('../../engine/config.ts'), import('../../engine/store/db.ts')]);
  const config = loadConfig(opts);
  if (!config.ok) {
    out.error(describeError(config.error));
    return exitFor(config.error);
  }
  const opened = await Store.open(config.value.dbPath);
  if (!opened.ok) {
    out.error(describeError(opened.error));
    return exitFor(opened.error);
  }
  try {
    return await work(opened.value);
  } finally {
    await opened.value.close();
  }
}
