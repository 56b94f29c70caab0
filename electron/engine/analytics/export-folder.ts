// The files of an export folder (another workstation's data folder, attached read-only),
// found by their Hive partitions: <root>/snapshots/underlying=U/date=D/<id>.parquet for the
// snapshots' rows, <root>/underlying=U/date=D/<id>.parquet for their strikes, and
// <root>/expiries/… for their expiries. Listing the folders lets a query read only the
// partitions it needs (an underlying; a few dates around a range; the latest dates).
// An underlying's folder is named as export-layout.ts says (percent-encoded), or, in
// folders written before 2026-12-05, with `_` for each character outside [A-Za-z0-9._-]:
// both are read, and each file's own `underlying` column decides whose it is.
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  EXPIRIES_DATASET,
  mayHoldSeveral,
  segment,
  SNAPSHOTS_DATASET,
  underlyingFolders,
} from '../export-layout.ts';
import type { UnreadableFile } from '../../../shared/api.ts';
import { classSpellings } from '../../../shared/underlyings.ts';
import { err, type Result } from '../../../shared/result.ts';

/** Offsets run from −12 h to +14 h: the same instant can sit in date folders up to 2 days apart. */
const DATE_MARGIN_DAYS = 2;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The folders an underlying's files may be in (underlyingFolders), and those of the
 * spellings a class share had before they were joined (`underlying=BRK.B` for BRKB,
 * shared/underlyings.ts classSpellings): their files' rows are read as BRKB's.
 */
const foldersOf = (underlying: string): string[] => {
  const u = underlying.toUpperCase();
  return [...new Set([u, ...classSpellings(u)].flatMap(underlyingFolders))];
};

function dirs(path: string, prefix: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.startsWith(prefix))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function readableDirs(path: string): string[] {
  return dirs(path, '').filter((d) => !d.startsWith('.'));
}

/** Whether `path` looks like an export folder: one of the three datasets is there. */
function holdsExports(path: string): boolean {
  return (
    dirs(path, 'underlying=').length > 0 ||
    dirs(join(path, SNAPSHOTS_DATASET), 'underlying=').length > 0 ||
    dirs(join(path, EXPIRIES_DATASET), 'underlying=').length > 0
  );
}

function parquetFiles(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.parquet') && !d.name.startsWith('.'))
      .map((d) => join(path, d.name));
  } catch {
    return [];
  }
}

/** What is wrong with a file of an attached folder that `cause` says could not be read. */
function whatIsWrong(file: string, cause: unknown): string {
  const said = cause instanceof Error ? cause.message : String(cause);
  if (!existsSync(file))
    return "is missing (not copied yet, or removed): copy the snapshot's files again, or remove the others";
  let readable = true;
  try {
    accessSync(file, constants.R_OK);
  } catch {
    readable = false;
  }
  if (!readable || /permission denied|os error 13\b/i.test(said))
    return `cannot be read: permission denied (this user may not read it): let this user read it, or remove it (${said})`;
  return `cannot be read as Parquet (copied only in part, or damaged): copy it again, or remove it (${said})`;
}

/** A file of an attached export folder that cannot be read: missing, copied only in part, damaged, or forbidden. */
export class UnreadableExport extends Error {
  readonly file: string;
  /** What is wrong, without the file's path ("cannot be read as Parquet …"). */
  readonly reason: string;
  /** `reason`: what is wrong when the file was read but is not taken (its underlying); else from `cause`. */
  constructor(file: string, cause: unknown, reason = whatIsWrong(file, cause)) {
    super(`${file}, in an attached export folder, ${reason}`);
    this.file = file;
    this.reason = reason;
  }

  /** As an answer lists it beside what the other files gave. */
  get unreadable(): UnreadableFile {
    return { path: this.file, message: this.reason };
  }
}

/** `read` of one file of an attached folder; should it fail, the error names the file. */
export async function readExportFile<T>(file: string, read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw new UnreadableExport(file, e);
  }
}

/** A query over attached folders as a Result: a file that cannot be read is BAD_SHAPE, named. */
export async function attachedQuery<T>(query: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await query();
  } catch (e) {
    if (e instanceof UnreadableExport) return err('BAD_SHAPE', e.message, { file: e.file });
    throw e;
  }
}

/**
 * The sentence naming an attached folder nothing is read from, after its path: `why`, what
 * that leaves out, and what to do.
 */
export function cannotBeRead(
  why: string,
  todo = 'mount it again, or change attach in config.json',
): string {
  return `could not be read: ${why}; what it holds is not in this answer (what was looked for may be there): ${todo}`;
}

export class ExportFolder {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  /**
   * Why this folder cannot be read at all, or null: it does not exist (a network share not
   * mounted, a folder renamed or removed), is a file, or this user may not list it. Such a
   * folder is named beside what the store and the other folders gave (not an error that
   * takes them away too); the sentence says what is left out and what to do.
   */
  unreadable(): string | null {
    const why = (() => {
      try {
        if (!statSync(this.root).isDirectory()) return 'it is a file, not a folder';
        readdirSync(this.root);
        return null;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
          return 'it does not exist (a network share not mounted, or the folder renamed or removed)';
        if (code === 'EACCES' || code === 'EPERM')
          return 'permission denied (this user may not read it)';
        return e instanceof Error ? e.message : String(e);
      }
    })();
    return why ? cannotBeRead(why) : null;
  }

  /**
   * Why this folder is likely not an export folder (a data folder), or null: it holds none
   * of the three datasets and no `underlying=` folders (the per-user folder, the parent of
   * data/, an underlying's folder), or it is one dataset of one (data/snapshots). Reading
   * it answers nothing, which must not pass for "no snapshots" in silence; the message
   * names the folder likely meant when one is in sight (`<dir>/data`, the parent).
   */
  problem(): string | null {
    const dataset = basename(this.root);
    const parent = dirname(this.root);
    if ((dataset === SNAPSHOTS_DATASET || dataset === EXPIRIES_DATASET) && holdsExports(parent))
      return `is the ${dataset} dataset of an export folder, not the folder: attach ${parent} instead`;
    if (holdsExports(this.root)) return null;
    const inside = readableDirs(this.root).find((d) => holdsExports(join(this.root, d)));
    const up = basename(parent);
    const folderAbove =
      up === SNAPSHOTS_DATASET || up === EXPIRIES_DATASET ? dirname(parent) : parent;
    const above = holdsExports(folderAbove) ? folderAbove : undefined;
    const likely = inside
      ? `; attach ${join(this.root, inside)} instead, which holds them`
      : above && dataset.startsWith('underlying=')
        ? `; attach ${above} instead, the export folder it lies in`
        : ' (a data folder with nothing exported yet holds none either)';
    return `holds none of an export folder's three datasets (${SNAPSHOTS_DATASET}/, ${EXPIRIES_DATASET}/, the strikes' underlying=…/ folders), so no snapshot is read from it${likely}`;
  }

  #snapshots(): string {
    return join(this.root, SNAPSHOTS_DATASET);
  }

  /** Partition folders `underlying=…` of the snapshots dataset. */
  underlyings(): string[] {
    return dirs(this.#snapshots(), 'underlying=');
  }

  /**
   * The snapshot files that may be an underlying's, with dates within [fromMs, toMs] (with the
   * offsets' margin): in its folder and in the one older exports named it, which may hold
   * other underlyings' files too (the caller keeps the rows of this underlying).
   */
  historyFiles(underlying: string, fromMs: number, toMs: number): string[] {
    const lo = fromMs <= -8.64e15 ? '' : isoDay(fromMs - DATE_MARGIN_DAYS * 86_400_000);
    const hi = toMs >= 8.64e15 ? '~' : isoDay(toMs + DATE_MARGIN_DAYS * 86_400_000);
    return foldersOf(underlying).flatMap((name) => {
      const folder = join(this.#snapshots(), name);
      return dirs(folder, 'date=')
        .filter((d) => d.slice(5) >= lo && d.slice(5) <= hi)
        .flatMap((d) => parquetFiles(join(folder, d)));
    });
  }

  /**
   * Whether a folder that holds only this underlying's files (its own, or an older name no
   * other underlying shares) holds one: then the underlying is known without reading a file.
   */
  hasOwnFiles(underlying: string): boolean {
    return foldersOf(underlying).some((name) => {
      if (mayHoldSeveral(name)) return false;
      const folder = join(this.#snapshots(), name);
      return dirs(folder, 'date=').some((d) => parquetFiles(join(folder, d)).length > 0);
    });
  }

  /**
   * The files among which each underlying's latest snapshot is: of a folder that is one
   * underlying's, the files of its latest dates (the latest instant is among them); of a
   * folder named the older way that may hold several (`underlying=BRK_B` with BRK/B, BRK\B
   * and BRK_B), every file, as the latest dates may hold only some of them. The caller
   * groups by the underlying inside the files.
   */
  latestFiles(): string[] {
    return this.underlyings().flatMap((u) => {
      const folder = join(this.#snapshots(), u);
      const dates = dirs(folder, 'date=').sort();
      if (mayHoldSeveral(u)) return dates.flatMap((d) => parquetFiles(join(folder, d)));
      // The latest date that holds a file: one whose snapshots were all removed (an empty
      // folder) or whose first file is still being written (only its temporary file) has none.
      const files = new Map<string, string[]>();
      const filesOf = (d: string) =>
        files.get(d) ?? files.set(d, parquetFiles(join(folder, d))).get(d)!;
      const last = dates.findLast((d) => filesOf(d).length > 0);
      if (!last) return [];
      const cutoff = isoDay(Date.parse(last.slice(5)) - DATE_MARGIN_DAYS * 86_400_000);
      return dates.filter((d) => d.slice(5) >= cutoff && d <= last).flatMap(filesOf);
    });
  }

  /** The snapshot files of a partition folder (<root>/snapshots/underlying=U), every date's. */
  partitionFiles(partition: string): string[] {
    return dirs(partition, 'date=').flatMap((d) => parquetFiles(join(partition, d)));
  }

  /** The snapshot file of an id: its path relative to a dataset root, or undefined. */
  locate(id: string): string | undefined {
    const name = `${segment(id)}.parquet`;
    for (const u of this.underlyings()) {
      for (const d of dirs(join(this.#snapshots(), u), 'date=')) {
        if (existsSync(join(this.#snapshots(), u, d, name))) return join(u, d, name);
      }
    }
    return undefined;
  }

  /** Ids of snapshot files whose name begins with `prefix`, at most `limit`, sorted. */
  idsStartingWith(prefix: string, limit: number): string[] {
    const ids = new Set<string>();
    for (const u of this.underlyings())
      for (const d of dirs(join(this.#snapshots(), u), 'date='))
        for (const f of parquetFiles(join(this.#snapshots(), u, d))) {
          const id = basename(f, '.parquet');
          if (id.startsWith(prefix)) ids.add(id);
        }
    return [...ids].sort().slice(0, limit);
  }

  snapshotFile = (rel: string): string => join(this.#snapshots(), rel);
  strikesFile = (rel: string): string => join(this.root, rel);
  expiriesFile = (rel: string): string => join(this.root, EXPIRIES_DATASET, rel);
}
