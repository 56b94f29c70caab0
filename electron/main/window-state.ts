// Remembers the main window's size, position and maximised state in a small JSON
// file in the user's data folder, and restores them only when they still fit on a
// connected display (a monitor may have been unplugged since).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';
import { z } from 'zod';

const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

const DEFAULT: WindowState = { width: 1440, height: 900, maximized: false };
const file = () => join(app.getPath('userData'), 'window-state.json');

function visible(b: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: w }) => {
    const ix = Math.max(0, Math.min(b.x + b.width, w.x + w.width) - Math.max(b.x, w.x));
    const iy = Math.max(0, Math.min(b.y + b.height, w.y + w.height) - Math.max(b.y, w.y));
    return ix >= 100 && iy >= 60;
  });
}

export function loadWindowState(): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file(), 'utf8')));
    if (!parsed.success) return DEFAULT;
    const s = parsed.data;
    if (s.x === undefined || s.y === undefined) return s;
    return visible({ x: s.x, y: s.y, width: s.width, height: s.height })
      ? s
      : { ...s, x: undefined, y: undefined };
  } catch {
    return DEFAULT;
  }
}

/** Saves the window's state when it is moved, resized or closed (debounced). */
export function trackWindowState(win: BrowserWindow): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = {
      x: b.x,
      y: b.y,
      width: b.width,
      height: b.height,
      maximized: win.isMaximized(),
    };
    try {
      writeFileSync(file(), JSON.stringify(state));
    } catch {
      // Not being able to remember the window is not worth bothering the user about.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
