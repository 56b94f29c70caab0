// A failed stat, open or read of a file the analyst gave us (a chain, a manifest), as an
// error with a code a program can act on and words a person can: one mapping of the
// errno codes, for the pipeline, the staging area and the command line.
import { err, type Result } from '../../shared/result.ts';

export function readError(file: string, e: unknown): Result<never> {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return err('FILE_NOT_FOUND', `${file} does not exist`, { file });
  if (code === 'EISDIR')
    return err('NOT_A_FILE', `${file} is not a file (a directory or a device)`, { file });
  if (code === 'EACCES' || code === 'EPERM')
    return err('IO', `${file} cannot be read: permission denied`, { file });
  return err('IO', `cannot read ${file}: ${(e as Error)?.message ?? String(e)}`, { file });
}
