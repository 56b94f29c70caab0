// A write into one of GEX Desk's own folders (the data folder: staging, runs' markers,
// snapshots' files) that the machine refused — a full disk, a file system remounted
// read-only, rights taken away. It is the machine's doing, not the input's: an `IO` error,
// transient (the job waits and runs once the folder can be written; the inbox holds the
// file), whose message names the folder that cannot be written, never the analyst's file
// (which was readable all along). One mapping for the capture at the door, the pipeline
// in its worker and the job runner around it.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { err, type AppError, type Result, messageOf } from '../../shared/result.ts';
import { diskFull, FREE_SPACE, isDiskFull } from './disk-full.ts';

/** One of our folders: where it is, and what an analyst calls it ("the data folder"). */
export interface OwnFolder {
  path: string;
  label: string;
}

const READ_ONLY = /read-only file system|os error 30\b/i;
const DENIED = /permission denied|operation not permitted|os error 13\b/i;

/** Why the machine refused a write, in words; null when the error is not such a refusal. */
export function refusedWrite(e: unknown): string | null {
  if (isDiskFull(e)) return 'the disk is full';
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return null;
}

/** Why `folder` cannot be written now, as an errno code; null when it can. */
function unwritable(folder: string): string | null {
  let d = resolve(folder);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    accessSync(d, constants.W_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException)?.code ?? 'EACCES';
  }
}

/** Whether the error names a path in `folder` (its path, its copy's destination, or its words). */
function inFolder(e: unknown, folder: string): boolean {
  const root = resolve(folder);
  const within = (p: unknown) =>
    typeof p === 'string' && (resolve(p) === root || resolve(p).startsWith(root + sep));
  const x = e as { path?: unknown; dest?: unknown; message?: unknown };
  return within(x?.path) || within(x?.dest) || String(x?.message ?? e).includes(root);
}

/** What becomes of the work when a folder refuses it: a queued job waits, and runs then. */
const WAITS = 'nothing is lost, what waits is taken then';

/**
 * IO (transient) when `e` is the machine refusing a write into `folder`, naming the folder;
 * null when it is something else (a file the analyst gave that cannot be read is not ours
 * to blame on the folder). `what`: who could not write ("the pipeline"); `file`: the input;
 * `then`: what becomes of the work (a job waits; a file refused at the door was not taken).
 */
export function folderFault(
  e: unknown,
  folder: OwnFolder,
  what: string,
  file: string,
  then = WAITS,
): Result<never> | null {
  if (isDiskFull(e)) return diskFull(file, what, e, `${folder.label} ${folder.path}`);
  const code = (e as NodeJS.ErrnoException)?.code;
  const message = messageOf(e);
  const refused =
    code === 'EROFS' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    READ_ONLY.test(message) ||
    DENIED.test(message);
  if (!refused) return null;
  // The folder itself decides: a read that was refused (the analyst's file) leaves it writable.
  const why = unwritable(folder.path);
  if (why === null && !(code === 'EROFS' && inFolder(e, folder.path))) return null;
  const state =
    why === 'EROFS' || (why === null && code === 'EROFS')
      ? 'is read-only (its file system is mounted read-only)'
      : 'cannot be written (permission denied)';
  return err(
    'IO',
    `${folder.label} ${folder.path} ${state}: ${what} could not write in it; make it writable again — ${then} (${message})`,
    { file, transient: true },
  );
}

/**
 * The error a job ends `failed` with after the machine refused it (`transient`) and no one
 * waits for the machine (a one-shot command): its message said what becomes of work that
 * waits, and now says what a retry can do — the job's captured copy is kept for
 * `keepStagedHours` (a full disk does not let it go: staged-jobs.ts), so retrying it once
 * the folder can be written runs it, the source file or not; with 0 nothing is kept and
 * the file must be submitted again.
 */
export function endedForMachine(error: AppError, keepStagedHours: number): AppError {
  const [again, why] =
    keepStagedHours > 0
      ? [
          'retry the job',
          `its captured copy is kept for that (keepStagedHours, ${keepStagedHours} h; the source file is not needed)`,
        ]
      : ['submit the file again', 'its captured copy is not kept (keepStagedHours is 0)'];
  const { message } = error;
  const said = message.includes(FREE_SPACE)
    ? message.replace(FREE_SPACE, `free some space, then ${again}: ${why}`)
    : message.includes(WAITS)
      ? message.replace(WAITS, `the job failed: ${again} then, ${why}`)
      : `${message}; the job failed: ${again} once the machine lets it, ${why}`;
  return { ...error, message: said };
}
