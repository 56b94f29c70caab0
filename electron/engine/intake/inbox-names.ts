// The names the inbox gives: a file's name fitted to the file system's limit beside its
// suffix or note, the note written beside a failed file, the file names refused at the
// door, and the source a file's folder in the inbox names. Apart from the Inbox class (inbox.ts), which moves the files.
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import {
  blank,
  hiddenIn,
  INVISIBLE,
  visible,
  visibleLines,
  visibleName,
} from '../../../shared/visible.ts';
import { INBOX_FOLDER_PREFIX, INBOX_SOURCE } from '../../../shared/api/ingest.ts';

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/** The longest file name, in bytes, that file systems take (ext4, XFS, APFS, tmpfs: 255). */
export const NAME_MAX = 255;
/** What a failed file's note adds to its name. */
export const NOTE_ENDING = '.reason.txt';
/** Extensions longer than this are a dot late in a long name: cut as part of the stem. */
const EXT_MAX = 16;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `base` with `suffix` before its extension (`a.csv`, `-1` → `a-1.csv`), in at most `max`
 * bytes of UTF-8: the stem is shortened at a character's end (a letter keeps its accents),
 * the extension kept. A name of 250 bytes has no room for `.reason.txt` or `-1` beside it
 * (ENAMETOOLONG): its failed file went without its note, its move to done/ never happened.
 */
export function fitName(base: string, suffix: string, max: number): string {
  const whole = extname(base);
  const ext = Buffer.byteLength(whole) <= EXT_MAX ? whole : '';
  const stem = base.slice(0, base.length - ext.length);
  if (Buffer.byteLength(stem + suffix + ext) <= max) return stem + suffix + ext;
  let room = max - Buffer.byteLength(suffix + ext);
  let cut = '';
  for (const { segment } of graphemes.segment(stem)) {
    room -= Buffer.byteLength(segment);
    if (room < 0) break;
    cut += segment;
  }
  return cut + suffix + ext;
}

/** The keys of a note's "key: value" lines, in the order written (inbox-refused.ts reads them). */
export const NOTE_KEYS = ['line', 'field', 'job', 'file', 'dropped_as'] as const;

/**
 * A failed file's note: the error, then one "key: value" line each for a script (the
 * message already says the line and field in words). The engine's message names the file
 * where it was read (`path`, in processing/): the note names it where it is going
 * (`target`), beside the note, as `file:` does (its name in failed/, suffix and all);
 * `dropped_as:` the name it came in with, when it is not its name there (that name taken,
 * too long to keep beside its note, or not one to keep: safeFailedName). Nothing from outside
 * can write a line of its own: every value is shown escaped (visible: a name holding
 * `\njob: <id>` gave the refusal a job and hid it), and a message of several lines has its
 * following lines indented, so that none reads as a key's.
 */
export function reasonNote(
  error: AppError,
  path: string,
  target: string,
  dir: string,
  jobId: string | null,
  droppedAs: string | null = null,
): string {
  const message = visibleLines(error.message.split(path).join(visible(target)))
    .split(/\r?\n/)
    .join('\n  ');
  const values: Record<(typeof NOTE_KEYS)[number], string | number | undefined | null> = {
    line: error.line,
    field: error.field,
    job: jobId,
    file: relative(dir, target),
    dropped_as: droppedAs,
  };
  return [
    `${error.code}: ${message}`,
    ...NOTE_KEYS.flatMap((k) => {
      const v = values[k];
      return v === undefined || v === null ? [] : [`${k}: ${visible(String(v))}`];
    }),
  ]
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * A file dropped in whose own name holds control or format characters is refused at the
 * door (INVALID_REQUEST, into failed/ with the reason), as a folder of such a name is
 * (inboxSourceOf): a line break in it wrote lines of its own into its note and into what
 * lists it, U+202E reverses what follows, a zero-width space makes a look-alike.
 */
export function checkFileName(file: string): Result<string> {
  const name = basename(file);
  if (!INVISIBLE.test(name)) return ok(name);
  return err(
    'INVALID_REQUEST',
    `the file name "${visible(name)}" holds control or format characters, which would not be read as they are. Rename the file (letters, digits, -, _ and . read best) and drop it in again.`,
    { field: 'file' },
  );
}

/**
 * The name a failed file is kept under in failed/: its own, but with each control or
 * format character of its last part (the file's own name) as `_`; its note says the name
 * it came in with, escaped (`dropped_as:`). The folders it was dropped in are kept.
 */
export function safeFailedName(name: string): string {
  const base = basename(name);
  const safe = base.replace(INVISIBLE_ALL, '_');
  return safe === base ? name : join(dirname(name), safe);
}

/**
 * The source a file of the inbox was sent by: `inbox/` and the name of the sub-folder of
 * the inbox it was dropped in (`inbox/acme/x.csv` and `inbox/acme/2024/x.csv` →
 * `inbox/acme`), so that each vendor dropping into its own folder has its own record and
 * one vendor's bad files do not demote the others' (G4), and so that no folder names a
 * source of another channel (a folder `manual` is `inbox/manual`, never the source of Open
 * files…); a file dropped straight into the inbox → `inbox`. `file` lies in `processing/`,
 * which keeps the folders it was dropped in. A folder whose name could not be read as it
 * is — blank, white space at either end (" acme" would look like "acme"), a character no
 * name may hold (shared/visible.ts HIDDEN: an escape sequence, U+202E turning "vendor‮LIAF"
 * into "vendorFAIL", a zero-width space or U+034F making a look-alike, a Hangul filler
 * drawn as nothing) — names no source: its files are refused
 * (INVALID_REQUEST, into failed/ with the reason), for the folder to be renamed. The name is
 * taken in Unicode's composed form (NFC): a decomposed "Zürich" is the same source.
 */
export function inboxSourceOf(processingDir: string, file: string): Result<string> {
  const parts = relative(processingDir, file).split(sep);
  if (parts.length < 2 || parts[0] === '..') return ok(INBOX_SOURCE);
  const folder = parts[0]!;
  const hidden = hiddenIn(folder);
  const why =
    folder.trim() === ''
      ? 'is blank'
      : hidden !== null
        ? `holds ${hidden}: control, format or invisible filler characters`
        : blank(folder)
          ? 'is blank (it holds no letter, digit or sign)'
          : folder.trim() !== folder
            ? 'begins or ends with white space'
            : null;
  // One name however its letters were encoded: macOS (HFS+) and copies from it write
  // "Zürich" decomposed (u + U+0308), Windows and Linux composed; the two folders, looking
  // the same, made two sources with a reliability and an override each (G4 split).
  if (!why) return ok(`${INBOX_FOLDER_PREFIX}${folder.normalize('NFC')}`);
  return err(
    'INVALID_REQUEST',
    `the inbox folder "${visibleName(folder)}" cannot name a source: its name ${why}. Rename the folder (letters, digits, - and _ read best) and drop the file in again.`,
    { field: 'source' },
  );
}
