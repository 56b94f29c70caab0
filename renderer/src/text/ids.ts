// Ids as a link gives them: in full, or their first characters (as the engine and the
// command line take them, electron/engine/store/id-start.ts). The views that complete a
// start, or say why it names no snapshot, job or request, tell the two apart by length;
// the shape itself is shared/api/id.ts's IdShape.
import { FULL_ID, IdShape, MIN_ID_START } from '../../../shared/api/id.ts';
import { err, type Err } from '../../../shared/result.ts';
import { echoed } from '../../../shared/visible.ts';

export { FULL_ID, MIN_ID_START };

/**
 * Whether `text` is shaped as an id or its start, as the engine takes them (IdShape). An
 * address whose "id" is not (`#/snapshots/<a sentence>`, `#/queue/job/…`, `#/audit/…`) is
 * not sent to the engine, whose refusal would show that text in the app's own error
 * styling; the view says what it is instead.
 */
export const idShaped = (text: string): boolean => IdShape.safeParse(text).success;

/** What an address can name by id. */
export type IdNoun = 'snapshot' | 'job' | 'request';

/** What a view says of an address's text that is no id: the text escaped, at most 40 characters. */
export const notAnIdText = (text: string, noun: IdNoun = 'snapshot'): string =>
  `The address names “${echoed(text)}”, which is not a ${noun} id: a ${noun} is named by its id (${FULL_ID} characters of hex digits and dashes) or its first ${MIN_ID_START} or more. Nothing was looked up.`;

/** The same as an error of its own (VALIDATION, field id), for the views that show one. */
export const notAnId = (text: string, noun: IdNoun = 'snapshot'): Err =>
  err('VALIDATION', notAnIdText(text, noun), { field: 'id' });
