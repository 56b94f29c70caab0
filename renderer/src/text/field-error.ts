// A dialog's refusal said in the dialog's own words: the engine names the call and the
// request's key ("rules:activate: comment: a comment has at most 2,000 characters …",
// field comment), which the analyst never sees; the field is the one labelled "Why".
import type { AppError } from '../../../shared/result.ts';
import { TEXT_MAX, chars } from '../../../shared/api/free-text.ts';

/** `error` with its field named by the form's label and the call's name and key taken off. */
export function ownFieldError(error: AppError, labels: Record<string, string>): AppError {
  const label = error.field !== undefined ? labels[error.field] : undefined;
  if (label === undefined) return error;
  let message = error.message.replace(/^[a-z]+:[A-Za-z]+: /, '');
  if (message.startsWith(`${error.field}: `)) message = message.slice(error.field!.length + 2);
  return { ...error, field: label, message };
}

/** Near the limit from here: the count is shown once a text has this many characters. */
const NEAR = TEXT_MAX - 400;

/**
 * The count under a justification or comment as the engine counts it (trimmed, an emoji
 * one): "1,650 / 2,000" near the limit, `over` past it; null while far below it.
 */
export function textCount(value: string): { said: string; over: boolean } | null {
  const n = chars(value.trim());
  if (n < NEAR) return null;
  const max = TEXT_MAX.toLocaleString('en-US');
  const said = `${n.toLocaleString('en-US')} / ${max}`;
  return n > TEXT_MAX
    ? {
        said: `${said}: at most ${max} characters; shorten it by ${(n - TEXT_MAX).toLocaleString('en-US')}`,
        over: true,
      }
    : { said, over: false };
}
