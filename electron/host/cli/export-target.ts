// Where `export --out FILE` may not write. `--out` is a free path, and the format may be
// given apart from it (`--format csv --out gex-desk.duckdb`, a shell completing `gex-d…`
// in the database's folder): the export was renamed over the database itself, even while
// the app ran on it (the engine answering from the unlinked file until it stopped, every
// snapshot, rule version and audit entry then gone). GEX Desk's own files and folders —
// those no inbox may hold (ownPaths: the database, config, data, discovery and socket
// folders), every file named after the database beside it (`<db>.wal`, the holder mark
// `<db>.holder.json` that other user folders find the engine by), and the watched inbox
// (an export there was taken as a file dropped in, failed, and counted against the inbox
// source: QA sec2 N2) — and any DuckDB database are refused before anything is written.
import { openSync, readSync, closeSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ownPaths } from '../../engine/intake/inbox-control.ts';

/** The configuration's paths an export must stay out of. */
export interface ExportGuard {
  dbPath: string;
  dataDir: string;
  configFile: string;
  /** The watched inbox (with its processing/, done/ and failed/). */
  inbox: string;
  /** The per-user folder (its engines/ and run/: discovery files and sockets). */
  home: string;
}

/** `path` with its symbolic links followed as far as they exist (a file not made yet keeps its name). */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), basename(path));
  }
}

const within = (dir: string, path: string): boolean => {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/** DuckDB's files carry `DUCK` at byte 8 (its header's magic). */
function isDuckDb(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(12);
    return readSync(fd, head, 0, 12, 0) === 12 && head.subarray(8, 12).toString() === 'DUCK';
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Why `file` may not be an export's destination; null when it may. */
export function exportTargetProblem(file: string, g: ExportGuard): string | null {
  const target = real(resolve(file));
  const own = [
    ...ownPaths(g, g.home),
    { what: "database's write-ahead log", path: `${g.dbPath}.wal` },
    { what: "database's holder mark", path: `${g.dbPath}.holder.json` },
    { what: 'watched inbox (an export there would be ingested)', path: g.inbox, writes: true },
  ];
  for (const o of own) {
    const path = real(resolve(o.path));
    if (o.writes ? within(path, target) : path === target)
      return `--out ${file} ${o.writes ? `lies in GEX Desk's own ${o.what}, ${path}` : `is GEX Desk's own ${o.what}`}: an export is never written there. Give another file.`;
  }
  // Any other file named after the database beside it: DuckDB's and GEX Desk's own (a
  // temporary file of a checkpoint, a mark of a later version).
  const db = real(resolve(g.dbPath));
  if (dirname(target) === dirname(db) && basename(target).startsWith(`${basename(db)}.`))
    return `--out ${file} is named after GEX Desk's database ${db}, beside it: such files are the database's own (its write-ahead log, its holder mark); an export is never written there. Give another file.`;
  if (isDuckDb(target))
    return `--out ${file} is a DuckDB database: an export is never written over it. Give another file.`;
  return null;
}
