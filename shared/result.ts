// Errors as values at every boundary: a code a program can act on, a message a
// person can read, and where the error is in the input when that is known.
import { z } from 'zod';

export const ErrorCode = z.enum([
  // input
  'FILE_NOT_FOUND',
  'NOT_A_FILE',
  'FILE_CHANGED',
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'BINARY_FILE',
  'UNKNOWN_FORMAT',
  'NO_ROWS',
  'TRUNCATED',
  'BAD_HEADER',
  'BAD_VALUE',
  'BAD_SHAPE',
  'TOO_MANY_COLUMNS',
  'TOO_MANY_ROWS',
  'LINE_TOO_LONG',
  'DUPLICATE_CONTRACT',
  'INVALID_FACT',
  'INVALID_REQUEST',
  'RULES_SYNTAX',
  'RULES_INVALID',
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  // transport: the browser host's token missing or wrong; its upload quota or in-flight limit reached
  'UNAUTHORIZED',
  'QUOTA_EXCEEDED',
  // environment
  'DB_LOCKED',
  'IO',
  'WORKER_CRASHED',
  'TIMEOUT',
  'CANCELLED',
  'SHUTTING_DOWN',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.object({
  code: ErrorCode,
  message: z.string(),
  file: z.string().optional(),
  /** 1-based line of the file (or of a rule file, a JSON Lines stream). */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  field: z.string().optional(),
  fact: z.string().optional(),
  /**
   * The machine's doing, not the input's (a full disk, a database that can no longer be
   * written): the same request may succeed later, unchanged. A watched folder keeps such a
   * file and tries it again rather than setting it aside as failed.
   */
  transient: z.boolean().optional(),
});
export type AppError = z.infer<typeof AppError>;

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: AppError };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = (
  code: ErrorCode,
  message: string,
  where: Omit<AppError, 'code' | 'message'> = {},
): Err => ({
  ok: false,
  error: { code, message, ...where },
});

/** Schema of a Result carrying `value`, for validating responses that cross a transport. */
export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppError }),
  ]);

/** Errors that a retry may cure (never bad input). */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['WORKER_CRASHED', 'TIMEOUT', 'IO']);

/**
 * Errors that say the source sent bad data: the only failures that count against a
 * source's reliability (rule G4). A preemption, cancel, shutdown, timeout or crashed
 * worker says nothing about the source.
 */
export const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'EMPTY_FILE',
  'BINARY_FILE',
  'UNKNOWN_FORMAT',
  'NO_ROWS',
  'TRUNCATED',
  'BAD_HEADER',
  'BAD_VALUE',
  'BAD_SHAPE',
  'FILE_TOO_LARGE',
  'INVALID_FACT',
]);
