// The application menu: open files (submitted straight to the engine, by the rules),
// open the data folder, quit; plus the standard edit and view roles. Set before the
// window exists, so that Electron's default menu (developer tools, Reload) never shows in
// the built app: what needs the engine waits for it.
import {
  dialog,
  Menu,
  shell,
  type BrowserWindow,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';
import type { Dispatch } from '../host/handlers.ts';
import { submitFiles } from './open-files.ts';

export interface MenuDeps {
  window: () => BrowserWindow | null;
  dispatch: Dispatch;
  /** The engine's data folder, once it is up. */
  dataDir: () => Promise<string>;
  dev: boolean;
}

async function openFiles(deps: MenuDeps): Promise<void> {
  const win = deps.window();
  const options: OpenDialogOptions = {
    title: 'Open option-chain files',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Option chains', extensions: ['csv', 'json', 'txt', 'parquet'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const picked = win
    ? await dialog.showOpenDialog(win, options)
    : await dialog.showOpenDialog(options);
  if (!picked.canceled) await submitFiles(deps.dispatch, picked.filePaths, win);
}

export function buildMenu(deps: MenuDeps): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: () => void openFiles(deps) },
        {
          label: 'Open Data Folder',
          click: () => void deps.dataDir().then((dir) => shell.openPath(dir)),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(deps.dev
          ? [
              { role: 'reload' as const },
              { role: 'toggleDevTools' as const },
              { type: 'separator' as const },
            ]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        // The role's CmdOrCtrl+Plus needs Shift on a US keyboard; Ctrl+= zooms in as in a
        // browser (one accelerator per item: electron/electron#1507). Hidden, working.
        {
          role: 'zoomIn',
          accelerator: 'CmdOrCtrl+=',
          visible: false,
          acceleratorWorksWhenHidden: true,
        },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
