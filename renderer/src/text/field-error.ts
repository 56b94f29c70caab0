// A dialog's refusal said in the dialog's own words: the engine names the call and the
// request's key ("rules:activate: comment: a comment has at most 2,000 characters …",
// field comment), which the analyst never sees; the field is the one labelled "Why".
import type { AppError } from '../../../shared/result.ts';
import {
  CODE_POINTS_MAX,
  CODE_POINTS_SAID,
  TEXT_MAX,
  textSize,
} from '../../../shared/api/free-text.ts';

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
 * The count under a justification or comment as the engine counts it (trimmed; what a person
 * reads as one character is one, a flag or a family emoji too, textSize): "1,650 / 2,000"
 * near the limit, `over` past it, or past the second limit of 8,000 code points; null while
 * far below it.
 */
export function textCount(value: string): { said: string; over: boolean } | null {
  const text = value.trim();
  // No more characters than UTF-16 units: a short text is not counted at each key.
  if (text.length < NEAR) return null;
  const { chars, codePoints } = textSize(text);
  if (chars !== null && chars < NEAR) return null;
  const max = TEXT_MAX.toLocaleString('en-US');
  if (chars !== null && chars > TEXT_MAX)
    return {
      said: `${chars.toLocaleString('en-US')} / ${max}: at most ${max} characters; shorten it by ${(chars - TEXT_MAX).toLocaleString('en-US')}`,
      over: true,
    };
  if (codePoints > CODE_POINTS_MAX)
    return {
      said: `${chars === null ? `${codePoints.toLocaleString('en-US')} code points` : `${chars.toLocaleString('en-US')} / ${max}`}: at most ${CODE_POINTS_SAID}; this one has ${codePoints.toLocaleString('en-US')}`,
      over: true,
    };
  return { said: `${chars!.toLocaleString('en-US')} / ${max}`, over: false };
}
