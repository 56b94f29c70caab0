// Errors as an analyst should see them: the file by its base name, and no folder of
// the app's own (staging, uploads, the data folder) in the message. The code and the
// rest of the message stay exactly as the engine wrote them.
import type { AppError } from '../../../shared/result.ts';
import { basename } from './numbers.ts';

// An absolute POSIX or Windows path, not part of a URL; it ends at whitespace or
// at punctuation that closes a sentence or a quote.
const ABSOLUTE =
  /(?<![\w:/.\\])(?:[A-Za-z]:[\\/]|\/)(?:[^\s"'`,;()<>[\]]+[\\/])+[^\s"'`,;()<>[\]]*[^\s"'`,;()<>[\].:]/g;

/** The message with every absolute path replaced by its base name. */
export function stripPaths(message: string, file?: string): string {
  let out = message;
  if (file && /[\\/]/.test(file)) out = out.replaceAll(file, basename(file));
  return out.replace(ABSOLUTE, (path) => basename(path));
}

/** The engine's words up to DuckDB's own ("… (DuckDB: FATAL Error: …)"), which no analyst acts on. */
export function withoutDuckDb(message: string): string {
  const cut = message.indexOf(' (DuckDB:');
  return cut > 0 ? message.slice(0, cut) : message;
}

export function cleanError(error: AppError): AppError {
  return {
    ...error,
    message: stripPaths(error.message, error.file),
    ...(error.file !== undefined ? { file: basename(error.file) } : {}),
  };
}
