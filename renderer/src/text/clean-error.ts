// Errors as an analyst should see them: no folder of the app's own (staging, uploads,
// the inbox's processing/) in the message, and such a file by its base name. Two kinds of
// path keep their whole path, as the command line shows them: a file of an export folder
// (an attached one, or the data folder another desk attaches), named `<id>.parquet` in a
// folder `date=…`, whose base name alone cannot be found to copy it again or remove it;
// and an attached folder the message names as such, whose base name is often just `data`.
// The code and the rest of the message stay exactly as the engine wrote them.
import type { AppError } from '../../../shared/result.ts';
import { basename } from './numbers.ts';

// An absolute POSIX or Windows path, not part of a URL; it ends at whitespace or
// at punctuation that closes a sentence or a quote.
const ABSOLUTE =
  /(?<![\w:/.\\])(?:[A-Za-z]:[\\/]|\/)(?:[^\s"'`,;()<>[\]]+[\\/])+[^\s"'`,;()<>[\]]*[^\s"'`,;()<>[\].:]/g;

// The Hive layout of export files (export-layout.ts), which no folder of the app's own has.
const EXPORT_FILE = /[\\/]underlying=[^\\/]+[\\/]date=[^\\/]+[\\/][^\\/]+\.parquet$/;

/** Whether `path` is a file of an export folder: `…/underlying=U/date=D/<name>.parquet`. */
export const isExportFile = (path: string): boolean => EXPORT_FILE.test(path);

// "the attached export folder P", "the attached folders P, Q": the words before such a path.
const ATTACHED_BEFORE = /attached (?:export )?folders? (?:[^\s,]+, )*$/;

const shown = (path: string, offset: number, message: string): string =>
  isExportFile(path) || ATTACHED_BEFORE.test(message.slice(0, offset)) ? path : basename(path);

/** The message with every absolute path but those above replaced by its base name. */
export function stripPaths(message: string, file?: string): string {
  if (!file || !/[\\/]/.test(file)) return message.replace(ABSOLUTE, shown);
  // The error's own file is found whole, even with a space in a folder's name.
  const [first, ...rest] = message.split(file);
  let before = first!;
  let out = stripPaths(before);
  for (const part of rest) {
    out += shown(file, before.length, before) + stripPaths(part);
    before += file + part;
  }
  return out;
}

/** The engine's words up to DuckDB's own ("… (DuckDB: FATAL Error: …)"), which no analyst acts on. */
export function withoutDuckDb(message: string): string {
  const cut = message.indexOf(' (DuckDB:');
  return cut > 0 ? message.slice(0, cut) : message;
}

/** The error as stripPaths says; its file kept whole where the message keeps it. */
export function cleanError(error: AppError): AppError {
  const message = stripPaths(error.message, error.file);
  const { file } = error;
  return {
    ...error,
    message,
    ...(file !== undefined
      ? { file: isExportFile(file) || message.includes(file) ? file : basename(file) }
      : {}),
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message without the place its error's own fields already say (`spx.csv, line 10,
 * field "Calls Gamma" ("x") is not a number` → `is not a number ("x")`): a table row shows
 * the line and field beside it, and its room is for what was wrong. The message is kept
 * whole where it does not start with that place.
 */
export function withoutPlace(error: AppError): string {
  const { message, file, line, field } = error;
  let rest = message;
  const take = (re: RegExp) => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return !!m;
  };
  if (file) {
    const names = [file, basename(file)].map(escape).join('|');
    if (!take(new RegExp(`^(?:${names})(?:[,:]\\s*|\\s+(?=(?:line|row) ))`))) return message;
  }
  if (line !== undefined) take(new RegExp(`^(?:line|row) ${line}(?:[,:]\\s*|\\s+|$)`));
  if (field) take(new RegExp(`^field (?:"${escape(field)}"|${escape(field)})(?::\\s*|\\s+|$)`));
  // A value quoted in parentheses opens the rest: what was wrong goes first, where a
  // narrow row still shows it ("is not a number (“0,0012”)").
  rest = rest.replace(/^\(("(?:[^"\\]|\\.)*")\)\s+(.+)$/s, '$2 ($1)');
  return rest.trim() ? rest : message;
}
