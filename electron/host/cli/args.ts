// Flag parsing shared by every command: the common `--db` and `--data-dir`, strict
// checking (an unknown flag is a usage error, exit 2), and typed values. How a command
// then reaches the engine is api.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SourceName } from '../../../shared/api/ingest.ts';
import { PriorityLevel } from '../../../shared/domain.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import { UsageError } from './io.ts';

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The database and data folder a command names (`--db`, `--data-dir`); the rest comes from the config. */
export function engineOptions(values: {
  db?: string | boolean;
  'data-dir'?: string | boolean;
}): ConfigOverrides {
  return {
    ...(typeof values.db === 'string' ? { dbPath: values.db } : {}),
    ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
  };
}

/** `--source ID`: a data source as requests name it (trimmed; a blank one is a usage error). */
export function sourceOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = SourceName.safeParse(value);
  if (!parsed.success) throw new UsageError('--source needs a name that is not blank');
  return parsed.data;
}

export function level(value: string | undefined, flag: string): PriorityLevel | undefined {
  if (value === undefined) return undefined;
  const parsed = PriorityLevel.safeParse(value.toUpperCase());
  if (!parsed.success)
    throw new UsageError(`${flag} must be one of CRITICAL, HIGH, MEDIUM, LOW, not "${value}"`);
  return parsed.data;
}

export function int(
  value: string | undefined,
  flag: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range =
      max < Number.MAX_SAFE_INTEGER
        ? ` from ${min} to ${max}`
        : min > 0
          ? ` of at least ${min}`
          : '';
    throw new UsageError(`${flag} must be a whole number${range}, not "${value}"`);
  }
  return n;
}
