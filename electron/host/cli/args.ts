// Flag parsing shared by every command: the common `--db` and `--data-dir`, strict
// checking (an unknown flag is a usage error, exit 2), and typed values.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PriorityLevel } from '../../../shared/domain.ts';
import { startEngine, type Engine, type EngineOptions } from '../../engine/engine.ts';
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

/** Starts the engine for one command, reports a start failure with its exit code, and always shuts it down. */
export async function withEngine(
  opts: EngineOptions,
  out: Output,
  work: (engine: Engine) => Promise<ExitCode>,
): Promise<ExitCode> {
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
