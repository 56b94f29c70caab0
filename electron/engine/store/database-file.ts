// What a database path names must be a DuckDB database, or nothing yet. DuckDB opens an
// existing file it does not recognise by its name — a chain's `.csv`, a `.parquet` — as an
// empty database in memory, without a word: every snapshot stored there would be gone
// when the command ends. So a file that is there and is not a DuckDB database is refused.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';

/** DuckDB's main header: a checksum (8 bytes), then its magic bytes. */
const MAGIC = Buffer.from('DUCK');
const MAGIC_AT = 8;
const CHAIN_EXTENSIONS = new Set(['.csv', '.json', '.parquet', '.txt', '.xlsx']);

/** The default database's file name, in the per-user folder. */
export const DEFAULT_DB_FILE = 'gex-desk.duckdb';

/**
 * `origin`: where the path came from (`--db`, `GEX_DESK_DB`, `dbPath in FILE`), said in
 * the message: "The database /tmp is a folder" left the analyst to guess which of them
 * named it.
 */
export function checkDatabaseFile(path: string, origin?: string): Result<void> {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return ok(undefined);
  const named = origin ? `${path} (${origin})` : path;
  const refuse = (what: string): Result<void> =>
    err('IO', `The database ${named} ${what}`, { file: path });
  if (st.isDirectory())
    return refuse(`is a folder: name the database file in it (${join(path, DEFAULT_DB_FILE)})`);
  if (!st.isFile()) return refuse('is not a regular file');
  const head = Buffer.alloc(MAGIC_AT + MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(MAGIC_AT).equals(MAGIC)) return ok(undefined);
  const chain = CHAIN_EXTENSIONS.has(extname(path).toLowerCase());
  return refuse(
    `is not a DuckDB database file${chain ? `: ${origin?.startsWith('dbPath in ') ? 'dbPath' : (origin ?? '--db')} names the database; a chain is given to gex-desk ingest` : ''} (nothing was opened or changed)`,
  );
}
