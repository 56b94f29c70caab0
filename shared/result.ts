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
  /** A rule set whose analysis ran past its budget (rulesAnalysis.budgetMs): simplify it, a retry will not help. */
  'RULES_TOO_COMPLEX',
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

/**
 * What a thrown value says, for a message: an Error's message (or any object's `message`
 * text), else the value itself as text — never `undefined`, as `(e as Error).message` was
 * for a string or a number thrown.
 */
export const messageOf = (e: unknown): string => {
  if (e instanceof Error) return e.message;
  const message = (e as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(e);
};

/** Schema of a Result carrying `value`, for validating responses that cross a transport. */
export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppError }),
  ]);

/** Errors that a retry may cure (never bad input). */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['WORKER_CRASHED', 'TIMEOUT', 'IO']);

/**
 * What each error says about the request's source, one entry per code (a new code does
 * not compile until it is placed here):
 * - `content`: what the source sent is bad or unreadable — the file's bytes themselves,
 *   whatever limit or check refused them. Counts against the source's reliability (G4).
 * - `delivery`: the file at the given path could not be taken (gone, not a file, changed
 *   while read): the path's or the moment's doing, not the content's.
 * - `request`: the caller's request or the analyst's action (bad parameters, rules, a
 *   conflict), never the file; and a request whose facts the rules refuse (INVALID_FACT):
 *   rejected, not an ingest (GUIDELINES: "nothing is queued"), so it counts for its source
 *   neither at its arrival (no job) nor after its file's facts were read (its job ends).
 * - `environment`: the machine, the transport or the app (a crash, a timeout, a cancel, a
 *   shutdown, a full disk, a locked database).
 * docs/scheduler.md ("The source's record") lists them.
 */
export const ERROR_KINDS: Readonly<
  Record<ErrorCode, 'content' | 'delivery' | 'request' | 'environment'>
> = {
  FILE_NOT_FOUND: 'delivery',
  NOT_A_FILE: 'delivery',
  FILE_CHANGED: 'delivery',
  FILE_TOO_LARGE: 'content',
  EMPTY_FILE: 'content',
  BINARY_FILE: 'content',
  UNKNOWN_FORMAT: 'content',
  NO_ROWS: 'content',
  TRUNCATED: 'content',
  BAD_HEADER: 'content',
  BAD_VALUE: 'content',
  BAD_SHAPE: 'content',
  TOO_MANY_COLUMNS: 'content',
  TOO_MANY_ROWS: 'content',
  LINE_TOO_LONG: 'content',
  DUPLICATE_CONTRACT: 'content',
  INVALID_FACT: 'request',
  INVALID_REQUEST: 'request',
  RULES_SYNTAX: 'request',
  RULES_INVALID: 'request',
  RULES_TOO_COMPLEX: 'request',
  VALIDATION: 'request',
  NOT_FOUND: 'request',
  CONFLICT: 'request',
  UNAUTHORIZED: 'environment',
  QUOTA_EXCEEDED: 'environment',
  DB_LOCKED: 'environment',
  IO: 'environment',
  WORKER_CRASHED: 'environment',
  TIMEOUT: 'environment',
  CANCELLED: 'environment',
  SHUTTING_DOWN: 'environment',
  INTERNAL: 'environment',
};

/**
 * Errors that say the source sent bad data (ERROR_KINDS' `content`): the only failures
 * that count against a source's reliability (rule G4). A preemption, cancel, shutdown,
 * timeout or crashed worker says nothing about the source.
 */
export const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set(
  ErrorCode.options.filter((c) => ERROR_KINDS[c] === 'content'),
);
