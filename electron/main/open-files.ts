// Files handed to the app outside its window — File → Open Files…, "Open with GEX Desk",
// a second launch with file arguments, macOS open-file — are submitted by path, the
// active rules deciding their priority, and those the engine refuses are listed in one
// message box, whichever way they came: without it a refused file leaves no trace.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dialog, type BrowserWindow } from 'electron';
import type { SubmitAck } from '../../shared/api.ts';
import type { Dispatch } from '../host/handlers.ts';

/** Files handed to the app: those to submit; a line ("arg: CODE why") per argument naming none here. */
export interface Handed {
  files: string[];
  refused: string[];
}

/** A command-line argument as a path: file:// URIs too (a file manager's "Open with", %U). */
function asPath(arg: string, cwd: string): string | null {
  if (!arg.startsWith('file:')) return resolve(cwd, arg);
  try {
    return fileURLToPath(arg);
  } catch {
    return null; // another host's file (file://server/…), or no file URI at all
  }
}

/**
 * The files named by command-line arguments (options skipped). Not checked here: one that
 * is missing, a folder or cannot be read is the engine's to refuse, and so is named with
 * its reason in the box below like any other refused file.
 */
export function filesIn(args: readonly string[], cwd: string): Handed {
  const handed: Handed = { files: [], refused: [] };
  for (const arg of args.filter((a) => !a.startsWith('-'))) {
    const path = asPath(arg, cwd);
    if (path !== null) handed.files.push(path);
    else handed.refused.push(`${arg}: FILE_NOT_FOUND not a file on this computer`);
  }
  return handed;
}

/**
 * `open` called once with the paths given one by one in a short while (each within `ms` of
 * the one before): Finder sends one macOS open-file event per file, and the files opened
 * together belong in one box.
 */
export function gathered(open: (paths: string[]) => void, ms = 100): (path: string) => void {
  const paths: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (path) => {
    paths.push(path);
    clearTimeout(timer);
    timer = setTimeout(() => open(paths.splice(0)), ms);
  };
}

/** Submits `files` one by one; a box then names each refused one and why, after `refused`. */
export async function submitFiles(
  dispatch: Dispatch,
  files: readonly string[],
  win: BrowserWindow | null,
  refused: readonly string[] = [],
): Promise<void> {
  const failures = [...refused];
  for (const file of files) {
    const res = await dispatch('ingest:submit', { file });
    const error = res.ok ? (res.value as SubmitAck).error : res.error;
    if (error) failures.push(`${file}: ${error.code} ${error.message}`);
  }
  await showNotQueued(failures, win);
}

/** The one box naming the files not queued, a line each ("file: CODE why"); none for none. */
export async function showNotQueued(
  failures: readonly string[],
  win: BrowserWindow | null,
): Promise<void> {
  if (failures.length === 0) return;
  const box = {
    type: 'error' as const,
    title: 'Some files were not queued',
    message: failures.join('\n'),
  };
  if (win) await dialog.showMessageBox(win, box);
  else await dialog.showMessageBox(box);
}
