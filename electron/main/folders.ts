// The desktop app's folder actions (shared/channels.ts IPC_FOLDER_CHANNEL): the native
// folder picker, for choosing the inbox, and opening one of the inbox's folders in the
// system's file manager. Only paths the engine itself reports (inbox:get's dir,
// processing, done, failed) can be opened, so the page cannot open anything else; the
// chosen folder becomes the inbox only through inbox:set, validated by the engine. And only
// a real folder: anyone who can write into a shared inbox can put a file (a script, an app)
// or a link where its failed/ should be, which the file manager would open — on macOS, run.
import { dialog, ipcMain, shell, type BrowserWindow } from 'electron';
import { lstatSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InboxStatus } from '../../shared/api.ts';
import { IPC_FOLDER_CHANNEL } from '../../shared/channels.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Dispatch } from '../host/handlers.ts';
import type { SenderCheck } from './ipc.ts';

export interface FolderDeps {
  dispatch: Dispatch;
  isTrusted: SenderCheck;
  window: () => BrowserWindow | null;
}

async function choose(deps: FolderDeps, defaultPath: unknown): Promise<Result<string | null>> {
  const options = {
    title: 'Choose the inbox folder',
    buttonLabel: 'Watch this folder',
    properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
    ...(typeof defaultPath === 'string' && defaultPath ? { defaultPath } : {}),
  };
  const win = deps.window();
  const picked = win
    ? await dialog.showOpenDialog(win, options)
    : await dialog.showOpenDialog(options);
  return ok(picked.canceled ? null : (picked.filePaths[0] ?? null));
}

async function open(deps: FolderDeps, path: unknown): Promise<Result<null>> {
  if (typeof path !== 'string' || !path)
    return err('VALIDATION', 'open: the folder must be a path', { field: 'path' });
  const inbox = await deps.dispatch('inbox:get', {});
  if (!inbox.ok) return inbox;
  const s = inbox.value as InboxStatus;
  const allowed = [s.dir, s.processing, s.done, s.failed].map((p) => resolve(p));
  if (!allowed.includes(resolve(path)))
    return err(
      'INVALID_REQUEST',
      'open: only the inbox and its processing, done and failed folders can be opened',
      {
        field: 'path',
      },
    );
  const target = resolve(path);
  let folder: boolean;
  try {
    // Its sub-folders, which anyone writing into a shared inbox can replace, must be real
    // folders: a link is not followed (to an app bundle, a folder, it would launch). The
    // inbox itself is the analyst's choice, and may be a link to a share.
    const own = target === resolve(s.dir);
    folder = (own ? statSync : lstatSync)(target).isDirectory();
  } catch {
    return err('IO', `could not open ${path}: it does not exist`, { file: path });
  }
  if (!folder)
    return err(
      'IO',
      `could not open ${path}: it is not a folder (a file or a link lies there), and only a folder is opened; move it away`,
      { file: path },
    );
  const problem = await shell.openPath(target);
  return problem ? err('IO', `could not open ${path}: ${problem}`, { file: path }) : ok(null);
}

/** Serves IPC_FOLDER_CHANNEL; returns a function that removes the handler. */
export function registerFolderChannel(deps: FolderDeps): () => void {
  ipcMain.handle(IPC_FOLDER_CHANNEL, async (event, action: unknown, arg: unknown) => {
    if (!deps.isTrusted(event))
      return err('INVALID_REQUEST', 'folder actions are accepted only from the GEX Desk window');
    if (action === 'choose') return choose(deps, arg);
    if (action === 'open') return open(deps, arg);
    return err('NOT_FOUND', 'unknown folder action');
  });
  return () => ipcMain.removeHandler(IPC_FOLDER_CHANNEL);
}
