// Remembers the main window's size, position and maximised state in a small JSON
// file in the user's data folder, and restores them only where the window can still be
// seen and moved: a monitor may have been unplugged, or the screens rearranged, since.
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

const area = (r: Rectangle) => r.width * r.height;

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The height of a title bar: this much of the window's top must be on the screen. */
const TITLE_BAR = 30;

/**
 * Where a saved window goes, given the displays' work areas (the primary first). It stays
 * where it was when it fits the display holding most of it (no wider or taller than that
 * work area, at least half of it on it) and its whole title bar row (the top 30 px, from
 * edge to edge: the close button too) is on the displays' work areas. Otherwise it is
 * moved just inside the display holding most of it, shrunk to that display when larger,
 * or, when no display holds any of it (that monitor is gone), centred on the primary one.
 */
function placeWindow(saved: Rectangle, workAreas: readonly Rectangle[]): Rectangle {
  if (workAreas.length === 0) return saved;
  const most = workAreas.reduce((a, b) => (overlap(saved, b) > overlap(saved, a) ? b : a));
  const on = overlap(saved, most) > 0;
  const w = on ? most : workAreas[0]!;
  const bar = { ...saved, height: TITLE_BAR };
  // Work areas do not overlap: the bar is all on them when their shares add up to it.
  const barOn = workAreas.reduce((sum, a) => sum + overlap(bar, a), 0) >= area(bar);
  const fits =
    on &&
    barOn &&
    saved.width <= w.width &&
    saved.height <= w.height &&
    overlap(saved, w) * 2 >= area(saved);
  if (fits) return saved;
  const width = Math.min(saved.width, w.width);
  const height = Math.min(saved.height, w.height);
  // Just inside the display it was mostly on; centred on the primary one otherwise.
  const place = (at: number, from: number, room: number) =>
    on ? Math.min(Math.max(at, from), from + room) : from + Math.round(room / 2);
  return {
    x: place(saved.x, w.x, w.width - width),
    y: place(saved.y, w.y, w.height - height),
    width,
    height,
  };
}

/** The displays' work areas, the primary display's first. */
function workAreas(): Rectangle[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map(
    (d) => d.workArea,
  );
}

export function loadWindowState(): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file(), 'utf8')));
    if (!parsed.success) return DEFAULT;
    const s = parsed.data;
    if (s.x === undefined || s.y === undefined) return s;
    const placed = placeWindow({ x: s.x, y: s.y, width: s.width, height: s.height }, workAreas());
    return { ...placed, maximized: s.maximized };
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
