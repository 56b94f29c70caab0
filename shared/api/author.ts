// Who asked for an audited change (`author` of a submission, a job's cancel or retry, a
// snapshot's removal, a source's override, a rule change): the audit trail's "By". It is
// read as a person's name wherever it is shown, so it may not be one that reads as
// another's: U+202E turned "alice\u202enimda" into "aliceadmin", a zero-width space or U+034F
// makes a look-alike, an escape sequence acts on a terminal. Refused, as a source name with them is.
import { z } from 'zod';
import { blank, hiddenRefusal } from '../visible.ts';

/** The longest author's name taken: a name, not a text. */
export const AUTHOR_MAX = 100;

/** An author's name: trimmed, not blank, at most AUTHOR_MAX characters, no character a name may not hold (HIDDEN). */
export const AuthorName = z
  .string()
  .trim()
  .refine((s) => !blank(s), 'an author needs a name that is not blank')
  .refine(
    (s) => [...s].length <= AUTHOR_MAX,
    `an author's name has at most ${AUTHOR_MAX} characters`,
  )
  .superRefine((s, ctx) => {
    const why = hiddenRefusal("an author's name", s);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });
