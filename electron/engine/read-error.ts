// A failed stat, open or read of a file the analyst gave us (a chain, a manifest), as an
// error with a code a program can act on and words a person can: one mapping of the
// errno codes, for the pipeline, the staging area and the command line.
import { err, type Result, messageOf } from '../../shared/result.ts';

/** A chain's folder: what to do instead. */
export const CHAIN_FOLDER_HINT =
  ': give the files in it (or drop the folder into the watched inbox)';

/** NOT_A_FILE, telling a folder (with `folderHint`, what to give instead) from a device. */
export function notAFile(file: string, folder: boolean, folderHint = ''): Result<never> {
  return err(
    'NOT_A_FILE',
    folder
      ? `${file} is a folder, not a file${folderHint}`
      : `${file} is not a regular file (a device, a pipe or a socket)`,
    { file },
  );
}

export function readError(file: string, e: unknown): Result<never> {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return err('FILE_NOT_FOUND', `${file} does not exist`, { file });
  if (code === 'EISDIR') return notAFile(file, true);
  if (code === 'EACCES' || code === 'EPERM')
    return err('IO', `${file} cannot be read: permission denied`, { file });
  return err('IO', `cannot read ${file}: ${messageOf(e)}`, { file });
}
