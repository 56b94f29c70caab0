// Ids as a link gives them: in full, or their first characters (as the engine and the
// command line take them, electron/engine/store/id-start.ts). The views that complete a
// start, or say why it names no snapshot, tell the two apart by length.
import { err, type Err } from '../../../shared/result.ts';
import { echoed } from '../../../shared/visible.ts';

/** The length of an id in full (a UUID): anything shorter is its first characters. */
export const FULL_ID = 36;
/** The fewest first characters taken as an id's start (the engine's MIN_ID_START). */
export const MIN_ID_START = 4;

/** The longest text taken as an id's shape: room beyond a UUID for ids stored otherwise. */
const ID_SHAPE_MAX = 64;

/**
 * Whether `text` is shaped as an id or its start, as the engine takes them: MIN_ID_START hex
 * digits or more, then hex digits and dashes (no sentence can be written so), at most
 * ID_SHAPE_MAX characters. An address whose "id" is not (`#/snapshots/<a sentence>`) is not
 * sent to the engine, whose refusal would show that text in the app's own error styling;
 * the view says what it is instead. Not FULL_ID at most: a snapshot whose stored id is
 * longer than a UUID (`c001-<uuid>`, as the e2e board's copies are made) stayed replayable.
 */
export const idShaped = (text: string): boolean =>
  text.length <= ID_SHAPE_MAX &&
  new RegExp(`^[0-9a-f]{${MIN_ID_START}}[0-9a-f-]*$`, 'i').test(text);

/** What a view says of an address's text that is no id: the text escaped, at most 40 characters. */
export const notAnIdText = (text: string): string =>
  `The address names “${echoed(text)}”, which is not a snapshot id: a snapshot is named by its id (${FULL_ID} characters of hex digits and dashes) or its first ${MIN_ID_START} or more. Nothing was looked up.`;

/** The same as an error of its own (VALIDATION, field id), for the views that show one. */
export const notAnId = (text: string): Err => err('VALIDATION', notAnIdText(text), { field: 'id' });
